"""A SPARQL tokenizer that finds SERVICE, LOAD and FROM clauses, ignoring strings, comments and IRIs.

Used to refuse federation to endpoints not in KG_ALLOW_FEDERATION (the server must not fetch arbitrary URLs
for its users) and to know whether a query names its own dataset (FROM / FROM NAMED), which the union
default graph must not override. A keyword inside a string, a comment or an IRI is never a match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><(?![?$])[^<>"{}|^`\\\x00-\x20]*>)   # not "<?x": that is a comparison
  | (?P<var>[?$]\w+)
  | (?P<name>(?:[^\W\d][\w.\-]*)?:[\w.\-%:]*|[^\W\d]\w*)
  | (?P<other>\S)
""", re.VERBOSE | re.DOTALL)


@dataclass
class Scan:
    services: list[str | None] = field(default_factory=list)  # endpoint IRIs; None when a variable
    loads: list[str | None] = field(default_factory=list)
    dataset: bool = False  # FROM or FROM NAMED present


def tokens(text: str):
    for m in _TOKEN.finditer(text):
        if m.lastgroup not in ("comment", "string"):
            yield m.lastgroup, m.group()


def scan(text: str, prefixes: dict[str, str] | None = None) -> Scan:
    """What the query or update asks for: remote endpoints, documents to load, its own dataset."""
    names = dict(prefixes or {})
    toks = list(tokens(text))
    out = Scan()

    def resolve(i: int) -> str | None:
        while i < len(toks) and toks[i][1].upper() == "SILENT":
            i += 1
        if i >= len(toks):
            return None
        kind, tok = toks[i]
        if kind == "iri":
            return tok[1:-1]
        if kind == "name" and ":" in tok:
            prefix, _, local = tok.partition(":")
            return names[prefix] + local if prefix in names else None
        return None

    for i, (kind, tok) in enumerate(toks):
        if kind != "name":
            continue
        word = tok.upper()
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2][0] == "iri":
            names[toks[i + 1][1].rstrip(":")] = toks[i + 2][1][1:-1]
        elif word == "SERVICE":
            out.services.append(resolve(i + 1))
        elif word == "LOAD":
            out.loads.append(resolve(i + 1))
        elif word == "FROM":
            out.dataset = True
    return out


def refused_endpoints(found: Scan, allowed) -> list[str]:
    """The SERVICE/LOAD targets not in the allow-list (a variable endpoint is never allowed)."""
    return [t or "a variable or unknown endpoint" for t in [*found.services, *found.loads] if t not in set(allowed)]
