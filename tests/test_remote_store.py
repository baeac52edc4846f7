"""The remote store (`--store sparql+http://...`) against a real `oxigraph serve` on a free loopback port."""
import io

import pyoxigraph as ox
import pytest

from conftest import ROOT, empty_virtuoso, run_kg
from test_registry import assert_counts_are_exact
from kg.bench import servers
from kg.bench.compare import canonical_quads
from kg.errors import StoreError
from kg.readers.files import read_paths
from kg.store.remote import RemoteStore, bind_values, parse_location

EXAMPLES = str(ROOT / "examples")


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request, tmp_path):
    """An empty SPARQL server: a fresh `oxigraph serve` (on-disk, in tmp_path), or the session's Virtuoso
    emptied; yields the remote store URL."""
    if request.param == "virtuoso":
        yield empty_virtuoso(request.getfixturevalue("virtuoso_server"))
        return
    port = servers.free_port()
    with servers.oxigraph(str(tmp_path / "oxigraph"), port):
        yield f"sparql+http://127.0.0.1:{port}"


@pytest.fixture
def remote_kg(server, nlp):
    from kg import KnowledgeGraph

    kg = KnowledgeGraph(server)
    yield kg
    kg.close()


@pytest.fixture(scope="module")
def articles():
    return [a for a in read_paths([EXAMPLES]) if hasattr(a, "text")]


def test_locations_map_to_endpoints():
    e = parse_location("sparql+http://127.0.0.1:7878")
    assert (e.query, e.update, e.store, e.union) == ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                                                     "http://127.0.0.1:7878/store", "param")
    fuseki = parse_location("sparql+https://h:3030/ds?store=data&union=server")
    assert (fuseki.query, fuseki.update, fuseki.store) == ("https://h:3030/ds/query", "https://h:3030/ds/update",
                                                          "https://h:3030/ds/data")
    virtuoso = parse_location("sparql+http://dba:pw@h:8890/?update=/sparql-auth&auth=digest&dialect=virtuoso")
    assert (virtuoso.query, virtuoso.update, virtuoso.store, virtuoso.union) == (
        "http://h:8890/sparql", "http://h:8890/sparql-auth", None, "server")
    assert virtuoso.auth.username == "dba" and virtuoso.dialect.name == "virtuoso"
    with pytest.raises(StoreError, match="dialect"):
        parse_location("sparql+http://h:8890/?dialect=other")
    with pytest.raises(StoreError):
        parse_location("sparql+ftp://h/")


def test_parameters_are_bound_as_values_in_the_where_group():
    q = bind_values("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?o } GROUP BY ?a", {ox.Variable("a"): ox.NamedNode("http://x/")})
    assert q == "SELECT (COUNT(*) AS ?n) WHERE { VALUES (?a) { (<http://x/>) }  ?a ?p ?o } GROUP BY ?a"


def test_remote_ingest_equals_embedded_ingest(remote_kg, make_kg, articles):
    remote, local = remote_kg, make_kg("local")
    assert isinstance(remote.store, RemoteStore)
    s = remote.ingest(articles)
    assert s.written == len(articles) and local.ingest(articles).triples == s.triples
    assert canonical_quads(remote.store) == canonical_quads(local.store)
    assert remote.stats() == local.stats()
    assert assert_counts_are_exact(remote) == remote.stats()["mentions"]  # the registry counts, on the server
    # unchanged articles are skipped on the server too; --force replaces each graph atomically (no duplicates)
    assert remote.ingest(articles).unchanged == len(articles)
    forced = remote.ingest(articles, force=True)
    assert forced.written == len(articles) and remote.stats()["articles"] == len(articles)
    assert canonical_quads(remote.store) == canonical_quads(local.store)


def test_query_forms_and_export(remote_kg, articles):
    kg = remote_kg
    kg.ingest(articles[:2])
    a = next(iter(kg.query("SELECT ?a WHERE { ?a a kg:Article } ORDER BY ?a LIMIT 1")))["a"]
    rows = list(kg.query("SELECT ?a ?t WHERE { ?a schema:headline ?t }", substitutions={ox.Variable("a"): a}))
    assert len(rows) == 1 and rows[0]["t"].value
    assert bool(kg.query("ASK { ?a a kg:Article }"))
    assert not list(kg.query("SELECT * WHERE { ?s ?p ?o }", union=False))  # nothing in the real default graph
    described = kg.query(f"DESCRIBE <{a.value}>")
    assert all(isinstance(t, ox.Triple) for t in described) and len(described) > 5
    with pytest.raises(SyntaxError):
        kg.query("SELECT WHERE {")
    nq, ttl = io.BytesIO(), io.BytesIO()
    kg.export(nq, "nq")
    kg.export(ttl, "turtle")
    quads = list(ox.parse(nq.getvalue(), ox.RdfFormat.N_QUADS))
    assert len(quads) == kg.stats()["triples"]
    assert len(list(ox.parse(ttl.getvalue(), ox.RdfFormat.TURTLE))) <= len(quads)


@pytest.mark.parametrize("gsp", [True, False], ids=["graph-store-protocol", "insert-data"])
def test_bulk_load_of_an_export(server, make_kg, articles, gsp):
    source = make_kg("local")
    source.ingest(articles[:2])
    data = io.BytesIO()
    source.export(data, "nq")
    target = RemoteStore(server if gsp else server + ("&" if "?" in server else "?") + "store=")
    target.bulk_load(data.getvalue(), ox.RdfFormat.N_QUADS)
    assert canonical_quads(target) == canonical_quads(source.store)
    target.close()


def test_cli_verbs_work_unchanged_on_the_remote_store(server):
    env = {"KG_STORE": server}
    r = run_kg("ingest", "-q", "--workers", "2", EXAMPLES, env=env)
    assert r.returncode == 0, r.stderr.decode()
    stats = run_kg("stats", env=env).stdout.decode()
    assert "articles" in stats and " 5" in stats.splitlines()[0]
    out = run_kg("query", "-f", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }", env=env)
    assert out.stdout.decode().split() == ["n", "5"]
    export = run_kg("export", "-f", "nt", env=env)
    assert export.returncode == 0 and export.stdout.count(b"\n") > 100
    valid = run_kg("validate", env=env)
    # 5 article graphs, the run's graph, {base}graph/entities and {base}graph/sources
    assert valid.returncode == 0 and "0 violation(s) in 8 graph(s)" in valid.stdout.decode(), valid.stdout.decode()
