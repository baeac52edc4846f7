"""A closed-loop HTTP load generator: N clients (threads, one keep-alive session each) send a fixed SPARQL
query mix in turn for a fixed time; every request's latency is recorded."""
from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field

import requests

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
"""


def query_mix(article: str, entity: str, label: str) -> dict[str, str]:
    """Lookups, joins, aggregates, a DESCRIBE and a regex FILTER over the default (union) graph."""
    label = label.replace("\\", "\\\\").replace('"', '\\"')
    queries = {
        "lookup article": f"SELECT ?p ?o WHERE {{ <{article}> ?p ?o }}",
        "lookup label": f'SELECT ?e WHERE {{ ?e rdfs:label "{label}" }}',
        "join mentions": f"SELECT ?a ?h WHERE {{ ?a schema:mentions <{entity}> ; schema:headline ?h }}",
        "join co-mentions": f"SELECT ?o (COUNT(?a) AS ?n) WHERE {{ ?a schema:mentions <{entity}>, ?o "
                            f"FILTER(?o != <{entity}>) }} GROUP BY ?o ORDER BY DESC(?n) LIMIT 10",
        "aggregate types": "SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t ORDER BY DESC(?n)",
        "aggregate top": "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?m itsrdf:taIdentRef ?e } GROUP BY ?e "
                         "ORDER BY DESC(?n) LIMIT 10",
        "describe": f"DESCRIBE <{entity}>",
        "regex filter": 'SELECT ?a ?h WHERE { ?a schema:headline ?h FILTER regex(?h, "elect|war|polic", "i") }',
    }
    return {name: PREFIXES + q for name, q in queries.items()}


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95_ms(self) -> float:
        if len(self.latencies) < 2:
            return self.median_ms
        return 1000 * statistics.quantiles(self.latencies, n=20, method="inclusive")[-1]

    @property
    def qps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def ask(session: requests.Session, url: str, query: str, timeout: float = 300) -> requests.Response:
    return session.get(url, params={"query": query}, headers={"Accept": ACCEPT}, timeout=timeout)


def run_load(url: str, queries: list[str], clients: int, seconds: float) -> LoadResult:
    """``clients`` threads loop over ``queries`` (each from its own offset) until ``seconds`` have passed;
    requests under way at the deadline are waited for and counted."""
    result, lock = LoadResult(), threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def client(offset: int) -> None:
        with requests.Session() as session:
            n = offset
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                try:
                    ok = ask(session, url, queries[n % len(queries)]).ok
                except requests.RequestException:
                    ok = False
                elapsed = time.perf_counter() - t
                with lock:
                    if ok:
                        result.latencies.append(elapsed)
                    else:
                        result.errors += 1
                n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    result.seconds = time.perf_counter() - start
    return result
