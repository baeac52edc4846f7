"""One table from format names, extensions and media types to pyoxigraph formats (CLI and HTTP share it)."""
from __future__ import annotations

import pyoxigraph as ox

from ..errors import KGError

# name -> (pyoxigraph format, media type, aliases); aliases with a '/' are media types the server also accepts
RDF_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle", ("ttl", "n3", "text/n3", "application/x-turtle")),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples", ("ntriples", "n-triples")),
    "nq": (ox.RdfFormat.N_QUADS, "application/n-quads", ("nquads", "n-quads")),
    "trig": (ox.RdfFormat.TRIG, "application/trig", ()),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json", ("json-ld", "json", "application/x-json+ld")),
    "xml": (ox.RdfFormat.RDF_XML, "application/rdf+xml", ("rdf", "rdfxml", "rdf/xml", "rdf+xml", "owl",
                                                          "application/xml", "text/xml")),
}
RESULT_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json", ("srj", "application/json")),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml", ("srx", "application/xml", "text/xml")),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv", ()),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values", ()),
}


def format_entry(table: dict, name: str, what: str) -> tuple:
    """(canonical name, pyoxigraph format, media type) of a format named by name, extension, alias or media type."""
    key = name.lower().lstrip(".")
    for canonical, (fmt, media, aliases) in table.items():
        if key in (canonical, media, *aliases):
            return canonical, fmt, media
    raise KGError(f"unknown {what} format {name!r}; use one of: {', '.join(table)}")


def rdf_format(name: str) -> ox.RdfFormat:
    return format_entry(RDF_FORMATS, name, "RDF")[1]


def rdf_format_name(name: str) -> str:
    """The canonical name of an RDF format ('ttl' -> 'turtle')."""
    return format_entry(RDF_FORMATS, name, "RDF")[0]


def result_format(name: str) -> ox.QueryResultsFormat:
    return format_entry(RESULT_FORMATS, name, "result")[1]


def format_for_path(path: str) -> str:
    """The RDF format name for an output file name ('out.ttl' -> 'turtle')."""
    return format_entry(RDF_FORMATS, path.rsplit(".", 1)[-1], "RDF")[0]
