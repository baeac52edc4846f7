"""The W3C SPARQL 1.1 Protocol test cases (https://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/),
written from the specification, against a real writable `kg serve`: all 34 pass. The graphs the suite
dereferences (data1.rdf ...) are stored under their names beforehand: this server fetches nothing."""
from __future__ import annotations

from urllib.parse import quote

import pytest
import requests

from web_support import TOKEN, start_server

D = "http://kasei.us/2009/09/sparql/data/"
FOAF, DC = "http://xmlns.com/foaf/0.1/", "http://purl.org/dc/terms/"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FORM = "application/x-www-form-urlencoded"
RESULT_TYPES = ("application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values")
GRAPH_TYPES = ("application/rdf+xml", "text/turtle", "application/n-triples")
PROLOGUE = f"PREFIX dc: <{DC}>\nPREFIX foaf: <{FOAF}>\n"
DATA = (f"CLEAR ALL ; INSERT DATA {{ GRAPH <{D}data1.rdf> {{ <{D}data1.rdf> a <{FOAF}Document> }} "
        f"GRAPH <{D}data2.rdf> {{ <{D}data2.rdf> a <{FOAF}Document> }} GRAPH <{D}data3.rdf> {{ <{D}data3.rdf> a <{FOAF}Document> }} }}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory, "w3c", env={"KG_UPDATE_TOKEN": TOKEN})
    yield s
    s.stop()


def post(server, body, content_type, params="", auth=True, accept=None):
    headers = {**(AUTH if auth else {}), **({"Content-Type": content_type} if content_type else {}),
               **({"Accept": accept} if accept else {})}
    return requests.post(f"{server.url}/sparql{params}", data=body, headers=headers, timeout=30)


def update(server, text, params=""):
    r = post(server, text.encode(), "application/sparql-update", params)
    assert r.status_code in (200, 204), r.text
    return r


def ask(server, text, params="") -> bool:
    r = post(server, text.encode(), "application/sparql-query", params,
             accept="application/sparql-results+json")
    assert r.status_code == 200, r.text
    return r.json()["boolean"]


@pytest.fixture()
def data(server):
    update(server, DATA)


# --- negative tests: 4xx
@pytest.mark.parametrize("name, method, params, body, content_type", [
    ("bad_query_method", "PUT", "?query=ASK%20%7B%7D", None, None),
    ("bad_multiple_queries", "GET", "?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None, None),
    ("bad_query_wrong_media_type", "POST", "", b"ASK {}", "text/plain"),
    ("bad_query_missing_form_type", "POST", "", b"query=ASK%20%7B%7D", None),
    ("bad_query_missing_direct_type", "POST", "", b"ASK {}", None),
    ("bad_query_non_utf8", "POST", "", "ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16"),
    ("bad_query_syntax", "GET", "?query=ASK%20%7B", None, None),
    ("bad_update_get", "GET", "?update=CLEAR%20ALL", None, None),
    ("bad_multiple_updates", "POST", "", b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM),
    ("bad_update_wrong_media_type", "POST", "", b"CLEAR NAMED", "text/plain"),
    ("bad_update_missing_form_type", "POST", "", b"update=CLEAR%20NAMED", None),
    ("bad_update_missing_direct_type", "POST", "", b"CLEAR NAMED", None),
    ("bad_update_non_utf8", "POST", "", "CLEAR NAMED".encode("utf-16"), "application/sparql-update; charset=UTF-16"),
    ("bad_update_syntax", "POST", "", b"update=CLEAR%20XYZ", FORM),
    ("bad_update_dataset_conflict", "POST", "",
     ("using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople&update=" + quote(
         PROLOGUE + "WITH <http://example/addresses> DELETE { ?person foaf:givenName 'Bill' } "
                    "INSERT { ?person foaf:givenName 'William' } WHERE { ?person foaf:givenName 'Bill' }")).encode(),
     FORM),
])
def test_negative(server, name, method, params, body, content_type):
    headers = {**AUTH, **({"Content-Type": content_type} if content_type else {})}
    r = requests.request(method, f"{server.url}/sparql{params}", data=body, headers=headers, timeout=30)
    assert 400 <= r.status_code < 500, (name, r.status_code, r.text)


# --- positive tests
def test_query_get_post_form_post_direct(server):
    assert requests.get(server.url + "/sparql?query=ASK%20%7B%7D", timeout=10).ok
    assert post(server, b"query=ASK%20%7B%7D", FORM).ok
    assert post(server, b"ASK {}", "application/sparql-query").ok


def test_query_dataset_default_graph(server, data):
    assert ask(server, f"ASK {{ <{D}data1.rdf> ?p ?o }}", f"?default-graph-uri={quote(D + 'data1.rdf', safe='')}")


def test_query_dataset_default_graphs(server, data):
    q = f"ASK {{ <{D}data1.rdf> ?p ?o . <{D}data2.rdf> ?p ?o }}"
    graphs = "&".join(f"default-graph-uri={quote(D + g, safe='')}" for g in ("data1.rdf", "data2.rdf"))
    assert ask(server, q, "?" + graphs)  # by POST
    r = requests.get(f"{server.url}/sparql?query={quote(q)}&{graphs}", headers={"Accept": RESULT_TYPES[1]}, timeout=10)
    assert r.json()["boolean"] is True  # and by GET


def test_query_dataset_named_graphs(server, data):
    graphs = "&".join(f"named-graph-uri={quote(D + g, safe='')}" for g in ("data1.rdf", "data2.rdf"))
    r = post(server, b"SELECT ?g { GRAPH ?g { ?s ?p ?o } }", "application/sparql-query", "?" + graphs,
             accept=RESULT_TYPES[1])
    assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == {D + "data1.rdf", D + "data2.rdf"}


def test_query_dataset_full(server, data):
    params = (f"?default-graph-uri={quote(D + 'data3.rdf', safe='')}&named-graph-uri={quote(D + 'data1.rdf', safe='')}"
              f"&named-graph-uri={quote(D + 'data2.rdf', safe='')}")
    r = post(server, b"SELECT ?g ?x ?s { ?x ?y ?o GRAPH ?g { ?s ?p ?o } }", "application/sparql-query", params,
             accept=RESULT_TYPES[1])
    rows = {(b["g"]["value"], b["x"]["value"]) for b in r.json()["results"]["bindings"]}
    assert rows == {(D + "data1.rdf", D + "data3.rdf"), (D + "data2.rdf", D + "data3.rdf")}


def test_query_multiple_dataset(server, data):  # the protocol's dataset replaces FROM
    params = f"?default-graph-uri={quote(D + 'data2.rdf', safe='')}"
    assert not ask(server, f"ASK FROM <{D}data1.rdf> {{ <{D}data1.rdf> ?p ?o }}", params)
    assert ask(server, f"ASK FROM <{D}data1.rdf> {{ <{D}data2.rdf> ?p ?o }}", params)


@pytest.mark.parametrize("query, types", [("SELECT (1 AS ?value) {}", RESULT_TYPES), ("ASK {}", RESULT_TYPES[:2]),
                                          ("DESCRIBE <http://example.org/>", GRAPH_TYPES),
                                          ("CONSTRUCT { <s> <p> 1 } WHERE {}", GRAPH_TYPES)])
def test_query_content_type(server, query, types):
    r = post(server, query.encode(), "application/sparql-query",
             accept=", ".join(types) if types is GRAPH_TYPES else None)
    assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] in types, r.text


def test_query_content_type_construct_resolves_against_the_endpoint(server):
    r = post(server, b"CONSTRUCT { <s> <p> 1 } WHERE {}", "application/sparql-query", accept="application/n-triples")
    assert r.text.startswith(f"<{server.url}/s> <{server.url}/p> ")


@pytest.mark.parametrize("using, inserted", [
    (["data1.rdf"], ["data1.rdf"]),                                   # update_dataset_default_graph
    (["data1.rdf", "data2.rdf"], ["data1.rdf", "data2.rdf"]),          # update_dataset_default_graphs
])
def test_update_dataset_default_graphs(server, using, inserted):
    target = "http://example.org/protocol-update-dataset-test/"
    params = "?" + "&".join(f"using-graph-uri={quote(D + g, safe='')}" for g in using)
    update(server, PROLOGUE + DATA + f" ; INSERT {{ GRAPH <{target}> {{ ?s a dc:BibliographicResource }} }} "
                                     f"WHERE {{ ?s a foaf:Document }}", params)
    found = {g for g in ("data1.rdf", "data2.rdf", "data3.rdf")
             if ask(server, f"ASK {{ GRAPH <{target}> {{ <{D}{g}> a <{DC}BibliographicResource> }} }}")}
    assert found == set(inserted)


def test_update_dataset_named_graphs(server):
    target = "http://example.org/protocol-update-dataset-named-graphs-test/"
    params = "?" + "&".join(f"using-named-graph-uri={quote(D + g, safe='')}" for g in ("data1.rdf", "data2.rdf"))
    update(server, PROLOGUE + DATA + f" ; INSERT {{ GRAPH <{target}> {{ ?s a dc:BibliographicResource }} }} "
                                     f"WHERE {{ GRAPH ?g {{ ?s a foaf:Document }} }}", params)
    found = {g for g in ("data1.rdf", "data2.rdf", "data3.rdf")
             if ask(server, f"ASK {{ GRAPH <{target}> {{ <{D}{g}> a <{DC}BibliographicResource> }} }}")}
    assert found == {"data1.rdf", "data2.rdf"}


def test_update_dataset_full(server):
    target = "http://example.org/protocol-update-dataset-full-test/"
    params = (f"?using-graph-uri={quote(D + 'data3.rdf', safe='')}&using-named-graph-uri={quote(D + 'data1.rdf', safe='')}"
              f"&using-named-graph-uri={quote(D + 'data2.rdf', safe='')}")
    update(server, PROLOGUE + DATA + f" ; INSERT {{ GRAPH <{target}> {{ ?s a dc:BibliographicResource ; dc:source ?x }} }}"
                                     f" WHERE {{ ?x a foaf:Document GRAPH ?g {{ ?s a foaf:Document }} }}", params)
    r = post(server, (PROLOGUE + f"SELECT ?s ?x {{ GRAPH <{target}> {{ ?s dc:source ?x }} }}").encode(), "application/sparql-query",
             accept=RESULT_TYPES[1])
    rows = {(b["s"]["value"], b["x"]["value"]) for b in r.json()["results"]["bindings"]}
    assert rows == {(D + "data1.rdf", D + "data3.rdf"), (D + "data2.rdf", D + "data3.rdf")}


def test_update_post_form_and_direct(server):
    assert post(server, b"update=CLEAR%20ALL", FORM).status_code in (200, 204)
    assert post(server, b"CLEAR ALL", "application/sparql-update").status_code in (200, 204)


def test_update_base_uri(server):
    g = "http://example.org/protocol-base-test/"
    update(server, f"INSERT DATA {{ GRAPH <{g}> {{ <x:a> <x:b> <x:c> }} }}")  # Oxigraph: CLEAR of no graph fails
    update(server, f"CLEAR GRAPH <{g}> ; INSERT DATA {{ GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> <test> }} }}")
    r = post(server, f"SELECT ?o WHERE {{ GRAPH <{g}> {{ <http://example.org/s> <http://example.org/p> ?o }} }}".encode(),
             "application/sparql-query", accept=RESULT_TYPES[1])
    value = r.json()["results"]["bindings"][0]["o"]["value"]
    assert value == f"{server.url}/test"  # resolved against the endpoint's URL
