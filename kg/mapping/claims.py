"""Map ``doc._.kg_claims`` to documented claim nodes: who (kg:claimant, or kg:claimantText when the source names
no entity) claims what (kg:claimContent, a NIF phrase; kg:claimedEvent for the events inside it), through which
reporting word (kg:claimCue), and kg:unverified when the article says it could not be verified. The content
and cue phrases are the provenance (no separate sentence phrase: it would double the claim's triples).
A claim node rather than RDF 1.2 triple terms: the claimed content is text with events in it, not one triple."""
from __future__ import annotations

from rdflib import Literal, URIRef

from ..namespaces import KG, RDF
from .context import MapContext
from .core import phrase
from .events import event_iri


def map_claims(ctx: MapContext, doc):
    ents = doc._.kg_entities
    for c in doc._.kg_claims:
        start, end, _ = c["cue"]
        claim = URIRef(f"{ctx.article_iri}#claim-{start}-{end}")
        yield claim, RDF.type, KG.Claim
        yield ctx.article_iri, KG.reportsClaim, claim
        if c["source"] in ents:
            yield claim, KG.claimant, ctx.entity_iri(doc, c["source"])
        yield claim, KG.claimantText, Literal(c["source_text"])
        cue, triples = phrase(ctx, start, end, KG.TriggerMention)
        yield from triples
        yield claim, KG.claimCue, cue
        if c["content"][1] > c["content"][0]:
            content, triples = phrase(ctx, *c["content"], KG.ClaimContent)
            yield from triples
            yield claim, KG.claimContent, content
        for n in c["events"]:
            yield claim, KG.claimedEvent, event_iri(ctx, doc, doc._.kg_events[n])
        yield claim, KG.unverified, Literal(bool(c["unverified"]))
