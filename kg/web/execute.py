"""Work with a deadline in a thread of the server: graph-store dumps and queries on a remote store (queries on the
embedded store run in worker processes, kg.web.pool, which share Head, QueryTimeout, ServerBusy and respond).

pyoxigraph has no timeout or cancellation API, but it releases the GIL while it evaluates, so a worker thread
can evaluate while the request thread waits with a deadline. At the deadline the request ends with 503 and a
clear message; the worker notices the cancellation at its next write (a few rows or a 16 KB chunk later) and
stops. One step that produces no output (a huge ORDER BY or aggregate) cannot be interrupted inside
Oxigraph: its thread runs on in the background until that step ends, which is why the number of queries
evaluated at once is bounded (KG_MAX_RUNNING_QUERIES); requests beyond it wait, then get 503.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

from flask import Response
from waitress.channel import ClientDisconnected

log = logging.getLogger("kg.web")
BUFFER = 64 * 1024  # results up to this size are sent whole (with Content-Length and a real status on error)


class QueryTimeout(Exception):
    pass


class ServerBusy(Exception):
    pass


class _Cancelled(Exception):
    pass


class StreamCut(ClientDisconnected):
    """Raised from a response body whose status line has gone out: waitress then closes the connection without
    the body's end (no final chunk), so the client sees an incomplete response, and logs no traceback."""


_END = object()


@dataclass
class Head:
    """The first item a producer writes: how to answer, decided once the query form is known."""
    content_type: str
    headers: dict = field(default_factory=dict)


@dataclass
class _Failure:
    exc: BaseException


class Job:
    """`produce(write)` running in a worker thread; iterate the job to read what it writes."""

    def __init__(self, produce, *, timeout: float, slots: threading.Semaphore, whole: bool = True):
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.whole = whole  # the deadline covers the whole stream, not only its start
        self._queue: queue.Queue = queue.Queue(maxsize=32)
        self._cancel = threading.Event()
        if not slots.acquire(timeout=timeout):
            raise ServerBusy(f"the server is busy: {timeout:g} s passed before a query slot was free; try again")
        threading.Thread(target=self._work, args=(produce, slots), daemon=True, name="kg-query").start()

    def cancel(self) -> None:
        self._cancel.set()

    def _write(self, item) -> None:
        while True:
            if self._cancel.is_set():
                raise _Cancelled()
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def _work(self, produce, slots) -> None:
        try:
            produce(self._write)
            self._write(_END)
        except _Cancelled:
            pass
        except BaseException as exc:  # handed to the request thread, which turns it into a status
            try:
                self._write(_Failure(exc))
            except _Cancelled:
                pass
        finally:
            slots.release()

    def __iter__(self):
        started = False
        while True:
            try:
                item = self._queue.get(timeout=max(self.deadline - time.monotonic(), 0) if (self.whole or not started)
                                       else None)
            except queue.Empty:
                self.cancel()
                raise QueryTimeout(f"the query ran longer than the time limit ({self.timeout:g} s, "
                                   f"KG_QUERY_TIMEOUT) and was stopped") from None
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.exc
            started = True
            yield item


def respond(job: Job, status: int = 200) -> Response:
    """Wait for the head and the first BUFFER bytes; send small results whole, stream the rest."""
    items = iter(job)
    try:
        head = next(items)
        body, size = [], 0
        for chunk in items:
            body.append(chunk)
            size += len(chunk)
            if size >= BUFFER:
                break
        else:
            return Response(b"".join(body), status=status, content_type=head.content_type, headers=head.headers)
    except BaseException:
        job.cancel()
        raise

    def stream():
        try:
            yield from body
            yield from items
        except Exception as exc:  # the status is sent: only cutting the connection can still tell the client
            log.warning("stream cut: %s", getattr(exc, "description", None) or exc)
            raise StreamCut(str(exc)) from None
        finally:
            job.cancel()

    return Response(stream(), status=status, content_type=head.content_type, headers=head.headers)
