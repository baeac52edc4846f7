"""Articles -> extracted Docs -> triples: the pure part of ingest (no store, no CLI)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from typing import Iterable, Iterator, TypeVar

from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc

from ..readers.article import Article
from .iris import Minter
from ..pipeline.longtext import long_doc
from . import MapContext, doc_to_triples
from ..names import MENTIONS
from ..pipeline.nlp import OWN_COMPONENTS
from ..pipeline import reset

T = TypeVar("T")


def metadata_date(value: str | None) -> dt.date | None:
    """A metadata date (ISO first, then anything dateparser reads); None when absent or unreadable."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        import dateparser

        parsed = dateparser.parse(value, settings={"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False})
        return parsed.date() if parsed else None


def prepare(nlp: Language, article: Article, doc: Doc | None = None) -> Doc:
    """A Doc (tokenised here unless given) carrying the article's metadata date, ready for our components."""
    doc = nlp.make_doc(article.text) if doc is None else doc
    doc._.pub_date = metadata_date(article.date)
    reset(doc)
    return doc


def extract(nlp: Language, jobs: Iterable[tuple[Article, T]], batch_size: int = 16) -> Iterator[tuple[Article, Doc, T]]:
    """Run the pipeline over (article, context) pairs, streaming (article, doc, context) in input order; a text
    longer than ``nlp.max_length`` is processed in pieces (kg.pipeline.longtext)."""
    for long, group in groupby(jobs, key=lambda job: len(job[0].text) > nlp.max_length):
        if long:
            yield from ((article, _long(nlp, article), context) for article, context in group)
            continue
        pairs = ((prepare(nlp, article), (article, context)) for article, context in group)
        for doc, (article, context) in nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
            yield article, doc, context


def _long(nlp: Language, article: Article) -> Doc:
    doc = prepare(nlp, article, long_doc(nlp, article.text, OWN_COMPONENTS))
    for name, component in nlp.pipeline:
        if name in OWN_COMPONENTS:
            doc = component(doc)
    return doc


@dataclass
class Extracted:
    """One article's graph (kg.ingest.writes puts it in the form its writer stores)."""
    article_iri: str
    triples: list[tuple]
    mentions: int
    entities: list[str]


def extract_graphs(nlp: Language, jobs: Iterable[tuple[Article, str]], minter: Minter, run_iri: str,
                   batch_size: int = 16) -> Iterator[Extracted]:
    """(article, fingerprint) pairs -> article graphs; pure apart from the pipeline itself."""
    for article, doc, fingerprint in extract(nlp, jobs, batch_size):
        ctx = MapContext(article, minter, URIRef(run_iri), fingerprint=fingerprint)
        triples = doc_to_triples(ctx, doc)
        yield Extracted(str(ctx.article_iri), triples, len(doc.spans[MENTIONS]),
                        [str(ctx.entity_iri(doc, key)) for key in doc._.kg_entities])
