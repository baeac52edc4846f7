"""Articles -> extracted Docs -> triples: the pure part of ingest (no store, no CLI)."""
from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass
from itertools import groupby
from typing import Iterable, Iterator

from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc

from .article import Article
from .iris import Minter
from .longtext import long_doc
from .mapping import MapContext, doc_to_triples
from .nlp import OWN_COMPONENTS
from .names import MENTIONS
from .pipeline import reset


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


def extract(nlp: Language, articles: Iterable[Article], batch_size: int = 16) -> Iterator[tuple[Article, Doc]]:
    """Run the pipeline over articles, streaming (article, doc) pairs in input order; a text longer than
    ``nlp.max_length`` is processed in pieces (kg.longtext)."""
    for long, group in groupby(articles, key=lambda a: len(a.text) > nlp.max_length):
        if long:
            yield from ((article, _long(nlp, article)) for article in group)
            continue
        buffer: deque[Article] = deque()  # articles whose Docs are inside nlp.pipe's batch

        def docs(group=group, buffer=buffer) -> Iterator[Doc]:
            for article in group:
                buffer.append(article)
                yield prepare(nlp, article)

        for doc in nlp.pipe(docs(), batch_size=batch_size):
            yield buffer.popleft(), doc


def _long(nlp: Language, article: Article) -> Doc:
    doc = prepare(nlp, article, long_doc(nlp, article.text, OWN_COMPONENTS))
    for name, component in nlp.pipeline:
        if name in OWN_COMPONENTS:
            doc = component(doc)
    return doc


@dataclass
class Extracted:
    """One article's graph, ready to store: what a worker process hands back to the single writer."""
    article_iri: str
    triples: list[tuple]
    mentions: int
    entities: list[str]


def extract_graphs(nlp: Language, jobs: Iterable[tuple[Article, str]], minter: Minter, run_iri: str,
                   batch_size: int = 16) -> Iterator[Extracted]:
    """(article, fingerprint) pairs -> article graphs; pure apart from the pipeline itself."""
    pending: deque[str] = deque()

    def articles() -> Iterator[Article]:
        for article, fingerprint in jobs:
            pending.append(fingerprint)
            yield article

    for article, doc in extract(nlp, articles(), batch_size):
        ctx = MapContext(article, minter, URIRef(run_iri), fingerprint=pending.popleft())
        triples = doc_to_triples(ctx, doc)
        yield Extracted(str(ctx.article_iri), triples, len(doc.spans[MENTIONS]),
                        [str(ctx.entity_iri(doc, key)) for key in doc._.kg_entities])
