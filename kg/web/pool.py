"""Queries evaluated in a pool of worker processes (kg.web.worker), so that a query can be stopped and can never
take the server down.

Each worker is started from a fork server (clean, single-threaded, with the worker's modules preloaded) and
opens the store read-only once; it is reused query after query. At the deadline, or when the client goes away
before the end, the worker is killed (its CPU stops at once) and a fresh one takes its slot; a worker that
dies (e.g. SIGSEGV from a parser stack overflow) ends only its request. Results come back as serialised byte
chunks through a pipe, so the request thread only copies bytes.
"""
from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import os
import queue
import signal
import struct
import sys
import threading
import time

from werkzeug.exceptions import abort

from . import worker as w
from .sandbox import without_network
from .execute import Head, QueryTimeout, ServerBusy

log = logging.getLogger("kg.web")


def _die_with_parent() -> None:
    """Linux: the worker gets SIGKILL when its parent (the fork server, which exits with the server) dies."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _run(conn, path: str, isolate: bool, nice: int) -> None:
    _die_with_parent()
    if nice:  # below the server's priority: see Pool
        os.nice(nice)
    offline = False
    if isolate:
        why = without_network()
        offline = why is None
        if not offline:
            print(f"kg: query worker keeps the network ({why}); SERVICE is refused on the parse alone",
                  file=sys.stderr)
    w.main(conn, path, offline)


class Worker:
    def __init__(self, ctx, path: str, isolate: bool, nice: int):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_run, args=(child, path, isolate, nice), daemon=True, name="kg-query")
        self.proc.start()
        child.close()

    def kill(self) -> None:
        self.proc.kill()
        self.conn.close()
        threading.Thread(target=self.proc.join, daemon=True).start()  # reap it without waiting here

    def exit_reason(self) -> str:
        self.proc.join(1)
        code = self.proc.exitcode
        if code is not None and code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"exit code {code}"


class Pool:
    """`size` warm workers on the store at `path`; a slot is a worker waiting in the idle queue. `isolate`:
    each worker gives up its network (kg.web.sandbox), for servers that allow no SERVICE endpoint. `nice`: added
    to each worker's niceness, so that when the cores are busy the server's own short steps (reading a request,
    handing it on, sending the answer, a page, /health) are scheduled before long evaluations: on 2 cores under
    8 clients this halved the median latency of short queries, and a flood of heavy queries cannot starve them."""

    def __init__(self, path: str, size: int, isolate: bool = False, nice: int = 0):
        self.path, self.size, self.isolate, self.nice = path, size, isolate, nice
        self.ctx = multiprocessing.get_context("forkserver")
        # the worker's modules, rdflib's SPARQL grammar included, are loaded once in the fork server
        self.ctx.set_forkserver_preload(["kg.web.worker", "rdflib.plugins.sparql.parser"])
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()  # the most recently used first: warm caches
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        worker = Worker(self.ctx, self.path, self.isolate, self.nice)
        with self._lock:
            self._all.add(worker)
        self._idle.put(worker)

    def busy(self) -> int:
        return self.size - self._idle.qsize()

    def take(self, timeout: float) -> Worker:
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise ServerBusy(f"the server is busy: all {self.size} query slots stayed taken for {timeout:g} s "
                             f"(KG_MAX_RUNNING_QUERIES); try again") from None
        if not worker.proc.is_alive():
            self.replace(worker)
            return self.take(timeout)
        return worker

    def give(self, worker: Worker) -> None:
        self._idle.put(worker)

    def replace(self, worker: Worker) -> None:
        """Kill a worker and start a fresh one in its slot (a fork from the fork server: milliseconds)."""
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        self._add()

    def close(self) -> None:
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.kill()


class ProcessJob:
    """One query on a pool worker; iterate it for the Head, then the result's byte chunks (like execute.Job)."""

    def __init__(self, pool: Pool, job: dict, *, timeout: float, on_end=lambda: None):
        self.pool, self.timeout, self.on_end = pool, timeout, on_end
        self.deadline = time.monotonic() + timeout
        self.done = False
        self.worker: Worker | None = pool.take(timeout)
        try:
            self.worker.conn.send(job)
        except OSError:
            self.cancel()
            raise

    def cancel(self) -> None:
        """Give the worker back when the query ended, else kill and replace it (idempotent)."""
        worker, self.worker = self.worker, None
        if worker is not None:
            if self.done:
                self.pool.give(worker)
            else:
                self.pool.replace(worker)
            self.on_end()

    def __iter__(self):
        conn = self.worker.conn
        while True:
            if not conn.poll(max(self.deadline - time.monotonic(), 0)):
                self.cancel()
                raise QueryTimeout(f"the query ran longer than the time limit ({self.timeout:g} s, "
                                   f"KG_QUERY_TIMEOUT) and was stopped")
            try:
                message = conn.recv_bytes()
            except (EOFError, OSError):
                reason = self.worker.exit_reason()
                self.cancel()
                log.warning("a query worker died (%s)", reason)
                abort(500, f"the query crashed the process evaluating it ({reason}); the server goes on. "
                           f"Deeply nested or very large queries can do this: simplify the query")
            tag, last = message[:1].upper(), message[:1].islower()
            if tag == w.ERROR:
                self.done = True
                self.cancel()
                error = json.loads(message[1:])
                if error["status"] >= 500:
                    log.warning("query failed: %s", error["message"])
                abort(error["status"], error["message"])
            chunk = message[1:]
            if tag == w.HEAD:
                size = struct.unpack(">I", chunk[:4])[0]
                head = json.loads(chunk[4:4 + size])
                chunk = chunk[4 + size:]
                yield Head(head["content_type"], head["headers"])
            if last:  # the worker is free before the last bytes are handed on
                self.done = True
                self.cancel()
            if chunk:
                yield chunk
            if last:
                return
