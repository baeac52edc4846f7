"""Map ``doc._.kg_times``: each normalised date expression is a NIF phrase that is also a sem:Time, with its
value as a typed literal (xsd:date, xsd:gYearMonth or xsd:gYear) and the original words as nif:anchorOf."""
from __future__ import annotations

from rdflib import Literal

from ..namespaces import KG, RDF, SEM, XSD
from .context import MapContext
from .core import phrase


def time_iri(ctx: MapContext, entry: dict):
    return ctx.fragment(entry["start"], entry["end"])


def map_times(ctx: MapContext, doc):
    for t in doc._.kg_times:
        m, triples = phrase(ctx, t["start"], t["end"], KG.TimeMention)
        yield from triples
        yield m, RDF.type, SEM.Time
        yield m, KG.dateValue, Literal(t["value"], datatype=XSD[t["datatype"]])
