"""SPARQL 1.1 Graph Store HTTP Protocol at /store: ?graph=IRI, ?default, or nothing (the whole dataset).

GET/HEAD are open; PUT/POST/DELETE need the update token. GET ?default answers the default graph as queries
see it (the union of all graphs); writes to ?default change the store's own default graph.
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, request

from ..store.formats import RDF_FORMATS, format_entry
from ..errors import KGError
from .conneg import negotiate
from .execute import Head, Job, respond
from .http import require_token
from .resource import holder, store
from .results import Buffered
from .sparql import content_type

bp = Blueprint("gsp", __name__)
QUAD_FIRST = {name: RDF_FORMATS[name] for name in ("trig", "nq")} | RDF_FORMATS


def target() -> ox.NamedNode | ox.DefaultGraph | None:
    """The graph the request names: a NamedNode, the DefaultGraph, or None for the whole dataset."""
    graphs = request.args.getlist("graph")
    if graphs and "default" in request.args or len(graphs) > 1:
        abort(400, "give one 'graph' parameter or 'default', not both")
    if "default" in request.args:
        return ox.DefaultGraph()
    if graphs:
        try:
            return ox.NamedNode(graphs[0])
        except ValueError as exc:
            abort(400, f"graph: not an IRI: {exc}")
    return None


def _exists(st, graph) -> bool:
    return isinstance(graph, ox.DefaultGraph) or st.has_graph(graph.value)


@bp.route("/store", methods=["GET"])
def get():
    graph, st = target(), store()
    if isinstance(graph, ox.NamedNode) and not _exists(st, graph):
        abort(404, f"no graph {graph.value} in the store")
    table = QUAD_FIRST if graph is None else RDF_FORMATS
    name, media = negotiate(table, request.headers.get("Accept"), request.values.get("format"), "graphs")
    fmt = RDF_FORMATS[name][0]
    if graph is None and not fmt.supports_datasets:
        abort(406, "the whole dataset needs a quad format (TriG, N-Quads); or ask for ?graph=IRI or ?default")

    def produce(write):
        write(Head(content_type(media), {"Vary": "Accept"}))
        out = Buffered(write)
        if isinstance(graph, ox.NamedNode):
            st.dump(out, fmt, graph.value)
        else:
            st.dump(out, fmt)  # quad formats: the dataset; triple formats: the merged (union) view
        out.flush()

    cfg = current_app.config
    return respond(Job(produce, timeout=cfg["KG_QUERY_TIMEOUT"], slots=current_app.extensions["kg_slots"],
                       whole=False))


def _parse_body(graph) -> list[ox.Quad]:
    mime = request.mimetype
    try:
        fmt = format_entry(RDF_FORMATS, mime, "RDF")[1] if "/" in mime else None
    except KGError:
        fmt = None
    if fmt is None:
        abort(415, f"unsupported Content-Type {mime or '(none)'}; send one of: "
                   f"{', '.join(media for _, media, _ in RDF_FORMATS.values())}")
    if graph is None and not fmt.supports_datasets:
        abort(400, "POST to /store without ?graph or ?default needs a quad format (TriG, N-Quads)")
    base = graph.value if isinstance(graph, ox.NamedNode) else None
    try:
        quads = list(ox.parse(request.get_data(), fmt, base_iri=base, without_named_graphs=graph is not None))
    except SyntaxError as exc:
        abort(400, f"cannot parse the {mime} body: {exc}")
    return quads if graph is None else [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def _data(quads: list[ox.Quad]) -> str:
    """INSERT DATA text for quads: pyoxigraph's N-Quads form of each term, so any content is safe."""
    lines = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                      if isinstance(q.graph_name, ox.NamedNode) else f"{q.subject} {q.predicate} {q.object} ."
                      for q in quads)
    return f"INSERT DATA {{\n{lines}\n}}"


def _clear(graph) -> str:
    return "DROP SILENT DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"DROP SILENT GRAPH {graph}"


@bp.route("/store", methods=["PUT", "POST"])
def write():
    require_token()
    graph = target()
    if graph is None and request.method == "PUT":
        abort(405, "PUT replaces one graph: give ?graph=IRI or ?default")
    quads = _parse_body(graph)
    with holder().writing() as kg:
        existed = graph is None or _exists(kg.store, graph)
        steps = ([_clear(graph)] if request.method == "PUT" else []) + ([_data(quads)] if quads else [])
        if steps:
            kg.store.update(" ;\n".join(steps))  # one update: applied atomically
        if isinstance(graph, ox.NamedNode) and not quads and not existed:
            abort(400, "the body holds no triples: an empty graph cannot be created")
    return Response(status=204 if existed else 201)


@bp.route("/store", methods=["DELETE"])
def delete():
    require_token()
    graph = target()
    if graph is None:
        abort(405, "DELETE needs ?graph=IRI or ?default")
    with holder().writing() as kg:
        if not _exists(kg.store, graph):
            abort(404, f"no graph {graph.value} in the store")
        if isinstance(graph, ox.NamedNode):
            kg.delete_graphs([graph.value])  # an article graph: the entity registry follows
        else:
            kg.store.update(_clear(graph))
    return Response(status=204)
