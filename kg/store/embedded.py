"""The store: an rdflib Dataset over oxrdflib's Oxigraph store, persistent on disk; opened in one place.

Writes go one article graph per transaction (DROP + INSERT DATA in a single SPARQL update, which Oxigraph
applies atomically), so a killed ingest leaves only whole articles. Queries run on Oxigraph's native engine.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterable, Iterator

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

from ..errors import StoreError
from ..namespaces import PREFIXES
from .remote import RemoteStore
from .api import PREFIX_MAP, Store
from .terms import graph_write

__all__ = ["EmbeddedStore", "RemoteStore", "Store", "open_store", "PREFIX_MAP"]
# Flush writes to disk files every so many triples: without it RocksDB's in-memory tables grow with the corpus
# (measured: 652 MB vs 218 MB of RSS after writing 1,200 BBC article graphs).
FLUSH_EVERY = 50_000


class EmbeddedStore:
    """Oxigraph on disk (or in memory when path is None); implements kg.store.api.Store."""

    def __init__(self, path: str | None, read_only: bool = False):
        self.path = path
        if path is not None and Path(path).exists() and not Path(path).is_dir():
            raise StoreError(f"the store {path} is a file: give a directory (it is created when missing)")
        try:
            if path is None:
                inner = ox.Store()
            elif read_only:
                if not Path(path, "CURRENT").is_file():
                    raise StoreError(f"no store at {path}: build one with `kg ingest --store {path} ...`")
                inner = ox.Store.read_only(path)
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                inner = ox.Store(path)
        except (OSError, RuntimeError) as exc:  # RuntimeError: Oxigraph's "Corruption: ..." (not a store)
            hint = " (is another process, e.g. `kg serve` or an ingest, using it?)" if "lock" in str(exc).lower() else ""
            raise StoreError(f"cannot open the store at {path}: {exc}{hint}") from None
        self.ox = inner
        self._unflushed = 0  # triples written since the last flush
        self.read_only = read_only
        self.dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns, override=True)

    # --- reads
    def query(self, sparql: str, *, union: bool = True, default_graph=None, named_graphs=None, substitutions=None):
        """Run SPARQL on Oxigraph; the default graph is the union of all graphs unless default_graph is given."""
        return self.ox.query(sparql, use_default_graph_as_union=union and default_graph is None,
                             default_graph=default_graph, named_graphs=named_graphs, substitutions=substitutions,
                             prefixes=PREFIX_MAP)

    def value(self, graph: str, subject: str, predicate: str) -> str | None:
        """One object value of (subject, predicate) in a graph, or None."""
        for q in self.ox.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, ox.NamedNode(graph)):
            return q.object.value
        return None

    def named_graphs(self) -> list[str]:
        return [g.value for g in self.ox.named_graphs()]

    def has_graph(self, graph: str) -> bool:
        return self.ox.contains_named_graph(ox.NamedNode(graph))

    def graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        return (q.triple for q in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Write the dataset (quad formats), one graph, or the merged view of all graphs (triple formats)."""
        if graph is not None:
            self.ox.dump(output, fmt, from_graph=ox.NamedNode(graph), prefixes=PREFIX_MAP)
        elif fmt.supports_datasets:
            self.ox.dump(output, fmt, prefixes=PREFIX_MAP)
        else:
            # The merged view is a set: a triple stated in several article graphs is written once.
            triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
            ox.serialize(triples, output, fmt, prefixes=PREFIX_MAP)

    # --- writes (an OSError, e.g. a full disk, becomes one StoreError naming the store and the cause)
    def replace_graph(self, graph: str, triples: Iterable[tuple]) -> None:
        """Atomically replace a named graph's content."""
        self.update(graph_write(graph, triples, replace=True))

    def add_to_graph(self, graph: str, triples: Iterable[tuple]) -> None:
        self.update(graph_write(graph, triples))

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only")
        with self._writing():
            self.ox.update(sparql, prefixes=PREFIX_MAP, base_iri=base_iri)
        self._unflushed += sparql.count("\n")  # about one line per triple written
        if self._unflushed >= FLUSH_EVERY:
            self.flush()

    def bulk_load(self, source: IO[bytes] | str, fmt: ox.RdfFormat) -> None:
        with self._writing():
            self.ox.bulk_load(source, fmt)

    def flush(self) -> None:
        """Move buffered writes to disk files (bounds the store's memory on long ingests)."""
        with self._writing():
            self.ox.flush()
        self._unflushed = 0

    @contextmanager
    def _writing(self):
        try:
            yield
        except OSError as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}") from None

    def close(self) -> None:
        """Release the store (and its lock): drop every reference, the Dataset's included."""
        try:
            if not self.read_only:
                self.flush()
        finally:
            self.dataset.close()
            del self.ox, self.dataset


def open_store(location: str | None, read_only: bool = False) -> Store:
    """The store named by configuration: a directory path (embedded Oxigraph), None (in memory), or a
    ``sparql+http(s)://`` URL of a SPARQL 1.1 server (kg.store.remote, see docs/performance.md)."""
    if location and location.startswith("sparql+"):
        return RemoteStore(location, read_only=read_only)
    return EmbeddedStore(location, read_only=read_only)
