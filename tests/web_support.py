"""Helpers for the endpoint tests: the test store (built once per session, copied per server) and a real
`kg serve` subprocess (waitress) on a free loopback port."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from kg.bench.soak import cpu_seconds, process_tree  # noqa: F401  (used by the tests)


ARTICLES = Path(__file__).resolve().parent / "data" / "web_articles.jsonl"
BASE = "http://localhost:5000/"
MERKEL = BASE + "entity/person/angela-merkel"
PARIS = BASE + "entity/place/paris"
TOKEN = "test-token-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def template_store(tmp_path_factory) -> Path:
    """The four test articles ingested once per session; servers get copies (a store has one owner)."""
    path = tmp_path_factory.getbasetemp() / "web-template-store"
    if not path.exists():
        from kg.graph import KnowledgeGraph

        building = path.with_name(path.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        kg = KnowledgeGraph(str(building), base_iri=BASE)
        summary = kg.ingest_files([str(ARTICLES)])
        kg.close()
        assert summary.written == 4, summary
        building.rename(path)
    return path


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    store: Path
    backend: subprocess.Popen | None = None  # `oxigraph serve` behind a remote-store server

    def stop(self) -> None:
        for proc in (self.proc, self.backend):
            if proc is None:
                continue
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def _wait(proc: subprocess.Popen, url: str, log: Path, what: str) -> None:
    deadline = time.monotonic() + 90  # a loaded machine starts servers slowly
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited: {log.read_text()}")
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{what} did not answer {url} within 90 s")


def load_template(tmp_path_factory, location: str) -> str:
    """The template store's quads loaded into an (emptied) remote store; returns its location."""
    import io

    import pyoxigraph as ox

    from kg.store.remote import RemoteStore
    from kg.store.embedded import EmbeddedStore

    copy = tmp_path_factory.mktemp("template-copy") / "store"
    shutil.copytree(template_store(tmp_path_factory), copy)
    source, data = EmbeddedStore(str(copy)), io.BytesIO()
    source.dump(data, ox.RdfFormat.N_QUADS)
    source.close()
    target = RemoteStore(location)
    target.bulk_load(data.getvalue(), ox.RdfFormat.N_QUADS)
    target.close()
    return location


def start_server(tmp_path_factory, name: str, env: dict | None = None, args: tuple = (),
                 remote: bool = False, prepare=None, location: str | None = None) -> Server:
    """`kg serve` over a copy of the template store (first changed by `prepare(store path)` when given); waits
    until /health answers. ``remote``: the copy is served by a real `oxigraph serve` and `kg serve` uses it as a
    remote store (sparql+http://). ``location``: serve this store instead (a remote store the caller filled,
    e.g. with load_template)."""
    store = tmp_path_factory.mktemp(name) / "store"
    shutil.copytree(template_store(tmp_path_factory), store)
    if prepare is not None:
        prepare(store)
    backend, location = None, location or str(store)
    if remote:
        exe = Path(sys.executable).with_name("oxigraph")
        if not exe.exists():
            import pytest

            pytest.skip("oxigraph (PyPI package 'oxigraph', in the test extra) is not installed")
        oport, olog = free_port(), store.parent / "oxigraph.log"
        with open(olog, "wb") as err:
            backend = subprocess.Popen([str(exe), "serve", "--location", str(store), "--bind", f"127.0.0.1:{oport}"],
                                       stdout=subprocess.DEVNULL, stderr=err)
        _wait(backend, f"http://127.0.0.1:{oport}/query?query=ASK%7B%7D", olog, "oxigraph serve")
        location = f"sparql+http://127.0.0.1:{oport}"
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    environ.update({"KG_BASE_IRI": BASE, **(env or {})})
    exe = Path(sys.executable).with_name("kg")
    log = store.parent / "server.log"
    with open(log, "wb") as err:  # a file, not a pipe: a chatty server must never block on a full pipe
        proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--store", location, *args],
                                env=environ, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(proc, url + "/health", log, "kg serve")
    except RuntimeError:
        if backend is not None:
            backend.kill()
        raise
    return Server(url, proc, store, backend)


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it (the SSRF canary)."""

    def __init__(self):
        import threading

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()
