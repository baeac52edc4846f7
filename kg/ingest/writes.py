"""Extracted article graphs in the form the single writer stores them, made where the graph is made.

Every executor (kg.ingest.executors) yields these: the article graph as N-Triples text (the body of its INSERT DATA)
and what it contributes to the entity registry. A worker process then hands back strings and small sums instead of
rdflib terms, which cost the writer more to unpickle (about 6.6 ms an article) than the store takes to write them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from ..mapping.extract import extract_graphs
from ..mapping.iris import Minter
from ..readers.article import Article
from ..store.terms import nt_terms
from .registry import Tally, article_tallies


@dataclass
class ArticleWrite:
    """One article graph, ready for KnowledgeGraph.write_article."""
    article_iri: str
    nt: str  # N-Triples lines
    triples: int
    tallies: dict[str, Tally]  # entity IRI -> this graph's contribution to the registry
    mentions: int
    entities: list[str]


def article_writes(nlp, jobs: Iterable[tuple[Article, str]], base_iri: str, run_iri: str,
                   batch_size: int = 16) -> Iterator[ArticleWrite]:
    """(article, fingerprint) jobs -> article writes, in input order (kg.mapping.extract.extract_graphs)."""
    for graph in extract_graphs(nlp, jobs, Minter(base_iri), run_iri, batch_size=batch_size):
        yield ArticleWrite(graph.article_iri, nt_terms(graph.triples), len(graph.triples),
                           article_tallies(graph.triples), graph.mentions, graph.entities)
