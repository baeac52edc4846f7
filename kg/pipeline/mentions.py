"""kg_mentions: turn NER entities into typed mentions, one entity per (class, normalised name).

Later components (typing fixes, alias clustering, linking) refine what this one writes.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..data import load_json
from . import MENTIONS, reset

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.I)
_TRAILING = re.compile(r"[\s\.,;:!?\"'’”)\]]+$")


def normalise(name: str) -> str:
    """The key under which names of one entity are compared: casefolded, single-spaced, no leading article."""
    return " ".join(_LEADING.sub("", name).replace("’", "'").split()).casefold()


def trim(span: Span) -> Span | None:
    """Drop leading determiners and trailing punctuation/space tokens; None when nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_space or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return Span(doc, start, end, label=span.label_) if end > start else None


def entity_key(cls: str, name: str) -> str:
    return f"{cls}:{normalise(name)}"


def add_mention(doc: Doc, span: Span, cls: str, key: str | None = None) -> Span:
    """Record a typed mention and its entity (creating the entity on first sight)."""
    key = key or entity_key(cls, span.text)
    ent = doc._.kg_entities.setdefault(key, {"cls": cls, "label": span.text, "names": set(), "qid": None,
                                            "confidence": None})
    ent["names"].add(span.text)
    mention = Span(doc, span.start, span.end, label=cls)
    mention._.kg_entity = key
    group = doc.spans[MENTIONS]
    group.append(mention)
    return mention


class NerMentions:
    """Map spaCy NER labels to our four classes (table: data/label_map.json)."""

    def __init__(self, nlp: Language, name: str, label_map: str):
        self.name = name
        self.label_map = load_json(label_map)

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        for ent in doc.ents:
            target = self.label_map.get(ent.label_)
            span = trim(ent) if target else None
            if span is None:
                continue
            if target == "nationality":
                doc._.kg_nationalities.append({"start": span.start_char, "end": span.end_char, "text": span.text,
                                               "country": None, "qid": None, "modifies": None})
            else:
                add_mention(doc, span, target)
        return doc


@Language.factory("kg_mentions", assigns=["doc.spans", "doc._.kg_entities", "doc._.kg_nationalities"],
                  default_config={"label_map": "label_map.json"})
def make_kg_mentions(nlp: Language, name: str, label_map: str) -> NerMentions:
    return NerMentions(nlp, name, label_map)
