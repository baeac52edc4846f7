"""The article page's reading of its graph: every span (entities, times, event triggers, role statements, claims)
nested so that an entity inside a claim stays its own mark, and the lists of roles, events, claims and times."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from .facts import rows
from .links import local

# span class -> (CSS name, legend text); the first listed wins when a span has several classes
KINDS = {
    "https://w3id.org/kg-news/ns#Mention": ("entity", "entity (colour by class)"),
    "https://w3id.org/kg-news/ns#NationalityMention": ("nationality", "nationality"),
    "https://w3id.org/kg-news/ns#TimeMention": ("time", "time"),
    "https://w3id.org/kg-news/ns#TriggerMention": ("trigger", "event or claim word"),
    "https://w3id.org/kg-news/ns#RoleStatement": ("role", "role statement"),
    "https://w3id.org/kg-news/ns#ClaimContent": ("claim", "claimed content"),
}
CLASS_CSS = {"Person": "person", "Place": "place", "Organisation": "organisation", "Event": "event"}
# The spans and times are read inside the article's own graph (GRAPH ?this): a page's cost follows the article,
# not the store (across the union, the planner started from every mention of the store). A label is looked up
# in an OPTIONAL nested where its entity is bound: after an OPTIONAL that may leave it unbound, the planner
# hash-joins every label of the store instead.
SPANS = """
SELECT ?m ?b ?e ?kind ?entity ?label ?class ?this WHERE {
  GRAPH ?this { ?this kg:hasContext ?ctx .
                ?m nif:referenceContext ?ctx ; nif:beginIndex ?b ; nif:endIndex ?e ; a ?kind }
  VALUES ?kind { kg:Mention kg:NationalityMention kg:TimeMention kg:TriggerMention kg:RoleStatement kg:ClaimContent }
  OPTIONAL { { ?m itsrdf:taIdentRef ?entity } UNION { ?m kg:nationality ?entity } OPTIONAL { ?entity rdfs:label ?label } }
  OPTIONAL { ?m itsrdf:taClassRef ?class }
}"""
ROLES = """
SELECT DISTINCT ?holder ?holder_label ?name ?of ?of_label ?span ?this WHERE {
  GRAPH ?this { ?holder kg:holdsRole ?role . ?role schema:roleName ?name OPTIONAL { ?role prov:wasDerivedFrom ?span } }
  OPTIONAL { GRAPH ?this { ?role kg:roleOf ?of } OPTIONAL { ?of rdfs:label ?of_label } }  # nested: ?of bound
  OPTIONAL { ?holder rdfs:label ?holder_label }
} ORDER BY ?holder_label ?name"""
EVENTS = """
SELECT ?event ?type ?label ?trigger
  (GROUP_CONCAT(DISTINCT ?actor_label; SEPARATOR=", ") AS ?actors)
  (GROUP_CONCAT(DISTINCT ?place_label; SEPARATOR=", ") AS ?places)
  (GROUP_CONCAT(DISTINCT ?when; SEPARATOR=", ") AS ?times) ?this WHERE {
  ?this kg:reportsEvent ?event . OPTIONAL { ?event rdfs:label ?label } OPTIONAL { ?event kg:trigger ?trigger }
  OPTIONAL { ?event a ?type FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event) }
  OPTIONAL { ?event sem:hasActor ?actor OPTIONAL { ?actor rdfs:label ?actor_label } }
  OPTIONAL { ?event sem:hasPlace ?place OPTIONAL { ?place rdfs:label ?place_label } }
  OPTIONAL { ?event sem:hasTime ?t . ?t nif:anchorOf ?anchor OPTIONAL { ?t kg:dateValue ?d }
             BIND(IF(BOUND(?d), CONCAT(?anchor, " (", STR(?d), ")"), ?anchor) AS ?when) }
} GROUP BY ?event ?type ?label ?trigger ?this ORDER BY ?trigger"""
CLAIMS = """
SELECT DISTINCT ?claim ?claimant ?claimant_label ?claimant_text ?cue ?cue_text ?content ?content_text ?unverified ?this WHERE {
  ?this kg:reportsClaim ?claim .
  OPTIONAL { ?claim kg:claimant ?claimant OPTIONAL { ?claimant rdfs:label ?claimant_label } }
  OPTIONAL { ?claim kg:claimantText ?claimant_text }
  OPTIONAL { ?claim kg:claimCue ?cue . ?cue nif:anchorOf ?cue_text }
  OPTIONAL { ?claim kg:claimContent ?content . ?content nif:anchorOf ?content_text }
  OPTIONAL { ?claim kg:unverified ?unverified }
} ORDER BY ?cue"""
TIMES = """
SELECT DISTINCT ?t ?anchor ?value ?this WHERE {
  GRAPH ?this { ?this kg:hasContext ?ctx . ?t a kg:TimeMention ; nif:referenceContext ?ctx ; nif:anchorOf ?anchor ;
                nif:beginIndex ?b . OPTIONAL { ?t kg:dateValue ?value } }
} ORDER BY ?b"""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def fragment(iri) -> str:
    """'char=B,E' of a span IRI: the id of its mark on the page."""
    return iri.value.rsplit("#", 1)[-1] if iri is not None else ""


def first_sentence(text: str, limit: int = 160) -> str:
    first = _SENTENCE_END.split(text.strip(), 1)[0]
    return first if len(first) <= limit else first[:limit - 1].rstrip() + "…"


def spans(st, iri: str) -> list[dict]:
    """One dict per span (begin, end, kind, entity, label, class), outer spans before inner ones."""
    order = list(KINDS)
    found: dict[str, dict] = {}
    for r in rows(st, SPANS, iri):
        key, kind = r["m"].value, r["kind"].value
        old = found.get(key)
        if old is None or order.index(kind) < order.index(old["kind"]):
            found[key] = {"b": int(r["b"].value), "e": int(r["e"].value), "kind": kind, "id": fragment(r["m"]),
                          "entity": r["entity"].value if r["entity"] else None,
                          "label": r["label"].value if r["label"] else "",
                          "class": r["class"].value.rsplit("#", 1)[-1] if r["class"] else None}
    return sorted(found.values(), key=lambda s: (s["b"], -s["e"], order.index(s["kind"])))


def nest(text: str, items: list[dict]) -> Markup:
    """The text as HTML with a <mark> per span, inner spans inside outer ones; a span crossing the end of an
    enclosing one is cut there (its own id stays on the first piece)."""
    out: list[str] = []
    stack: list[int] = []  # end offsets of the open marks
    pos = 0

    def close_until(limit: int):
        nonlocal pos
        while stack and stack[-1] <= limit:
            end = stack.pop()
            out.append(escape(text[pos:end]))
            out.append(Markup("</a></mark>" if opened_link.pop() else "</mark>"))
            pos = end

    opened_link: list[bool] = []
    for s in items:
        b, e = s["b"], min(s["e"], len(text))
        if b < pos or b >= e:
            continue
        close_until(b)
        if stack:
            e = min(e, stack[-1])
        out.append(escape(text[pos:b]))
        pos = b
        css, _ = KINDS[s["kind"]]
        classes = ["mention", css] + ([CLASS_CSS.get(s["class"], "")] if s["class"] else [])
        out.append(Markup('<mark id="{}" class="{}" title="{}">').format(s["id"], " ".join(c for c in classes if c),
                                                                        s["label"] or css))
        link = bool(s["entity"]) and css in ("entity", "nationality")
        if link:
            out.append(Markup('<a href="{}">').format(local(s["entity"])))
        opened_link.append(link)
        stack.append(e)
    close_until(len(text))
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def legend(items: list[dict]) -> list[tuple[str, str]]:
    """(CSS classes, text) for the kinds and entity classes present."""
    present = {s["kind"] for s in items}
    out = [(" ".join(["mention", "entity", css]), name) for name, css in CLASS_CSS.items()
           if any(s["class"] == name and s["kind"].endswith("#Mention") for s in items)]
    return out + [(f"mention {css}", text) for kind, (css, text) in KINDS.items() if kind in present
                  and css != "entity"]


def lists(st, iri: str) -> dict:
    return {"roles": rows(st, ROLES, iri), "events": rows(st, EVENTS, iri), "claims": rows(st, CLAIMS, iri),
            "times": rows(st, TIMES, iri)}
