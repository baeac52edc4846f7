"""Where extraction runs, behind one interface: an executor turns (article, fingerprint) jobs into article writes
(kg.ingest.writes.ArticleWrite: the extracted graph as the writer stores it), in input order, and does nothing else. Writing them, the run and the summary belong
to the one ingest loop (KnowledgeGraph.ingest), the same whichever executor ran:

- ``InProcess``: this process's pipeline;
- ``kg.ingest.pool.WorkerPool``: warm worker processes on this machine (``workers`` > 1);
- ``kg.ingest.cluster.DaskExecutor``: a Dask cluster (``dask`` = a scheduler address, or 'local').

The fingerprint travels with its article: each article graph carries it (kg:contentHash), whoever extracted it.
"""
from __future__ import annotations

from typing import Generator, Iterable, Protocol

from ..readers.article import Article


class Executor(Protocol):
    def extract(self, jobs: Iterable[tuple[Article, str]], *, base_iri: str, run_iri: str) -> Generator:
        """Article writes of ``jobs`` (kg.ingest.writes.ArticleWrite), in input order; closing the generator
        stops the work still pending."""


class InProcess:
    """Extraction in this process, with the pipeline ``nlp``."""

    def __init__(self, nlp):
        self.nlp = nlp

    def extract(self, jobs: Iterable[tuple[Article, str]], *, base_iri: str, run_iri: str) -> Generator:
        from .writes import article_writes

        return article_writes(self.nlp, jobs, base_iri, run_iri)


def executor(kg, workers: int = 1, dask: str | None = None) -> Executor:
    """The executor for an ingest of ``kg`` (a KnowledgeGraph) with these options."""
    if dask:
        from .cluster import DaskExecutor

        return DaskExecutor(dask, kg.pipeline_args, workers=workers)
    if workers > 1:
        from .pool import worker_pool  # warm: started once per process, reused by every ingest

        return worker_pool(workers, kg.pipeline_args)
    return InProcess(kg.nlp)
