"""Extraction on a Dask cluster: each partition of the corpus becomes an N-Quads shard, bulk-loaded by the
one writer (the calling process) into the store, embedded or remote.

Workers run the same ``extract_graphs`` as a local ingest, so the article graphs are the same triples. Shards
go to a temporary directory, removed after loading, under ``$KG_SHARD_DIR`` (default: the system temp dir,
enough for ``local``); on a real cluster set KG_SHARD_DIR to a directory that every worker and the client
can reach (NFS, a mounted bucket).
Bulk loading is not transactional: after an interrupted Dask ingest, re-run it with ``--force``.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from . import registry
from .article import Article
from .parallel import chunks


def extract_partition(jobs: list[tuple[Article, str]], pipeline_args: tuple, base_iri: str, run_iri: str,
                      shard: str) -> dict:
    """On a worker: extract a partition, write its quads to ``shard``, return what the summary needs."""
    from oxrdflib._converter import to_ox

    from .extract import extract_graphs
    from .iris import Minter
    from .nlp import model_id, shared_pipeline

    nlp = shared_pipeline(*pipeline_args)
    stats = {"model_id": model_id(nlp), "articles": [], "triples": 0, "mentions": 0, "entities": set()}
    with open(shard, "w", encoding="utf-8") as out:
        for result in extract_graphs(nlp, jobs, Minter(base_iri), run_iri):
            g = f"<{result.article_iri}>"
            out.writelines(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} {g} .\n" for s, p, o in result.triples)
            stats["articles"].append(result.article_iri)
            stats["triples"] += len(result.triples)
            stats["mentions"] += result.mentions
            stats["entities"].update(result.entities)
    return stats


def connect(address: str, workers: int = 1):
    """A Dask client: ``local`` starts a LocalCluster of worker processes on this machine."""
    from distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster)
    return Client(address)


def ingest_on_dask(kg, jobs: Iterable[tuple[Article, str]], run, summary, *, address: str, workers: int = 1,
                   partition_size: int = 32, plans: dict | None = None):
    """Extract ``jobs`` on the cluster, then load the shards into ``kg.store``; fills and returns ``summary``."""
    started = time.perf_counter()
    shards = Path(tempfile.mkdtemp(prefix="kg-shards-", dir=os.environ.get("KG_SHARD_DIR") or None))
    client = connect(address, workers)
    entities: set[str] = set()
    try:
        in_flight = 2 * max(len(client.scheduler_info().get("workers", {})), 1)
        window: deque = deque()

        def load(future, shard: str) -> None:
            stats = future.result()
            if stats["articles"]:  # replaced articles: their old graphs go first, then the registry is refreshed
                drop, steps = set(), []
                for a in stats["articles"]:
                    old, extra = (plans or {}).pop(a, ([a], []))
                    drop.update([a, *old])
                    steps += extra
                touched = registry.entities_of(kg.store, drop)
                kg.store.update(" ;\n".join([*steps, *(f"DROP SILENT GRAPH <{a}>" for a in sorted(drop))]))
                with open(shard, "rb") as data:
                    kg.store.bulk_load(data, ox.RdfFormat.N_QUADS)
                registry.refresh(kg.minter, kg.store, touched | set(stats["entities"]))
                if not run.written:  # after its first articles (bulk loads are not transactions): never alone
                    run.model = stats["model_id"]
                    kg.store.replace_graph(run.iri, run.start_triples())
                    run.written = True
            summary.written += len(stats["articles"])
            summary.articles.extend(stats["articles"])
            summary.triples += stats["triples"]
            summary.mentions += stats["mentions"]
            entities.update(stats["entities"])

        for n, part in enumerate(chunks(jobs, partition_size)):
            shard = str(shards / f"part-{n:06d}.nq")
            future = client.submit(extract_partition, part, kg.pipeline_args, kg.minter.base, str(run.iri), shard,
                                   pure=False)
            window.append((future, shard))
            if len(window) >= in_flight:
                load(*window.popleft())
        while window:
            load(*window.popleft())
    finally:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
        shutil.rmtree(shards, ignore_errors=True)
    if run.written:
        kg.store.add_to_graph(run.iri, run.end_triples())
    summary.entities = len(entities)
    summary.seconds = time.perf_counter() - started
    return summary
