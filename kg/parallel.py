"""Extraction in a pool of worker processes; the calling process stays the single writer.

Each worker builds its pipeline once (kg.nlp.shared_pipeline) and extracts chunks of (article, fingerprint)
jobs with the same ``extract_graphs`` a single process runs, so the triples are identical whatever the number
of workers. Results come back in input order; at most ``2 * workers`` chunks are in flight, so memory stays
bounded on any corpus size.
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Iterable, Iterator

from .article import Article
from .extract import Extracted

_worker: dict = {}  # this worker process's pipeline, minter and run IRI


def _init(pipeline_args: tuple, base_iri: str, run_iri: str) -> None:
    from .iris import Minter
    from .nlp import shared_pipeline

    _worker.update(nlp=shared_pipeline(*pipeline_args), minter=Minter(base_iri), run_iri=run_iri)


def _extract_chunk(jobs: list[tuple[Article, str]]) -> list[Extracted]:
    from .extract import extract_graphs

    w = _worker
    return list(extract_graphs(w["nlp"], jobs, w["minter"], w["run_iri"], batch_size=len(jobs)))


def chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _context() -> mp.context.BaseContext:
    """forkserver where available: no fork of a process holding the store's threads, spaCy imported once."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["kg.extract", "kg.nlp"])
        return ctx
    return mp.get_context("spawn")


class PoolExtraction:
    """Iterate over Extracted results of jobs run in ``workers`` processes, in input order."""

    def __init__(self, jobs: Iterable[tuple[Article, str]], *, workers: int, pipeline_args: tuple, base_iri: str,
                 run_iri: str, chunk_size: int = 8):
        self.jobs, self.workers, self.chunk_size = jobs, workers, chunk_size
        self.initargs = (pipeline_args, base_iri, run_iri)

    def __iter__(self) -> Iterator[Extracted]:
        with ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_init,
                                 initargs=self.initargs) as pool:
            window: deque[Future] = deque()
            for chunk in chunks(self.jobs, self.chunk_size):
                window.append(pool.submit(_extract_chunk, chunk))
                if len(window) >= 2 * self.workers:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()
