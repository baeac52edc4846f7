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
        self._pool = None
        self._snapshots = None
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

    def pool(self):
        """The query workers (kg.web.pool) for an on-disk store; None for a remote store (queries there are HTTP
        requests, evaluated in threads of this process)."""
        location = str(self.config["KG_STORE"])
        if self._pool is None and not location.startswith("sparql+"):
            self.get()  # the store exists and is ours before workers open it read-only
            with self._lock:
                if self._pool is None:
                    from .pool import Pool
                    from .snapshots import Snapshots

                    if not self.config["KG_READ_ONLY"]:
                        self._snapshots = Snapshots(self._kg.store, self._write_lock, lambda: self.generation)
                    path, release = self.query_store()
                    self._pool = Pool(path, self.config["KG_MAX_RUNNING_QUERIES"],
                                      isolate=not self.config["KG_ALLOW_FEDERATION"],
                                      nice=self.config["KG_QUERY_NICE"])
                    release()
        return self._pool

    def started_pool(self):
        """The query workers if they have been started (None before, or for a remote store); never starts them."""
        return self._pool

    def uses_pool(self) -> bool:
        return not str(self.config["KG_STORE"]).startswith("sparql+")

    def query_store(self) -> tuple[str, callable]:
        """(directory, release) for one query: what the query workers open read-only — the store itself when
        nobody writes it, else the checkpoint of the latest write (kg.web.snapshots), held until release()."""
        if self._snapshots is None:
            return str(self.config["KG_STORE"]), lambda: None
        snapshots, released = self._snapshots, []
        path = snapshots.acquire()

        def release() -> None:  # once, whichever path ends the query first
            if not released:
                released.append(True)
                snapshots.release(path)
        return path, release

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
            if self._snapshots is not None:
                self._snapshots.close()
                self._snapshots = None
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
    """The store of this app (kg.store.api.Store: queries, dumps, updates)."""
    return holder().get().store


def named_queries() -> dict:
    """The named queries (queries/*.rq), loaded once per app (restart the server to pick up new files)."""
    from ..store.named_queries import load_named_queries

    if "kg_named" not in current_app.extensions:
        current_app.extensions["kg_named"] = load_named_queries(current_app.config.get("KG_QUERIES"))
    return current_app.extensions["kg_named"]
