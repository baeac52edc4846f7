"""The query page at / (also the HTML face of /queries/NAME), the search API and the health check."""
from __future__ import annotations

import os
from functools import lru_cache

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from rdflib import Graph, URIRef

from ..data import shipped
from ..namespaces import sparql_prologue
from .links import curie, local
from .resource import graph, holder, named_queries

bp = Blueprint("ui", __name__)
SEARCH_LIMIT = 50
# The default graph is the union of the article graphs: a triple stated in several articles matches once per
# article, hence COUNT(DISTINCT ...).
EXAMPLE = """SELECT ?person ?label (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  ?person a kg:Person ; rdfs:label ?label .
  ?m itsrdf:taIdentRef ?person .
}
GROUP BY ?person ?label
ORDER BY DESC(?mentions)
LIMIT 20
"""


@lru_cache(maxsize=1)
def ontology_terms() -> list[dict]:
    """Every term of the ontology file (ours and the vocabularies it builds on) as a CURIE, for completion."""
    g = Graph().parse(shipped("ontology") / "kg.ttl")
    kinds = {}
    for s, _, o in g.triples((None, None, None)):
        for term in (s, o):
            if isinstance(term, URIRef) and curie(str(term)) != str(term):
                kinds.setdefault(str(term), "type" if str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1][:1].isupper()
                                 else "property")
    labels = {str(s): str(o) for s, o in g.subject_objects(URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    return sorted(({"curie": curie(iri), "kind": kind, "label": labels.get(iri, "")} for iri, kind in kinds.items()),
                  key=lambda t: t["curie"])


def query_page(named: str | None = None):
    """The editor; `named` pre-selects a named query (its parameters come from the URL)."""
    from ..feeds.run import last_updates

    updated, sources = last_updates(holder().get().store, current_app.config["KG_BASE_IRI"], limit=5)
    return render_template("index.html", query=sparql_prologue() + "\n" + EXAMPLE,
                           named=[q.as_dict() for q in named_queries().values()], initial_named=named,
                           terms=ontology_terms(), updated=updated, sources=[source for _, source in sources])


@bp.route("/")
def index():
    return query_page()


@bp.route("/api/search")
def search():
    """Entities by name or alias: ?q=text[&limit=N] -> JSON list (label, class, mentions, iri, page URL)."""
    text = request.args.get("q", "")
    try:
        limit = min(int(request.args.get("limit", 10)), SEARCH_LIMIT)
    except ValueError:
        abort(400, "limit must be an integer")
    rows = graph().search_entities(text, limit, generation=holder().generation)
    return jsonify([{**r, "class": curie(r["class"]), "href": local(r["iri"])} for r in rows])


@bp.route("/health")
def health():
    """ok (200) after a real query on the store; starting (503) until the query workers run; busy (503) while
    every query slot is taken: queries then wait up to the time limit for a slot, and get 503 if none frees."""
    kg = holder().get()
    alive = bool(kg.store.query("ASK { }"))
    cfg, pool = current_app.config, holder().started_pool()
    busy = pool.busy() if pool else None
    starting = pool is None and holder().uses_pool()  # the query workers are still starting
    status = ("error" if not alive else "starting" if starting else "busy" if pool and busy >= pool.size
              else "ok")
    return jsonify({"status": status, "store": str(cfg["KG_STORE"]),
                    "read_only": cfg["KG_READ_ONLY"], "base_iri": cfg["KG_BASE_IRI"],
                    "writes": bool(cfg.get("KG_UPDATE_TOKEN")) and not cfg["KG_READ_ONLY"], "pid": os.getpid(),
                    "query_slots": {"size": pool.size if pool else cfg["KG_MAX_RUNNING_QUERIES"], "busy": busy}}
                   ), 200 if status == "ok" else 503
