"""The search row of `kg bench`: entity name search through the FTS5 index (kg.store.search) vs the SPARQL reading of
names (queries/search_entities.rq, a CONTAINS scan), on the ingest section's store or a fresh wikinews store."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from .common import WIKINEWS, Plan, Row, articles, median_time

TERMS = 50
ANCHOR_TERMS = 10  # the SPARQL scan takes seconds per term on big stores


def search(plan: Plan, store: Path | None, work: Path, budget_ms: float | None = None) -> list[Row]:
    """Terms: the first four letters of every 10th entity label (sorted), so each term finds something. With
    ``budget_ms`` the verdict is the median against that budget, and the slow SPARQL anchor is skipped."""
    from ..graph import KnowledgeGraph
    from ..store.named_queries import load_named_queries

    if store is None:
        store = work / "search-store"
        with KnowledgeGraph(str(store)) as kg:
            kg.ingest(articles(WIKINEWS, plan.ingest_articles))
    named = load_named_queries()["search_entities"]
    with KnowledgeGraph(str(store), read_only=True) as kg:
        started = time.perf_counter()
        entities = kg.search_index.rebuild()
        rebuild = time.perf_counter() - started
        labels = sorted({r["label"].value for r in kg.query(
            "SELECT DISTINCT ?label WHERE { ?e a ?c ; rdfs:label ?label FILTER(STRSTARTS(STR(?c), STR(kg:))) }")})
        n_articles = next(iter(kg.query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }")))["n"].value
        terms = [label[:4] for label in labels[::10] if len(label) >= 4][:TERMS]
        ours = [median_time(lambda t=t: kg.search_entities(t, 20), 1) for t in terms]
        prepared = [named.prepare({"text": t}) for t in terms[:0 if budget_ms else ANCHOR_TERMS]]
        anchor = [median_time(lambda q=q, s=s: list(kg.query(q, substitutions=s)), 1) for q, s in prepared]
    ours_ms = statistics.median(ours) * 1000
    metric = f"entity search by name, median ms ({len(terms)} terms, {entities} entities, {n_articles} articles)"
    if budget_ms:
        return [Row("search", metric, f"{ours_ms:.2f} ms", f"budget {budget_ms:.0f} ms", ours_ms / budget_ms,
                    "<= 1.0x", f"in process, FTS5 index; index rebuild {rebuild:.1f} s")]
    anchor_ms = statistics.median(anchor) * 1000
    return [Row("search", metric, f"{ours_ms:.2f} ms", f"SPARQL search_entities {anchor_ms:,.0f} ms",
                anchor_ms / ours_ms, ">= 10x", f"target: median < 50 ms; index rebuild {rebuild:.1f} s")]
