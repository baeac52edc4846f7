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

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def start_server(tmp_path_factory, name: str, env: dict | None = None, args: tuple = ()) -> Server:
    """`kg serve` over a copy of the template store; waits until /health answers."""
    store = tmp_path_factory.mktemp(name) / "store"
    shutil.copytree(template_store(tmp_path_factory), store)
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    environ.update({"KG_BASE_IRI": BASE, **(env or {})})
    exe = Path(sys.executable).with_name("kg")
    log = store.parent / "server.log"
    with open(log, "wb") as err:  # a file, not a pipe: a chatty server must never block on a full pipe
        proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--store", str(store), *args],
                                env=environ, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kg serve exited: {log.read_text()}")
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return Server(url, proc, store)
        except (requests.ConnectionError, requests.Timeout):  # listening, still starting its query workers
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("kg serve did not answer /health within 60 s")


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
