"""`kg export` on a real store built from examples/, through the real CLI (click's runner): every format passes
`kg validate` and parses back (rdflib) to the store's content; Turtle/TriG read like hand-written files; --graph
keeps the graph name; --query exports a CONSTRUCT; --network writes a co-mention network networkx reads back."""
import csv
import io
import json
import re
from collections import Counter
from itertools import combinations

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Dataset, Literal, URIRef

from conftest import ROOT
from kg.cli.main import main

BASE = "http://localhost:5000/"
EXT = {"turtle": "ttl", "nt": "nt", "nq": "nq", "trig": "trig", "jsonld": "jsonld", "xml": "rdf"}
QUAD_FORMATS = ("nq", "trig", "jsonld")
PARSE_AS = {"turtle": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "xml": "xml"}
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
PERSON = (RDF.type, URIRef("https://w3id.org/kg-news/ns#Person"))
PERSONS = "CONSTRUCT { ?e a kg:Person ; rdfs:label ?l } WHERE { ?e a kg:Person ; rdfs:label ?l }"


def plain(term):
    """rdflib parsers give simple literals no datatype; oxrdflib gives them xsd:string (RDF 1.1: the same)."""
    return Literal(str(term), lang=term.language) if isinstance(term, Literal) and term.datatype == XSD_STRING else term


def quads_of(data: bytes, fmt: str) -> set:
    ds = Dataset()
    ds.parse(data=data, format=PARSE_AS[fmt], publicID=BASE)
    return {(s, p, plain(o), str(g)) for s, p, o, g in ds.quads((None, None, None, None))}


def triples(quads: set) -> set:
    return {q[:3] for q in quads}


