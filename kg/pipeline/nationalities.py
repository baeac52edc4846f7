"""kg_nationalities: resolve nationality words to a country without a knowledge base (data/demonyms.json).

For each entry of ``doc._.kg_nationalities`` (written by kg_mentions) whose text is a known demonym:
- ``country``: the key of a Place entity for the country, created in ``doc._.kg_entities`` (with no names: the
  article never names it) when the article does not mention it;
- ``modifies``: the entity whose name the adjective modifies ("Russian President Vladimir Putin" -> Putin), found
  by walking up the dependency tree through compounds and modifiers; None for a common noun ("Russian forces").
Entries the table does not know keep country None; the linker may resolve them from the knowledge base.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..data import load_json
from . import MENTIONS, reset
from .boilerplate import skipped
from .mentions import entity_key

_NP_DEPS = {"amod", "compound", "nmod", "appos", "poss"}


class Nationalities:
    def __init__(self, nlp: Language, name: str, demonyms: str):
        self.name = name
        self.demonyms = load_json(demonyms)

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        owner = {}
        for span in doc.spans[MENTIONS]:
            for i in range(span.start, span.end):
                owner[i] = span._.kg_entity
        self.add_missed(doc, owner)
        for nat in doc._.kg_nationalities:
            country = self.demonyms.get(nat["text"])
            if country is None:
                continue
            key = entity_key("Place", country)
            doc._.kg_entities.setdefault(key, {"cls": "Place", "label": country, "names": set(), "qid": None,
                                               "confidence": None})
            nat["country"] = key
            nat["modifies"] = self.modified(doc, nat, owner)
        return doc

    def add_missed(self, doc: Doc, owner: dict) -> None:
        """Demonyms NER tagged as something else or nothing ("Kenyan" as CARDINAL), outside names and boilerplate."""
        known = [(n["start"], n["end"]) for n in doc._.kg_nationalities]
        for tok in doc:
            if tok.i in owner or not tok.is_title or tok.text not in self.demonyms:
                continue
            if any(s < tok.idx + len(tok) and tok.idx < e for s, e in known):
                continue
            if tok.ent_type_ not in ("", "NORP", "GPE", "CARDINAL") or skipped(doc, tok.idx, tok.idx + len(tok)):
                continue
            doc._.kg_nationalities.append({"start": tok.idx, "end": tok.idx + len(tok), "text": tok.text,
                                           "country": None, "qid": None, "modifies": None})
        doc._.kg_nationalities.sort(key=lambda n: n["start"])

    @staticmethod
    def modified(doc: Doc, nat: dict, owner: dict) -> str | None:
        span = doc.char_span(nat["start"], nat["end"], alignment_mode="expand")
        if span is None:
            return None
        tok = span.root
        for _ in range(4):
            if tok.dep_ not in _NP_DEPS or tok.head is tok:
                return None
            tok = tok.head
            if tok.i in owner:
                return owner[tok.i]
        return None


@Language.factory("kg_nationalities", assigns=["doc._.kg_nationalities", "doc._.kg_entities"],
                  default_config={"demonyms": "demonyms.json"})
def make_kg_nationalities(nlp: Language, name: str, demonyms: str) -> Nationalities:
    return Nationalities(nlp, name, demonyms)
