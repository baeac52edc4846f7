"""Fuzz the SERVICE/LOAD decision (issue 9, finding 2): generated queries (2,000 in the suite, KG_FUZZ_QUERIES=10000
for the full run) and 300 updates checked against
the engine itself (Oxigraph evaluates each one with a loopback listener as the endpoint: the decision must refuse
every text that reaches it), split over the cores; then a sample through a real `kg serve` whose loopback
listener must receive nothing."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest
import requests

from sparql_fuzz import check_chunk, queries, updates
from web_support import TOKEN, Listener, start_server

URL = "http://127.0.0.1:{PORT}/"
# rdflib's parser costs 10-80 ms per text: the suite checks 2,000 queries; KG_FUZZ_QUERIES=10000 for the full run
N_QUERIES = int(os.environ.get("KG_FUZZ_QUERIES", "2000"))
N_UPDATES, N_SERVER = 300, 200


def _check(texts, kind):
    workers = max(1, min(4, os.cpu_count() or 1))
    chunks = [texts[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
        results = list(pool.map(check_chunk, chunks, [kind] * workers))
    return {k: sum(r[k] for r in results) for k in results[0]}


def test_generated_queries_never_reach_the_network():
    counts = _check(queries(N_QUERIES, URL), "query")
    assert counts["total"] == N_QUERIES
    assert counts["leaked"] == 0, counts
    assert counts["reached"] > N_QUERIES // 4, counts   # the generator does produce real SERVICE calls
    assert counts["accepted"] > N_QUERIES // 20, counts  # and the check lets harmless mentions through


def test_generated_updates_never_reach_the_network():
    counts = _check(updates(N_UPDATES, URL), "update")
    assert counts["leaked"] == 0 and counts["reached"] > N_UPDATES // 4, counts


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


def test_generated_queries_through_the_server(tmp_path_factory, listener):
    server = start_server(tmp_path_factory, "fuzz", env={"KG_UPDATE_TOKEN": TOKEN})
    try:
        statuses = {}
        with requests.Session() as session:  # keep-alive
            for text in queries(N_SERVER, listener.url, seed=99):
                r = session.post(server.url + "/sparql", data={"query": text}, timeout=30)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            for text in updates(50, listener.url, seed=98):
                r = session.post(server.url + "/update", data={"update": text},
                                 headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        assert listener.connections == 0, statuses
        assert set(statuses) <= {200, 204, 400, 403}, statuses
        assert requests.get(server.url + "/health", timeout=5).ok
    finally:
        server.stop()
