"""The one place where rdflib terms (what the mapping builds) and pyoxigraph terms (what the stores speak) meet.

Article graphs reach a store as SPARQL Update text (``INSERT DATA`` with N-Triples terms): that text is the store
interface's one write format, the same for the embedded and the remote store, and it is what makes one article one
atomic update (its old graph dropped, the new one inserted, the entity registry refreshed). It is written here,
with pyoxigraph's own serialisation of each term (so any text is safely escaped). Both term types pickle, so
extracted graphs cross process boundaries (worker pool, Dask) as they are.
"""
from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(term, language=term.language)
        return ox.Literal(term, datatype=ox.NamedNode(term.datatype) if term.datatype else None)
    raise TypeError(f"not an rdflib term: {term!r}")


def from_ox(term) -> URIRef | BNode | Literal:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not a pyoxigraph term: {term!r}")


def nt_terms(triples: Iterable[tuple]) -> str:
    """N-Triples lines for rdflib triples, for INSERT DATA."""
    return "\n".join(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in triples)


def graph_write(graph: str, triples: Iterable[tuple], replace: bool = False) -> str:
    """The SPARQL Update that adds rdflib triples to a named graph, or (``replace``) swaps its content at once."""
    insert = f"INSERT DATA {{ GRAPH <{graph}> {{\n{nt_terms(triples)}\n}} }}"
    return f"DROP SILENT GRAPH <{graph}> ;\n{insert}" if replace else insert
