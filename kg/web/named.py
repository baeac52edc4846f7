"""Named queries over HTTP: the list at /queries (HTML or JSON), a run at /queries/<name>?param=value.

A browser (an Accept header that lists text/html before every results type) gets the query page with the named
query and its parameters filled in; programs get SPARQL results.
"""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request

from ..store.formats import RESULT_FORMATS
from ..store.search import indexed_query
from .conneg import choose, offers, parse_accept
from .resource import graph, holder, named_queries
from .sparql import run_query
from .ui import query_page

bp = Blueprint("named", __name__)
# request arguments that belong to the protocol, not to the query's parameters
PROTOCOL_ARGS = {"format", "default-graph-uri", "named-graph-uri"}
HTML_TYPES = ("text/html", "application/xhtml+xml")


def prefers_html(accept: str | None) -> bool:
    """True when the client names HTML explicitly and ranks it above (or, on a tie, lists it before) every
    results type; `*/*` alone means a program."""
    ranges = parse_accept(accept or "")
    html = [(q, -i) for i, (main, sub, q) in enumerate(ranges) if f"{main}/{sub}" in HTML_TYPES and q > 0]
    if not html:
        return False
    results = [(q, -i) for i, (main, sub, q) in enumerate(ranges) if q > 0 and f"{main}/{sub}" != "*/*"
               and choose(f"{main}/{sub}", offers(RESULT_FORMATS)) is not None]
    return not results or max(html) > max(results)


@bp.route("/queries")
def index():
    queries = named_queries()
    want = request.args.get("format") or choose(request.headers.get("Accept"),
                                                 [("text/html", "html"), ("application/json", "json")])
    want = want[1] if isinstance(want, tuple) else want
    if want == "json":
        return jsonify([q.as_dict() for q in queries.values()])
    if want in (None, "html"):
        return render_template("queries.html", queries=queries.values())
    abort(406, "the list of named queries is available as text/html or application/json")


@bp.route("/queries/<name>", methods=["GET", "POST"])
def run(name: str):
    query = named_queries().get(name)
    if query is None:
        abort(404, f"no named query {name!r}; see /queries")
    if request.method == "GET" and "format" not in request.args and prefers_html(request.headers.get("Accept")):
        return query_page(named=name)
    bindings = {k: v for k, v in request.values.items() if k not in PROTOCOL_ARGS}
    text, substitutions = query.prepare(bindings)
    fast = indexed_query(graph(), name, substitutions, generation=holder().generation)
    return run_query(*fast) if fast else run_query(text, substitutions)
