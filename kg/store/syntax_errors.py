"""Oxigraph's SPARQL syntax errors made short: 'error at 2:13: expected one of Prefix not found, [<ranges>]…'
becomes line 2, column 13, 'undeclared prefix'. Shared by the endpoint's 400 message and the CLI (with a caret)."""
from __future__ import annotations

import re
from dataclasses import dataclass

_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
MAX_WORDS = 5


@dataclass
class SyntaxProblem:
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line else ""
        return where + self.message

    def with_caret(self, query: str) -> str:
        """The message, the offending line of the query and a caret under the column."""
        lines = query.splitlines() or [""]
        if not self.line or self.line > len(lines):
            return str(self)
        text = lines[self.line - 1].expandtabs(1)
        return f"{self}\n  {text}\n  {' ' * max((self.column or 1) - 1, 0)}^"


def _alternatives(expected: str) -> list[str]:
    """Top-level, comma-separated alternatives; character classes in [...] are dropped."""
    out, depth, current = [], 0, ""
    for ch in expected:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    out.append(current.strip())
    return [a for a in out if a and not a.startswith("[")]


def shorten(message: str) -> SyntaxProblem:
    m = _AT.match(message.strip())
    if not m:
        return SyntaxProblem(None, None, message.strip().splitlines()[0] if message.strip() else "syntax error")
    line, column, rest = int(m[1]), int(m[2]), m[3]
    if rest.startswith("expected"):
        words = _alternatives(rest.removeprefix("expected").removeprefix(" one of"))
        if "Prefix not found" in words:
            text = "undeclared prefix"
        elif words:
            shown = words[:MAX_WORDS] + (["…"] if len(words) > MAX_WORDS else [])
            text = "expected " + (" or ".join(shown) if len(shown) < 3 else ", ".join(shown[:-1]) + " or " + shown[-1])
        else:
            text = "unexpected character"
    else:
        text = rest.splitlines()[0] if rest else "syntax error"
    return SyntaxProblem(line, column, text)
