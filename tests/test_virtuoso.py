"""Virtuoso Open Source as the store (`dialect=virtuoso`): the same answers as the embedded store on the same
data — every named query, every export format, the statistics — and what the dialect maps (ASK, system
graphs, booleans). The CLI verbs run in test_remote_store.py, `kg serve` in test_web_protocol.py."""
from __future__ import annotations

import io
import shutil

import pyoxigraph as ox
import pytest

from conftest import empty_virtuoso
from kg.store.named_queries import load_named_queries
from test_named_queries import EXAMPLES
from web_support import load_template, template_store

QUERIES = load_named_queries()


@pytest.fixture(scope="module")
def stores(tmp_path_factory, virtuoso_server):
    """(embedded, Virtuoso) KnowledgeGraphs holding the same four test articles."""
    from kg.graph import KnowledgeGraph
    from web_support import BASE

    location = load_template(tmp_path_factory, empty_virtuoso(virtuoso_server))
    copy = tmp_path_factory.mktemp("virtuoso-embedded") / "store"
    shutil.copytree(template_store(tmp_path_factory), copy)
    pair = KnowledgeGraph(str(copy), base_iri=BASE), KnowledgeGraph(location, base_iri=BASE)
    yield pair
    for kg in pair:
        kg.close()


def rows(kg, text, substitutions=None):
    result = kg.query(text, substitutions=substitutions)
    names = [v.value for v in result.variables]
    return sorted(tuple(str(s[n]) if s[n] is not None else "" for n in names) for s in result)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_named_queries_answer_as_on_the_embedded_store(stores, name):
    text, substitutions = QUERIES[name].prepare(EXAMPLES.get(name, {}))
    embedded, virtuoso = (rows(kg, text, substitutions) for kg in stores)
    assert virtuoso == embedded


@pytest.mark.parametrize("fmt", ["nq", "trig", "nt", "turtle", "xml", "jsonld"])
def test_exports_equal_the_embedded_store(stores, fmt):
    out = []
    for kg in stores:
        data = io.BytesIO()
        kg.export(data, fmt)
        rdf = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
               "turtle": ox.RdfFormat.TURTLE, "xml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
        out.append(set(ox.parse(data.getvalue(), rdf)))
    assert out[1] == out[0] and len(out[0]) > 400


def test_counts_ask_and_system_graphs(stores):
    embedded, virtuoso = stores
    assert virtuoso.stats() == embedded.stats()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # Virtuoso's own graphs are not in the union
    assert rows(virtuoso, count) == rows(embedded, count)
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert rows(virtuoso, graphs) == rows(embedded, graphs)
    assert not list(virtuoso.query("SELECT * WHERE { ?s ?p ?o }", union=False))  # our default graph is empty
    assert bool(virtuoso.query("ASK { ?a a kg:Article }")) is True
    assert bool(virtuoso.query("ASK { ?a a kg:Nothing }")) is False
    unverified = "SELECT DISTINCT ?v WHERE { ?c kg:unverified ?v }"  # xsd:boolean as written: true/false
    assert rows(virtuoso, unverified) == rows(embedded, unverified)
    with pytest.raises(SyntaxError):
        virtuoso.query("SELEC ?x")
