"""What every mapper needs to know about the article being mapped."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from ..readers.article import Article
from .iris import Minter
from ..names import mention_key


@dataclass
class MapContext:
    article: Article
    minter: Minter
    run_iri: URIRef
    fingerprint: str = ""  # stored as kg:contentHash: what a re-ingest compares to skip unchanged articles
    article_iri: URIRef = field(init=False)
    context_iri: URIRef = field(init=False)
    _entities: dict = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.article_iri = URIRef(self.minter.article(self.article.key(), self.article.readable()))
        self.context_iri = URIRef(self.minter.fragment(self.article_iri, 0, len(self.article.text)))

    def entity_iri(self, doc, key: str) -> URIRef:
        """The IRI of an entity of ``doc._.kg_entities``: by QID when linked, else by class and label."""
        if key not in self._entities:
            ent = doc._.kg_entities[key]
            self._entities[key] = URIRef(self.minter.entity(ent["cls"], mention_key(ent["label"]), ent.get("qid")))
        return self._entities[key]

    def reference(self, doc, key: str) -> URIRef:
        """The article-local node for what this article says about entity ``key`` (name, class, nationality)."""
        return URIRef(self.minter.reference(self.article_iri, self.entity_iri(doc, key)))

    def fragment(self, start: int, end: int) -> URIRef:
        return URIRef(self.minter.fragment(self.article_iri, start, end))
