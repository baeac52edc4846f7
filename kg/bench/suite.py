"""The benchmark sections. Each figure is the median of ``runs`` runs and is set beside an anchor (the tool a
user would pick instead) measured in the same run on the same data; ratios are ours / anchor for rates and
anchor / ours for times, so higher is better for ours unless the row says otherwise."""
from __future__ import annotations

import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from .common import BBC, DEV_GOLD, SHARED_KB, WIKINEWS, Plan, Row, articles, median_time


def extraction(plan: Plan) -> list[Row]:
    """Words/s of our full pipeline (spaCy + our components + mapping to triples) vs bare spaCy nlp.pipe."""
    from ..mapping.extract import extract_graphs
    from ..mapping.iris import Minter
    from ..pipeline.nlp import load_model, shared_pipeline

    ours, bare, minter = shared_pipeline(None), load_model(None), Minter("http://localhost:5000/")
    rows = []
    for name, path in (("wikinews", WIKINEWS), ("bbc", BBC)):
        docs = articles(path, plan.extract_articles)
        words = sum(len(a.text.split()) for a in docs)
        jobs = [(a, "") for a in docs]
        t_ours, t_bare = [], []
        for _ in range(plan.runs):  # interleaved, so that drifting machine load hits both alike
            t_ours.append(median_time(lambda: list(extract_graphs(ours, jobs, minter, "urn:run")), 1))
            t_bare.append(median_time(lambda: list(bare.pipe(a.text for a in docs)), 1))
        t_ours, t_bare = statistics.median(t_ours), statistics.median(t_bare)
        rows.append(Row("extraction", f"words/s, {name} ({len(docs)} articles, {words} words)",
                        f"{words / t_ours:,.0f}", f"spaCy nlp.pipe {words / t_bare:,.0f}", t_bare / t_ours, ">= 0.8x",
                        f"same model ({bare.meta['name']}), 1 process"))
    return rows


def linking(plan: Plan, work: Path) -> list[Row]:
    """What linking adds: our pipeline with the Wikidata linker (KB built from ../shared/kb) vs without it."""
    from ..mapping.extract import extract_graphs
    from ..mapping.iris import Minter
    from ..kb.build import build
    from ..pipeline.nlp import build_pipeline, shared_pipeline

    if not SHARED_KB.exists():
        return []
    kb = work / "kb.sqlite"
    started = time.perf_counter()
    build(kb, [(SHARED_KB, None)])
    kb_seconds = time.perf_counter() - started
    plain, linked = shared_pipeline(None), build_pipeline(None, linking=(("kb", str(kb)),))
    minter, docs = Minter("http://localhost:5000/"), articles(WIKINEWS, plan.extract_articles)
    words, jobs = sum(len(a.text.split()) for a in docs), [(a, "") for a in docs]
    t_linked, t_plain = [], []
    for _ in range(plan.runs):  # interleaved, as above
        t_linked.append(median_time(lambda: list(extract_graphs(linked, jobs, minter, "urn:run")), 1))
        t_plain.append(median_time(lambda: list(extract_graphs(plain, jobs, minter, "urn:run")), 1))
    t_linked, t_plain = statistics.median(t_linked), statistics.median(t_plain)
    return [Row("linking", f"words/s with the linker, wikinews ({len(docs)} articles)", f"{words / t_linked:,.0f}",
                f"without linker {words / t_plain:,.0f}", t_plain / t_linked, ">= 0.83x",
                "linking adds <= 20% (1/1.2); offline KB from ../shared/kb"),
            Row("linking", "KB build from wikidata-subset.nt.gz (s)", f"{kb_seconds:.1f}", "", None, "< 60 s",
                "kg kb build, one run")]


