"""Mappers for the graph contract: the article, its text, what it says about entities, mentions and nationality
links. Entity-level facts (type, label, sameAs) are not mapped here: the registry (kg.ingest.registry) derives them
from the article-local facts below, once per entity for the whole store."""
from __future__ import annotations

from rdflib import Literal

from .iris import is_web_url
from ..namespaces import CLASSES, DCTERMS, ITSRDF, KG, NIF, PROV, RDF, SCHEMA, XSD
from ..names import MENTIONS
from .context import MapContext


def map_article(ctx: MapContext, doc):
    a, art = ctx.article_iri, ctx.article
    yield a, RDF.type, KG.Article
    yield a, RDF.type, SCHEMA.NewsArticle
    yield a, DCTERMS.identifier, Literal(art.key())
    yield a, KG.contentHash, Literal(ctx.fingerprint or art.content_hash())
    yield a, PROV.wasGeneratedBy, ctx.run_iri
    if art.path:
        yield a, DCTERMS.source, Literal(art.path)
    if art.title:
        yield a, SCHEMA.headline, Literal(art.title)
    if art.url:  # only http(s) becomes a link; anything else (javascript:, data:, relative) is kept as text
        yield (a, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI)) if is_web_url(art.url) else \
            (a, KG.urlText, Literal(art.url))
    if art.source:
        yield a, KG.source, Literal(art.source)
    if doc._.pub_date is not None:
        yield a, SCHEMA.datePublished, Literal(doc._.pub_date.isoformat(), datatype=XSD.date)
        yield a, KG.dateDetected, Literal(art.date is None)
    c = ctx.context_iri
    yield a, KG.hasContext, c
    yield c, RDF.type, NIF.Context
    yield c, NIF.isString, Literal(art.text)
    yield c, NIF.beginIndex, Literal(0)
    yield c, NIF.endIndex, Literal(len(art.text))
    yield c, NIF.sourceUrl, a


def _mentioned_keys(doc) -> set[str]:
    return {span._.kg_entity for span in doc.spans[MENTIONS]}


def map_entities(ctx: MapContext, doc):
    """Per entity the article refers to: an article-local reference node with the article's full name for it
    and the class it gives it (what the registry counts), and schema:mentions when the text names it."""
    mentioned = _mentioned_keys(doc)
    for key, ent in doc._.kg_entities.items():  # components create only entities they reference
        e, r = ctx.entity_iri(doc, key), ctx.reference(doc, key)
        if key in mentioned:
            yield ctx.article_iri, SCHEMA.mentions, e
        yield r, KG.refersTo, e
        yield r, KG.nameInArticle, Literal(ent["label"])
        yield r, KG.classInArticle, CLASSES[ent["cls"]]


def phrase(ctx: MapContext, start: int, end: int, cls=KG.Mention):
    """A NIF phrase for text[start:end]: its IRI and the triples every phrase has."""
    m = ctx.fragment(start, end)
    triples = [
        (m, RDF.type, cls), (m, RDF.type, NIF.Phrase),
        (m, NIF.beginIndex, Literal(start)),
        (m, NIF.endIndex, Literal(end)),
        (m, NIF.anchorOf, Literal(ctx.article.text[start:end])),
        (m, NIF.referenceContext, ctx.context_iri),
    ]
    return m, triples


def map_mentions(ctx: MapContext, doc):
    taken = set()
    for span in doc.spans[MENTIONS]:
        if (span.start_char, span.end_char) in taken:
            continue  # one entity per span: the first component to claim it wins
        taken.add((span.start_char, span.end_char))
        m, triples = phrase(ctx, span.start_char, span.end_char)
        yield from triples
        yield m, ITSRDF.taIdentRef, ctx.entity_iri(doc, span._.kg_entity)
        yield m, ITSRDF.taClassRef, CLASSES[span.label_]
        confidence = span._.kg_confidence  # this mention's own (lower inside a longer name); None: not linked
        if confidence is not None and doc._.kg_entities[span._.kg_entity].get("qid"):
            yield m, ITSRDF.taConfidence, Literal(round(confidence, 3), datatype=XSD.decimal)


def map_nationalities(ctx: MapContext, doc):
    """NORP adjectives: a phrase pointing to the country (a Place entity), never a Person/Organisation node;
    the entity the adjective modifies gets the nationality on its article-local reference node."""
    for nat in doc._.kg_nationalities:
        key = nat.get("country")
        if key is None or key not in doc._.kg_entities:
            continue
        country = ctx.entity_iri(doc, key)
        m, triples = phrase(ctx, nat["start"], nat["end"], KG.NationalityMention)
        yield from triples
        yield m, KG.nationality, country
        yield ctx.article_iri, KG.nationality, country
        if nat.get("modifies") in doc._.kg_entities:
            yield ctx.reference(doc, nat["modifies"]), KG.nationality, country
