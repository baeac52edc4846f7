"""What every benchmark section shares: the corpora, a result row, the plan, and two helpers."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
WIKINEWS = SHARED / "corpus" / "wikinews" / "articles.jsonl"
BBC = SHARED / "corpus" / "bbc" / "articles.jsonl"
SHARED_KB = SHARED / "kb" / "wikidata-subset.nt.gz"
DEV_GOLD = SHARED / "gold" / "news-fair-v2-test.jsonl"
CACHE = Path(__file__).resolve().parents[2] / "bench" / ".cache"  # large inputs built once (gitignored)


@dataclass
class Row:
    section: str
    metric: str
    ours: str
    anchor: str = ""
    ratio: float | None = None
    target: str = ""
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.ratio is None or not self.target:
            return ""
        op, value = self.target.split(" ", 1)[0], float(self.target.split(" ", 1)[1].rstrip("x"))
        return "met" if (self.ratio >= value if op == ">=" else self.ratio <= value) else "MISSED"


@dataclass
class Plan:
    """How much to measure: the full plan keeps `kg bench` under ~15 min on 2 cores, --quick under ~3."""
    runs: int = 3
    extract_articles: int = 100     # per corpus (wikinews, then bbc)
    ingest_articles: int | None = None  # wikinews: all 293
    ingest_runs: int = 2
    probe_articles: int | None = None   # bbc: all 2225
    endpoint_seconds: float = 8.0
    dump_items: int = 1_000_000     # synthetic Wikidata dump for the KB at scale

    @classmethod
    def quick(cls) -> "Plan":
        return cls(runs=1, extract_articles=30, ingest_articles=60, ingest_runs=1, probe_articles=300,
                   endpoint_seconds=3.0, dump_items=50_000)


def articles(path: Path, limit: int | None) -> list:
    from ..readers.files import read_paths

    return list(islice((a for a in read_paths([str(path)]) if hasattr(a, "text")), limit))


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)
