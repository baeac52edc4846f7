"""Named queries over HTTP: the list at /queries (HTML or JSON), a run at /queries/<name>?param=value."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from ..named_queries import load_named_queries
from .conneg import choose
from .sparql import run_query

bp = Blueprint("named", __name__)
# request arguments that belong to the protocol, not to the query's parameters
PROTOCOL_ARGS = {"format", "default-graph-uri", "named-graph-uri"}


def named_queries() -> dict:
    """Loaded once per app (restart the server to pick up new files)."""
    if "kg_named" not in current_app.extensions:
        current_app.extensions["kg_named"] = load_named_queries(current_app.config.get("KG_QUERIES"))
    return current_app.extensions["kg_named"]


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
    bindings = {k: v for k, v in request.values.items() if k not in PROTOCOL_ARGS}
    text, substitutions = query.prepare(bindings)
    return run_query(text, substitutions)
