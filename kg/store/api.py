"""The one store interface (``Store``) that the embedded and the remote store implement, and what both share.

The web layer, the CLI and ``KnowledgeGraph`` use only this interface, so any store serves every feature.
"""
from __future__ import annotations

from typing import IO, Iterable, Iterator, Protocol, runtime_checkable

import pyoxigraph as ox

from ..namespaces import PREFIXES

PREFIX_MAP = {p: str(ns) for p, ns in PREFIXES.items()}


@runtime_checkable
class Store(Protocol):
    """An RDF dataset we read with SPARQL and write with SPARQL Update, one atomic update per call."""

    path: str | None
    read_only: bool

    def query(self, sparql: str, *, union: bool = True, default_graph=None, named_graphs=None,
              substitutions=None):
        """QuerySolutions / QueryBoolean / triples; the default graph is the union of all graphs unless
        ``union`` is false or ``default_graph`` is given."""

    def value(self, graph: str, subject: str, predicate: str) -> str | None:
        """One object value of (subject, predicate) in a graph, or None."""

    def named_graphs(self) -> list[str]: ...

    def has_graph(self, graph: str) -> bool:
        """Whether the named graph holds at least one triple."""

    def graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        """The triples of one named graph."""

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """One graph, the dataset (quad formats) or the merged view of all graphs (triple formats)."""

    def update(self, sparql: str) -> None:
        """One SPARQL Update request, applied atomically."""

    def replace_graph(self, graph: str, triples: Iterable[tuple]) -> None: ...

    def add_to_graph(self, graph: str, triples: Iterable[tuple]) -> None: ...

    def bulk_load(self, source, fmt: ox.RdfFormat) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
