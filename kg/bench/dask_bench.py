"""Distributed extraction on Dask (`kg ingest --dask`), measured: the same articles ingested in-process, on a
LocalCluster of one worker process and of two, each into a fresh on-disk store; the two-worker store is checked
to hold the same quads as the in-process one. Needs the `dask` extra; `kg bench --only dask`."""
from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path


def dask_rows(docs: list, work: Path, runs: int) -> list:
    from ..graph import KnowledgeGraph
    from .common import Row
    from .compare import canonical_quads

    try:
        import distributed  # noqa: F401
    except ImportError:
        return [Row("dask", "distributed extraction", "skipped", note="dask[distributed] is not installed")]
    setups = {"in-process": {}, "LocalCluster, 1 worker": {"dask": "local", "workers": 1},
              "LocalCluster, 2 workers": {"dask": "local", "workers": 2}}
    stores = {name: work / f"dask-store-{n}" for n, name in enumerate(setups)}
    seconds: dict[str, list[float]] = {name: [] for name in setups}
    for _ in range(runs):
        for name, options in setups.items():
            path = stores[name]
            shutil.rmtree(path, ignore_errors=True)
            kg = KnowledgeGraph(str(path))
            started = time.perf_counter()  # in-process: the model loads inside the timing, as in each worker
            written = kg.ingest(docs, **options).written
            seconds[name].append(time.perf_counter() - started)
            kg.close()
    compared = [KnowledgeGraph(str(stores[name])) for name in ("in-process", "LocalCluster, 2 workers")]
    try:
        same = canonical_quads(compared[0].store) == canonical_quads(compared[1].store)
    finally:
        for kg in compared:
            kg.close()
    med = {name: statistics.median(s) for name, s in seconds.items()}
    base, one, two = med["in-process"], med["LocalCluster, 1 worker"], med["LocalCluster, 2 workers"]
    return [
        Row("dask", f"wikinews {written} articles in-process (model load included): articles/s",
            f"{written / base:.2f}", "", None, "", "kg ingest, one process, one transaction per article"),
        Row("dask", "same on a LocalCluster of 1 worker process: articles/s", f"{written / one:.2f}",
            "in-process", base / one, "", f"cluster start, model load in the worker, shards bulk-loaded by the "
            f"writer: {one - base:+.1f} s"),
        Row("dask", "same on a LocalCluster of 2 worker processes: articles/s", f"{written / two:.2f}",
            "1 worker", one / two, "", f"vs in-process {base / two:.2f}x; same quads as in-process: "
            f"{'yes' if same else 'NO'}"),
    ]
