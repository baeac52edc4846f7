"""Limits against a real `kg serve`: the query time limit (the request ends with a clear error, the server stays
healthy, a stream that outlives the limit is cut so the client sees an error) and many parallel clients."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from web_support import MERKEL, start_server

# ~7 million joined rows aggregated into one: a few seconds of evaluation and no output before it ends
SLOW_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g a nif:Phrase }"
ENDLESS_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory, "limits", env={"KG_QUERY_TIMEOUT": "1", "KG_MAX_ROWS": "100000000"})
    yield s
    s.stop()


def test_query_longer_than_the_limit_ends_with_503(server):
    started = time.monotonic()
    r = requests.get(server.url + "/sparql", params={"query": SLOW_COUNT}, timeout=30)
    elapsed = time.monotonic() - started
    assert r.status_code == 503 and "KG_QUERY_TIMEOUT" in r.text
    assert 0.9 < elapsed < 3
    # the server stays healthy while the abandoned evaluation finishes in the background
    started = time.monotonic()
    assert requests.get(server.url + "/health", timeout=5).json()["status"] == "ok"
    r = requests.get(server.url + "/sparql", params={"query": f"ASK {{ <{MERKEL}> ?p ?o }}"},
                     headers={"Accept": "application/sparql-results+json"}, timeout=5)
    assert r.json()["boolean"] is True and time.monotonic() - started < 1


def test_stream_longer_than_the_limit_is_cut(server):
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        r = requests.get(server.url + "/sparql", params={"query": ENDLESS_ROWS}, headers={"Accept": "text/csv"},
                         stream=True, timeout=30)
        assert r.status_code == 200  # the first rows went out before the limit
        for _ in r.iter_content(65536):
            pass
    assert time.monotonic() - started < 5
    assert requests.get(server.url + "/health", timeout=5).ok
    log = (server.store.parent / "server.log").read_text()
    assert "stream cut: the query ran longer than the time limit" in log and "Traceback" not in log, log


@pytest.fixture(scope="module")
def roomy_server(tmp_path_factory):
    """The default time limit: 16 clients of cheap queries must all succeed, not race a 1 s limit on a busy CI."""
    s = start_server(tmp_path_factory, "parallel")
    yield s
    s.stop()


def test_parallel_clients(roomy_server):
    server = roomy_server
    queries = [
        ("SELECT DISTINCT ?p WHERE { ?p a kg:Person }", "application/sparql-results+json"),
        ("CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a kg:Person ; rdfs:label ?l }", "text/turtle"),
        (f"ASK {{ <{MERKEL}> a kg:Person }}", "application/sparql-results+xml"),
        ("SELECT ?h WHERE { ?a schema:headline ?h }", "text/csv"),
    ]

    def client(n: int) -> list[int]:
        statuses = []
        with requests.Session() as http:
            for i in range(12):
                q, accept = queries[(n + i) % len(queries)]
                r = http.get(server.url + "/sparql", params={"query": q}, headers={"Accept": accept}, timeout=30)
                assert r.headers["Content-Type"].startswith(accept), r.text
                assert "merkel" in r.text.lower() or "true" in r.text or "Paris" in r.text, r.text
                statuses.append(r.status_code)
            statuses.append(http.get(server.url + "/entity/person/angela-merkel", timeout=30).status_code)
        return statuses

    with ThreadPoolExecutor(16) as pool:
        results = [s for statuses in pool.map(client, range(16)) for s in statuses]
    assert len(results) == 16 * 13 and set(results) == {200}