def kg_cli(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def store(tmp_path_factory, nlp):
    """A store built from examples/ and its content as pyoxigraph itself writes it (N-Quads, parsed by rdflib)."""
    from kg import KnowledgeGraph

    path = tmp_path_factory.mktemp("export") / "store"
    with KnowledgeGraph(str(path)) as kg:
        assert kg.ingest_files([str(ROOT / "examples")]).written >= 4
        out = io.BytesIO()
        kg.store.dump(out, ox.RdfFormat.N_QUADS)
        mentioned = {r["a"].value: set() for r in kg.query("SELECT ?a WHERE { ?a a kg:Article }")}
        for r in kg.query("SELECT DISTINCT ?a ?e WHERE { ?a a kg:Article ; schema:mentions ?e }"):
            mentioned[r["a"].value].add(r["e"].value)  # per article, the entities it mentions
    return path, quads_of(out.getvalue(), "nq"), mentioned


@pytest.mark.parametrize("fmt", list(EXT))
def test_every_format_of_a_whole_store_export_validates_and_round_trips(store, tmp_path, fmt):
    path, reference, _ = store
    out = tmp_path / f"out.{EXT[fmt]}"
    assert kg_cli("export", "--store", path, "-o", out) == (0, "")
    code, report = kg_cli("validate", out)
    assert code == 0 and "0 violation(s)" in report, report
    exported = quads_of(out.read_bytes(), fmt)
    if fmt in QUAD_FORMATS:  # every named graph, by name
        assert exported == reference
    else:  # the merged view
        assert triples(exported) == triples(reference)


def _expand(token: str, prefixes: dict) -> str:
    if token.startswith("<"):
        return BASE + token[1:-1] if not re.match(r"<[a-z][a-z0-9+.-]*:", token) else token[1:-1]
    prefix, local = token.split(":", 1)
    return prefixes[prefix] + local


def _without_strings(text: str) -> str:
    return re.sub(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"', '""', text, flags=re.S)


def _own_iri_share(text: str) -> tuple[int, int]:
    """(own IRIs written in full, own IRIs written), strings left out."""
    body = _without_strings(text)
    prefixes = dict(re.findall(r"^@prefix (\S*): <([^>]*)> \.$", body, re.M))
    body = "\n".join(line for line in body.splitlines() if not line.startswith("@"))
    own = [p for p, ns in prefixes.items() if ns.startswith(BASE)]
    full = len(re.findall(rf"<{re.escape(BASE)}", body))
    relative = len(re.findall(r"<(?![a-z][a-z0-9+.-]*:)[^>]*>", body))
    prefixed = sum(len(re.findall(rf"(?<![\w:]){p}:", body)) for p in own)
    return full, full + relative + prefixed


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_turtle_and_trig_read_like_hand_written_files(store, tmp_path, fmt):
    path, reference, _ = store
    out = tmp_path / f"out.{EXT[fmt]}"
    assert kg_cli("export", "--store", path, "-f", fmt, "-o", out)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"@base <{BASE}> .\n")
    prefixes = dict(re.findall(r"^@prefix (\S*): <([^>]*)> \.$", text, re.M))
    assert {"article", "entity", "kg", "schema", "nif", "itsrdf"} <= set(prefixes)
    assert prefixes["article"] == BASE + "article/" and prefixes["entity"] == BASE + "entity/"
    full, total = _own_iri_share(text)
    assert total > 300 and full < 0.01 * total
    # one block per subject (per graph), a blank line between blocks, subjects in order, mentions in text order
    indent = "    " if fmt == "trig" else ""
    body, subjects = _without_strings(text), 0
    chunks = re.findall(r"^\S+ \{\n(.*?)^\}$", body, re.M | re.S) if fmt == "trig" else [body.split("\n\n", 1)[1]]
    for chunk in chunks:
        blocks = chunk.rstrip("\n").split("\n\n")
        heads = [_expand(b[len(indent):].split(" ", 1)[0], prefixes) for b in blocks]
        assert all(b.startswith(indent) and not b.startswith(indent + " ") and b.endswith(" .") for b in blocks)
        assert len(heads) == len(set(heads))
        subjects += len(heads)
        articles = [h for h in heads if "#" not in h]
        assert articles == sorted(articles)
        for article in set(h.split("#")[0] for h in heads):
            begins = [int(m) for h in heads for m in re.findall(rf"^{re.escape(article)}#char=(\d+),", h)]
            assert begins == sorted(begins)
    assert subjects > 100
    graphs = {q[3] for q in quads_of(out.read_bytes(), fmt)}
    if fmt == "trig":
        assert graphs == {q[3] for q in reference}


def test_jsonld_is_compact_with_a_context(store, tmp_path):
    path, _, _ = store
    out = tmp_path / "out.jsonld"
    assert kg_cli("export", "--store", path, "-o", out)[0] == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"]["article"] == BASE + "article/" and doc["@context"]["kg"].startswith("https://w3id.org/")
    text = out.read_text(encoding="utf-8")
    ids = re.findall(r'"@id":"([^"]*)"', text)
    assert len(ids) > 100 and not [i for i in ids if i.startswith(BASE)]
    assert '"kg:hasContext"' in text and '"nif:beginIndex":' in text


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_one_graph_keeps_its_name(store, tmp_path, fmt):
    path, reference, _ = store
    graph = sorted(q[3] for q in reference if "/article/" in q[3])[0]
    out = tmp_path / f"one.{EXT[fmt]}"
    assert kg_cli("export", "--store", path, "--graph", graph, "-f", fmt, "-o", out) == (0, "")
    assert quads_of(out.read_bytes(), fmt) == {q for q in reference if q[3] == graph}


def test_unknown_graph_is_a_one_line_error_and_writes_nothing(store, tmp_path):
    path, _, _ = store
    out = tmp_path / "none.trig"
    code, output = kg_cli("export", "--store", path, "--graph", BASE + "article/no-such-article", "-o", out)
    assert code == 1 and len(output.strip().splitlines()) == 1 and "no graph" in output
    assert not out.exists() and not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", list(EXT))
def test_query_exports_a_construct_result(store, tmp_path, fmt):
    path, reference, _ = store
    query = tmp_path / "persons.rq"
    query.write_text(PERSONS)
    out = tmp_path / f"persons.{EXT[fmt]}"
    assert kg_cli("export", "--store", path, "--query", query, "-o", out) == (0, "")
    persons = {s for s, p, o in triples(reference) if (p, o) == PERSON}
    expected = {t for t in triples(reference) if t[0] in persons and t[1] == RDFS.label}
    expected |= {(s, *PERSON) for s in persons}
    assert persons and triples(quads_of(out.read_bytes(), fmt)) == expected


def test_query_that_is_not_construct_is_a_clear_error(store, tmp_path):
    path, _, _ = store
    query = tmp_path / "select.rq"
    query.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    code, output = kg_cli("export", "--store", path, "--query", query, "-o", tmp_path / "x.ttl")
    assert code == 1 and "select.rq" in output and "CONSTRUCT" in output and not (tmp_path / "x.ttl").exists()


def _expected_network(mentioned: dict) -> Counter:
    """Edge weights computed here from each article's set of mentioned entities."""
    return Counter(pair for es in mentioned.values() for pair in combinations(sorted(es), 2))


@pytest.mark.parametrize("fmt,read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_is_read_back_by_networkx(store, tmp_path, fmt, read):
    path, _, mentioned = store
    out = tmp_path / f"net.{fmt}"
    assert kg_cli("export", "--store", path, "--network", "-o", out) == (0, "")
    g = read(out)
    weights = _expected_network(mentioned)
    assert g.number_of_nodes() == len(set().union(*mentioned.values()))
    assert g.number_of_edges() == len(weights) > 10
    assert {tuple(sorted((a, b))): int(w) for a, b, w in g.edges(data="weight")} == dict(weights)
    assert max(weights.values()) >= 2  # some pair shares articles, so weights are really counted
    labels = nx.get_node_attributes(g, "label")
    classes = nx.get_node_attributes(g, "class")
    assert len(labels) == len(classes) == g.number_of_nodes()
    assert set(classes.values()) <= {"Person", "Place", "Organisation", "Event"}


def test_network_as_csv_tables(store, tmp_path):
    path, _, mentioned = store
    assert kg_cli("export", "--store", path, "--network", "-f", "csv", "-o", tmp_path / "net.csv") == (0, "")
    nodes = list(csv.DictReader((tmp_path / "net.nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "net.edges.csv").open(encoding="utf-8")))
    assert {n["Id"] for n in nodes} == set().union(*mentioned.values())
    weights = {tuple(sorted((e["Source"], e["Target"]))): int(e["Weight"]) for e in edges}
    assert weights == dict(_expected_network(mentioned))
    assert all(n["Label"] and n["class"] for n in nodes) and {e["Type"] for e in edges} == {"Undirected"}
    code, output = kg_cli("export", "--store", path, "--network", "-f", "csv")
    assert code == 1 and "-o NAME" in output


def test_exports_from_a_remote_store(store, tmp_path, nlp):
    """The same exports over a real `oxigraph serve` (--store sparql+http://...): graph names kept, and the
    co-mention network equal to the embedded store's for the same articles."""
    from kg import KnowledgeGraph
    from kg.bench import servers

    path, _, _ = store
    port = servers.free_port()
    location = f"sparql+http://127.0.0.1:{port}"
    with servers.oxigraph(str(tmp_path / "oxigraph"), port):
        with KnowledgeGraph(location) as kg:
            kg.ingest_files([str(ROOT / "examples")])
            dumped = io.BytesIO()
            kg.store.dump(dumped, ox.RdfFormat.N_QUADS)
        assert kg_cli("export", "--store", location, "-o", tmp_path / "r.trig") == (0, "")
        assert quads_of((tmp_path / "r.trig").read_bytes(), "trig") == quads_of(dumped.getvalue(), "nq")
        for name, where in (("remote", location), ("embedded", path)):
            assert kg_cli("export", "--store", where, "--network", "-o", tmp_path / f"{name}.graphml") == (0, "")
    remote, embedded = (nx.read_graphml(tmp_path / f"{n}.graphml") for n in ("remote", "embedded"))
    assert nx.utils.graphs_equal(remote, embedded) and remote.number_of_edges() > 10
