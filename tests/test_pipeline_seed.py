"""The seed article (../shared/corpus/seed): the typing, boilerplate, identity, role, date and claim errors the
issue lists are gone, and the graph states them (checked with SPARQL over the mapped triples)."""
import datetime as dt

import pytest
from rdflib import Graph, URIRef

from kg.article import Article
from kg.iris import Minter
from kg.mapping import MapContext, doc_to_triples
from kg.namespaces import sparql_prologue
from kg.pipeline import MENTIONS

from conftest import need_shared


@pytest.fixture(scope="module")
def seed(nlp):
    path = next(need_shared("corpus", "seed").glob("*.txt"))
    text = path.read_text(encoding="utf-8")
    return text, nlp(text)


@pytest.fixture(scope="module")
def graph(seed):
    text, doc = seed
    ctx = MapContext(Article(identifier="seed", text=text), Minter("http://example.org/"),
                     URIRef("http://example.org/run/1"))
    g = Graph()
    for triple in doc_to_triples(ctx, doc):
        g.add(triple)
    return g


def mentions_of(doc, surface):
    return [s for s in doc.spans[MENTIONS] if s.text == surface]


def test_places_are_places(seed):
    _, doc = seed
    for name in ("Kursk", "Kyiv", "Sudzha"):
        assert mentions_of(doc, name) and {s.label_ for s in mentions_of(doc, name)} == {"Place"}, name


def test_trump_before_special_envoy_is_a_person(seed):
    text, doc = seed
    at = text.index("Trump’s special envoy")
    assert [s.label_ for s in doc.spans[MENTIONS] if s.start_char == at] == ["Person"]


def test_repeated_captions_counted_once_and_credits_yield_nothing(seed):
    text, doc = seed
    caption = "Russian President Vladimir Putin speaks during a visit to military headquarters"
    firsts = [i for i in range(len(text)) if text.startswith(caption, i)]
    assert len(firsts) == 2
    assert not [s for s in doc.spans[MENTIONS] if firsts[1] <= s.start_char < firsts[1] + len(caption)]
    for credit in ("(AP Photo, File)", "The Associated Press, Associated Press"):
        at = text.index(credit)
        assert not [s for s in doc.spans[MENTIONS] if at <= s.start_char < at + len(credit)], credit
    assert not [e for e in doc._.kg_events if e["start"] < text.index("\n", 10)]  # the scraper stamp line


def test_putin_and_vladimir_putin_are_one_entity(seed, graph):
    _, doc = seed
    keys = {s._.kg_entity for s in doc.spans[MENTIONS] if s.text in ("Putin", "Vladimir Putin")}
    assert len(keys) == 1
    ent = doc._.kg_entities[keys.pop()]
    assert ent["label"] == "Vladimir Putin" and {"Putin", "Vladimir Putin"} <= ent["names"]
    rows = list(graph.query(sparql_prologue() + """
        SELECT ?e WHERE { ?e a kg:Person ; rdfs:label "Vladimir Putin" ; skos:altLabel "Putin" }"""))
    assert len(rows) == 1


def test_us_forms_are_one_entity(seed):
    _, doc = seed
    keys = {s._.kg_entity for s in doc.spans[MENTIONS] if s.text in ("U.S.", "US")}
    assert len(keys) == 1 and doc._.kg_entities[keys.pop()]["label"] == "United States"


def test_peskov_role_is_linked_to_the_kremlin(graph):
    rows = list(graph.query(sparql_prologue() + """
        SELECT ?name ?org WHERE { ?p rdfs:label "Dmitry Peskov" ; kg:holdsRole ?r .
                                  ?r schema:roleName ?name ; kg:roleOf ?o ; prov:wasDerivedFrom ?m .
                                  ?o rdfs:label ?org . ?m nif:anchorOf ?words }"""))
    assert [(str(n), str(o)) for n, o in rows] == [("spokesman", "Kremlin")]


def test_nationality_links_putin_to_russia(seed, graph):
    rows = list(graph.query(sparql_prologue() + """
        SELECT DISTINCT ?c WHERE { ?p rdfs:label "Vladimir Putin" ; kg:nationality ?c . ?c a kg:Place }"""))
    assert len(rows) == 1
    _, doc = seed
    assert not [s for s in doc.spans[MENTIONS] if s.text in ("Russian", "Ukrainian", "North Korean")]


def test_publication_date_and_relative_dates(seed):
    text, doc = seed
    assert doc._.pub_date == dt.date(2025, 3, 13)
    values = {(t["text"], t["value"]) for t in doc._.kg_times}
    assert {("Thursday", "2025-03-13"), ("Wednesday", "2025-03-12"), ("last August", "2024-08"),
            ("March 3", "2025-03-03")} <= values
    assert "2024-12-03" not in {t["value"] for t in doc._.kg_times}


def test_visit_event_has_actor_place_and_provenance(graph):
    rows = list(graph.query(sparql_prologue() + """
        SELECT ?trigger WHERE { ?e a kg:Visit ; sem:hasActor ?p ; sem:hasPlace ?k ; kg:trigger ?t ;
                                   prov:wasDerivedFrom ?s .
                                ?p rdfs:label "Vladimir Putin" . ?k rdfs:label "Kursk" .
                                ?t nif:anchorOf ?trigger ; nif:beginIndex ?b . ?s a nif:Sentence }"""))
    assert "visited" in {str(r[0]) for r in rows}


def test_ministry_claim_is_recorded_as_unverified_claim(graph):
    rows = list(graph.query(sparql_prologue() + """
        SELECT ?content ?event WHERE { ?c a kg:Claim ; kg:claimant ?s ; kg:unverified true ;
                                          kg:claimContent ?x ; kg:claimedEvent ?e .
                                       ?s rdfs:label "Russian Defense Ministry" . ?x nif:anchorOf ?content .
                                       ?e rdfs:label ?event }"""))
    assert rows and "recaptured the town of Sudzha" in str(rows[0][0])
    assert "recaptured" in {str(r[1]) for r in rows}
