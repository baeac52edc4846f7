"""Extraction in warm worker processes; the calling process stays the single writer.

A pool starts once per process (``worker_pool``) and is reused by every ingest of that process: `kg ingest`,
`kg serve`'s POST /ingest and --watch, `kg watch`; each worker builds its pipeline once, when it starts. Workers
run the same ``article_writes`` a single process runs, so the triples are identical whatever the number of
workers. Results come back in input order; at most ``2 * workers`` chunks are in flight, so memory stays
bounded on any corpus size. Workers exit as soon as their parent is gone, whatever signal ended it.
"""
from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import signal
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait
from itertools import islice
from typing import Iterable, Iterator

from ..readers.article import Article
from ..errors import KGError
from .writes import ArticleWrite, article_writes

_worker: dict = {}  # this worker process's pipeline arguments


def die_with_parent() -> None:
    """Exit as soon as the process that started this worker is gone, killed by any signal (SIGKILL too).

    The parent keeps the write end of a pipe whose read end is this process's ``parent_process().sentinel``:
    the kernel closes it when the parent dies, whatever the cause. (PR_SET_PDEATHSIG would not do: a
    forkserver worker's parent is the fork server, which lives as long as any worker holds its "alive" pipe.)
    """
    parent = mp.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def _init(pipeline_args: tuple) -> None:
    from ..pipeline.nlp import shared_pipeline

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    _worker["pipeline_args"] = pipeline_args
    shared_pipeline(*pipeline_args)  # warm: load the model now, not with the first chunk


def _extract_chunk(jobs: list[tuple[Article, str]], base_iri: str, run_iri: str) -> list[ArticleWrite]:
    from ..pipeline.nlp import shared_pipeline

    nlp = shared_pipeline(*_worker["pipeline_args"])
    return list(article_writes(nlp, jobs, base_iri, run_iri, batch_size=len(jobs)))


def chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _context() -> mp.context.BaseContext:
    """forkserver where available: no fork of a process holding the store's threads, spaCy imported once."""
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["kg.ingest.writes", "kg.pipeline.nlp"])
        return ctx
    return mp.get_context("spawn")


class WorkerPool:
    """``workers`` extraction processes with the pipeline of ``pipeline_args``, started at once."""

    def __init__(self, workers: int, pipeline_args: tuple):
        self.workers, self.pipeline_args = workers, pipeline_args
        self.executor = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init,
                                            initargs=(pipeline_args,))
        for _ in range(workers):  # start every worker now (the executor starts them on demand)
            self.executor.submit(os.getpid)

    def extract(self, jobs: Iterable[tuple[Article, str]], *, base_iri: str, run_iri: str,
                chunk_size: int = 8) -> Iterator[ArticleWrite]:
        """Article writes of jobs, in input order."""
        window: deque[Future] = deque()
        try:
            for chunk in chunks(jobs, chunk_size):
                window.append(self.executor.submit(_extract_chunk, chunk, base_iri, run_iri))
                if len(window) >= 2 * self.workers:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()
        except BrokenProcessPool:
            raise KGError("an extraction worker died (out of memory?); the articles stored so far are kept, "
                          "run the ingest again to finish") from None
        finally:
            for future in window:
                future.cancel()

    def processes(self) -> list:
        """The worker processes (multiprocessing.Process) running now."""
        return list((getattr(self.executor, "_processes", None) or {}).values())

    def close(self) -> None:
        """Stop the workers now (SIGKILL: they hold nothing that needs cleaning up)."""
        for process in self.processes():
            process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)


_pool: WorkerPool | None = None
_lock = threading.Lock()


def worker_pool(workers: int, pipeline_args: tuple) -> WorkerPool:
    """The process's pool: started on first use, reused while its size and pipeline stay the same (a
    different configuration, or a broken pool, replaces it)."""
    global _pool
    with _lock:
        if _pool is not None and ((_pool.workers, _pool.pipeline_args) != (workers, pipeline_args)
                                  or getattr(_pool.executor, "_broken", False)):
            _pool.close()
            _pool = None
        if _pool is None:
            _pool = WorkerPool(workers, pipeline_args)
        return _pool


def stop_workers() -> None:
    """Kill the process's pool, if any (signal handlers and exit call this: no lock taken)."""
    global _pool
    pool, _pool = _pool, None
    if pool is not None:
        pool.close()


atexit.register(stop_workers)
