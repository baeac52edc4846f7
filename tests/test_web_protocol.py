"""SPARQL 1.1 Protocol over plain HTTP against a real `kg serve`: every request form, dataset parameters,
content negotiation, errors, service description, VoID, CORS, gzip, body cap, row cap, federation refusal."""
from __future__ import annotations

import csv
import gzip
import io
import json

import pyoxigraph as ox
import pytest
import requests

from conftest import empty_virtuoso
from web_support import BASE, MERKEL, PARIS, load_template, start_server

PERSONS = "SELECT DISTINCT ?p WHERE { ?p a kg:Person } ORDER BY ?p"
ARTICLE_1 = BASE + "article/web-1-c4719afa76"
ARTICLE_3 = BASE + "article/web-3-9f11eb4e46"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory, "protocol", env={"KG_MAX_ROWS": "500", "KG_MAX_BODY": "200000"})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def remote_server(tmp_path_factory):
    """The same server over a remote store: the template store served by a real `oxigraph serve`."""
    s = start_server(tmp_path_factory, "protocol-remote", remote=True)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def virtuoso_web(tmp_path_factory, virtuoso_server):
    """The same server over Virtuoso: the session's Virtuoso emptied and loaded with the template store."""
    location = load_template(tmp_path_factory, empty_virtuoso(virtuoso_server))
    s = start_server(tmp_path_factory, "protocol-virtuoso", location=location)
    yield s
    s.stop()


@pytest.fixture(params=["embedded", "remote", "virtuoso"])
def any_server(request):
    """For the tests that must hold on every store: pages, named queries, Graph Store reads."""
    return request.getfixturevalue({"embedded": "server", "remote": "remote_server"}.get(request.param,
                                                                                       "virtuoso_web"))


