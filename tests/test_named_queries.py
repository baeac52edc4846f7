"""Named queries: every queries/*.rq declares itself properly, runs on a real store, binds its parameters as
RDF terms (injection attempts stay inert), and runs from the CLI."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from conftest import run_kg
from kg.errors import KGError
from kg.store.named_queries import CONVERTERS, load_named_queries, parse_named_query
from web_support import ARTICLES, BASE, MERKEL, PARIS

QUERIES = load_named_queries()
# parameter values for the queries that need them (the rest run on their defaults)
EXAMPLES = {
    "articles_mentioning": {"entity": PARIS},
    "entity_timeline": {"entity": MERKEL},
    "organisations_of_country": {"country": BASE + "entity/place/germany"},
    "roles_of_person": {"person": BASE + "entity/person/antonio-costa"},
    "events_by_place_and_date": {"place": PARIS},
    "claims_by_source": {"source": MERKEL},
}


@pytest.fixture(scope="module")
def kg(tmp_path_factory, nlp):
    from kg.graph import KnowledgeGraph

    graph = KnowledgeGraph(str(tmp_path_factory.mktemp("named") / "store"), base_iri=BASE)
    graph.ingest_files([str(ARTICLES)])
    yield graph
    graph.close()


def test_at_least_ten_documented_queries():
    assert len(QUERIES) >= 10
    for q in QUERIES.values():
        assert q.title and q.description, q.name
        for p in q.params:
            assert p.type in CONVERTERS and p.doc, (q.name, p.name)
            assert f"?{p.name}" in q.text.split("WHERE")[0], f"{q.name}: ?{p.name} must be projected (SEP-0007)"
        cost = [line for line in q.text.splitlines() if line.startswith("# cost: ")]
        assert len(cost) == 1 and ("grows with" in cost[0] or "the whole store" in cost[0]
                                   or "index" in cost[0]), f"{q.name}: say how its cost grows (docs/performance.md)"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_runs(kg, name):
    text, substitutions = QUERIES[name].prepare(EXAMPLES.get(name, {}))
    rows = list(kg.query(text, substitutions=substitutions))
    if name not in ("entities_for_wikidata",):  # the test articles are not linked to Wikidata
        assert rows, name


def test_results_are_right(kg):
    text, subs = QUERIES["articles_mentioning"].prepare({"entity": PARIS})
    assert [r["headline"].value for r in kg.query(text, substitutions=subs)] == ["Leaders meet in Paris"]
    text, subs = QUERIES["entity_timeline"].prepare({"entity": MERKEL, "from": "2024-03-05"})
    assert [r["date"].value for r in kg.query(text, substitutions=subs)] == ["2024-03-10", "2024-04-15"]
    text, subs = QUERIES["people_most_mentioned"].prepare({})
    top = next(iter(kg.query(text, substitutions=subs)))
    assert top["person"].value in (MERKEL, BASE + "entity/person/emmanuel-macron")
    text, subs = QUERIES["co_mentioned_pairs"].prepare({"min_articles": "3"})
    pairs = {(r["a_label"].value, r["b_label"].value) for r in kg.query(text, substitutions=subs)}
    assert ("Angela Merkel", "Emmanuel Macron") in pairs


def test_parameters_are_bound_never_pasted(kg):
    q = QUERIES["search_entities"]
    hostile = 'x")) } } ; DROP ALL ; SELECT * { ?s ?p ?o } #'
    text, subs = q.prepare({"text": hostile})
    assert hostile not in text and subs[ox.Variable("text")] == ox.Literal(hostile)
    assert list(kg.query(text, substitutions=subs)) == []
    assert kg.stats()["articles"] == 4
    with pytest.raises(KGError, match="invalid value"):
        QUERIES["articles_mentioning"].prepare({"entity": "http://x/> } DROP ALL { <y"})
    with pytest.raises(KGError, match="invalid value"):
        QUERIES["people_most_mentioned"].prepare({"min_mentions": "1 } DROP ALL"})
    with pytest.raises(KGError, match="no parameter"):
        QUERIES["people_most_mentioned"].prepare({"limit": "3"})
    with pytest.raises(KGError, match="needs parameter"):
        QUERIES["articles_mentioning"].prepare({})


def test_header_parsing():
    q = parse_named_query("t", "# title: T\n# description: one\n# description: two\n"
                               "# param: a qid = Q42 -- the item\n# param: b date = ? -- optional\nSELECT ?a ?b {}\n"
                               "# param: c string -- after the header: ignored\n")
    assert (q.title, q.description) == ("T", "one two") and [p.name for p in q.params] == ["a", "b"]
    _, subs = q.prepare({})
    assert subs == {ox.Variable("a"): ox.NamedNode("http://www.wikidata.org/entity/Q42")}
    with pytest.raises(KGError, match="bad parameter line"):
        parse_named_query("t", "# param: a colour\nSELECT * {}")
    with pytest.raises(KGError, match="invalid value"):
        parse_named_query("t", "# param: a date = yesterday\nSELECT ?a {}")


def test_optional_parameters_filter_only_when_given(kg):
    for name, given, check in [
        ("unlinked_entities", {"class": "https://w3id.org/kg-news/ns#Place"}, lambda r: r["type"].value.endswith("Place")),
        ("co_mentioned_pairs", {"min_articles": "1", "class": "https://w3id.org/kg-news/ns#Person"},
         lambda r: "/person/" in r["a"].value and "/person/" in r["b"].value),
        ("claims_by_source", {"source": MERKEL}, lambda r: r["claimant"].value == MERKEL),
    ]:
        q = QUERIES[name]
        everything = list(kg.query(*q.prepare({k: v for k, v in given.items() if k == "min_articles"})[:1],
                                   substitutions=q.prepare({k: v for k, v in given.items() if k == "min_articles"})[1]))
        text, subs = q.prepare(given)
        some = list(kg.query(text, substitutions=subs))
        assert some and all(check(r) for r in some), name
        assert len(some) < len(everything) or name == "claims_by_source", name  # all test claims are Merkel's


def test_cli_named_query(tmp_path, nlp):
    from kg.graph import KnowledgeGraph

    store = str(tmp_path / "store")
    graph = KnowledgeGraph(store, base_iri=BASE)
    graph.ingest_files([str(ARTICLES)])
    graph.close()  # the CLI opens the store itself
    r = run_kg("query", "--store", store, "--named", "articles_mentioning", "--param", f"entity={PARIS}", "-f", "csv")
    assert r.returncode == 0, r.stderr.decode()
    assert b"Leaders meet in Paris" in r.stdout
    assert b"people_most_mentioned" in run_kg("query", "--list").stdout
