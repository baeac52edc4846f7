"""The query-evaluating process: parse, check and evaluate one query at a time on its own read-only store handle,
and send the serialised result back through a pipe in chunks.

Runs in a child process of the server (kg.web.pool) so that a query that overflows the parser's stack
(SIGSEGV) or runs past its deadline ends only this process. Messages to the parent are bytes, tagged by their
first byte: H head (4-byte length, JSON) then data, D data, X error (JSON status and message); a tag in lower
case (h, d) also ends the result. Each chunk is held until the next one or the end is known, so a small result
is one message and wakes the parent once (under load each wake-up can wait for a time slice).
"""
from __future__ import annotations

import json
import struct

import pyoxigraph as ox

from ..errors import KGError
from ..store.formats import RDF_FORMATS, RESULT_FORMATS
from ..store.scan import KEYWORDS, QueryRefused, check_federation, mentions, scan
from ..store.embedded import PREFIX_MAP
from ..store.syntax_errors import shorten
from .conneg import NotAcceptable, negotiate
from .results import write_result

HEAD, DATA, ERROR = b"H", b"D", b"X"  # lower case: the last message of the result


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


class Evaluator:
    """One read-only handle, reopened when the job names another directory (the checkpoint of a later write:
    a read-only handle sees the store as it was when opened). `offline`: this process has no network
    (kg.web.sandbox), so SERVICE cannot reach anything: the engine runs first, and rdflib's parse is needed only
    for a query that mentions `service` and that the engine answered (its syntax errors and failed SERVICE
    calls are answered at once), before any of the answer is sent."""

    def __init__(self, offline: bool = False):
        self.path, self.store, self.offline = None, None, offline

    def handle(self, path: str) -> ox.Store:
        if self.store is None or path != self.path:
            self.store = None
            self.store = ox.Store.read_only(path)
            self.path = path
        return self.store

    def run(self, job: dict, send) -> None:
        offline = self.offline and not job["allowed"]
        try:
            self._run(job, send, offline)
        except (OSError, RuntimeError) as exc:  # without a network a SERVICE call fails in the engine: say why
            if isinstance(exc, ConnectionError) or not (offline and mentions(job["text"], ("service",))):
                raise  # (a broken pipe to the server is not the query's)
            if isinstance(exc, OSError):  # the call could not connect
                raise QueryRefused(f"SERVICE is not allowed: this server's query processes have no network unless "
                                   f"KG_ALLOW_FEDERATION lists endpoints (the engine reported: {exc})", 403) from None
            check_federation(scan(job["text"], PREFIX_MAP, base=job["base"]), ())  # e.g. an unbound endpoint
            raise

    def _run(self, job: dict, send, offline: bool) -> None:
        ds = checked_dataset(job, offline)
        result = self.handle(job["store"]).query(
            job["text"], base_iri=job["base"], prefixes=PREFIX_MAP, substitutions=job["substitutions"],
            use_default_graph_as_union=ds["union"], default_graph=ds["default_graph"], named_graphs=ds["named_graphs"])
        decided = []

        def decide() -> None:  # before anything is sent: a SERVICE clause the engine did not fail on is refused too
            if not decided:
                decided.append(True)
                if offline and mentions(job["text"], ("service",)):
                    check_federation(scan(job["text"], PREFIX_MAP, base=job["base"]), job["allowed"])

        out = Outbox(send, decide)
        serialise(result, job, out.head, out.data)
        out.close()


class Outbox:
    """The messages of one result: each is held until the next chunk or the end is known, and `before_send` runs
    before the first leaves."""

    def __init__(self, send, before_send):
        self.send, self.before_send, self.held, self.started = send, before_send, b"", False

    def head(self, media: str, headers: dict) -> None:
        meta = json.dumps({"content_type": media, "headers": headers}).encode()
        self.held = HEAD + struct.pack(">I", len(meta)) + meta

    def data(self, chunk: bytes) -> None:
        if self.started:
            self.before_send()
            self.send(self.held)
            self.held = DATA + chunk
        else:  # the first chunk travels with the head
            self.held += chunk
            self.started = True

    def close(self) -> None:
        self.before_send()
        self.send(self.held[:1].lower() + self.held[1:])


def checked_dataset(job: dict, offline: bool = False) -> dict:
    """403 for SERVICE targets not allowed; the query's dataset: the union of all graphs, unless the query names
    its own (FROM) or the request does (default-graph-uri / named-graph-uri replace FROM and the union).
    `offline`: the evaluating process has no network, so only FROM needs the parse (SERVICE cannot leave)."""
    found = scan(job["text"], PREFIX_MAP, base=job["base"], keywords=("from",) if offline else KEYWORDS)
    check_federation(found, job["allowed"])
    defaults, named = job["default_graph"], job["named_graph"]
    if defaults or named:
        return {"union": False, "default_graph": [ox.NamedNode(g) for g in defaults],
                "named_graphs": [ox.NamedNode(g) for g in named]}
    return {"union": not found.dataset, "default_graph": None, "named_graphs": None}


def serialise(result, job: dict, head, data) -> None:
    """The format for the result's form from the request's Accept / format=; head(media type, headers) once,
    then data(chunk) for the serialised result."""
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        name, media = negotiate(RESULT_FORMATS, job["accept"], job["format"], "SELECT/ASK results")
    else:
        name, media = negotiate(RDF_FORMATS, job["accept"], job["format"], "CONSTRUCT/DESCRIBE results")
    head(content_type(media), {"KG-Row-Limit": str(job["max_rows"]), "Vary": "Accept"})
    write_result(result, name, data, job["max_rows"])


def status_of(exc: BaseException) -> tuple[int, str]:
    if isinstance(exc, QueryRefused):
        return exc.status, str(exc)
    if isinstance(exc, NotAcceptable):
        return 406, str(exc)
    if isinstance(exc, SyntaxError):
        return 400, f"malformed SPARQL: {shorten(str(exc))}"
    if isinstance(exc, (KGError, ValueError)):
        return 400, str(exc)
    return 500, f"query evaluation failed: {exc}"


def main(conn, path: str, offline: bool = False) -> None:
    """The worker's loop: one job (a dict) in, its result out as tagged byte chunks, until the pipe closes."""
    evaluator = Evaluator(offline)
    try:
        evaluator.handle(path)  # open now, so the first query does not wait for it (a failure shows at that query)
    except Exception:  # noqa: BLE001  e.g. a checkpoint already superseded: the first job names the current one
        pass
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            evaluator.run(job, conn.send_bytes)
        except BrokenPipeError:
            return
        except Exception as exc:  # this query's error, reported to its request
            status, message = status_of(exc)
            conn.send_bytes(ERROR + json.dumps({"status": status, "message": message}).encode())
