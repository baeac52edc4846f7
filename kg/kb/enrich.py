"""`kg enrich`: copy selected KB facts about linked entities into one named graph of the store.

Facts keep Wikidata's own vocabulary on the Wikidata IRIs (``wd:Q649 wdt:P17 wd:Q159``), so queries written for
the Wikidata Query Service run unchanged here; our entities reach them through ``owl:sameAs``. The graph is
replaced as a whole on every run, so it always matches the current links and KB.
"""
from __future__ import annotations

from datetime import datetime, timezone

from rdflib import Literal, URIRef

from ..namespaces import DCTERMS, GEO, OWL, PROV, RDFS, WD, WDT, XSD

GRAPH = "graph/wikidata-enrichment"
FACT_PROPS = ("P31", "P17", "P131")  # item-valued facts copied; with label, population and coordinates

LINKED = f"SELECT DISTINCT ?q WHERE {{ ?e <{OWL.sameAs}> ?q . FILTER(STRSTARTS(STR(?q), \"{WD}Q\")) }}"


def graph_iri(base_iri: str) -> URIRef:
    return URIRef(f"{base_iri}{GRAPH}")


def item_triples(item) -> list[tuple]:
    """Label, instance-of, country, region, population and coordinates of one KB item, as Wikidata states them."""
    s = WD[item.qid]
    out = []
    if item.label:
        out.append((s, RDFS.label, Literal(item.label, lang="en")))
    for prop in FACT_PROPS:
        out += [(s, WDT[prop], WD[v]) for v in item.values(prop)]
    if item.population is not None:
        out.append((s, WDT.P1082, Literal(str(int(item.population)), datatype=XSD.decimal)))
    if item.lat is not None and item.lon is not None:
        out.append((s, WDT.P625, Literal(f"Point({item.lon} {item.lat})", datatype=GEO.wktLiteral)))
    return out


def enrichment_triples(qids, kb, graph: URIRef) -> list[tuple]:
    """Facts for every QID the KB knows (plus labels of the countries and regions they point to), and a
    provenance note on the graph itself."""
    triples, seen, wanted = [], set(), sorted(qids)
    for qid in wanted:
        item = kb.item(qid)
        if item is None:
            continue
        triples += item_triples(item)
        seen.add(qid)
    for qid in sorted({v for q in seen for p in ("P17", "P131") for v in kb.item(q).values(p)} - seen):
        other = kb.item(qid)
        if other and other.label:
            triples.append((WD[qid], RDFS.label, Literal(other.label, lang="en")))
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    triples += [(graph, DCTERMS.source, Literal(kb.version)),
                (graph, PROV.generatedAtTime, Literal(now, datatype=XSD.dateTime))]
    return triples


def enrich(store, kb, base_iri: str) -> dict:
    """Replace the enrichment graph of ``store`` with KB facts about every linked entity; returns counts."""
    qids = {str(row["q"].value)[len(str(WD)):] for row in store.query(LINKED)}
    graph = graph_iri(base_iri)
    triples = enrichment_triples(qids, kb, graph)
    store.replace_graph(str(graph), triples)
    known = sum(1 for q in qids if kb.item(q) is not None)
    return {"graph": str(graph), "linked": len(qids), "enriched": known, "triples": len(triples)}
