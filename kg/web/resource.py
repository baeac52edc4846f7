"""The one KnowledgeGraph of the process: opened once (lazily), shared by every request thread, closed at exit.

Oxigraph's store is safe for concurrent readers; writes (update, graph store, ingest) take one lock so
articles are written one at a time and the spaCy pipeline is never used by two threads at once.
"""
from __future__ import annotations

import atexit
import threading
from contextlib import contextmanager

from flask import current_app


class GraphHolder:
    def __init__(self, config):
        self.config = config
        self._kg = None
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self.generation = 0  # counts writes, so cached descriptions (VoID) know when they are stale

    @contextmanager
    def writing(self):
        """Hold the write lock; count the write."""
        with self._write_lock:
            try:
                yield self.get()
            finally:
                self.generation += 1

    def get(self):
        if self._kg is None:
            with self._lock:
                if self._kg is None:
                    from ..graph import KnowledgeGraph

                    self._kg = KnowledgeGraph(self.config["KG_STORE"], base_iri=self.config["KG_BASE_IRI"],
                                              read_only=self.config["KG_READ_ONLY"])
                    atexit.register(self.close)
        return self._kg

    def close(self) -> None:
        with self._lock:
            if self._kg is not None:
                self._kg.close()
                self._kg = None


def init_app(app) -> None:
    app.extensions["kg"] = GraphHolder(app.config)


def holder() -> GraphHolder:
    return current_app.extensions["kg"]


def graph():
    """The KnowledgeGraph of this app."""
    return holder().get()


def store():
    """The store of this app (kg.store_api.Store: queries, dumps, updates)."""
    return holder().get().store
