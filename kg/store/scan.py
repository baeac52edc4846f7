"""What a SPARQL query or update asks for, decided on a real parse: SERVICE and LOAD targets, FROM datasets.

The server must not fetch arbitrary URLs for its users (SSRF) and must know when a query names its own dataset
(FROM / FROM NAMED), which the union default graph must not override. Both are decided on rdflib's SPARQL 1.1
parser and algebra (grammar-complete), never on a hand tokenizer, and fail closed: text that mentions
`service`, `load` or `from` in any spelling (case-folded, after `\\u` escapes) and that rdflib cannot parse is
refused. Text that mentions none of them cannot contain those clauses, so it skips the (slow) parse.

`check_limits` is the cheap guard run before any engine sees the text: size, and bracket nesting depth
(deep nesting overflows the parsers' stacks). It counts conservatively (see `nesting_depth`).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial

from ..errors import KGError

KEYWORDS = ("service", "load", "from")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
OPEN, CLOSE = "{([", "})]"


class QueryRefused(KGError):
    """A query or update this server will not run; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Scan:
    services: list[str | None] = field(default_factory=list)  # endpoint IRIs; None when a variable
    loads: list[str | None] = field(default_factory=list)
    dataset: bool = False  # FROM or FROM NAMED present


def unescape(text: str) -> str:
    """SPARQL's \\u and \\U code point escapes replaced by their characters (invalid code points kept)."""
    def char(m):
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group()
    return _UCHAR.sub(char, text)


# --- limits: nesting depth, counted so that it never under-counts what a SPARQL parser nests
_ESC = r"\\."  # a local-name escape such as \# or \'
_COMMENT = r"#[^\r\n]*"  # a comment ends at \r or \n
_STRING = "|".join([r"'''(?:[^'\\]|\\.|'(?!''))*'''", r'"""(?:[^"\\]|\\.|"(?!""))*"""',
                    r"'(?:[^'\\\r\n]|\\.)*'", r'"(?:[^"\\\r\n]|\\.)*"'])
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_TOKEN = re.compile("|".join([f"(?P<esc>{_ESC})", f"(?P<comment>{_COMMENT})", f"(?P<string>{_STRING})",
                              f"(?P<iri>{_IRI})", r"(?P<bracket>[{}()\[\]])"]), re.DOTALL)


def _depth(text: str) -> int:
    depth = deepest = 0
    for m in _TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        if kind == "bracket":
            depth = depth + 1 if tok in OPEN else max(depth - 1, 0)
        elif kind == "iri":
            # '<' may be a comparison, not an IRI: its brackets count at their peak, its closes never lower the
            # depth; a quote in it may start a string for the parser, so everything after counts unskipped
            inner = peak = 0
            for ch in tok:
                inner += (ch in OPEN) - (ch in CLOSE)
                peak = max(peak, inner)
            deepest = max(deepest, depth + peak)
            depth += max(inner, 0)
            if "'" in tok:
                return max(deepest, depth + sum(text.count(c, m.end()) for c in OPEN))
        deepest = max(deepest, depth)
    return deepest


def nesting_depth(text: str) -> int:
    """An upper bound of the bracket nesting a SPARQL parser sees: strings and comments skipped, closes never
    trusted below zero; the text is counted as written and with its \\u escapes expanded (the larger wins)."""
    if sum(text.count(c) for c in OPEN) <= 1:
        return sum(text.count(c) for c in OPEN)
    expanded = unescape(text)
    return max(_depth(text), _depth(expanded) if expanded != text else 0)


def check_limits(text: str, max_size: int, max_depth: int, what: str = "query") -> None:
    """QueryRefused (400) for text over max_size characters or nested deeper than max_depth brackets."""
    if len(text) > max_size:
        raise QueryRefused(f"the {what} is {len(text):,} characters long; this server accepts up to {max_size:,} "
                           f"(KG_MAX_QUERY_SIZE)")
    if sum(text.count(c) for c in OPEN) > max_depth and nesting_depth(text) > max_depth:
        raise QueryRefused(f"the {what} nests brackets ({{ ( [) more than {max_depth} deep; this server refuses "
                           f"deeper nesting (KG_MAX_QUERY_DEPTH)")


# --- SERVICE, LOAD, FROM on rdflib's parse
def _walk(node):
    from pyparsing import ParseResults

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            yield n
            stack.extend(n.values())
        elif isinstance(n, (list, tuple, ParseResults)):
            stack.extend(n)


_LOCAL_ESC = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


def _iri(term) -> str | None:
    """The IRI as the engine resolves it (rdflib keeps the backslash of a local-name escape such as p:a\\#b)."""
    from rdflib import URIRef

    return _LOCAL_ESC.sub(r"\1", str(term)) if isinstance(term, URIRef) else None


