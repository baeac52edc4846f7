"""Streaming serialisation of query results, row by row, with the row cap.

SELECT solutions are written here (W3C SPARQL 1.1 JSON, XML, CSV and TSV results) because pyoxigraph's
serialiser consumes the whole iterator and cannot stop at a row cap; booleans and graphs go through
pyoxigraph (`QueryBoolean.serialize`, `pyoxigraph.serialize`) with an iterator that stops at the cap.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Callable, Iterable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..store.formats import RDF_FORMATS, RESULT_FORMATS
from ..store.embedded import PREFIX_MAP

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FLUSH = 16 * 1024

Write = Callable[[bytes], None]


class Buffered:
    """A file-like writer that hands the caller's `write` chunks of about FLUSH bytes."""

    def __init__(self, write: Write):
        self._write, self._buf = write, bytearray()

    def write(self, data) -> int:
        self._buf += data
        if len(self._buf) >= FLUSH:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buf:
            self._write(bytes(self._buf))
            self._buf.clear()


def capped(items: Iterable, limit: int):
    for n, item in enumerate(items):
        if n >= limit:
            return
        yield item


# --- one term in each format
def _json_term(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                        "object": _json_term(t.object)}}


def _xml_term(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    return (f"<triple><subject>{_xml_term(t.subject)}</subject><predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>")


def _csv_term(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return t.value if isinstance(t, (ox.NamedNode, ox.Literal)) else str(t)


# --- whole result sets: (variables, solutions, out) -> None
def _json(names, rows, out) -> None:
    out.write(b'{"head":{"vars":' + json.dumps(names).encode() + b'},"results":{"bindings":[')
    for n, row in enumerate(rows):
        binding = {v: _json_term(t) for v, t in zip(names, row) if t is not None}
        out.write((b"," if n else b"\n") + json.dumps(binding, ensure_ascii=False).encode() + b"\n")
    out.write(b"]}}\n")


def _xml(names, rows, out) -> None:
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
              b"<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in names).encode() + b"</head><results>\n")
    for row in rows:
        cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                        for v, t in zip(names, row) if t is not None)
        out.write(f"<result>{cells}</result>\n".encode())
    out.write(b"</results></sparql>\n")


def _csv(names, rows, out) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_term(t) for t in row])
        if text.tell() > FLUSH:
            out.write(text.getvalue().encode())
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode())


def _tsv(names, rows, out) -> None:
    out.write(("\t".join(f"?{v}" for v in names) + "\n").encode())
    for row in rows:  # pyoxigraph's str() of a term is its N-Triples form, as TSV results require
        cells = "\t".join("" if t is None else str(t) for t in row)
        out.write((cells + "\n").encode())


SOLUTION_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
assert set(SOLUTION_WRITERS) == set(RESULT_FORMATS)


def write_result(result, fmt: str, write: Write, max_rows: int) -> None:
    """Serialise a pyoxigraph query result (solutions, boolean or triples) in the named format."""
    out = Buffered(write)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = ([s[n] for n in names] for s in capped(result, max_rows))
        SOLUTION_WRITERS[fmt](names, rows, out)
    elif isinstance(result, ox.QueryBoolean):
        result.serialize(out, RESULT_FORMATS[fmt][0])
    else:
        ox.serialize(capped(result, max_rows), out, RDF_FORMATS[fmt][0], prefixes=PREFIX_MAP)
    out.flush()
