"""SPARQL 1.1 Protocol: /sparql (query, and update by POST form) and /update."""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, request

from ..store.scan import check_federation, check_limits, scan, with_using
from ..store.embedded import PREFIX_MAP
from .execute import Head, Job, respond
from .http import require_token
from .pool import ProcessJob
from .resource import holder, store
from .worker import checked_dataset, content_type, serialise  # noqa: F401  (content_type: used by other pages)

bp = Blueprint("sparql", __name__)
FORM = "application/x-www-form-urlencoded"
QUERY_TYPE, UPDATE_TYPE = "application/sparql-query", "application/sparql-update"


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        abort(400, f"'{name}' given {len(values)} times; give it exactly once")
    return values[0] if values else None


def _body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        abort(415, f"the request body must be UTF-8 (Content-Type says charset={charset})")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        abort(400, "the request body is not valid UTF-8")


def read_operation(allowed: tuple[str, ...]) -> tuple[str, str | None]:
    """('query' or 'update', its text) of a protocol request; text None for a GET without a query."""
    if request.method in ("GET", "HEAD"):
        if "update" in request.args:
            abort(400, "a SPARQL update must be sent with POST, not GET")
        return "query", _one(request.args.getlist("query"), "query")
    mime = request.mimetype
    if mime == FORM:
        found = {k: request.form.getlist(k) for k in allowed if request.form.getlist(k)}
        if len(found) != 1:
            abort(400, f"give exactly one of: {', '.join(allowed)} (form parameter)" if found else
                  f"missing form parameter '{' or '.join(allowed)}'")
        (kind, values), = found.items()
        return kind, _one(values, kind)
    for kind, media in (("query", QUERY_TYPE), ("update", UPDATE_TYPE)):
        if mime == media and kind in allowed:
            return kind, _body_text()
    accepted = [FORM] + [m for k, m in (("query", QUERY_TYPE), ("update", UPDATE_TYPE)) if k in allowed]
    abort(415, f"unsupported Content-Type {mime or '(none)'}; use {', '.join(accepted)}")


def _iris(values: list[str], name: str) -> list[str]:
    try:
        return [ox.NamedNode(v).value for v in values]
    except ValueError as exc:
        abort(400, f"{name}: not an IRI: {exc}")


def guard(text: str, what: str) -> None:
    """Size and nesting limits, before any parser sees the text (400 with the limit's name)."""
    cfg = current_app.config
    check_limits(text, cfg["KG_MAX_QUERY_SIZE"] if what == "query" else cfg["KG_MAX_BODY"],
                 cfg["KG_MAX_QUERY_DEPTH"], what)


def run_query(text: str, substitutions: dict | None = None) -> Response:
    """Evaluate a query with the protocol's dataset parameters and content negotiation; stream the result.
    On an on-disk store the query is parsed, checked (SERVICE/FROM) and evaluated in a pool worker process."""
    cfg = current_app.config
    guard(text, "query")
    job = {"text": text, "substitutions": substitutions, "base": request.base_url,
           "default_graph": _iris(request.values.getlist("default-graph-uri"), "default-graph-uri"),
           "named_graph": _iris(request.values.getlist("named-graph-uri"), "named-graph-uri"),
           "accept": request.headers.get("Accept"), "format": request.values.get("format"),
           "max_rows": cfg["KG_MAX_ROWS"], "allowed": tuple(cfg["KG_ALLOW_FEDERATION"])}
    pool = holder().pool()
    if pool is not None:
        job["store"], release = holder().query_store()
        try:
            return respond(ProcessJob(pool, job, timeout=cfg["KG_QUERY_TIMEOUT"], on_end=release))
        except BaseException:
            release()
            raise
    st = store()

    def produce(write):  # a remote store: the evaluation is an HTTP request, made from a thread of ours
        ds = checked_dataset(job)
        result = st.query(text, substitutions=substitutions, union=ds["union"], default_graph=ds["default_graph"],
                          named_graphs=ds["named_graphs"])
        serialise(result, job, lambda media, headers: write(Head(media, headers)), write)

    return respond(Job(produce, timeout=cfg["KG_QUERY_TIMEOUT"], slots=current_app.extensions["kg_slots"]))


def run_update(text: str) -> Response:
    """Updates run in this process (they are authenticated and must not be abandoned half-way), after the same
    limits and the SERVICE/LOAD check; relative IRIs resolve against the endpoint's URL."""
    require_token()
    guard(text, "update")
    base = request.base_url
    found = scan(text, PREFIX_MAP, kind="update", base=base)
    check_federation(found, current_app.config["KG_ALLOW_FEDERATION"])
    using = _iris(request.values.getlist("using-graph-uri"), "using-graph-uri")
    using_named = _iris(request.values.getlist("using-named-graph-uri"), "using-named-graph-uri")
    if using or using_named:
        text = with_using(text, using, using_named)
    with holder().writing() as kg:
        kg.store.update(text, base_iri=base)
    return Response(status=204)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    kind, text = read_operation(("query", "update"))
    if kind == "update":
        return run_update(text)
    if text is None:
        if request.values.getlist("default-graph-uri") or request.values.getlist("named-graph-uri"):
            abort(400, "missing 'query' parameter")
        from .describe import service_description

        return service_description()
    return run_query(text)


@bp.route("/update", methods=["POST"])
def update():
    _, text = read_operation(("update",))
    return run_update(text)
