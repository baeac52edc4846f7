"""Linked-data pages: every entity, article and run IRI under the base dereferences here.

Browsers get HTML; RDF clients get Turtle, JSON-LD or any RDF format by content negotiation.
"""
from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, render_template, request

from ..store.formats import RDF_FORMATS
from ..store.api import PREFIX_MAP
from . import article_view, facts, pictures
from .conneg import HTML, negotiate
from .resource import store
from .sparql import content_type

bp = Blueprint("pages", __name__)


def _iri(rest: str) -> str:
    iri = current_app.config["KG_BASE_IRI"] + request.path.lstrip("/").split("/", 1)[0] + "/" + rest
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        abort(400, f"{request.path!r} names no valid IRI ({exc}): nothing can be stored under it")
    return iri


def _rdf_or_html(iri: str):
    """(format name, media type): 'html' for browsers, else an RDF format; 404 when the IRI is unknown."""
    st = store()
    if not facts.exists(st, iri):
        abort(404, f"nothing is known about {iri}")
    return negotiate(RDF_FORMATS, request.headers.get("Accept"), request.values.get("format"), "pages",
                     extra=HTML)


def _rdf(name: str, media: str, triples) -> Response:
    data = ox.serialize(triples, None, RDF_FORMATS[name][0], prefixes=PREFIX_MAP)
    return Response(data, content_type=content_type(media), headers={"Vary": "Accept"})


def _html(page: str) -> Response:
    return Response(page, content_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


def resource(iri: str):
    name, media = _rdf_or_html(iri)
    st = store()
    if name != "html":
        return _rdf(name, media, st.query(facts.DESCRIBE, substitutions={facts.THIS: ox.NamedNode(iri)}))
    statements = facts.rows(st, facts.STATEMENTS, iri)
    types = [r["o"].value for r in statements if r["p"].value.endswith("#type")]
    cls = next((facts.CLASS_NAMES[t] for t in types if t in facts.CLASS_NAMES), None)
    counts = facts.rows(st, facts.COUNTS, iri)
    return _html(render_template(
        "entity.html", iri=iri, cls=cls, statements=statements, counts=counts[0] if counts else None,
        sample=facts.SAMPLE,
        label=next((r["o"].value for r in statements if r["p"].value.endswith("#label")), iri.rsplit("/", 1)[-1]),
        alt_labels=[r["o"].value for r in statements if r["p"].value.endswith("#altLabel")],
        incoming=facts.rows(st, facts.INCOMING, iri),
        mentions=facts.rows(st, facts.MENTIONS, iri),
        roles=facts.rows(st, facts.ROLES, iri),
        events=facts.rows(st, facts.EVENTS, iri),
        related=facts.rows(st, facts.RELATED, iri),
        links=facts.rows(st, pictures.LINKS, iri), pictures=pictures.entity_pictures(st, iri)))


@bp.route("/entity/<path:rest>")
@bp.route("/run/<path:rest>")
def entity(rest: str):
    return resource(_iri(rest))


@bp.route("/article/<path:rest>")
def article(rest: str):
    iri = _iri(rest)
    name, media = _rdf_or_html(iri)
    st = store()
    if name != "html":
        if not st.has_graph(iri):
            return resource(iri)
        return _rdf(name, media, st.graph_triples(iri))
    info = facts.rows(st, facts.ARTICLE, iri)
    if not info:
        return resource(iri)
    text, spans = info[0]["text"].value, article_view.spans(st, iri)
    entities = {s["entity"]: s for s in spans if s["entity"] and s["kind"].endswith("#Mention")}
    return _html(render_template("article.html", iri=iri, info=info[0], marked=article_view.nest(text, spans),
                                 legend=article_view.legend(spans), first_sentence=article_view.first_sentence(text),
                                 entities=entities, fragment=article_view.fragment, **article_view.lists(st, iri)))


@bp.route("/resource")
def any_resource():
    """Any IRI in the graph (e.g. one minted under another base): /resource?iri=..."""
    iri = request.args.get("iri", "")
    try:
        ox.NamedNode(iri)
    except ValueError:
        abort(400, "give ?iri= an absolute IRI")
    return resource(iri)