def ingest(plan: Plan, work: Path, measure: bool = True) -> tuple[list[Row], Path]:
    """End-to-end ingest into an on-disk store, 1 worker vs 2 (same output checked); returns the 1-worker store.
    Without `measure`, only the store is built (one run on 2 workers) for the sections that query it."""
    from ..graph import KnowledgeGraph
    from .compare import canonical_quads

    docs = articles(WIKINEWS, plan.ingest_articles)
    if not measure:
        kg = KnowledgeGraph(str(work / "ingest-w1"))
        kg.ingest(docs, workers=2)
        kg.close()
        return [], work / "ingest-w1"
    # the pool is warm, as in `kg serve` and every ingest after a process's first: its start-up is timed apart
    warm = KnowledgeGraph(str(work / "ingest-warm"))
    warm.nlp  # noqa: B018  (the pipeline is loaded before timing)
    start_up = warm.ingest(docs[:2], workers=2).seconds
    warm.close()
    results: dict[int, list] = {1: [], 2: []}
    for run in range(plan.ingest_runs):
        for workers in (1, 2):
            path = work / f"ingest-w{workers}"
            shutil.rmtree(path, ignore_errors=True)
            kg = KnowledgeGraph(str(path))
            kg.nlp  # noqa: B018
            results[workers].append(kg.ingest(docs, workers=workers))
            kg.close()
    same = _same(KnowledgeGraph, canonical_quads, work / "ingest-w1", work / "ingest-w2")
    rows = []
    med = {w: statistics.median(s.seconds for s in runs) for w, runs in results.items()}
    s = results[1][0]
    for workers in (1, 2):
        rows.append(Row("ingest", f"wikinews {s.written} articles, {workers} worker(s): articles/s; triples/s",
                        f"{s.written / med[workers]:.1f}; {s.triples / med[workers]:,.0f}",
                        "1 worker" if workers == 2 else "", med[1] / med[2] if workers == 2 else None,
                        ">= 1.8x" if workers == 2 else "",
                        f"identical triples to 1 worker: {'yes' if same else 'NO'}; warm pool (its start-up and "
                        f"first 2 articles: {start_up:.1f} s)" if workers == 2 else
                        "text -> triples in the on-disk store, one transaction per article"))
    return rows, work / "ingest-w1"


def _same(KnowledgeGraph, canonical_quads, a: Path, b: Path) -> bool:
    stores = [KnowledgeGraph(str(p)) for p in (a, b)]
    try:
        return canonical_quads(stores[0].store) == canonical_quads(stores[1].store)
    finally:
        for kg in stores:
            kg.close()


def bulk_load(plan: Plan, store: Path, work: Path) -> tuple[list[Row], Path, Path, Path]:
    """Our store's bulk load of an N-Quads export vs pyoxigraph's Store.bulk_load of the same file."""
    import pyoxigraph as ox

    from ..graph import KnowledgeGraph
    from ..store.embedded import open_store

    nq, ttl = work / "export.nq", work / "export.ttl"
    kg = KnowledgeGraph(str(store))
    with open(nq, "wb") as out:
        kg.export(out, "nq")
    with open(ttl, "wb") as out:
        kg.export(out, "turtle")
    kg.close()
    quads = sum(1 for _ in open(nq, "rb"))

    def ours():
        shutil.rmtree(work / "bulk-ours", ignore_errors=True)
        s = open_store(str(work / "bulk-ours"))
        with open(nq, "rb") as data:
            s.bulk_load(data, ox.RdfFormat.N_QUADS)
        s.close()

    def anchor():
        shutil.rmtree(work / "bulk-ox", ignore_errors=True)
        s = ox.Store(str(work / "bulk-ox"))
        s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        s.flush()
        del s

    t_ours, t_ox = median_time(ours, plan.runs), median_time(anchor, plan.runs)
    row = Row("bulk load", f"export of wikinews ({quads:,} quads): quads/s", f"{quads / t_ours:,.0f}",
              f"pyoxigraph bulk_load {quads / t_ox:,.0f}", t_ox / t_ours, ">= 0.5x",
              "our EmbeddedStore.bulk_load is a thin layer over pyoxigraph's")
    return [row], work / "bulk-ox", nq, ttl


