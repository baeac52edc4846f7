"""`kg bench --soak`: a bounded soak of a real `kg serve` on loopback. 32 clients mix reads, named queries, pages,
runaway queries (past the time limit) and authorised writes for a fixed time, then the store is checked: every
acknowledged write must be there. Reports unexpected 5xx, lost writes, the server's CPU once the runaway
queries are past their deadline, and p50/p95 of the ordinary requests. Linux (/proc) for the CPU figure."""
from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from .servers import free_port, serving

TOKEN = "soak-token"
BASE = "http://localhost:5000/"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
READS = ["SELECT ?p ?l WHERE { ?p a kg:Person ; rdfs:label ?l } LIMIT 50",
         "SELECT ?a ?h WHERE { ?a schema:headline ?h }",
         "SELECT ?t (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t } GROUP BY ?t",
         "ASK { ?s ?p ?o }"]
# action -> weight
MIX = {"read": 50, "named": 15, "page": 15, "write": 15, "runaway": 5}


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (Linux /proc): the server, its fork server and query workers."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of those processes still alive."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@dataclass
class SoakResult:
    requests: int = 0
    unexpected_5xx: int = 0  # 500, 502, 504..., or no answer at all (counted as 599)
    busy_503: int = 0  # ordinary requests that found every query slot taken until their time limit
    runaway_stopped: int = 0
    writes_acknowledged: int = 0
    writes_lost: int = 0
    cpu_after_runaways: float = 0.0  # share of one core, measured over 2 s once every deadline has passed
    latencies: list[float] = field(default_factory=list)
    statuses: dict = field(default_factory=dict)

    def percentile(self, q: int) -> float:
        if len(self.latencies) < 2:
            return float("nan")
        return 1000 * statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]

    def lines(self) -> list[str]:
        return [f"requests: {self.requests:,} (statuses {dict(sorted(self.statuses.items()))})",
                f"unexpected 5xx: {self.unexpected_5xx}; busy 503 of ordinary requests: {self.busy_503}",
                f"runaway queries stopped at the deadline (503): {self.runaway_stopped}",
                f"writes acknowledged: {self.writes_acknowledged}, lost: {self.writes_lost}",
                f"server CPU 2 s after the last deadline: {100 * self.cpu_after_runaways:.0f}% of a core",
                f"ordinary requests p50 / p95: {self.percentile(50):.1f} / {self.percentile(95):.1f} ms"]


def _client(url: str, entities: list[str], deadline: float, seed: int, result: SoakResult, lock) -> None:
    rng = random.Random(seed)
    actions, weights = list(MIX), list(MIX.values())
    with requests.Session() as s:
        n = 0
        while time.monotonic() < deadline:
            action, n = rng.choices(actions, weights)[0], n + 1
            started = time.perf_counter()
            try:
                if action == "read":
                    r = s.post(url + "/sparql", data={"query": rng.choice(READS)}, timeout=60)
                elif action == "named":
                    r = s.get(url + "/queries/people_most_mentioned", params={"min_mentions": 1}, timeout=60)
                elif action == "page":
                    r = s.get(url + "/entity/" + rng.choice(entities), headers={"Accept": "text/html"}, timeout=60)
                elif action == "runaway":
                    r = s.post(url + "/sparql", data={"query": RUNAWAY}, timeout=60)
                else:
                    r = s.post(url + "/update", data={"update": f"INSERT DATA {{ GRAPH <{BASE}graph/soak> "
                                                                f"{{ <{BASE}soak/{seed}-{n}> <{BASE}soak#n> {n} }} }}"},
                               headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
                status = r.status_code
            except requests.RequestException:
                status = 599  # no HTTP answer at all
            elapsed = time.perf_counter() - started
            with lock:
                result.requests += 1
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if action == "runaway":
                    result.runaway_stopped += status == 503
                    result.unexpected_5xx += status >= 500 and status != 503
                else:
                    result.unexpected_5xx += status >= 500 and status != 503
                    result.busy_503 += status == 503
                    result.latencies.append(elapsed)
                if action == "write" and status == 204:
                    result.writes_acknowledged += 1


def soak(seconds: float, clients: int = 32, store: str | None = None, timeout: float = 2.0,
         progress=lambda s: None) -> SoakResult:
    """Serve a copy of `store` (default: a store built from examples/), soak it, check it."""
    import sys

    work = Path(tempfile.mkdtemp(prefix="kg-soak-"))
    try:
        target = work / "store"
        if store:
            shutil.copytree(store, target)
        else:
            from ..graph import KnowledgeGraph

            progress("building a store from examples/")
            kg = KnowledgeGraph(str(target), base_iri=BASE)
            kg.ingest_files([str(Path(__file__).resolve().parents[2] / "examples")])
            kg.close()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("KG_")}, "KG_UPDATE_TOKEN": TOKEN,
               "KG_BASE_IRI": BASE, "KG_QUERY_TIMEOUT": str(timeout)}
        args = [sys.executable, "-c", "from kg.cli.serve import serve; serve()", "--store", str(target),
                "--host", "127.0.0.1", "--port", str(port)]
        with serving(args, url + "/health", timeout=120, env=env) as proc:
            entities = [row["e"]["value"][len(BASE) + len("entity/"):] for row in requests.post(
                url + "/sparql", data={"query": f"SELECT ?e {{ ?e a kg:Person FILTER(STRSTARTS(STR(?e), '{BASE}')) }}"},
                headers={"Accept": "application/sparql-results+json"}, timeout=30).json()["results"]["bindings"]]
            result, lock = SoakResult(), threading.Lock()
            progress(f"{clients} clients for {seconds:g} s")
            deadline = time.monotonic() + seconds
            threads = [threading.Thread(target=_client, args=(url, entities or ["x"], deadline, i, result, lock))
                       for i in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            time.sleep(timeout + 1)  # every runaway query is past its deadline
            tree = process_tree(proc.pid)
            before = cpu_seconds(tree)
            time.sleep(2)
            result.cpu_after_runaways = (cpu_seconds(tree) - before) / 2
            stored = requests.post(url + "/sparql", headers={"Accept": "application/sparql-results+json"}, data={
                "query": f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ GRAPH <{BASE}graph/soak> {{ ?s ?p ?o }} }}"},
                timeout=60).json()["results"]["bindings"][0]["n"]["value"]
            result.writes_lost = result.writes_acknowledged - int(stored)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
