"""Extraction on a Dask cluster (an executor of kg.ingest.executors): partitions of the jobs go to the workers, which run
the same ``article_writes`` as a local ingest and send the article graphs back; the calling process writes them,
one transaction per article, like every other ingest (so the triples are the same, and an interrupted Dask ingest
leaves only whole articles).

At most two partitions per worker are in flight, so memory stays bounded on any corpus size.
"""
from __future__ import annotations

from collections import deque
from typing import Generator, Iterable

from ..readers.article import Article
from .pool import chunks


def extract_partition(jobs: list[tuple[Article, str]], pipeline_args: tuple, base_iri: str, run_iri: str) -> list:
    """On a worker: the article writes of a partition (kg.ingest.writes.ArticleWrite)."""
    from ..pipeline.nlp import shared_pipeline
    from .writes import article_writes

    nlp = shared_pipeline(*pipeline_args)
    return list(article_writes(nlp, jobs, base_iri, run_iri, batch_size=len(jobs)))


def connect(address: str, workers: int = 1):
    """A Dask client: ``local`` starts a LocalCluster of worker processes on this machine."""
    from distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster)
    return Client(address)


class DaskExecutor:
    """Extraction on the Dask cluster at ``address`` (a client per ingest; 'local' starts ``workers`` processes)."""

    def __init__(self, address: str, pipeline_args: tuple, *, workers: int = 1, partition_size: int = 32):
        self.address, self.pipeline_args = address, pipeline_args
        self.workers, self.partition_size = workers, partition_size

    def extract(self, jobs: Iterable[tuple[Article, str]], *, base_iri: str, run_iri: str) -> Generator:
        client = connect(self.address, self.workers)
        window: deque = deque()
        try:
            in_flight = 2 * max(len(client.scheduler_info().get("workers", {})), 1)
            for part in chunks(jobs, self.partition_size):
                window.append(client.submit(extract_partition, part, self.pipeline_args, base_iri, run_iri,
                                            pure=False))
                if len(window) >= in_flight:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()
        finally:
            for future in window:
                future.cancel()
            cluster = client.cluster
            client.close()
            if cluster is not None:
                cluster.close()
