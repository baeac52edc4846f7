"""Self-description: the SPARQL service description (sd:) and the VoID description with counts."""
from __future__ import annotations

import threading

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request, url_for

from ..store.formats import RDF_FORMATS, RESULT_FORMATS
from ..namespaces import CLASSES, DCTERMS, PREFIXES, RDF, XSD
from ..store.embedded import PREFIX_MAP
from .conneg import negotiate
from .resource import holder, store

bp = Blueprint("describe", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
# our format names -> W3C format IRIs (http://www.w3.org/ns/formats/)
W3C_RESULT_FORMATS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                      "tsv": "SPARQL_Results_TSV"}
W3C_RDF_FORMATS = {"turtle": "Turtle", "nt": "N-Triples", "nq": "N-Quads", "trig": "TriG", "jsonld": "JSON-LD",
                   "xml": "RDF_XML"}
MAX_LISTED_GRAPHS = 1000
MAX_LISTED_SOURCES = 100
_void_lock = threading.Lock()


def N(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def L(value) -> ox.Literal:
    return ox.Literal(value)


def rdf_response(triples: list[ox.Triple]) -> Response:
    name, media = negotiate(RDF_FORMATS, request.headers.get("Accept"), request.values.get("format"),
                            "descriptions")
    data = ox.serialize(triples, None, RDF_FORMATS[name][0], prefixes={**PREFIX_MAP, "sd": SD, "void": VOID,
                                                                       "formats": FORMATS})
    return Response(data, content_type=media + ("; charset=utf-8" if media.startswith("text/") else ""),
                    headers={"Vary": "Accept"})


def service_description() -> Response:
    cfg = current_app.config
    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    endpoint = N(url_for("sparql.sparql", _external=True))
    t = [ox.Triple(service, N(RDF.type), N(SD + "Service")),
         ox.Triple(service, N(SD + "endpoint"), endpoint),
         ox.Triple(service, N(SD + "supportedLanguage"), N(SD + "SPARQL11Query")),
         ox.Triple(service, N(SD + "feature"), N(SD + "UnionDefaultGraph")),
         ox.Triple(service, N(SD + "defaultEntailmentRegime"), N("http://www.w3.org/ns/entailment/Simple")),
         ox.Triple(service, N(SD + "defaultDataset"), dataset),
         ox.Triple(dataset, N(RDF.type), N(SD + "Dataset")),
         ox.Triple(dataset, N(SD + "defaultGraph"), default),
         ox.Triple(default, N(RDF.type), N(SD + "Graph"))]
    if cfg.get("KG_UPDATE_TOKEN") and not cfg["KG_READ_ONLY"]:
        t.append(ox.Triple(service, N(SD + "supportedLanguage"), N(SD + "SPARQL11Update")))
    if cfg["KG_ALLOW_FEDERATION"]:
        t.append(ox.Triple(service, N(SD + "feature"), N(SD + "BasicFederatedQuery")))
    for name in RESULT_FORMATS:
        t.append(ox.Triple(service, N(SD + "resultFormat"), N(FORMATS + W3C_RESULT_FORMATS[name])))
    for name in RDF_FORMATS:
        t.append(ox.Triple(service, N(SD + "resultFormat"), N(FORMATS + W3C_RDF_FORMATS[name])))
    t += _updates(dataset)
    for g in store().named_graphs()[:MAX_LISTED_GRAPHS]:
        ng = ox.BlankNode()
        t += [ox.Triple(dataset, N(SD + "namedGraph"), ng), ox.Triple(ng, N(SD + "name"), N(g))]
    return rdf_response(t)


def _updates(subject) -> list[ox.Triple]:
    """dcterms:modified (when the graph was last updated) and dcterms:source for the latest sources."""
    from ..feeds.run import last_updates

    modified, sources = last_updates(store(), current_app.config["KG_BASE_IRI"], limit=MAX_LISTED_SOURCES)
    if modified is None:
        return []
    return [ox.Triple(subject, N(str(DCTERMS.modified)), ox.Literal(modified, datatype=N(str(XSD.dateTime))))] + \
        [ox.Triple(subject, N(str(DCTERMS.source)), N(source)) for _, source in sources]


def _count(query: str) -> int:
    return int(next(iter(store().query(query)))["n"].value)


def _void_triples() -> list[ox.Triple]:
    ds = N(url_for("describe.void", _external=True) + "#dataset")
    base = current_app.config["KG_BASE_IRI"]
    counts = {
        "triples": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
        "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }",
        "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }",
        "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }",
        "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }",
        "documents": "SELECT (COUNT(DISTINCT ?a) AS ?n) { ?a a kg:Article }",
        "entities": "SELECT (COUNT(DISTINCT ?e) AS ?n) { VALUES ?c { kg:Person kg:Place kg:Organisation kg:Event } "
                    "?e a ?c }",
    }
    t = [ox.Triple(ds, N(RDF.type), N(VOID + "Dataset")),
         ox.Triple(ds, N(str(DCTERMS.title)), L("kg-news knowledge graph")),
         ox.Triple(ds, N(VOID + "sparqlEndpoint"), N(url_for("sparql.sparql", _external=True))),
         ox.Triple(ds, N(VOID + "uriSpace"), L(base)),
         ox.Triple(ds, N(VOID + "rootResource"), N(url_for("ui.index", _external=True)))]
    t += [ox.Triple(ds, N(VOID + "vocabulary"), N(str(PREFIXES[p]))) for p in ("kg", "schema", "nif", "itsrdf", "sem")]
    t += [ox.Triple(ds, N(VOID + key), L(_count(q))) for key, q in counts.items()]
    t += _updates(ds)
    for cls in CLASSES.values():
        part = ox.BlankNode()
        n = _count(f"SELECT (COUNT(DISTINCT ?e) AS ?n) {{ ?e a <{cls}> }}")
        t += [ox.Triple(ds, N(VOID + "classPartition"), part), ox.Triple(part, N(VOID + "class"), N(str(cls))),
              ox.Triple(part, N(VOID + "entities"), L(n))]
    for row in store().query("SELECT ?p (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p ORDER BY ?p"):
        part = ox.BlankNode()
        t += [ox.Triple(ds, N(VOID + "propertyPartition"), part), ox.Triple(part, N(VOID + "property"), row["p"]),
              ox.Triple(part, N(VOID + "triples"), L(int(row["n"].value)))]
    for row in store().query("SELECT ?e { ?e a kg:Person } LIMIT 3"):
        t.append(ox.Triple(ds, N(VOID + "exampleResource"), row["e"]))
    return t


@bp.route("/.well-known/void")
def void() -> Response:
    """Counts over the whole store, cached until the next write (holder().generation)."""
    h, key = holder(), (request.url_root, holder().generation)
    with _void_lock:
        if getattr(h, "void", (None,))[0] != key:
            h.void = (key, _void_triples())
        triples = h.void[1]
    return rdf_response(triples)
