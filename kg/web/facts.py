"""What the entity and article pages show, read with SPARQL; the page's IRI is bound as ?this, never pasted."""
from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import CLASSES

THIS = ox.Variable("this")
SNIPPET = 80  # characters of context on each side of a mention

SAMPLE = 200  # articles a section of the entity page reads at most: its cost is bounded however often it is named
SAMPLED = f"""{{ SELECT ?article ?this WHERE {{ GRAPH ?article {{ ?article schema:mentions ?this }} }} LIMIT {SAMPLE} }}"""
STATEMENTS = """
SELECT ?p ?o ?o_label ?this WHERE {
  { SELECT DISTINCT ?p ?o ?this WHERE { ?this ?p ?o } LIMIT 500 }
  OPTIONAL { ?o rdfs:label ?o_label }
} ORDER BY ?p ?o"""
INCOMING = """
SELECT ?s ?p ?s_label ?this WHERE {
  { SELECT DISTINCT ?s ?p ?this WHERE {
      ?s ?p ?this FILTER(?p NOT IN (itsrdf:taIdentRef, schema:mentions, nif:sourceUrl, nif:referenceContext))
  } LIMIT 500 }
  OPTIONAL { ?s rdfs:label ?s_label }
} ORDER BY ?p ?s"""
MENTIONS = f"""
SELECT DISTINCT ?article ?headline ?date ?m ?before ?anchor ?after ?this WHERE {{
  {SAMPLED}
  GRAPH ?article {{ ?m itsrdf:taIdentRef ?this ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:referenceContext ?ctx .
    ?article kg:hasContext ?ctx . ?ctx nif:isString ?text }}
  OPTIONAL {{ ?article schema:headline ?headline }}
  OPTIONAL {{ ?article schema:datePublished ?date }}
  BIND(SUBSTR(?text, IF(?b > {SNIPPET}, ?b - {SNIPPET - 1}, 1), IF(?b > {SNIPPET}, {SNIPPET}, ?b)) AS ?before)
  BIND(SUBSTR(?text, ?b + 1, ?e - ?b) AS ?anchor)
  BIND(SUBSTR(?text, ?e + 1, {SNIPPET}) AS ?after)
}} ORDER BY DESC(?date) ?article ?b LIMIT 200"""
RELATED = f"""
SELECT ?other ?label ?class ?shared ?this WHERE {{
  {{ SELECT ?other (COUNT(?article) AS ?shared) ?this WHERE {{
      {SAMPLED}
      GRAPH ?article {{ ?article schema:mentions ?other }} FILTER(!sameTerm(?other, ?this))
  }} GROUP BY ?other ?this ORDER BY DESC(?shared) LIMIT 30 }}
  OPTIONAL {{ ?other rdfs:label ?label }} OPTIONAL {{ ?other a ?class FILTER(STRSTARTS(STR(?class), STR(kg:))) }}
}} ORDER BY DESC(?shared) ?label"""
ROLES = """
SELECT ?name ?of ?of_label (COUNT(DISTINCT ?article) AS ?articles) ?this WHERE {
  GRAPH ?article { ?this kg:holdsRole ?role . ?role schema:roleName ?name }
  OPTIONAL { GRAPH ?article { ?role kg:roleOf ?of } OPTIONAL { ?of rdfs:label ?of_label } }
} GROUP BY ?name ?of ?of_label ?this ORDER BY DESC(?articles) ?name LIMIT 100"""
EVENTS = f"""
SELECT DISTINCT ?event ?type ?label ?how ?date ?article ?this WHERE {{
  {{ SELECT ?event ?how ?this WHERE {{
      {{ ?event sem:hasActor ?this BIND("actor" AS ?how) }} UNION {{ ?event sem:hasPlace ?this BIND("place" AS ?how) }}
  }} LIMIT {SAMPLE} }}
  ?article kg:reportsEvent ?event .
  OPTIONAL {{ ?event rdfs:label ?label }}
  OPTIONAL {{ ?event a ?type FILTER(STRSTARTS(STR(?type), STR(kg:)) && ?type != kg:Event) }}
  OPTIONAL {{ ?article schema:datePublished ?date }}
}} ORDER BY DESC(?date) LIMIT 200"""
COUNTS = """
SELECT ?mentions ?articles ?this WHERE { ?this kg:mentionCount ?mentions ; kg:articleCount ?articles } LIMIT 1"""
DESCRIBE = """
CONSTRUCT { ?this ?p ?o . ?s ?q ?this } WHERE {
  { ?this ?p ?o } UNION { ?s ?q ?this FILTER(?q != itsrdf:taIdentRef) }
}"""
ARTICLE = """
SELECT ?headline ?date ?url ?source ?text ?this WHERE {
  ?this a kg:Article ; kg:hasContext ?ctx . ?ctx nif:isString ?text .
  OPTIONAL { ?this schema:headline ?headline } OPTIONAL { ?this schema:datePublished ?date }
  OPTIONAL { ?this schema:url ?url } OPTIONAL { ?this kg:source ?source }
} LIMIT 1"""
CLASS_NAMES = {str(iri): name for name, iri in CLASSES.items()}


def rows(store, query: str, iri: str) -> list[dict]:
    """Solutions as dicts of pyoxigraph terms (or None), with ?this bound to the page's IRI."""
    result = store.query(query, substitutions={THIS: ox.NamedNode(iri)})
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names} for s in result]


def exists(store, iri: str) -> bool:
    return bool(store.query("ASK { { ?this ?p ?o } UNION { ?s ?p ?this } }", substitutions={THIS: ox.NamedNode(iri)}))
