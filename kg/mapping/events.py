"""Map ``doc._.kg_events``: an event node per happening (typed kg:Event and its kg:Event subclass), or the named
event's entity, with sem:hasActor / sem:hasPlace / kg:hasParticipant, sem:hasTime and kg:dateSource, one kg:trigger
phrase per mention and each mention's sentence as provenance. An event dated by the publication date points to the
article's date node (a sem:Time with the article's date as kg:dateValue)."""
from __future__ import annotations

from rdflib import Literal, URIRef

from ..namespaces import KG, NIF, PROV, RDF, RDFS, SEM, XSD
from .context import MapContext
from .core import phrase
from .times import time_iri


def event_iri(ctx: MapContext, doc, ev: dict) -> URIRef:
    if ev.get("entity") in doc._.kg_entities:
        return ctx.entity_iri(doc, ev["entity"])
    return URIRef(f"{ctx.article_iri}#event-{ev['start']}-{ev['end']}")


def publication_time(ctx: MapContext, doc):
    """The article's date as a time node events can point to: its IRI and triples."""
    t = URIRef(f"{ctx.article_iri}#date-published")
    return t, [(t, RDF.type, SEM.Time), (t, KG.dateValue, Literal(doc._.pub_date.isoformat(), datatype=XSD.date))]


def map_events(ctx: MapContext, doc):
    ents = doc._.kg_entities
    for ev in doc._.kg_events:
        e = event_iri(ctx, doc, ev)
        yield ctx.article_iri, KG.reportsEvent, e
        if ev.get("entity") is None:
            yield e, RDF.type, KG.Event
            yield e, RDF.type, KG[ev["type"]]
            yield e, RDFS.label, Literal(ev["text"])
        for start, end, _, sent in ev["mentions"]:
            trigger, triples = phrase(ctx, start, end, KG.TriggerMention)
            yield from triples
            yield e, KG.trigger, trigger
            sentence, triples = phrase(ctx, *sent, NIF.Sentence)
            yield from triples
            yield e, PROV.wasDerivedFrom, sentence
        for prop, role in ((SEM.hasActor, "actors"), (SEM.hasPlace, "places"), (KG.hasParticipant, "participants")):
            for key in ev[role]:
                if key in ents:
                    yield e, prop, ctx.entity_iri(doc, key)
        for n in ev["times"]:
            yield e, SEM.hasTime, time_iri(ctx, doc._.kg_times[n])
        if ev["date_source"] == "publication" and doc._.pub_date is not None:
            t, triples = publication_time(ctx, doc)
            yield from triples
            yield e, SEM.hasTime, t
        if ev["date_source"]:
            yield e, KG.dateSource, Literal(ev["date_source"])