@lru_cache(maxsize=1024)
def _parsed(text: str, kind: str, base: str | None, prefixes: tuple) -> Scan:
    from rdflib.plugins.sparql import algebra, parser

    logging.getLogger("rdflib.term").setLevel(logging.ERROR)  # not a warning per odd IRI in a refused query
    normalised = text.replace("\r", "\n")  # the engine ends a comment at \r too; rdflib only at \n
    try:
        # the parse tree with prefixed names and relative IRIs resolved, not rdflib's algebra: its translation
        # drops some patterns (an EXISTS nested in an EXISTS), the parse tree keeps every clause
        if kind == "update":
            tree, prologue, parts = parser.parseUpdate(normalised), None, []
            for declared, request in zip(tree.prologue, tree.request):
                prologue = algebra.translatePrologue(declared, base, dict(prefixes), prologue)
                parts.append(algebra.traverse(request, visitPost=partial(algebra.translatePName, prologue=prologue)))
        else:
            tree = parser.parseQuery(normalised)
            prologue = algebra.translatePrologue(tree[0], base, dict(prefixes))
            parts = [algebra.traverse(tree[1], visitPost=partial(algebra.translatePName, prologue=prologue))]
    except RecursionError:
        raise QueryRefused(f"the {kind} is nested too deeply to check its SERVICE/LOAD/FROM clauses") from None
    except Exception as exc:  # any parse failure: refuse, the clauses cannot be known
        raise QueryRefused(f"the {kind} mentions SERVICE, LOAD or FROM and could not be checked by the SPARQL "
                           f"parser, so it is refused: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                           ) from None
    out = Scan()
    for node in _walk(parts):  # (CompValue.get answers a missing key with the key: use `in`)
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            out.services.append(_iri(node["term"] if "term" in node else None))
        elif name == "Load":
            out.loads.append(_iri(node["iri"] if "iri" in node else None))
        elif name in ("SelectQuery", "ConstructQuery", "AskQuery", "DescribeQuery") and "datasetClause" in node:
            out.dataset = True
    return out


def mentions(text: str, keywords=KEYWORDS) -> bool:
    """Whether the text, with its \\u escapes expanded and case-folded, contains one of the keywords' letters
    (False: no such clause can exist, whatever the grammar makes of the rest)."""
    folded = unescape(text).casefold()
    return any(k in folded for k in keywords)


def scan(text: str, prefixes: dict[str, str] | None = None, *, kind: str = "query", base: str | None = None,
         keywords=KEYWORDS) -> Scan:
    """What the query (or update) asks for: remote endpoints, documents to load, its own dataset.
    QueryRefused when it mentions one of the clauses and cannot be parsed. `keywords`: the clauses whose mention
    makes the parse necessary (("from",) where the caller only needs the dataset, e.g. a query worker without a
    network); whatever the parse finds is reported."""
    if not mentions(text, keywords):
        return Scan()
    return _parsed(text, kind, base, tuple(sorted((prefixes or {}).items())))


_WORD = re.compile("|".join([
    "(?P<skip>" + "|".join([_ESC, _COMMENT, _STRING, _IRI, r"[?$]\w+"]) + ")",
    r"(?P<word>(?:[^\W\d][\w.\-]*)?:[\w.\-%:]*|[^\W\d]\w*)", r"(?P<open>\{)", r"(?P<close>\})"]), re.DOTALL)


def with_using(update: str, graphs: list[str], named: list[str]) -> str:
    """The update with the protocol's using-graph-uri / using-named-graph-uri as USING / USING NAMED clauses of
    each DELETE/INSERT ... WHERE operation (the update's own text, from an authenticated writer). QueryRefused
    when the update has USING or WITH itself: the protocol makes that an error."""
    found = _parsed_words(update)
    if {"using", "with"} & {w for w, _, _ in found}:
        raise QueryRefused("the update has its own USING or WITH clause: it cannot be combined with "
                           "using-graph-uri / using-named-graph-uri")
    clause = "".join(f" USING <{g}>" for g in graphs) + "".join(f" USING NAMED <{g}>" for g in named) + " "
    out, last, previous = [], 0, None
    for word, start, depth in found:
        if word == "where" and depth == 0 and previous != "delete":  # DELETE WHERE takes no USING
            out += [update[last:start], clause]
            last = start
        previous = word
    return "".join(out) + update[last:]


def _parsed_words(text: str) -> list[tuple[str, int, int]]:
    """(lower-cased keyword-like word, offset, brace depth) of the words outside strings, comments and IRIs."""
    words, depth = [], 0
    for m in _WORD.finditer(text):
        if m.lastgroup == "open":
            depth += 1
        elif m.lastgroup == "close":
            depth = max(depth - 1, 0)
        elif m.lastgroup == "word":
            words.append((m.group().lower(), m.start(), depth))
    return words


def refused_endpoints(found: Scan, allowed) -> list[str]:
    """The SERVICE/LOAD targets not in the allow-list (a variable endpoint is never allowed)."""
    return [t or "a variable or unknown endpoint" for t in [*found.services, *found.loads] if t not in set(allowed)]


def check_federation(found: Scan, allowed) -> None:
    """QueryRefused (403) when the text calls an endpoint or loads a document not in the allow-list."""
    refused = refused_endpoints(found, allowed)
    if refused:
        raise QueryRefused(f"SERVICE/LOAD of {', '.join(refused)} is not allowed: this server fetches nothing from "
                           f"other servers unless KG_ALLOW_FEDERATION lists them", status=403)
