"""The library API over a real on-disk Oxigraph store: the graph contract, idempotency, replacement, export."""
import io

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic

from kg.namespaces import CLASSES, DCTERMS, ITSRDF, KG, NIF, PROV, RDF, SCHEMA, XSD

TEXT = ("Moscow summit\n\nRussian President Vladimir Putin met German Chancellor Angela Merkel in Moscow on Monday. "
        "Putin said the talks with the European Union were useful.\n")


def plain(term):
    """rdflib parsers give simple literals no datatype; oxrdflib gives them xsd:string (RDF 1.1: the same)."""
    return Literal(str(term), lang=term.language) if isinstance(term, Literal) and term.datatype == XSD.string else term


def triples_of(quads):
    return Graph().__iadd__({(s, p, plain(o)) for s, p, o, *_ in quads})


def count(kg, where="?s ?p ?o"):
    return int(next(iter(kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {where} }} }}")))["n"].value)


def test_contract_of_one_article(make_kg):
    kg = make_kg()
    s = kg.ingest_text(TEXT, title="Moscow summit", date="2019-05-13", id="a1", url="http://news.example/a1")
    assert s.written == 1 and s.mentions >= 4 and s.triples > 30
    art = URIRef(s.articles[0])
    ds = kg.store.dataset
    g = ds.graph(art)
    assert (art, RDF.type, SCHEMA.NewsArticle) in g
    assert plain(g.value(art, DCTERMS.identifier)) == Literal("a1")
    assert g.value(art, SCHEMA.datePublished) == Literal("2019-05-13", datatype=XSD.date)
    assert plain(g.value(art, SCHEMA.headline)) == Literal("Moscow summit")
    ctx = g.value(art, KG.hasContext)
    assert str(g.value(ctx, NIF.isString)) == TEXT
    run = g.value(art, PROV.wasGeneratedBy)
    assert run is not None and (run, PROV.startedAtTime, None) in ds.graph(run)
    mentions = list(g.subjects(ITSRDF.taIdentRef, None))
    registry = ds.graph(URIRef(kg.minter.entities_graph))
    assert mentions
    for m in mentions:
        b, e = int(g.value(m, NIF.beginIndex)), int(g.value(m, NIF.endIndex))
        assert TEXT[b:e] == str(g.value(m, NIF.anchorOf))
        assert g.value(m, NIF.referenceContext) == ctx
        ent = g.value(m, ITSRDF.taIdentRef)
        assert not list(g.objects(ent, RDF.type))  # entity facts live once, in the registry graph
        assert len([t for t in registry.objects(ent, RDF.type) if t in CLASSES.values()]) == 1
        assert (art, SCHEMA.mentions, ent) in g
    # a nationality adjective never becomes a Person/Organisation node
    labels = {str(o) for o in registry.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert "Russian" not in labels and "German" not in labels and "Vladimir Putin" in labels


def test_reingest_is_idempotent_and_same_entity_same_iri_across_articles(make_kg):
    kg = make_kg()
    kg.ingest_text(TEXT, id="a1")
    n = count(kg)
    again = kg.ingest_text(TEXT, id="a1")
    assert again.written == 0 and again.unchanged == 1 and count(kg) == n
    kg.ingest_text("Angela Merkel spoke in Berlin on Tuesday.", id="a2")
    rows = list(kg.query("SELECT DISTINCT ?e WHERE { ?e rdfs:label 'Angela Merkel' }"))
    assert len(rows) == 1  # one IRI for Merkel in both article graphs


def test_changed_content_replaces_the_article_graph(make_kg):
    kg = make_kg()
    kg.ingest_text(TEXT, id="a1")
    kg.ingest_text("Emmanuel Macron visited Lyon on Friday.", id="a1")
    anchors = {r["a"].value for r in kg.query("SELECT ?a WHERE { ?m nif:anchorOf ?a }")}
    assert "Lyon" in anchors and "Moscow" not in anchors
    assert len(list(kg.query("SELECT ?a WHERE { ?a a kg:Article }"))) == 1


def test_empty_text_is_skipped_with_a_reason(make_kg):
    kg = make_kg()
    s = kg.ingest_text("  \n", id="e")
    assert s.written == 0 and s.skipped and "empty" in s.skipped[0][1]


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("trig", "trig"), ("nq", "nquads"),
                                          ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_export_round_trips_through_rdflib(make_kg, fmt, parse_as):
    kg = make_kg()
    kg.ingest_text(TEXT, id="a1", title="Moscow summit")
    kg.ingest_text("Angela Merkel spoke in Berlin on Tuesday.", id="a2")
    out = io.BytesIO()
    kg.export(out, fmt)
    ds = Dataset()
    ds.parse(data=out.getvalue(), format=parse_as)
    exported = triples_of(ds.quads((None, None, None, None)))
    merged = triples_of(kg.store.dataset.quads((None, None, None, None)))
    assert len(merged) > 50 and to_isomorphic(exported) == to_isomorphic(merged)
    if fmt in ("trig", "nq"):  # quad formats keep one named graph per article
        assert len({str(c.identifier) for c in ds.graphs() if "/article/" in str(c.identifier)}) == 2
    if fmt == "turtle":
        assert out.getvalue().startswith(b"@base <") and b"\n@prefix kg: <" in out.getvalue()


def test_export_one_graph(make_kg):
    kg = make_kg()
    a1 = kg.ingest_text(TEXT, id="a1").articles[0]
    kg.ingest_text("Angela Merkel spoke in Berlin.", id="a2")
    out = io.BytesIO()
    kg.export(out, "nt", graph=a1)
    g = Graph().parse(data=out.getvalue(), format="nt")
    assert (URIRef(a1), DCTERMS.identifier, Literal("a1")) in g
    assert {str(o) for o in g.objects(None, DCTERMS.identifier)} == {"a1"}


def test_stats(make_kg):
    kg = make_kg()
    kg.ingest_text(TEXT, id="a1")
    st = kg.stats()
    assert st["articles"] == 1 and st["named graphs"] == 3  # the article, the ingest run, the entity registry
    assert st["entities: Person"] >= 2 and st["triples"] == count(kg)


def test_base_iri_is_configurable(make_kg):
    kg = make_kg(base_iri="https://data.example.org/news")
    iri = kg.ingest_text(TEXT, id="a1").articles[0]
    assert iri.startswith("https://data.example.org/news/article/")
    ents = [r["e"].value for r in kg.query("SELECT DISTINCT ?e WHERE { ?m itsrdf:taIdentRef ?e }")]
    assert ents and all(e.startswith("https://data.example.org/news/entity/") for e in ents)


def test_from_clause_overrides_the_union_default_graph(make_kg):
    kg = make_kg()
    a1 = kg.ingest_text(TEXT, id="a1").articles[0]
    kg.ingest_text("Angela Merkel spoke in Berlin.", id="a2")
    q = "SELECT (COUNT(DISTINCT ?id) AS ?n) {from} WHERE {{ ?a dcterms:identifier ?id }}"
    assert next(iter(kg.query(q.format(**{"from": ""}))))["n"].value == "2"
    assert next(iter(kg.query(q.format(**{"from": f"FROM <{a1}>"}))))["n"].value == "1"