def select(server, query, method="GET", **kw):
    headers = {"Accept": "application/sparql-results+json", **kw.pop("headers", {})}
    if method == "GET":
        r = requests.get(server.url + "/sparql", params={"query": query, **kw.pop("params", {})}, headers=headers)
    else:
        r = requests.post(server.url + "/sparql", data={"query": query, **kw.pop("data", {})}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def values(result, var):
    return [b[var]["value"] for b in result["results"]["bindings"] if var in b]


def test_get_post_form_and_direct_post_agree(server):
    by_get = values(select(server, PERSONS), "p")
    by_form = values(select(server, PERSONS, "POST"), "p")
    r = requests.post(server.url + "/sparql", data=PERSONS.encode(),
                      headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    assert by_get == by_form == values(r.json(), "p")
    assert MERKEL in by_get and len(by_get) >= 3


def test_union_default_graph_and_dataset_parameters(server):
    q = "SELECT DISTINCT ?h WHERE { ?a schema:headline ?h } ORDER BY ?h"
    assert len(values(select(server, q), "h")) == 4  # the union of the article graphs
    one = select(server, q, params={"default-graph-uri": ARTICLE_1})
    assert values(one, "h") == ["Leaders meet in Paris"]
    two = select(server, q, params={"default-graph-uri": [ARTICLE_1, ARTICLE_3]})
    assert values(two, "h") == ["Leaders meet in Paris", "Storm hits Lisbon"]
    # the protocol's dataset overrides FROM in the query
    with_from = f"SELECT DISTINCT ?h FROM <{ARTICLE_3}> WHERE {{ ?a schema:headline ?h }}"
    assert values(select(server, with_from), "h") == ["Storm hits Lisbon"]  # FROM respected...
    assert values(select(server, with_from, params={"default-graph-uri": ARTICLE_1}), "h") == ["Leaders meet in Paris"]
    named = select(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", params={"named-graph-uri": ARTICLE_1})
    assert values(named, "g") == [ARTICLE_1]
    empty_default = select(server, q, params={"named-graph-uri": ARTICLE_1})
    assert values(empty_default, "h") == []


def test_ask_construct_describe(server):
    r = requests.get(server.url + "/sparql", params={"query": f"ASK {{ <{MERKEL}> a kg:Person }}"},
                     headers={"Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True
    r = requests.get(server.url + "/sparql", params={"query": f"DESCRIBE <{MERKEL}>"},
                     headers={"Accept": "text/turtle"})
    assert r.headers["Content-Type"].startswith("text/turtle")
    triples = [q.triple for q in ox.parse(r.content, ox.RdfFormat.TURTLE)]
    assert ox.Triple(ox.NamedNode(MERKEL), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("https://w3id.org/kg-news/ns#Person")) in triples


@pytest.mark.parametrize("accept,media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*;q=0.8, application/sparql-results+json;q=0.1", "text/csv"),
    ("*/*", "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
    ("text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8", "application/sparql-results+xml"),
])
def test_select_content_negotiation(server, accept, media):
    r = requests.get(server.url + "/sparql", params={"query": PERSONS}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["Content-Type"].split(";")[0] == media
    if media == "text/csv":  # pyoxigraph does not parse CSV results (lossy): the csv module does
        rows = list(csv.DictReader(io.StringIO(r.text)))[:]
        assert MERKEL in [row["p"] for row in rows]
    else:
        fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
               "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media]
        rows = list(ox.parse_query_results(r.content, fmt))
        assert ox.NamedNode(MERKEL) in [row["p"] for row in rows]  # the body parses as the format it claims


@pytest.mark.parametrize("fmt,rdf", [("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                                     ("jsonld", ox.RdfFormat.JSON_LD), ("xml", ox.RdfFormat.RDF_XML),
                                     ("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS)])
def test_construct_formats_by_format_parameter(server, fmt, rdf):
    q = "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a kg:Person ; rdfs:label ?l }"
    r = requests.get(server.url + "/sparql", params={"query": q, "format": fmt})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].split(";")[0] == rdf.media_type
    labels = {q.object.value for q in ox.parse(r.content, rdf)}
    assert "Angela Merkel" in labels


def test_format_parameter_overrides_accept(server):
    r = requests.get(server.url + "/sparql", params={"query": PERSONS, "format": "csv"},
                     headers={"Accept": "application/sparql-results+json"})
    assert r.headers["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("request_kwargs,status,needle", [
    ({"method": "GET", "params": {"query": "SELEC ?x"}}, 400, "malformed SPARQL"),
    ({"method": "GET", "params": {"query": ["ASK {}", "ASK {}"]}}, 400, "exactly once"),
    ({"method": "POST", "data": {"nothing": "x"}}, 400, "missing"),
    ({"method": "POST", "data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, "exactly one"),
    ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400, "POST"),
    ({"method": "PUT", "data": "ASK {}"}, 405, ""),
    ({"method": "DELETE"}, 405, ""),
    ({"method": "POST", "data": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "Content-Type"),
    ({"method": "POST", "data": b"ASK {}", "headers": {"Content-Type": ""}}, 415, "Content-Type"),
    ({"method": "POST", "data": "ASK {}".encode("latin-1"),
      "headers": {"Content-Type": "application/sparql-query; charset=ISO-8859-1"}}, 415, "UTF-8"),
    ({"method": "POST", "data": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}}, 400, "UTF-8"),
    ({"method": "GET", "params": {"query": "ASK {}"}, "headers": {"Accept": "text/turtle"}}, 406, "Accept"),
    ({"method": "GET", "params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "csv"}}, 406, "not available"),
    ({"method": "GET", "params": {"query": "ASK {}", "format": "docx"}}, 400, "unknown format"),
    ({"method": "GET", "params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400, "IRI"),
])
def test_protocol_errors(server, request_kwargs, status, needle):
    kw = dict(request_kwargs)
    r = requests.request(kw.pop("method"), server.url + "/sparql", **kw)
    assert r.status_code == status, r.text
    assert needle in r.text


def test_malformed_query_message_points_at_the_error(server):
    r = requests.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400 and "line 1, column" in r.text and r.headers["Content-Type"].startswith("text/plain")


def test_service_description(server):
    r = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = list(ox.parse(r.content, ox.RdfFormat.TURTLE))
    SD = "http://www.w3.org/ns/sparql-service-description#"
    objects = {(t.predicate.value, t.object.value) for t in g}
    assert (SD + "endpoint", server.url + "/sparql") in objects
    assert (SD + "feature", SD + "UnionDefaultGraph") in objects
    assert (SD + "resultFormat", "http://www.w3.org/ns/formats/SPARQL_Results_JSON") in objects
    assert (SD + "name", ARTICLE_1) in objects
    assert (SD + "supportedLanguage", SD + "SPARQL11Update") not in objects  # no token on this server


def test_void_counts(server):
    r = requests.get(server.url + "/.well-known/void", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    VOID = "http://rdfs.org/ns/void#"
    facts = {t.predicate.value: t.object.value for t in ox.parse(r.content, ox.RdfFormat.N_TRIPLES)
             if isinstance(t.object, ox.Literal) and isinstance(t.subject, ox.NamedNode)}  # the dataset's own
    assert int(facts[VOID + "documents"]) == 4
    assert int(facts[VOID + "triples"]) > 400
    assert facts[VOID + "uriSpace"] == BASE


def test_row_cap_and_streaming(server):
    q = "SELECT ?a ?b WHERE { ?a a kg:Mention . ?b a kg:Mention }"  # 25 x 25 rows > KG_MAX_ROWS=500
    r = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["KG-Row-Limit"] == "500"
    assert len(r.text.strip().splitlines()) == 501  # header + 500 rows


def test_large_result_is_streamed_whole(server):
    q = "SELECT ?a ?b ?t WHERE { ?a a kg:Mention . ?b a kg:Mention . ?c nif:isString ?t } LIMIT 400"
    r = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.headers.get("Transfer-Encoding") == "chunked" or len(r.content) < 64 * 1024
    assert len(r.json()["results"]["bindings"]) == 400


def test_federation_refused_without_allow_list(server):
    for q in ["SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
              "PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE SILENT ex:sparql { ?s ?p ?o } }",
              "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }"]:
        r = requests.get(server.url + "/sparql", params={"query": q})
        assert r.status_code == 403 and "KG_ALLOW_FEDERATION" in r.text
    harmless = 'SELECT ?x WHERE { BIND("SERVICE <http://evil/>" AS ?x) } # SERVICE <http://evil/>'
    assert requests.get(server.url + "/sparql", params={"query": harmless}).status_code == 200


def test_update_and_load_refused_without_token(server):
    r = requests.post(server.url + "/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 403 and "KG_UPDATE_TOKEN" in r.text
    r = requests.post(server.url + "/update", data=b"LOAD <http://127.0.0.1:9/x.ttl>",
                      headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    assert len(values(select(server, PERSONS), "p")) >= 3  # nothing was cleared


def test_cors(server):
    r = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "http://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = requests.options(server.url + "/sparql", headers={"Origin": "http://example.org",
                                                          "Access-Control-Request-Method": "POST"})
    assert r.status_code == 200 and "POST" in r.headers["Access-Control-Allow-Methods"]
    r = requests.post(server.url + "/update", data={"update": "CLEAR ALL"}, headers={"Origin": "http://example.org"})
    assert "Access-Control-Allow-Origin" not in r.headers  # writes are never cross-site


def test_gzip(server):
    q = "SELECT * WHERE { ?s ?p ?o }"
    r = requests.get(server.url + "/sparql", params={"query": q}, headers={"Accept-Encoding": "gzip"}, stream=True)
    assert r.headers["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(r.raw.read()))
    assert len(body["results"]["bindings"]) == 500  # the row cap


def test_body_cap(server):
    big = "ASK {} #" + "x" * 300_000
    r = requests.post(server.url + "/sparql", data=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_health(server):
    r = requests.get(server.url + "/health")
    assert r.json()["status"] == "ok" and r.json()["writes"] is False


def test_named_queries_over_http(any_server):
    server = any_server
    listing = requests.get(server.url + "/queries", headers={"Accept": "application/json"}).json()
    names = {q["name"] for q in listing}
    assert {"people_most_mentioned", "articles_mentioning", "claims_by_source"} <= names
    html = requests.get(server.url + "/queries", headers={"Accept": "text/html"})
    assert "People most mentioned" in html.text
    r = requests.get(server.url + "/queries/articles_mentioning", params={"entity": PARIS, "format": "json"})
    assert values(r.json(), "article") == [ARTICLE_1]
    r = requests.get(server.url + "/queries/people_most_mentioned", params={"min_mentions": "3"},
                     headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and all(int(row["mentions"]) >= 3 for row in rows)
    assert requests.get(server.url + "/queries/articles_mentioning").status_code == 400  # required parameter
    assert requests.get(server.url + "/queries/nope").status_code == 404
    bad = requests.get(server.url + "/queries/people_most_mentioned", params={"min_mentions": "3 } ; DROP ALL"})
    assert bad.status_code == 400 and "invalid value" in bad.text


def test_entity_and_article_pages(any_server):
    server = any_server
    html = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    costa = requests.get(server.url + "/entity/person/antonio-costa", headers=html)
    assert costa.status_code == 200 and costa.headers["Content-Type"].startswith("text/html")
    assert 'id="roles"' in costa.text and "Prime Minister" in costa.text
    assert 'id="events"' in costa.text and 'id="mentions"' in costa.text and "<mark>Costa</mark>" in costa.text
    merkel = requests.get(server.url + "/entity/person/angela-merkel", headers=html)
    assert 'href="/entity/person/emmanuel-macron"' in merkel.text  # related entities link to their pages
    ttl = requests.get(server.url + "/entity/person/angela-merkel", headers={"Accept": "text/turtle"})
    assert ttl.headers["Content-Type"].startswith("text/turtle")
    labels = {q.object.value for q in ox.parse(ttl.content, ox.RdfFormat.TURTLE)
              if q.predicate.value.endswith("#label")}
    assert labels == {"Angela Merkel"}
    jsonld = requests.get(server.url + "/entity/person/angela-merkel", headers={"Accept": "application/ld+json"})
    assert any(t.subject.value == MERKEL for t in ox.parse(jsonld.content, ox.RdfFormat.JSON_LD))
    article = requests.get(server.url + "/article/web-1-c4719afa76", headers=html)
    assert "Leaders meet in Paris" in article.text and 'class="mention entity place"' in article.text
    graph = requests.get(server.url + "/article/web-1-c4719afa76", params={"format": "nt"})
    assert ARTICLE_1 in graph.text
    assert requests.get(server.url + "/entity/person/nobody", headers=html).status_code == 404


def test_graph_store_reads_and_article_rdf(any_server):
    """Reads of one graph through the Graph Store Protocol and an article page as RDF, on every store."""
    url = any_server.url
    got = requests.get(url + "/store", params={"graph": ARTICLE_1}, headers={"Accept": "text/turtle"})
    assert got.status_code == 200, got.text
    triples = list(ox.parse(got.content, ox.RdfFormat.TURTLE))
    assert any(t.subject.value == ARTICLE_1 and t.object.value == "Leaders meet in Paris" for t in triples)
    page = requests.get(url + "/article/web-1-c4719afa76", headers={"Accept": "text/turtle"})
    assert page.status_code == 200 and len(list(ox.parse(page.content, ox.RdfFormat.TURTLE))) == len(triples)
    assert requests.get(url + "/store", params={"graph": BASE + "article/nope"}).status_code == 404
    registry = requests.get(url + "/store", params={"graph": BASE + "graph/entities"}, headers={"Accept": "application/n-triples"})
    labels = [t for t in ox.parse(registry.content, ox.RdfFormat.N_TRIPLES)
              if t.subject.value == MERKEL and t.predicate.value.endswith("#label")]
    assert len(labels) == 1


def test_protocol_answers_as_the_embedded_store(any_server, server):
    """Every query form through the protocol, on every store, against the embedded store's answers."""
    def answers(s):
        count = values(select(s, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "POST"), "n")
        graphs = values(select(s, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"), "g")
        asks = [requests.get(s.url + "/sparql", params={"query": f"ASK {{ <{MERKEL}> a {c} }}"},
                             headers={"Accept": "application/sparql-results+json"}).json()["boolean"]
                for c in ("kg:Person", "kg:Place")]
        q = "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a kg:Person ; rdfs:label ?l }"
        ttl = requests.get(s.url + "/sparql", params={"query": q}, headers={"Accept": "text/turtle"})
        return count, graphs, asks, set(ox.parse(ttl.content, ox.RdfFormat.TURTLE))

    got, expected = answers(any_server), answers(server)
    assert got == expected and expected[2] == [True, False] and len(expected[3]) >= 3
