"""The entity page's pictures (timeline, map, network, chart) and its Wikidata links, read with SPARQL and handed
to the browser as SPARQL JSON results, so the page and the query page draw them with the same code (views.js).

Confidence is read per mention (itsrdf:taConfidence) and per entity (kg:linkConfidence), each when present. Like
the rest of the page (kg.web.facts.SAMPLE), each picture reads at most SAMPLE of the entity's articles and events."""
from __future__ import annotations

import pyoxigraph as ox

from .facts import SAMPLE, SAMPLED, THIS

TIMELINE = f"""
SELECT ?date ?article ?headline ?kind (COUNT(DISTINCT ?m) AS ?mentions) ?this WHERE {{
  {{ {SAMPLED} GRAPH ?article {{ ?m itsrdf:taIdentRef ?this }} BIND("mention" AS ?kind) }}
  UNION
  {{ {{ SELECT ?event ?this WHERE {{ ?event sem:hasActor|sem:hasPlace ?this }} LIMIT {SAMPLE} }}
    ?article kg:reportsEvent ?event BIND("event" AS ?kind) }}
  ?article schema:datePublished ?date . OPTIONAL {{ ?article schema:headline ?headline }}
}} GROUP BY ?date ?article ?headline ?kind ?this ORDER BY ?date LIMIT 1000"""
PLACES = f"""
SELECT DISTINCT ?place ?label ?coord ?this WHERE {{
  {{ BIND(?this AS ?place) }}
  UNION {{ {{ SELECT ?event ?this WHERE {{ ?event sem:hasActor|sem:hasPlace ?this }} LIMIT {SAMPLE} }}
          ?event sem:hasPlace ?place }}
  UNION {{ {SAMPLED} GRAPH ?article {{ ?article schema:mentions ?place }} ?place a kg:Place }}
  ?place owl:sameAs ?wd . ?wd wdt:P625 ?coord . OPTIONAL {{ ?place rdfs:label ?label }}
}} LIMIT 500"""
NETWORK = f"""
SELECT ?this ?this_label ?other ?other_label ?shared WHERE {{
  {{ SELECT ?this ?other (COUNT(?article) AS ?shared) WHERE {{
      {SAMPLED}
      GRAPH ?article {{ ?article schema:mentions ?other }} FILTER(!sameTerm(?other, ?this))
  }} GROUP BY ?this ?other ORDER BY DESC(?shared) LIMIT 40 }}
  OPTIONAL {{ ?this rdfs:label ?this_label }} OPTIONAL {{ ?other rdfs:label ?other_label }}
}} ORDER BY DESC(?shared)"""
LINKS = f"""
SELECT ?wd ?entity_confidence ?mentions ?mention_confidence ?lowest ?example ?this WHERE {{
  ?this owl:sameAs ?wd . OPTIONAL {{ ?this kg:linkConfidence ?entity_confidence }}
  OPTIONAL {{ ?this kg:mentionCount ?mentions }}
  OPTIONAL {{
    SELECT ?this (AVG(?c) AS ?mention_confidence) (MIN(?c) AS ?lowest) (SAMPLE(?anchor) AS ?example) WHERE {{
      {SAMPLED}
      GRAPH ?article {{ ?m itsrdf:taIdentRef ?this }}  # plain patterns after the sample: a nested-loop join
      OPTIONAL {{ GRAPH ?article {{ ?m itsrdf:taConfidence ?c }} }}
      OPTIONAL {{ GRAPH ?article {{ ?m nif:anchorOf ?anchor }} }}
    }} GROUP BY ?this
  }}
}}"""


def json_term(term) -> dict | None:
    """A pyoxigraph term in the SPARQL 1.1 JSON results format."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def results_json(st, query: str, iri: str) -> dict:
    """SPARQL JSON results of a query with ?this bound to the page's IRI."""
    result = st.query(query, substitutions={THIS: ox.NamedNode(iri)})
    names = [v.value for v in result.variables]
    bindings = [{n: json_term(s[n]) for n in names if s[n] is not None} for s in result]
    return {"head": {"vars": names}, "results": {"bindings": bindings}}


def entity_pictures(st, iri: str) -> dict:
    return {"timeline": results_json(st, TIMELINE, iri), "map": results_json(st, PLACES, iri),
            "network": results_json(st, NETWORK, iri)}
