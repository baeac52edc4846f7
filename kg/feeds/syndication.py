"""Syndication: the same text published under two URLs is one article that records both URLs.

An article identified by its URL whose exact text is already stored in another article's graph is not extracted
again; its URL is added to that article (one more ``schema:url``). One whose URL and text are both stored already
is unchanged, whichever feed listed it and whatever date that feed gave. Within one ingest, a repeat of a text seen
earlier in the same run is added after the run, once the first copy is stored.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ..readers.article import Article
from ..namespaces import SCHEMA, XSD

# (bound variables must be projected for pyoxigraph's substitutions)
SAME_TEXT = """SELECT ?a ?text WHERE { GRAPH ?a { ?a kg:hasContext ?c . ?c nif:isString ?text } }"""
HAS_URL = """SELECT ?a ?url WHERE { GRAPH ?a { ?a schema:url ?url } } LIMIT 1"""


def iri_of(kg, article: Article) -> str:
    """The IRI the ingest gives ``article`` (the one place here that depends on the identity rule)."""
    return kg.article_iri(article)


def by_url(article: Article) -> bool:
    """Identified by its URL (kg.readers.article.Article.key): fetched from the web, or given a URL and no id."""
    return bool(article.url) and article.key() == article.url


class Syndication:
    """Filter for an ingest's item stream, bound to one KnowledgeGraph."""

    def __init__(self, kg, force: bool = False):
        self.kg = kg
        self.force = force
        self.merged: list[tuple[str, str]] = []   # (URL, article IRI it was added to)
        self.unchanged: list[str] = []            # articles fetched again with the same URL and text
        self._later: list[tuple[str, str]] = []   # repeats inside this run: added by finish()
        self._this_run: dict[str, str] = {}       # text hash -> article IRI, for articles of this run

    def filter(self, items: Iterable) -> Iterator:
        for item in items:
            if isinstance(item, Article) and by_url(item):
                own = iri_of(self.kg, item)
                key = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
                first = self._this_run.setdefault(key, own)
                if first != own:
                    self._later.append((item.url, first))
                    continue
                found = self.stored_with(item.text)
                if own in found and not self.force:  # same URL, same text: unchanged, whatever feed listed it
                    self.unchanged.append(own)
                    continue
                if found and own not in found:
                    self.add_url(found[0], item.url)
                    continue
            yield item

    def stored_with(self, text: str) -> list[str]:
        """The articles stored with exactly this text."""
        return sorted(row["a"].value for row in self.kg.store.query(
            SAME_TEXT, substitutions={ox.Variable("text"): ox.Literal(text)}))

    def add_url(self, article: str, url: str) -> None:
        """Record ``url`` as one more address of ``article`` (nothing to do when it is already recorded)."""
        known = self.kg.store.query(HAS_URL, substitutions={
            ox.Variable("a"): ox.NamedNode(article), ox.Variable("url"): ox.Literal(url, datatype=ox.NamedNode(str(XSD.anyURI)))})
        if not list(known):
            self.kg.store.add_to_graph(article, [(URIRef(article), SCHEMA.url, Literal(url, datatype=XSD.anyURI))])
        self.merged.append((url, article))

    def finish(self) -> None:
        """Add the URLs of the repeats seen in this run (their first copy is stored now)."""
        for url, article in self._later:
            if self.kg.store.value(article, article, str(SCHEMA.url)) is not None:  # stored (not failed)
                self.add_url(article, url)
        self._later.clear()
