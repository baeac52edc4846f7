"""Fuzz the SERVICE/LOAD defences (issue 9, finding 2) with generated queries and updates (tests/sparql_fuzz.py).

Two layers, each proved against a loopback listener that must receive nothing:
- the kernel: 10,000 generated queries (KG_FUZZ_QUERIES to change) sent over 2 connections to a real
  `kg serve` whose query workers have no network (kg.web.sandbox); the listener is named as the SERVICE endpoint
  in every spelling;
- the parse (kg.store.scan, what decides where the sandbox is unavailable, where an allow-list gives the workers a
  network, and for LOAD in updates): generated texts checked against the engine itself (Oxigraph evaluates each
  with the listener as the endpoint: the decision must refuse every text that reaches it), split over the cores,
  then a sample through a real `kg serve` with an allow-list (workers with a network) and through /update.
"""
from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from http.client import HTTPConnection
from multiprocessing import get_context
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from sparql_fuzz import check_chunk, queries, updates
from web_support import TOKEN, Listener, process_tree, start_server

URL = "http://127.0.0.1:{PORT}/"
# through the sandboxed server: 8-16 ms of CPU each (rdflib's parse for those the engine answers); the suite sends
# 10,000 (83 s on a quiet 2-core machine; 13 min at load 15)
N_SERVER = int(os.environ.get("KG_FUZZ_QUERIES", "10000"))
N_PARSED = int(os.environ.get("KG_FUZZ_PARSED", "500"))  # through rdflib's parser: 10-80 ms each
N_UPDATES, N_ALLOWED = 300, 200


def _check(texts, kind):
    workers = max(1, min(4, os.cpu_count() or 1))
    chunks = [texts[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
        results = list(pool.map(check_chunk, chunks, [kind] * workers))
    return {k: sum(r[k] for r in results) for k in results[0]}


def _post_all(url: str, texts: list[str], field: str = "query", headers=None, connections: int = 2) -> Counter:
    """Each text POSTed as a form to url, over `connections` keep-alive connections at once (the standard
    library's client: a tenth of requests' CPU per request); counts of the statuses."""
    where = urlsplit(url)

    def send(chunk):
        statuses, http = Counter(), HTTPConnection(where.hostname, where.port, timeout=60)
        try:
            for text in chunk:
                http.request("POST", where.path, urlencode({field: text}),
                             {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
                response = http.getresponse()
                response.read()
                statuses[response.status] += 1
        finally:
            http.close()
        return statuses
    with ThreadPoolExecutor(connections) as pool:
        return sum(pool.map(send, [texts[i::connections] for i in range(connections)]), Counter())


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


def test_generated_queries_never_reach_the_network_through_the_server(tmp_path_factory, listener):
    server = start_server(tmp_path_factory, "fuzz")
    try:
        statuses = _post_all(server.url + "/sparql", queries(N_SERVER, listener.url, seed=99))
        assert sum(statuses.values()) == N_SERVER
        assert listener.connections == 0, statuses
        assert set(statuses) <= {200, 400, 403}, statuses
        assert statuses[403] > N_SERVER // 10, statuses  # the engine did try SERVICE calls, and they were refused
        assert statuses[200] > N_SERVER // 10, statuses  # harmless mentions (strings, comments, SILENT) answered
        # the 8 query workers are in network namespaces of their own (the kernel's guarantee, not the parse's)
        own = os.readlink(f"/proc/{server.proc.pid}/ns/net")
        isolated = [p for p in process_tree(server.proc.pid)[1:] if _netns(p) not in (own, None)]
        assert len(isolated) == 8, isolated
        assert requests.get(server.url + "/health", timeout=5).ok
    finally:
        server.stop()


def _netns(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/net")
    except OSError:
        return None


def test_generated_queries_decided_by_the_parse():
    counts = _check(queries(N_PARSED, URL), "query")
    assert counts["total"] == N_PARSED
    assert counts["leaked"] == 0, counts
    assert counts["reached"] > N_PARSED // 4, counts   # the generator does produce real SERVICE calls
    assert counts["accepted"] > N_PARSED // 20, counts  # and the check lets harmless mentions through


def test_generated_updates_never_reach_the_network():
    counts = _check(updates(N_UPDATES, URL), "update")
    assert counts["leaked"] == 0 and counts["reached"] > N_UPDATES // 4, counts


def test_generated_queries_through_a_server_with_an_allow_list(tmp_path_factory, listener):
    """An allow-list gives the workers a network: then the parse alone stands between a query and the listener."""
    server = start_server(tmp_path_factory, "fuzz-allowed",
                          env={"KG_UPDATE_TOKEN": TOKEN, "KG_ALLOW_FEDERATION": "http://allowed.invalid/sparql"})
    try:
        statuses = _post_all(server.url + "/sparql", queries(N_ALLOWED, listener.url, seed=97))
        statuses += _post_all(server.url + "/update", updates(50, listener.url, seed=98), field="update",
                              headers={"Authorization": f"Bearer {TOKEN}"})
        assert listener.connections == 0, statuses
        assert set(statuses) <= {200, 204, 400, 403}, statuses
        assert requests.get(server.url + "/health", timeout=5).ok
    finally:
        server.stop()
