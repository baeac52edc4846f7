"""Real SPARQL clients against a real `kg serve`: SPARQLWrapper (every query form and format), rdflib's
SPARQLStore as a remote store, and federation both ways (pyoxigraph SERVICE to us; us to `oxigraph serve`
when KG_ALLOW_FEDERATION lists it)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from web_support import MERKEL, free_port, start_server

SELECT = ("PREFIX kg: <https://w3id.org/kg-news/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT DISTINCT ?p ?l WHERE { ?p a kg:Person ; rdfs:label ?l } ORDER BY ?l")
CONSTRUCT = ("PREFIX kg: <https://w3id.org/kg-news/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a kg:Person ; rdfs:label ?l }")


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    """`oxigraph serve` with one small graph: the endpoint our server may federate to."""
    exe = Path(sys.executable).with_name("oxigraph")
    if not exe.exists():
        pytest.skip("oxigraph (PyPI package 'oxigraph') is not installed")
    data = tmp_path_factory.mktemp("remote")
    (data / "d.nt").write_text('<http://example.org/merkel> <http://example.org/born> "1954" .\n')
    subprocess.run([str(exe), "load", "--location", str(data / "db"), "--file", str(data / "d.nt")], check=True,
                   capture_output=True)
    port = free_port()
    proc = subprocess.Popen([str(exe), "serve-read-only", "--location", str(data / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory, remote):
    s = start_server(tmp_path_factory, "clients", env={"KG_ALLOW_FEDERATION": remote})
    yield s
    s.stop()


def wrapper(server, query, fmt, method="GET"):
    w = SPARQLWrapper(server.url + "/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    return w.query()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_json(server, method):
    data = wrapper(server, SELECT, JSON, method).convert()
    labels = [b["l"]["value"] for b in data["results"]["bindings"]]
    assert "Angela Merkel" in labels and labels == sorted(labels)


def test_sparqlwrapper_select_xml_csv_tsv(server):
    xml = wrapper(server, SELECT, XML).convert()
    assert "Angela Merkel" in [n.firstChild.data for n in xml.getElementsByTagName("literal")]
    assert b"Angela Merkel" in wrapper(server, SELECT, CSV).convert()
    assert b'"Angela Merkel"' in wrapper(server, SELECT, TSV).convert()


def test_sparqlwrapper_ask(server):
    assert wrapper(server, f"ASK {{ <{MERKEL}> ?p ?o }}", JSON).convert()["boolean"] is True
    assert wrapper(server, "ASK { <urn:none> ?p ?o }", XML).convert().getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD, XML])
def test_sparqlwrapper_construct_and_describe(server, fmt):
    g = wrapper(server, CONSTRUCT, fmt).convert()
    if not isinstance(g, Graph):  # SPARQLWrapper returns bytes for some formats
        parsed = Graph()
        parsed.parse(data=g, format={TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}.get(fmt, "xml"))
        g = parsed
    assert "Angela Merkel" in {str(o) for o in g.objects(URIRef(MERKEL))}
    d = wrapper(server, f"DESCRIBE <{MERKEL}>", RDFXML).convert()
    assert len(d) > 2


def test_rdflib_sparqlstore(server):
    g = Graph(store=SPARQLStore(server.url + "/sparql", returnFormat="json"))
    rows = list(g.query(SELECT))
    assert "Angela Merkel" in [str(r.l) for r in rows]
    assert (URIRef(MERKEL), None, None) in g
    assert len(list(g.triples((URIRef(MERKEL), None, None)))) >= 2


def test_pyoxigraph_federates_to_us(server):
    local = ox.Store()
    q = (f"SELECT ?l WHERE {{ SERVICE <{server.url}/sparql> {{ <{MERKEL}> "
         f"<http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}")
    assert {r["l"].value for r in local.query(q)} == {"Angela Merkel"}


def test_we_federate_only_to_allowed_endpoints(server, remote):
    q = (f"SELECT DISTINCT ?born WHERE {{ <{MERKEL}> rdfs:label ?l . "
         f"SERVICE <{remote}> {{ <http://example.org/merkel> <http://example.org/born> ?born }} }}")
    r = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert [b["born"]["value"] for b in r.json()["results"]["bindings"]] == ["1954"]
    other = q.replace(remote, remote.replace("/query", "/other"))
    assert requests.get(server.url + "/sparql", params={"query": other}).status_code == 403
