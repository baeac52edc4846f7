"""Where extraction runs, behind one interface: an executor turns (article, fingerprint) jobs into extracted article
graphs (kg.mapping.extract.Extracted), in input order, and does nothing else. Writing them, the run and the summary belong
to the one ingest loop (KnowledgeGraph.ingest), the same whichever executor ran:

- ``InProcess``: this process's pipeline;
- ``kg.ingest.pool.WorkerPool``: warm worker processes on this machine (``workers`` > 1);
- ``kg.ingest.cluster.DaskExecutor``: a Dask cluster (``dask`` = a scheduler address, or 'local').

The fingerprint travels with its article: each Extracted graph carries it (kg:contentHash), whoever extracted it.
"""
from __future__ import annotations

from typing import Generator, Iterable, Protocol

from ..readers.article import Article


class Executor(Protocol):
    def extract(self, jobs: Iterable[tuple[Article, str]], *, base_iri: str, run_iri: str) -> Generator:
        """Extracted article graphs of ``jobs`` (kg.mapping.extract.Extracted), in input order; closing the generator
        stops the work still pending."""


class InProcess:
    """Extraction in this process, with the pipeline ``nlp``."""

    def __init__(self, nlp):
        self.nlp = nlp

    def extract(self, jobs: Iterable[tuple[Article, str]], *, base_iri: str, run_iri: str) -> Generator:
        from ..mapping.extract import extract_graphs
        from ..mapping.iris import Minter

        return extract_graphs(self.nlp, jobs, Minter(base_iri), run_iri)


def executor(kg, workers: int = 1, dask: str | None = None) -> Executor:
    """The executor for an ingest of ``kg`` (a KnowledgeGraph) with these options."""
    if dask:
        from .cluster import DaskExecutor

        return DaskExecutor(dask, kg.pipeline_args, workers=workers)
    if workers > 1:
        from .pool import worker_pool  # warm: started once per process, reused by every ingest

        return worker_pool(workers, kg.pipeline_args)
    return InProcess(kg.nlp)
