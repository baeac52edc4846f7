"""Writes against a real `kg serve` with KG_UPDATE_TOKEN: SPARQL update, Graph Store Protocol, POST /ingest,
each refused without the token (and with a wrong one); a --read-only server refuses them all."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import requests

from web_support import BASE, TOKEN, start_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
G = "http://example.org/graph/test"


@pytest.fixture(scope="module", params=["embedded", "remote"])
def server(tmp_path_factory, request):
    """The write tests run on the embedded store and on a remote store (a real `oxigraph serve`)."""
    s = start_server(tmp_path_factory, "write", env={"KG_UPDATE_TOKEN": TOKEN}, remote=request.param == "remote")
    yield s
    s.stop()


def ask(server, query) -> bool:
    r = requests.get(server.url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return r.json()["boolean"]


@pytest.mark.parametrize("headers,status", [({}, 401), ({"Authorization": "Bearer wrong"}, 403),
                                            ({"Authorization": f"Basic {TOKEN}"}, 403)])
def test_writes_need_the_token(server, headers, status):
    assert requests.post(server.url + "/update", data={"update": "CLEAR ALL"}, headers=headers).status_code == status
    assert requests.put(server.url + "/store", params={"graph": G}, data=b"<a:s> <a:p> <a:o> .",
                        headers={"Content-Type": "application/n-triples", **headers}).status_code == status
    assert requests.delete(server.url + "/store", params={"graph": BASE + "article/web-1-c4719afa76"},
                           headers=headers).status_code == status
    assert requests.post(server.url + "/ingest", data=b"Text.", headers={"Content-Type": "text/plain", **headers}
                         ).status_code == status
    assert ask(server, "ASK { ?a a kg:Article }")


def test_update_by_form_and_direct(server):
    r = requests.post(server.url + "/sparql", data={"update": f"INSERT DATA {{ GRAPH <{G}> {{ <urn:a> <urn:p> 1 }} }}"},
                      headers=AUTH)
    assert r.status_code == 204
    assert ask(server, "ASK { <urn:a> <urn:p> 1 }")
    r = requests.post(server.url + "/update", data=f"DELETE DATA {{ GRAPH <{G}> {{ <urn:a> <urn:p> 1 }} }}".encode(),
                      headers={"Content-Type": "application/sparql-update", **AUTH})
    assert r.status_code == 204
    assert not ask(server, "ASK { <urn:a> <urn:p> 1 }")
    bad = requests.post(server.url + "/update", data={"update": "INSERT DATA { <a> <b> }"}, headers=AUTH)
    assert bad.status_code == 400 and "malformed SPARQL" in bad.text
    load = requests.post(server.url + "/update", data={"update": "LOAD <http://127.0.0.1:9/x.ttl>"}, headers=AUTH)
    assert load.status_code == 403 and "KG_ALLOW_FEDERATION" in load.text
    assert requests.get(server.url + "/update").status_code == 405


def test_graph_store_protocol(server):
    url = server.url + "/store"
    turtle = b"@prefix ex: <http://example.org/> . ex:a ex:p ex:b ."
    r = requests.put(url, params={"graph": G + "/2"}, data=turtle, headers={"Content-Type": "text/turtle", **AUTH})
    assert r.status_code == 201
    r = requests.put(url, params={"graph": G + "/2"}, data=turtle, headers={"Content-Type": "text/turtle", **AUTH})
    assert r.status_code == 204  # replaced, not duplicated
    r = requests.post(url, params={"graph": G + "/2"}, data=b'<http://example.org/a> <http://example.org/q> "x" .',
                      headers={"Content-Type": "application/n-triples", **AUTH})
    assert r.status_code == 204
    got = requests.get(url, params={"graph": G + "/2"}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and len(list(ox.parse(got.content, ox.RdfFormat.N_TRIPLES))) == 2
    assert requests.head(url, params={"graph": G + "/2"}).status_code == 200
    bad = requests.put(url, params={"graph": G + "/2"}, data=b"not turtle", headers={"Content-Type": "text/turtle", **AUTH})
    assert bad.status_code == 400
    assert requests.put(url, params={"graph": G + "/2"}, data=turtle,
                        headers={"Content-Type": "application/pdf", **AUTH}).status_code == 415
    assert requests.delete(url, params={"graph": G + "/2"}, headers=AUTH).status_code == 204
    assert requests.get(url, params={"graph": G + "/2"}).status_code == 404
    assert requests.delete(url, params={"graph": G + "/2"}, headers=AUTH).status_code == 404
    # the default graph, and the whole dataset
    r = requests.put(url + "?default", data=b"<urn:d> <urn:p> <urn:o> .",
                     headers={"Content-Type": "application/n-triples", **AUTH})
    assert r.status_code == 204 and ask(server, "ASK { <urn:d> <urn:p> <urn:o> }")
    whole = requests.get(url, headers={"Accept": "application/n-quads"})
    graphs = {q.graph_name.value for q in ox.parse(whole.content, ox.RdfFormat.N_QUADS)
              if isinstance(q.graph_name, ox.NamedNode)}
    assert BASE + "article/web-1-c4719afa76" in graphs
    assert requests.get(url, params={"graph": "x", "default": ""}).status_code == 400


def test_ingest_json_and_text_queryable_at_once(server):
    article = {"id": "http-1", "title": "Rome talks", "date": "2024-05-01",
               "text": "Giorgia Meloni met Olaf Scholz in Rome on Friday."}
    r = requests.post(server.url + "/ingest", json=article, headers=AUTH)
    assert r.status_code == 200, r.text
    summary = r.json()
    assert summary["written"] == 1 and summary["articles"][0].startswith(BASE + "article/http-1")
    assert ask(server, 'ASK { ?a schema:headline "Rome talks" ; schema:mentions ?e . ?e rdfs:label "Olaf Scholz" }')
    r = requests.post(server.url + "/ingest?title=Plain&id=http-2", data="Boris Johnson visited Kyiv.".encode(),
                      headers={"Content-Type": "text/plain", **AUTH})
    assert r.status_code == 200 and r.json()["written"] == 1
    assert ask(server, 'ASK { ?a schema:headline "Plain" }')
    again = requests.post(server.url + "/ingest", json={"articles": [article]}, headers=AUTH).json()
    assert again["unchanged"] == 1
    empty = requests.post(server.url + "/ingest", json={"title": "no text"}, headers=AUTH)
    assert empty.status_code == 400 and empty.json()["skipped"]
    assert requests.post(server.url + "/ingest", data=b"x", headers={"Content-Type": "application/pdf", **AUTH}
                         ).status_code == 415
    void = requests.get(server.url + "/.well-known/void", params={"format": "nt"}).text
    assert '"6"^^<http://www.w3.org/2001/XMLSchema#integer>' in void  # counts follow the writes
    assert f"<http://purl.org/dc/terms/source> <{server.url}/ingest>" in void  # the graph was updated from there


def test_service_description_lists_update(server):
    r = requests.get(server.url + "/sparql", params={"format": "nt"})
    assert "SPARQL11Update" in r.text


def test_read_only_server_refuses_writes(tmp_path_factory):
    s = start_server(tmp_path_factory, "readonly", env={"KG_UPDATE_TOKEN": TOKEN}, args=("--read-only",))
    try:
        r = requests.post(s.url + "/update", data={"update": "CLEAR ALL"}, headers=AUTH)
        assert r.status_code == 403 and "read-only" in r.text
        assert requests.post(s.url + "/ingest", json={"text": "x"}, headers=AUTH).status_code == 403
        assert ask(s, "ASK { ?a a kg:Article }")
    finally:
        s.stop()