def endpoints(plan: Plan, store: Path, ox_store: Path, ttl: Path) -> list[Row]:
    """Median/p95 latency and throughput of a query mix at 8 and 32 clients: kg serve, oxigraph, rdflib.
    kg serve runs 2 processes of 16 request threads, each with 16 query workers: every client of the 32 is read
    and evaluated at once, as oxigraph serve does (8 threads a process queued 16 of them in the listen backlog)."""
    from . import servers
    from .load import ask, query_mix, run_load

    from ..graph import KnowledgeGraph

    kg = KnowledgeGraph(str(store), read_only=True)
    top = next(iter(kg.query("SELECT ?e ?l (COUNT(?m) AS ?n) WHERE { ?m itsrdf:taIdentRef ?e . ?e rdfs:label ?l } "
                             "GROUP BY ?e ?l ORDER BY DESC(?n) ?e LIMIT 1")))
    article = next(iter(kg.query("SELECT ?a WHERE { ?a a kg:Article } ORDER BY ?a LIMIT 1")))["a"].value
    kg.close()
    mix = query_mix(article, top["e"].value, top["l"].value)
    candidates = []
    if importlib.util.find_spec("kg.cli.serve"):
        candidates.append(("kg serve", [sys.executable, "-c", "from kg.cli.serve import serve; serve()", "--store",
                                        str(store), "--read-only", "--threads", "16", "--processes", "2"],
                           "--port", "/sparql"))
    candidates.append(("oxigraph serve", ["oxigraph", "serve-read-only", "--location", str(ox_store),
                                          "--union-default-graph"], "--bind", "/query"))
    candidates.append(("rdflib-endpoint", ["rdflib-endpoint", "serve", str(ttl), "--host",
                                           "127.0.0.1"], "--port", "/"))
    measured: dict[str, dict] = {}
    for name, args, port_flag, path in candidates:
        port = servers.free_port()
        url = f"http://127.0.0.1:{port}{path}"
        try:  # a peer that is not installed is reported in its row
            command = [args[0] if args[0] == sys.executable else servers.tool(args[0]), *args[1:],
                       port_flag, f"127.0.0.1:{port}" if port_flag == "--bind" else str(port)]
            with servers.serving(command, url, timeout=600):
                import requests

                with requests.Session() as session:  # warm-up, and every query must answer
                    failed = [q for q, text in mix.items() if not ask(session, url, text).ok]
                measured[name] = {"failed": failed, **{c: run_load(url, list(mix.values()), c, plan.endpoint_seconds)
                                                       for c in (8, 32)}}
        except (OSError, RuntimeError, TimeoutError) as exc:
            measured[name] = {"error": str(exc)}
    rows = []
    ours = measured.get("kg serve")
    for name, m in measured.items():
        if "error" in m:
            rows.append(Row("endpoint", name, "not measured", note=m["error"][:100]))
            continue
        for clients in (8, 32):
            r = m[clients]
            row = Row("endpoint", f"{name}, {clients} clients: median / p95 ms; queries/s",
                      f"{r.median_ms:.1f} / {r.p95_ms:.1f}; {r.qps:.1f}",
                      note=(f"{r.errors} errors; " if r.errors else "") +
                           (f"failed: {', '.join(m['failed'])}" if m["failed"] else f"{len(r.latencies)} requests"))
            if ours and name != "kg serve" and "error" not in ours:
                o = ours[clients]
                if name == "oxigraph serve":
                    row.anchor, row.ratio, row.target = "kg serve median / this", o.median_ms / r.median_ms, "<= 1.5x"
                else:
                    row.anchor, row.ratio, row.target = "this median / kg serve", r.median_ms / o.median_ms, ">= 5x"
            rows.append(row)
    if not ours:
        rows.insert(0, Row("endpoint", "kg serve", "not measured", note="TODO: kg.web (kg serve) is not installed"))
    return rows


