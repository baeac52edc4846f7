"""A remote SPARQL 1.1 server as the store (Oxigraph server, Fuseki, Virtuoso, GraphDB), implementing
kg.store.api.Store like kg.store.embedded.EmbeddedStore: reads through the SPARQL protocol, writes through SPARQL Update, bulk loads through
the Graph Store Protocol when the server has one.

Location: ``sparql+http://HOST:PORT/PATH?query=..&update=..&store=..&union=..`` (or ``sparql+https``).
Endpoints default to PATH/query, PATH/update and PATH/store (what ``oxigraph serve`` exposes); each can be
given as an absolute URL, an absolute path on the host or a path relative to PATH; ``store=`` (empty) means
the server has no dataset-wide Graph Store endpoint. ``union=param`` (default) asks for the union default
graph on each query with Oxigraph's ``union-default-graph`` parameter; ``union=server`` trusts the server's
own setting (``oxigraph serve --union-default-graph``, Fuseki ``unionDefaultGraph``, Virtuoso's default).
User and password in the URL are sent with HTTP basic auth (``auth=digest`` for Virtuoso's /sparql-auth).
``dialect=virtuoso`` applies what Virtuoso does differently (kg/store/dialects.py) and changes the defaults
to ``query=/sparql&update=/sparql&store=&union=server``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby
from typing import IO, Iterable, Iterator
from urllib.parse import parse_qs, unquote, urlsplit

import pyoxigraph as ox
import requests

from ..errors import StoreError
from .dialects import Standard, dialect
from .api import PREFIX_MAP
from .terms import graph_write

SCHEME = "sparql+"
N_QUADS = "application/n-quads"
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*|):", re.I)
_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


@dataclass
class Endpoints:
    query: str
    update: str
    store: str | None  # dataset-wide Graph Store Protocol endpoint, if any
    union: str         # 'param' or 'server'
    auth: object = None
    dialect: Standard = field(default_factory=Standard)


def parse_location(location: str) -> Endpoints:
    """Endpoints of a ``sparql+http(s)://`` location (see the module docstring)."""
    u = urlsplit(location)
    scheme = u.scheme[len(SCHEME):]
    if not location.startswith(SCHEME) or scheme not in ("http", "https") or not u.hostname:
        raise StoreError(f"not a remote store location: {location!r} (expected sparql+http://host:port/...)")
    host = u.hostname + (f":{u.port}" if u.port else "")
    origin, base = f"{scheme}://{host}", f"{scheme}://{host}{u.path.rstrip('/')}"
    params = {k: v[-1] for k, v in parse_qs(u.query, keep_blank_values=True).items()}
    speaks = dialect(params.get("dialect", "standard"), host)

    def endpoint(name: str) -> str | None:
        value = params.get(name, speaks.defaults[name])
        if not value:
            return None
        return value if "://" in value else origin + value if value.startswith("/") else f"{base}/{value}"

    union = params.get("union", speaks.defaults["union"])
    if union not in ("param", "server"):
        raise StoreError(f"union={union!r}: use union=param (Oxigraph) or union=server")
    auth = None
    if u.username:
        user, password = unquote(u.username), unquote(u.password or "")
        digest = params.get("auth") == "digest"
        auth = requests.auth.HTTPDigestAuth(user, password) if digest else (user, password)
    return Endpoints(endpoint("query"), endpoint("update"), endpoint("store"), union, auth, speaks)


def with_prefixes(sparql: str) -> str:
    """Declare our usual prefixes (kg:, schema:, ...) that the query uses without declaring, as the embedded
    store does."""
    declared = set(_PREFIX_DECL.findall(sparql))
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIX_MAP.items() if p not in declared) + sparql


def bind_values(sparql: str, substitutions: dict | None) -> str:
    """Bind variables with a VALUES block at the top of every WHERE group (the query's and its subqueries'):
    the remote equivalent of pyoxigraph's ``substitutions``, which reach a subquery that projects the variable
    (values are terms, never pasted text)."""
    if not substitutions:
        return sparql
    names = " ".join(str(v) if isinstance(v, ox.Variable) else f"?{v}" for v in substitutions)
    values = " ".join(str(t) for t in substitutions.values())
    block = f" VALUES ({names}) {{ ({values}) }} "
    ends = [m.end() for m in _WHERE.finditer(sparql)] or [sparql.find("{") + 1]
    if ends[0] <= 0:
        raise SyntaxError("cannot bind parameters: no WHERE group in the query")
    return "".join(sparql[a:b] + block for a, b in zip([0] + ends, ends)) + sparql[ends[-1]:]


def _iri(graph) -> str:
    return graph.value if isinstance(graph, ox.NamedNode) else str(graph)


