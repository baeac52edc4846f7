"""What differs between SPARQL servers behind the remote store, in one place: endpoint defaults, how the
dataset of a query is asked for, the Accept header, and reading the answer.

``standard`` is SPARQL 1.1 as ``oxigraph serve`` (and Fuseki, GraphDB) speak it. ``virtuoso`` (Virtuoso Open
Source 7) differs: its default graph is the union of ALL graphs, including its own system graphs; ASK answers
as a one-row SELECT (variable ``__ASK_RETVAL``, 1/0); it picks the result format from Accept alone, so
CONSTRUCT must ask for N-Triples only; and it has no dataset-wide Graph Store endpoint. See docs/performance.md.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

import pyoxigraph as ox
from pyparsing import ParseException, ParseResults
from rdflib import Variable
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ..errors import StoreError

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOL = {"1": "true", "0": "false"}
_TRUE = ox.parse_query_results(b'{"head":{},"boolean":true}', ox.QueryResultsFormat.JSON)
_FALSE = ox.parse_query_results(b'{"head":{},"boolean":false}', ox.QueryResultsFormat.JSON)
_ONE = ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


@dataclass
class Request:
    """One query request: its text, extra protocol parameters, the Accept header, the query form."""
    text: str
    params: dict = field(default_factory=dict)
    accept: str = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"
    form: str | None = None  # 'SelectQuery', 'ConstructQuery', 'DescribeQuery', 'AskQuery' when parsed


def read_results(media: str, content: bytes):
    """pyoxigraph results of a response: triples for N-Triples, else SPARQL JSON results."""
    if media == N_TRIPLES:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(content, ox.RdfFormat.N_TRIPLES)]
    return ox.parse_query_results(content, ox.QueryResultsFormat.JSON)


class Standard:
    """SPARQL 1.1 Protocol as written; the union default graph by Oxigraph's parameter (``union=param``)."""
    name = "standard"
    defaults = {"query": "query", "update": "update", "store": "store", "union": "param"}
    insert_batch = 20_000  # quads per INSERT DATA when there is no Graph Store endpoint

    def request(self, text: str, *, union: bool, dataset: bool, named: bool) -> Request:
        return Request(text)

    def read(self, request: Request, media: str, content: bytes):
        return read_results(media, content)


@dataclass(frozen=True)
class Parsed:
    form: str             # 'SelectQuery', 'ConstructQuery', 'DescribeQuery' or 'AskQuery'
    own_dataset: bool     # FROM / FROM NAMED in the query
    constant_graph: bool  # a GRAPH <iri> pattern somewhere


def _graph_terms(node) -> Iterator:
    if isinstance(node, CompValue):
        if node.name == "GraphGraphPattern":
            yield node["term"]
        for value in node.values():
            yield from _graph_terms(value)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _graph_terms(value)


@lru_cache(maxsize=512)
def parse_query(text: str) -> Parsed:
    """What a query asks for, from rdflib's SPARQL parser (no evaluation, so nothing is fetched); cached
    because named queries and pages send the same texts again (their parameters are bound after this)."""
    try:
        query = parseQuery(text)[1]
    except ParseException as exc:
        raise SyntaxError(f"malformed SPARQL query: {exc}") from None
    constant = any(not isinstance(term, Variable) for term in _graph_terms(query))
    return Parsed(query.name, "datasetClause" in query, constant)


class Virtuoso(Standard):
    """Virtuoso Open Source 7 at /sparql (docs/performance.md: the location, permissions and auth)."""
    name = "virtuoso"
    defaults = {"query": "/sparql", "update": "/sparql", "store": "", "union": "server"}
    insert_batch = 2_000  # Virtuoso compiles INSERT DATA to SQL; very large ones exceed its limits
    # Virtuoso's own graphs, in every store: RDF views metadata, the LDP vocabulary and the service
    # description (named after URIQADefaultHost: http://localuriqaserver/sparql when it is unset).
    SYSTEM_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                     "http://localuriqaserver/sparql", "http://localhost:8890/sparql")
    # An IRI that names no graph: the default graph of a query asked without the union (kg stores nothing
    # in the default graph, and Virtuoso's own default graph is the union of all graphs).
    EMPTY_GRAPH = "urn:x-empty-default-graph"

    def __init__(self, host_graph: str | None = None):
        self.system_graphs = self.SYSTEM_GRAPHS + ((host_graph,) if host_graph else ())

    def request(self, text: str, *, union: bool, dataset: bool, named: bool) -> Request:
        parsed = parse_query(text)
        defines, params = [], {}
        # Virtuoso 7.2 answers GRAPH <iri> with nothing once any graph is excluded or a default-graph-uri is
        # given (GRAPH ?g is fine), so a query that names a graph, or its own dataset, is sent as it is.
        if not (dataset or named or parsed.own_dataset or parsed.constant_graph):
            if not union:
                params["default-graph-uri"] = [self.EMPTY_GRAPH]
            # one exclusion alone empties the other part of the dataset: always both
            defines = [f"define input:{part}-graph-exclude <{g}>" for part in ("default", "named")
                       for g in self.system_graphs]
        accept = N_TRIPLES if parsed.form in ("ConstructQuery", "DescribeQuery") else RESULTS_JSON
        return Request("\n".join(defines + [text]), params, accept, parsed.form)

    def read(self, request: Request, media: str, content: bytes):
        if BOOLEAN.encode() in content:  # Virtuoso writes xsd:boolean as 1/0: back to the canonical true/false
            content = _canonical_booleans(media, content)
        results = read_results(media, content)
        if request.form != "AskQuery":
            return results
        if not isinstance(results, ox.QuerySolutions):
            return results
        # true: one row with __ASK_RETVAL 1; false: no row (or 0)
        return _TRUE if any(row["__ASK_RETVAL"] == _ONE for row in results) else _FALSE


def _canonical_booleans(media: str, content: bytes) -> bytes:
    if media == N_TRIPLES:
        def fix(term):
            if isinstance(term, ox.Literal) and term.datatype.value == BOOLEAN and term.value in _BOOL:
                return ox.Literal(_BOOL[term.value], datatype=term.datatype)
            return term

        triples = [ox.Triple(t.subject, t.predicate, fix(t.object)) for t in ox.parse(content, ox.RdfFormat.N_TRIPLES)]
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    results = json.loads(content)
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == BOOLEAN and term.get("value") in _BOOL:
                term["value"] = _BOOL[term["value"]]
    return json.dumps(results).encode()


def dialect(name: str, host: str) -> Standard:
    if name == "standard":
        return Standard()
    if name == "virtuoso":
        return Virtuoso(f"http://{host}/sparql")
    raise StoreError(f"dialect={name!r}: use dialect=standard (default) or dialect=virtuoso")
