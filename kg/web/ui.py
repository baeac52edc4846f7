"""The query page at / and the health check."""
from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify, render_template

from ..namespaces import sparql_prologue
from .named import named_queries
from .resource import holder

bp = Blueprint("ui", __name__)
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


@bp.route("/")
def index():
    from ..feeds.run import last_updates

    updated, sources = last_updates(holder().get().store, current_app.config["KG_BASE_IRI"], limit=5)
    return render_template("index.html", query=sparql_prologue() + "\n" + EXAMPLE,
                           named=[q.as_dict() for q in named_queries().values()], updated=updated,
                           sources=[source for _, source in sources])


@bp.route("/health")
def health():
    kg = holder().get()
    alive = bool(kg.store.query("ASK { }"))
    cfg = current_app.config
    return jsonify({"status": "ok" if alive else "error", "store": str(cfg["KG_STORE"]),
                    "read_only": cfg["KG_READ_ONLY"], "base_iri": cfg["KG_BASE_IRI"],
                    "writes": bool(cfg.get("KG_UPDATE_TOKEN")) and not cfg["KG_READ_ONLY"], "pid": os.getpid()})