class RemoteStore:
    """The graph on a SPARQL 1.1 server; one HTTP session (keep-alive) per store."""

    def __init__(self, location: str, read_only: bool = False):
        self.path = location
        self.endpoints = parse_location(location)
        self.read_only = read_only
        self.http = requests.Session()
        self.http.auth = self.endpoints.auth
        self.dialect = self.endpoints.dialect

    def _post(self, url: str, what: str, **kwargs) -> requests.Response:
        try:
            response = self.http.post(url, **kwargs)
        except requests.RequestException as exc:
            raise StoreError(f"cannot reach the SPARQL server at {url}: {exc.__class__.__name__}") from None
        if self.dialect.name == "standard" and response.headers.get("Server", "").startswith("Virtuoso/"):
            raise StoreError(f"{url} is a Virtuoso server: add dialect=virtuoso to the store location")
        if response.status_code == 400 and what in ("query", "update"):  # malformed: as the embedded store
            raise SyntaxError(response.text.strip()[:500])
        if response.status_code >= 300:
            raise StoreError(f"{what} failed on {url}: HTTP {response.status_code} {response.text.strip()[:300]}")
        return response

    # --- reads
    def query(self, sparql: str, *, union: bool = True, default_graph=None, named_graphs=None, substitutions=None):
        """SPARQL over the protocol; results are pyoxigraph QuerySolutions / QueryBoolean / a list of Triples."""
        text = with_prefixes(sparql)
        asked = self.dialect.request(text, union=union and default_graph is None,
                                     dataset=default_graph is not None, named=bool(named_graphs))
        form: dict[str, object] = {"query": bind_values(asked.text, substitutions), **asked.params}
        if default_graph is not None:
            graphs = default_graph if isinstance(default_graph, (list, tuple)) else [default_graph]
            form["default-graph-uri"] = [_iri(g) for g in graphs]
        elif union and self.endpoints.union == "param":
            form["union-default-graph"] = ""
        if named_graphs:
            form["named-graph-uri"] = [_iri(g) for g in named_graphs]
        response = self._post(self.endpoints.query, "query", data=form, headers={"Accept": asked.accept})
        media = response.headers.get("Content-Type", "").split(";")[0].strip()
        return self.dialect.read(asked, media, response.content)

    def value(self, graph: str, subject: str, predicate: str) -> str | None:
        """One object value of (subject, predicate) in a graph, or None."""
        q = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{subject}> <{predicate}> ?o }} }} LIMIT 1"
        for row in self.query(q, union=False):
            return row["o"].value
        return None

    def named_graphs(self) -> list[str]:
        return [row["g"].value for row in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                     union=False)]

    def has_graph(self, graph: str) -> bool:
        return bool(self.query(f"ASK {{ GRAPH <{ox.NamedNode(graph).value}> {{ ?s ?p ?o }} }}", union=False))

    def graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        return iter(self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ox.NamedNode(graph).value}> {{ ?s ?p ?o }} }}",
                               union=False))

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of the named graphs: the Graph Store endpoint's dataset if any, else a SELECT."""
        if self.endpoints.store:
            try:
                response = self.http.get(self.endpoints.store, headers={"Accept": N_QUADS})
            except requests.RequestException as exc:
                raise StoreError(f"cannot reach {self.endpoints.store}: {exc.__class__.__name__}") from None
            if response.ok:
                yield from ox.parse(response.content, ox.RdfFormat.N_QUADS)
                return
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
        for row in rows:
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def dump(self, output: IO[bytes], fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Same outputs as the embedded store: one graph, the dataset (quad formats) or the merged view."""
        if graph is not None:
            data = self.graph_triples(graph)
        elif fmt.supports_datasets:
            data = (q for q in self.quads() if not isinstance(q.graph_name, ox.DefaultGraph))
        else:
            data = self.query("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
        ox.serialize(data, output, fmt, prefixes=PREFIX_MAP)

    # --- writes
    def replace_graph(self, graph: str, triples: Iterable[tuple]) -> None:
        """Atomically replace a named graph's content: one SPARQL Update request (the server's transaction)."""
        self.update(graph_write(graph, triples, replace=True))

    def add_to_graph(self, graph: str, triples: Iterable[tuple]) -> None:
        self.update(graph_write(graph, triples))

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only")
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        self._post(self.endpoints.update, "update", data=with_prefixes(sparql).encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update"})

    def bulk_load(self, source: IO[bytes] | bytes | str, fmt: ox.RdfFormat, batch: int | None = None) -> None:
        """Load RDF data (a file object or the data itself, as pyoxigraph takes it): one Graph Store Protocol
        POST, else SPARQL INSERT DATA in batches of quads (the dialect's size unless given)."""
        batch = batch or self.dialect.insert_batch
        if self.read_only:
            raise StoreError(f"the store at {self.path} is open read-only")
        if self.endpoints.store:
            self._post(self.endpoints.store, "bulk load", data=source, headers={"Content-Type": fmt.media_type})
            return
        quads = []
        for quad in ox.parse(source, fmt):
            quads.append(quad)
            if len(quads) >= batch:
                self._insert(quads)
                quads = []
        if quads:
            self._insert(quads)

    def _insert(self, quads: list[ox.Quad]) -> None:
        blocks = []
        for graph, group in groupby(quads, key=lambda q: q.graph_name):
            triples = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in group)
            blocks.append(f"GRAPH {graph} {{\n{triples}\n}}" if isinstance(graph, ox.NamedNode) else triples)
        self.update("INSERT DATA {\n" + "\n".join(blocks) + "\n}")

    def flush(self) -> None:
        """Nothing to do: the server persists each update."""

    def close(self) -> None:
        self.http.close()
