"""kg enrich: KB facts about linked entities land in their own named graph of a real store."""
from rdflib import URIRef

from kg.kb.enrich import enrich
from kg.kb import open_kb
from kg.namespaces import OWL, WD
from kg.store.embedded import open_store

BASE = "http://example.org/"


def test_enrich_writes_facts_into_the_enrichment_graph(tmp_path, kb_path):
    store = open_store(str(tmp_path / "store"))
    try:
        store.replace_graph(f"{BASE}article/a", [(URIRef(f"{BASE}entity/Q649"), OWL.sameAs, WD.Q649),
                                                 (URIRef(f"{BASE}entity/Q999999999"), OWL.sameAs, WD.Q999999999)])
        result = enrich(store, open_kb(kb_path), BASE)
        assert (result["linked"], result["enriched"]) == (2, 1)
        graph = f"<{BASE}graph/wikidata-enrichment>"
        rows = list(store.query(f"""SELECT ?country ?name ?pop ?point WHERE {{ GRAPH {graph} {{
            ?e wdt:P17 ?country ; wdt:P1082 ?pop ; wdt:P625 ?point . ?country rdfs:label ?name }} }}"""))
        assert len(rows) == 1
        assert (rows[0]["country"].value, rows[0]["name"].value) == (str(WD.Q159), "Russia")
        assert rows[0]["point"].value.startswith("Point(37.6")
        enrich(store, open_kb(kb_path), BASE)  # a rerun replaces the graph, never duplicates
        n = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))[0]["n"].value
        assert int(n) == result["triples"]
    finally:
        store.close()
