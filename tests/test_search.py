"""Entity search: the SQLite FTS5 index beside the store follows each article write, is rebuilt when the store
changed behind it, and answers the search box API and the `search_entities` named query (CLI and HTTP) with the
same entities as the SPARQL reading of names; /queries/NAME gives browsers the page, programs the results; SPARQL
syntax errors are one short line with a position."""
from __future__ import annotations

import pytest
import requests

from conftest import run_kg
from kg.graph import KnowledgeGraph
from kg.store.named_queries import load_named_queries
from kg.store.syntax_errors import shorten
from web_support import BASE, MERKEL, start_server

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory, "search")
    yield s
    s.stop()


def sparql_names(kg, text: str) -> set[str]:
    """What queries/search_entities.rq finds by substring; the index finds by word prefix, so compare on words."""
    q = load_named_queries()["search_entities"]
    query, subs = q.prepare({"text": text})
    return {r["entity"].value for r in kg.query(query, substitutions=subs)}


def test_index_follows_writes_and_rebuilds_when_stale(tmp_path):
    store = str(tmp_path / "store")
    with KnowledgeGraph(store, base_iri=BASE) as kg:
        kg.ingest_text("Angela Merkel met Emmanuel Macron in Paris on Monday.", id="s-1", title="Talks")
        assert [r["iri"] for r in kg.search_index.search("merk")] == [MERKEL]  # no rebuild: the write hook
        for word in ("macron", "paris", "merkel"):
            assert {r["iri"] for r in kg.search_index.search(word)} == sparql_names(kg, word)
        kg.ingest_text("Chancellor Olaf Scholz visited Lisbon.", id="s-2", title="Visit")
        assert kg.search_index.search("scholz")[0]["label"] == "Olaf Scholz"
        # a write that bypasses the ingest (a SPARQL update) leaves the index stale: the next search after the
        # writer's generation moved on (the server counts its writes) finds the stamp changed and rebuilds
        kg.search_entities("merkel", generation=1)
        kg.store.update(f'INSERT DATA {{ GRAPH <{BASE}graph/extra> {{ <{MERKEL}> skos:altLabel "Mutti" }} }}')
        assert kg.search_entities("mutti", generation=1) == []
        assert [r["iri"] for r in kg.search_entities("mutti", generation=2)] == [MERKEL]
        assert kg.search_entities("") == [] and kg.search_entities('"*) OR (') == []
    r = run_kg("search", "--store", store, "--rebuild", "olaf")
    assert r.returncode == 0 and "Olaf Scholz" in r.stdout.decode(), r.stderr.decode()


def mentions_in_store(kg, iri: str) -> int:
    rows = kg.query(f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m itsrdf:taIdentRef <{iri}> }}")
    return int(next(iter(rows))["n"].value)


def test_index_stays_in_step_when_an_article_is_replaced_or_deleted(tmp_path):
    """No rebuild in between (the index is read directly): the writes themselves keep the counts exact."""
    with KnowledgeGraph(str(tmp_path / "store"), base_iri=BASE) as kg:
        kg.ingest_text("Angela Merkel met Emmanuel Macron. Later Angela Merkel left Paris.", id="r-1")
        second = kg.ingest_text("Angela Merkel spoke in Berlin.", id="r-2").articles[0]

        def indexed(word):
            return {r["iri"]: r["mentions"] for r in kg.search_index.search(word)}
        assert indexed("merkel") == {MERKEL: mentions_in_store(kg, MERKEL)} and mentions_in_store(kg, MERKEL) >= 2
        kg.ingest_text("Emmanuel Macron stayed in Paris.", id="r-1")  # replaced: Merkel loses its mentions there
        assert mentions_in_store(kg, MERKEL) == 1
        assert indexed("merkel") == {MERKEL: 1}
        assert kg.delete_graphs([second]) == 1  # the last article naming Merkel
        assert mentions_in_store(kg, MERKEL) == 0 and indexed("merkel") == {}
        assert indexed("macron") == {r["iri"]: r["mentions"] for r in kg.search_entities("macron", generation=9)}
        assert kg.search_index.sync() is False  # and the index's stamp says it is in step: no rebuild needed


def test_api_and_named_query_answer_from_the_index(server):
    rows = requests.get(server.url + "/api/search", params={"q": "emm mac"}).json()
    assert rows[0]["label"] == "Emmanuel Macron" and rows[0]["href"] == "/entity/person/emmanuel-macron"
    assert rows[0]["mentions"] >= 1
    assert requests.get(server.url + "/api/search", params={"q": "x", "limit": "many"}).status_code == 400
    r = requests.get(server.url + "/queries/search_entities", params={"text": "merkel", "format": "json"})
    body = r.json()
    assert body["head"]["vars"] == ["entity", "label", "type", "mentions", "text"]
    assert [b["entity"]["value"] for b in body["results"]["bindings"]] == [MERKEL]
    csv = requests.get(server.url + "/queries/search_entities?text=paris&format=csv").text
    assert csv.splitlines()[1].startswith(f"{BASE}entity/place/paris,Paris,")


def test_named_query_pages_for_browsers_results_for_programs(server):
    url = server.url + "/queries/people_most_mentioned"
    page = requests.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert page.headers["Content-Type"].startswith("text/html") and 'data-named="people_most_mentioned"' in page.text
    for accept, media in [("*/*", "application/sparql-results+json"), (None, "application/sparql-results+json"),
                          ("application/xml", "application/sparql-results+xml"),
                          ("application/sparql-results+json, text/html", "application/sparql-results+json"),
                          ("text/csv;q=1, text/html;q=0.5", "text/csv")]:
        r = requests.get(url, headers={"Accept": accept} if accept else {})
        assert r.headers["Content-Type"].startswith(media), (accept, r.headers["Content-Type"])
    assert requests.get(url, params={"format": "csv"}, headers={"Accept": BROWSER_ACCEPT}).text.startswith("person,")


def test_syntax_errors_are_short_with_a_position(server):
    r = requests.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE {\n ?x a kg:Nope ; ?p }"})
    assert r.status_code == 400
    first = r.text.strip()
    assert first.startswith("malformed SPARQL: line 2, column") and len(first) < 100 and "\\u{" not in first
    problem = shorten("error at 1:9: expected one of DESCRIBE, [_]")
    assert (problem.line, problem.column, problem.message) == (1, 9, "expected DESCRIBE")
    assert problem.with_caret("SELEC ?x").splitlines()[-1] == "  " + " " * 8 + "^"
    r = run_kg("query", "--store", str(server.store), "SELECT ?x WHERE { ?x ?y }")
    err = r.stderr.decode().splitlines()
    assert r.returncode == 1 and err[0].startswith("Error: malformed SPARQL: line 1, column") and err[-1].strip() == "^"
