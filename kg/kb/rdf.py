"""Statements from Wikidata RDF files: N-Triples line by line (fast path, bad lines skipped), Turtle via pyoxigraph."""
from __future__ import annotations

import bz2
import gzip
import io
import re
from pathlib import Path
from typing import Callable, Iterator

from .vocab import qid_of, statement

# subject, predicate, object of one N-Triples line; the object is an IRI, a literal or a blank node.
_LINE = re.compile(r'^(<[^>\s]*>|_:\S+)\s+<([^>\s]*)>\s+(<[^>\s]*>|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>\s]*>)?|_:\S+)'
                   r'\s*\.\s*(?:#.*)?$')
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<[^>]*>)?$')
_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf"\'\\])')
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    return _ESCAPE.sub(lambda m: _SIMPLE.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), s)


def open_binary(path: Path):
    """A byte stream over a plain, gzip or bzip2 file (told apart by the gzip magic bytes, not the name)."""
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    return bz2.open(path, "rb") if magic == b"BZ" else open(path, "rb")


def open_text(path: Path):
    return io.TextIOWrapper(open_binary(path), encoding="utf-8", errors="replace")


def ntriples(lines, bad: Callable[[int], None]) -> Iterator[tuple]:
    """Statements from N-Triples lines; a line that is not N-Triples is reported to ``bad`` and skipped."""
    for lineno, line in enumerate(lines, 1):
        m = _LINE.match(line)
        if m is None:
            if line.strip() and not line.lstrip().startswith("#"):
                bad(lineno)
            continue
        subject, predicate, obj = m.groups()
        qid = qid_of(subject[1:-1]) if subject[0] == "<" else None
        if qid is None:
            continue
        if obj[0] == "<":
            st = statement(qid, predicate, obj[1:-1], None, True)
        elif obj[0] == '"':
            lit = _LITERAL.match(obj)
            st = statement(qid, predicate, _unescape(lit.group(1)), lit.group(2), False)
        else:
            continue
        if st:
            yield st


def parsed(stream, fmt) -> Iterator[tuple]:
    """Statements from a byte stream in any RDF format pyoxigraph reads, streamed; a syntax error stops it
    (pyoxigraph cannot resume after one)."""
    import pyoxigraph as ox
    return from_quads(ox.parse(stream, format=fmt))


def from_quads(quads) -> Iterator[tuple]:
    """Statements from pyoxigraph quads or triples."""
    import pyoxigraph as ox

    for quad in quads:
        s, o = quad.subject, quad.object
        qid = qid_of(s.value) if isinstance(s, ox.NamedNode) else None
        if qid is None or isinstance(o, (ox.BlankNode, ox.Triple)):
            continue
        is_iri = isinstance(o, ox.NamedNode)
        st = statement(qid, quad.predicate.value, o.value, None if is_iri else o.language, is_iri)
        if st:
            yield st
