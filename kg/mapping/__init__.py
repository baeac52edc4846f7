"""Pure mapping from an extracted Doc to RDF triples of one article graph (no I/O).

Each mapper is a function ``(ctx: MapContext, doc) -> Iterable[(s, p, o)]`` of rdflib terms.
MAPPERS lists them in order; a module that extracts something new adds its mapper here.
"""
from __future__ import annotations

from .context import MapContext
from . import claims, core, events, roles, times

MAPPERS = [core.map_article, core.map_entities, core.map_mentions, core.map_nationalities, times.map_times,
           roles.map_roles, events.map_events, claims.map_claims]


def doc_to_triples(ctx: MapContext, doc) -> list[tuple]:
    """All triples of the article graph, duplicates removed, in a stable order."""
    seen: dict[tuple, None] = {}
    for mapper in MAPPERS:
        for triple in mapper(ctx, doc):
            seen.setdefault(triple, None)
    return list(seen)


__all__ = ["MapContext", "MAPPERS", "doc_to_triples"]