def memory_and_growth(plan: Plan, work: Path) -> list[Row]:
    """Ingest BBC in a fresh process in batches of 25: peak RSS and store size at 1k and at the end, and the
    time per article over the 100 articles up to 100, 1,000 and the last."""
    store = work / "probe-store"
    shutil.rmtree(store, ignore_errors=True)
    args = [sys.executable, "-m", "kg.bench.probe", str(BBC), str(store), "--batch", "25"]
    if plan.probe_articles:
        args += ["--limit", str(plan.probe_articles)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    batches, closed = [x for x in lines if "seconds" in x], lines[-1]
    total, before = batches[-1]["articles"], 0
    for b in batches:
        b["size"], before = b["articles"] - before, b["articles"]

    def at(n: int) -> dict:
        return next(b for b in batches if b["articles"] >= n)

    def window(n: int) -> list[dict]:
        return [b for b in batches if n - 100 < b["articles"] <= n] or [at(n)]

    def per_article_ms(n: int) -> float:
        return 1000 * sum(b["seconds"] for b in window(n)) / sum(b["size"] for b in window(n))

    def per_kword_ms(n: int) -> float:  # BBC is sorted by category and their lengths differ: normalise by words
        return 1000 * sum(b["seconds"] for b in window(n)) / sum(b["words"] for b in window(n)) * 1000

    rows = []
    for n in sorted({min(1000, total), total}):
        rows.append(Row("memory", f"peak RSS of ingest, bbc {n} articles (MB)", f"{at(n)['peak_rss_mb']:.0f}",
                        target="< 1024 MB" if n == total else "", note="1 worker; RSS of the ingest process"))
    rows[-1].note += "; " + ("met" if at(total)["peak_rss_mb"] < 1024 else "MISSED")
    rows.append(Row("memory", f"store size on disk per 1k articles (bbc, {total} articles)",
                    f"{closed['store_mb'] * 1000 / total:.1f} MB", note="RocksDB directory after close"))
    marks = [n for n in (100, 1000, total) if n <= total]
    growth = [per_kword_ms(n) for n in marks]
    rows.append(Row("growth", "time per 1,000 words at " + ", ".join(f"{n:,}" for n in marks) + " articles (ms)",
                    " / ".join(f"{g:.0f}" for g in growth), "first window", growth[0] / growth[-1],
                    ">= 0.8x", "over the 100 articles before each mark; ratio = first / last (flat = 1); per article: "
                    + " / ".join(f"{per_article_ms(n):.0f}" for n in marks) + " ms"))
    return rows


def run(plan: Plan, sections: set[str], progress: Callable[[str], None]) -> list[Row]:
    """All selected sections in order; later sections reuse the stores and exports of earlier ones."""
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        if not WIKINEWS.exists() or not BBC.exists():
            raise FileNotFoundError(f"the benchmark needs {WIKINEWS} and {BBC}")
        if "extraction" in sections:
            progress("extraction")
            rows += extraction(plan)
            progress("linking")
            rows += linking(plan, work)
        store = None
        if sections & {"ingest", "bulk", "endpoint", "export"}:
            progress("ingest")
            ingest_rows, store = ingest(plan, work, measure="ingest" in sections)
            rows += ingest_rows
        if sections & {"bulk", "endpoint"}:
            progress("bulk load")
            bulk_rows, ox_store, _, ttl = bulk_load(plan, store, work)
            rows += bulk_rows if "bulk" in sections else []
            if "endpoint" in sections:
                progress("endpoint")
                rows += endpoints(plan, store, ox_store, ttl)
        if "search" in sections:
            from .search_bench import search

            progress("search")
            rows += search(plan, store, work)
        if "export" in sections:
            from .exports import exports

            progress("export")
            rows += exports(plan, store)
        if "feeds" in sections:
            from .feeds import feeds

            progress("feeds")
            rows += feeds(articles(WIKINEWS, min(plan.ingest_articles or 100, 100)), work)
        if "memory" in sections:
            progress("memory and growth")
            rows += memory_and_growth(plan, work)
        if "dask" in sections:
            from .dask_bench import dask_rows

            progress("distributed extraction (Dask LocalCluster)")
            rows += dask_rows(articles(WIKINEWS, plan.ingest_articles), work, runs=1)  # three ingests: ~3 min
        if "kb" in sections:
            from .kbscale import kb_scale

            progress(f"KB at scale ({plan.dump_items:,} synthetic dump items)")
            rows += kb_scale(plan.dump_items, work, SHARED_KB, WIKINEWS, plan.runs, DEV_GOLD)
        if "tenm" in sections:
            from .tenm import tenm

            progress("ten million quads (stores cached in bench/.cache)")
            rows += tenm(plan, work, progress)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


SECTIONS = ("extraction", "ingest", "bulk", "endpoint", "export", "feeds", "search", "memory", "dask", "kb", "tenm")
