"""kg_mentions: turn NER entities into typed mentions, one entity per (class, normalised name).

For each NER entity outside boilerplate (``doc._.kg_skip``): trim it (determiners, punctuation, possessive "'s",
anything after a line break), keep nationality words as ``doc._.kg_nationalities`` (NORP, or a GPE that is a
demonym: "Ukrainian"), drop ships and craft ("USS Hornet") and common nouns NER took for people ("the Moon"), map
its label to our class (data/label_map.json) and let context cues override it (kg.pipeline.cues). Names right after
a title that NER missed ("Gen. Valery Gerasimov") become persons.

``span._.kg_source`` says what typed a mention: "ner", "cue" or "alias"; kg_aliases weighs them when it makes
the classes of one name agree across the article and re-keys entities by alias cluster.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..data import load_json
from ..names import mention_key
from . import MENTIONS, reset
from .boilerplate import skipped
from .cues import cue_class, is_vessel, plural_title
from .tables import CUE_FILES, Cues, SavedTables, cue_tables

_TRAILING = re.compile(r"[\s\.,;:!?\"'’”)\]]+$")

if not Span.has_extension("kg_source"):
    Span.set_extension("kg_source", default=None)


def trim(span: Span) -> Span | None:
    """Drop leading determiners (and a sentence-initial verb: "Enraged Ural"), trailing punctuation, space, a
    possessive or a lower-case verb ("Storm Otto kills"), and whatever follows a line break; None when nothing
    is left."""
    start, end = span.start, span.end
    doc = span.doc
    for i in range(start, end):
        if doc[i].is_space and "\n" in doc[i].text and i > start:
            end = i
            break
    while start < end and (doc[start].lower_ in {"the", "a", "an"} or doc[start].is_space or doc[start].is_punct
                           or doc[start].is_sent_start and doc[start].pos_ in ("VERB", "ADV") and end - start > 1):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"
                           or doc[end - 1].lower_ in {"'s", "’s"}
                           or doc[end - 1].is_lower and doc[end - 1].pos_ in ("VERB", "AUX", "ADP", "CCONJ")):
        end -= 1
    return Span(doc, start, end, label=span.label_) if end > start else None


def entity_key(cls: str, name: str) -> str:
    """The key of the entity of class ``cls`` named ``name`` (a person's name without honorifics: Cues.name_of)."""
    return f"{cls}:{mention_key(name)}"


def with_honorifics(span: Span, cues: Cues) -> Span:
    """A person's mention with the courtesy titles and ranks right before it ("Dr. Bose", "Gen. Qasem Soleimani")."""
    start = span.start
    while start > 0 and cues.is_honorific(span.doc[start - 1]):
        start -= 1
    return Span(span.doc, start, span.end, label=span.label_) if start < span.start else span


def with_particles(span: Span, cues: Cues) -> Span:
    """A person's mention with the name particles NER cut it at ("Hans van" + "den Broek", "Ursula von der" +
    "Leyen"): particles at its end or right after it and the capitalised word after them; dangling particles
    without a name after them are dropped."""
    doc = span.doc
    end = span.end
    while end > span.start + 1 and cues.is_particle(doc[end - 1]):
        end -= 1
    j = end
    while j < len(doc) and (cues.is_particle(doc[j]) or doc[j].text == "-" and cues.is_particle(doc[j - 1])):
        j += 1
    if j > end and j < len(doc) and doc[j].is_title and doc[j].pos_ == "PROPN":
        end = max(j + 1, span.end)
    return Span(doc, span.start, end, label=span.label_) if end != span.end else span


def particle_tails(span: Span, cues: Cues) -> list[Span]:
    """The surname with its particles at the end of a person's mention: "van den Broek" in "Hans van den Broek"."""
    first = span.end - 1
    while first > span.start + 1 and cues.is_particle(span.doc[first - 1]):
        first -= 1
    return [span.doc[first:span.end]] if first < span.end - 1 else []


def after_particles(span: Span, cues: Cues) -> Span:
    """The span with the lower-case name particles right before it ("Broek" -> "van den Broek")."""
    start = span.start
    while start > 0 and cues.is_particle(span.doc[start - 1]):
        start -= 1
    return Span(span.doc, start, span.end, label=span.label_) if start < span.start else span


def add_mention(doc: Doc, span: Span, cls: str, cues: Cues, source: str = "ner") -> Span:
    """Record a typed mention and its entity (creating the entity on first sight)."""
    label = cues.name_of(cls, span.text)
    key = entity_key(cls, label)
    ent = doc._.kg_entities.setdefault(key, {"cls": cls, "label": label, "names": set(), "qid": None,
                                            "confidence": None})
    ent["names"].add(span.text)
    mention = Span(doc, span.start, span.end, label=cls)
    mention._.kg_entity = key
    mention._.kg_source = source
    group = doc.spans[MENTIONS]
    group.append(mention)
    return mention


def common_nouns(nlp: Language) -> frozenset[str]:
    """English common nouns as the model's lemmatizer knows them (WordNet's index), empty without one."""
    if "lemmatizer" not in nlp.pipe_names or not hasattr(nlp.get_pipe("lemmatizer"), "lookups"):
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    return frozenset(lookups.get_table("lemma_index").get("noun", ())) if lookups.has_table("lemma_index") \
        else frozenset()


def common_noun(span: Span, surnames: set[str], nouns: frozenset[str], cues: Cues) -> bool:
    """"on the Moon": one capitalised word that is an English common noun, read as one by the tagger or heading a
    phrase after "the", is not a person's name, unless it is a title or the surname of a full name in the article
    ("Major" after "John Major")."""
    tok = span[0]
    if len(span) != 1 or tok.text in surnames or tok.lower_ not in nouns or cues.is_title(tok):
        return False
    doc = span.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return tok.pos_ == "NOUN" or prev is not None and prev.lower_ in ("the", "a", "an") \
        and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN"))  # not a modifier: "the Trump administration"


def in_headline(span: Span) -> bool:
    """The span stands on a line that does not end like a sentence (a headline: "Astronauts ... walk on the Moon")."""
    text = span.doc.text
    end = text.find("\n", span.end_char)
    line = text[text.rfind("\n", 0, span.start_char) + 1:end if end >= 0 else len(text)].rstrip()
    return not line.endswith((".", "!", "?", '"', "”", ":"))


def add_nationality(doc: Doc, span: Span) -> None:
    doc._.kg_nationalities.append({"start": span.start_char, "end": span.end_char, "text": span.text,
                                   "country": None, "qid": None, "modifies": None})


class NerMentions(SavedTables):
    """Map spaCy NER labels to our four classes (table: data/label_map.json), corrected by context cues."""

    def __init__(self, nlp: Language, name: str, label_map: str, demonyms: str, cues: dict):
        self.name = name
        self.nouns = common_nouns(nlp)
        self.use_tables({"label_map": load_json(label_map), "demonyms": load_json(demonyms),
                         "cues": cue_tables(cues)})

    def use_tables(self, tables: dict) -> None:
        self.tables = tables
        self.label_map, self.demonyms = tables["label_map"], tables["demonyms"]
        self.cues = Cues.from_tables(tables["cues"])

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        cues, covered = self.cues, set()
        surnames = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
        particle_names: set[str] = set()  # surnames with particles of the people found so far: "van den Broek"
        for ent in doc.ents:
            span = trim(ent)
            if span is None or span[0].is_lower or skipped(doc, span.start_char, span.end_char):
                continue  # names start with a capital (or a digit: "20th Armoured Brigade")
            if covered.intersection(range(ent.start, ent.end)):
                continue  # taken by a person's name before it ("Broek" in "Hans van den Broek")
            covered.update(range(ent.start, ent.end))
            if is_vessel(span, cues):
                continue
            target = self.label_map.get(ent.label_)
            if span.text in self.demonyms and ent.label_ in ("NORP", "GPE"):
                target = "nationality"
            cue = cue_class(span, ent.label_, cues) if target != "nationality" or span.text not in self.demonyms else None
            if target == "nationality" and cue is None:
                add_nationality(doc, span)  # kg_nationalities resolves it to a country when it can
                continue
            cls = cue or target
            after = after_particles(span, cues)
            if after.text in particle_names:  # "van den Broek" again, "Broek" typed a place by NER
                span, cls, cue = after, "Person", "Person"
            if cls == "Person" and not cue and common_noun(span, surnames, self.nouns, cues):
                continue
            if cls == "Person":
                span = self.without_plural_title(span)
                span = with_honorifics(with_particles(span, cues), cues)
                particle_names.update(tail.text for tail in particle_tails(span, cues))
                covered.update(range(span.start, span.end))
            if cls:
                add_mention(doc, span, cls, cues, source="cue" if cue and cue != target else "ner")
        self.titled_names(doc, covered)
        return doc

    def without_plural_title(self, span: Span) -> Span:
        """"Presidents Obama and Biden", "Astronauts Armstrong and Aldrin walk on the Moon" -> "Armstrong": a plural
        title, or in a headline a plural common noun before coordinated names, is not part of a name."""
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        listed = nxt is not None and nxt.lower_ in ("and", "&", ",") and in_headline(span)
        if len(span) > 1 and plural_title(span[0], self.cues, self.nouns, listed):
            return Span(span.doc, span.start + 1, span.end, label=span.label_)
        return span

    def titled_names(self, doc: Doc, covered: set[int]) -> None:
        """Proper nouns right after a title that NER left out: "Gen. Valery Gerasimov" is a person."""
        cues, is_title = self.cues, self.cues.is_title
        i = 1
        while i < len(doc):
            if i not in covered and doc[i].pos_ == "PROPN" and doc[i].is_title and is_title(doc[i - 1]) \
                    and not doc[i - 1].is_lower and (i < 2 or doc[i - 2].lower_ != "of"):
                j = i
                while j < len(doc) and j not in covered and doc[j].pos_ == "PROPN" and doc[j].is_title \
                        and not is_title(doc[j]):
                    j += 1
                if j < len(doc) and is_title(doc[j]) and not doc[j].is_lower:
                    j = i  # a title itself ("Chief of General Staff Gen. ..."), not a name
                if j > i and not skipped(doc, doc[i].idx, doc[j - 1].idx + len(doc[j - 1])):
                    add_mention(doc, with_honorifics(doc[i:j], cues), "Person", cues, source="cue")
                i = max(j, i + 1)
            else:
                i += 1


@Language.factory("kg_mentions", assigns=["doc.spans", "doc._.kg_entities", "doc._.kg_nationalities"],
                  default_config={"label_map": "label_map.json", "demonyms": "demonyms.json", "cues": CUE_FILES})
def make_kg_mentions(nlp: Language, name: str, label_map: str, demonyms: str, cues: dict) -> NerMentions:
    return NerMentions(nlp, name, label_map, demonyms, cues)
