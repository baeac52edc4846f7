"""Exports for researchers (`kg export`): the whole store, one named graph, or the result of a CONSTRUCT or
DESCRIBE query, in any RDF format; the co-mention network is kg.export.network.

Only the store interface is used (query, named_graphs, dump), so exports work on the embedded and the remote
store alike. Turtle, TriG and JSON-LD go through our sorted, prefixed writers (pretty.py); N-Triples, N-Quads and
RDF/XML through pyoxigraph. Quad formats (TriG, N-Quads, JSON-LD) keep graph names, also for one graph.
"""
from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from ..errors import KGError
from ..store.formats import rdf_format, rdf_format_name
from .pretty import write_jsonld, write_trig, write_turtle
from .terms import Terms, natural_key

ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def graph_triples(store, graph: str):
    return store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}",
                       union=False)


def checked_graph(store, graph: str) -> str:
    """The graph IRI if the store has it, else one clear error."""
    try:
        ox.NamedNode(graph)
    except ValueError:
        raise KGError(f"--graph {graph!r} is not an IRI") from None
    if graph not in set(store.named_graphs()):
        raise KGError(f"no graph <{graph}> in the store; list them with "
                      "`kg query 'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }'`")
    return graph


def constructed(kg, sparql: str) -> list:
    """The triples of a CONSTRUCT or DESCRIBE query; any other query form is an error."""
    try:
        result = kg.query(sparql)
    except SyntaxError as exc:
        raise KGError(f"malformed SPARQL: {str(exc).splitlines()[0]}") from None
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        form = "an ASK" if isinstance(result, ox.QueryBoolean) else "a SELECT"
        raise KGError(f"{form} query gives no RDF to export: use CONSTRUCT or DESCRIBE (or `kg query` for tables)")
    return list(result)


def export_rdf(kg, output: IO[bytes], fmt: str = "turtle", *, graph: str | None = None,
               query: str | None = None) -> None:
    """Write the store (quad formats: every named graph; triple formats: the merged view), one graph, or
    the result of a CONSTRUCT/DESCRIBE query (``query``: its text) to ``output``."""
    name, ox_fmt = rdf_format_name(fmt), rdf_format(fmt)
    if graph is not None and query is not None:
        raise KGError("give --graph or --query, not both (a query can name its graph with GRAPH <...>)")
    store, terms = kg.store, Terms(kg.settings.base_iri)
    if query is not None:
        triples = constructed(kg, query)
        graphs = [(None, triples)]
    elif graph is not None:
        triples = list(graph_triples(store, checked_graph(store, graph)))
        graphs = [(graph, triples) if ox_fmt.supports_datasets else (None, triples)]
    elif name not in ("turtle", "trig", "jsonld"):
        store.dump(output, ox_fmt)
        return
    else:
        triples = store.query(ALL_TRIPLES, union=False) if name == "turtle" else None
        graphs = ((g, graph_triples(store, g)) for g in sorted(store.named_graphs(), key=natural_key))

    if name == "turtle":
        write_turtle(output, triples, terms)
    elif name == "trig":
        write_trig(output, graphs, terms)
    elif name == "jsonld":
        write_jsonld(output, graphs, terms)
    else:
        ox.serialize((ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g) if g else ox.DefaultGraph())
                      for g, ts in graphs for t in ts), output, ox_fmt, prefixes=terms.prefixes)
