"""Map ``doc._.kg_events``: an event node per trigger (typed kg:Event and its kg:Event subclass), or the named
event's entity, with sem:hasActor / sem:hasPlace / sem:hasTime, its trigger phrase and its sentence as provenance."""
from __future__ import annotations

from rdflib import Literal, URIRef

from ..namespaces import KG, NIF, PROV, RDF, RDFS, SEM
from .context import MapContext
from .core import phrase
from .times import time_iri


def event_iri(ctx: MapContext, doc, ev: dict) -> URIRef:
    if ev.get("entity") in doc._.kg_entities:
        return ctx.entity_iri(doc, ev["entity"])
    return URIRef(f"{ctx.article_iri}#event-{ev['start']}-{ev['end']}")


def map_events(ctx: MapContext, doc):
    ents = doc._.kg_entities
    for ev in doc._.kg_events:
        e = event_iri(ctx, doc, ev)
        yield ctx.article_iri, KG.reportsEvent, e
        if ev.get("entity") is None:
            yield e, RDF.type, KG.Event
            yield e, RDF.type, KG[ev["type"]]
            yield e, RDFS.label, Literal(ev["text"])
        trigger, triples = phrase(ctx, ev["start"], ev["end"], KG.TriggerMention)
        yield from triples
        yield e, KG.trigger, trigger
        sentence, triples = phrase(ctx, *ev["sentence"], NIF.Sentence)
        yield from triples
        yield e, PROV.wasDerivedFrom, sentence
        for key in ev["actors"]:
            if key in ents:
                yield e, SEM.hasActor, ctx.entity_iri(doc, key)
        for key in ev["places"]:
            if key in ents:
                yield e, SEM.hasPlace, ctx.entity_iri(doc, key)
        for n in ev["times"]:
            yield e, SEM.hasTime, time_iri(ctx, doc._.kg_times[n])
