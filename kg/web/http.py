"""Cross-cutting HTTP behaviour: error bodies, the update token, CORS and gzip."""
from __future__ import annotations

import hmac
import logging
import zlib

from flask import Response, abort, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import KGError, StoreError
from ..store.syntax_errors import shorten
from ..store.scan import QueryRefused
from .conneg import NotAcceptable
from .execute import QueryTimeout, ServerBusy

log = logging.getLogger("kg.web")

# exception class -> (status, message prefix)
ERRORS = [
    (NotAcceptable, 406, ""),
    (SyntaxError, 400, "malformed SPARQL: "),
    (StoreError, 500, ""),  # the store cannot be written (a full disk): the server's fault, not the request's
    (KGError, 400, ""),
    (QueryTimeout, 503, ""),
    (ServerBusy, 503, ""),
    (RuntimeError, 500, "query evaluation failed: "),
]
# endpoints whose reads may be made cross-site (POST too: a SPARQL query by POST is a read)
READ_ENDPOINTS = {"sparql.sparql", "named.run", "named.index"}
COMPRESSIBLE = ("text/", "application/sparql-results", "application/json", "application/ld+json",
                "application/n-triples", "application/n-quads", "application/trig", "application/rdf+xml",
                "application/xml", "application/javascript")


def error_response(status: int, message: str) -> Response:
    """Text for programs, a page for browsers."""
    html = request.accept_mimetypes
    if html.quality("text/html") > html.quality("text/plain") and html.quality("text/html") > 0:
        return Response(render_template("error.html", status=status, message=message), status,
                        content_type="text/html; charset=utf-8")
    return Response(message.rstrip() + "\n", status, content_type="text/plain; charset=utf-8")


def handle_exception(exc: Exception):
    if isinstance(exc, HTTPException):
        if exc.response is not None:
            return exc.response
        resp = error_response(exc.code or 500, exc.description or exc.name)
        for key, value in exc.get_headers():
            if key.lower() not in ("content-type", "content-length"):
                resp.headers[key] = value
        return resp
    if isinstance(exc, RecursionError):  # e.g. JSON nested 100,000 deep
        return error_response(400, "the request body is nested too deeply to read")
    if isinstance(exc, QueryRefused):
        return error_response(exc.status, str(exc))
    if isinstance(exc, OSError):  # e.g. disk full: one line naming the store and the cause
        message = f"the store at {current_app.config['KG_STORE']} failed: {exc.strerror or exc}"
        log.error("%s %s: %s", request.method, request.path, message)
        return error_response(500, message)
    for cls, status, prefix in ERRORS:
        if isinstance(exc, cls):
            if status >= 500:
                log.warning("%s %s: %s", request.method, request.path, exc)
            return error_response(status, f"{prefix}{shorten(str(exc)) if cls is SyntaxError else exc}")
    log.exception("%s %s failed", request.method, request.path)
    return error_response(500, f"internal error: {type(exc).__name__}: {exc}")


def require_token() -> None:
    """Writes need KG_UPDATE_TOKEN configured and sent as `Authorization: Bearer <token>`."""
    cfg = current_app.config
    if cfg["KG_READ_ONLY"]:
        abort(403, "this server is read-only (started with --read-only)")
    token = cfg.get("KG_UPDATE_TOKEN")
    if not token:
        abort(403, "writes are disabled on this server: set KG_UPDATE_TOKEN to enable them")
    sent = request.headers.get("Authorization", "")
    if not sent:
        abort(Response("writes need the update token: send 'Authorization: Bearer <KG_UPDATE_TOKEN>'\n", 401,
                       {"WWW-Authenticate": 'Bearer realm="kg"'}, content_type="text/plain; charset=utf-8"))
    scheme, _, value = sent.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        abort(403, "wrong update token")


def add_cors(resp: Response) -> Response:
    origins = current_app.config["KG_CORS_ORIGINS"]
    origin = request.headers.get("Origin")
    if not origins or not origin:
        return resp
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.endpoint not in READ_ENDPOINTS:
        return resp
    if "*" in origins:
        resp.headers["Access-Control-Allow-Origin"] = "*"
    elif origin in origins:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.vary.add("Origin")
    else:
        return resp
    if request.method == "OPTIONS":
        methods = "GET, HEAD, POST, OPTIONS" if request.endpoint in READ_ENDPOINTS else "GET, HEAD, OPTIONS"
        resp.headers["Access-Control-Allow-Methods"] = methods
        resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        resp.headers["Access-Control-Max-Age"] = "86400"
    return resp


def _gzip_stream(chunks):
    z = zlib.compressobj(6, zlib.DEFLATED, 31)
    try:
        for chunk in chunks:
            data = z.compress(chunk if isinstance(chunk, bytes) else chunk.encode())
            if data:
                yield data
        yield z.flush()
    finally:
        if hasattr(chunks, "close"):
            chunks.close()


def add_gzip(resp: Response) -> Response:
    if (request.method == "HEAD" or resp.direct_passthrough or resp.status_code < 200 or resp.status_code in (204, 304)
            or "Content-Encoding" in resp.headers or request.accept_encodings.quality("gzip") <= 0
            or not (resp.mimetype or "").startswith(COMPRESSIBLE)):
        return resp
    resp.vary.add("Accept-Encoding")
    if resp.is_streamed:
        resp.response = _gzip_stream(resp.response)
        resp.headers.pop("Content-Length", None)
    else:
        data = resp.get_data()
        if len(data) < current_app.config["KG_GZIP_MIN"]:
            return resp
        z = zlib.compressobj(6, zlib.DEFLATED, 31)
        resp.set_data(z.compress(data) + z.flush())
    resp.headers["Content-Encoding"] = "gzip"
    return resp


def init_app(app) -> None:
    app.register_error_handler(Exception, handle_exception)
    app.after_request(add_cors)
    app.after_request(add_gzip)
