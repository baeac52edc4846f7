"""Articles -> extracted Docs -> triples: the pure part of ingest (no store, no CLI)."""
from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

from rdflib import URIRef
from spacy.language import Language
from spacy.tokens import Doc

from .article import Article
from .iris import Minter
from .mapping import MapContext, doc_to_triples
from .pipeline import MENTIONS, reset


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


def prepare(nlp: Language, article: Article) -> Doc:
    """A tokenised Doc carrying the article's metadata date, ready for the pipeline's components."""
    doc = nlp.make_doc(article.text)
    doc._.pub_date = metadata_date(article.date)
    reset(doc)
    return doc


def extract(nlp: Language, articles: Iterable[Article], batch_size: int = 16) -> Iterator[tuple[Article, Doc]]:
    """Run the pipeline over articles, streaming (article, doc) pairs in input order."""
    buffer: deque[Article] = deque()  # articles whose Docs are inside nlp.pipe's batch

    def docs() -> Iterator[Doc]:
        for article in articles:
            buffer.append(article)
            yield prepare(nlp, article)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        yield buffer.popleft(), doc


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
