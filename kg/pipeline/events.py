"""kg_events: event mentions from trigger words (data/event_triggers.json) and from named events ("World War II").

``doc._.kg_events``: one dict per event mention, in text order:
``{type, start, end, text, sentence, actors, places, times, entity}``: the event type (a kg:Event subclass name,
"Event" for a named event), the trigger's character range and text, the sentence's (start, end), entity keys of
its actors (grammatical subject or agent, a possessor or modifier of a noun trigger: "Putin's visit", "Russian
forces"), entity keys of its places (its object, or objects of in/at/near/to attached to the trigger or its object), indices
into ``doc._.kg_times`` of the dates attached to it, and for a named event its entity key.
Boilerplate and words inside names are never triggers.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..data import load_json
from . import MENTIONS, reset
from .boilerplate import skipped
from .roles import nationality_tokens, token_owners

_PLACE_PREPS = {"in", "at", "near", "to", "into", "inside", "outside", "from", "across"}
_MOD_DEPS = {"compound", "amod", "poss", "nmod"}


class Events:
    def __init__(self, nlp: Language, name: str, triggers: str):
        self.name = name
        table = load_json(triggers)
        self.triggers = {"VERB": table["verbs"], "NOUN": table["nouns"]}

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        owners, countries = token_owners(doc), nationality_tokens(doc)
        time_roots = self.time_roots(doc)
        for tok in doc:
            etype = self.triggers.get(tok.pos_, {}).get(tok.lemma_.lower())
            if etype is None or tok.i in owners or skipped(doc, tok.idx, tok.idx + len(tok)):
                continue
            doc._.kg_events.append(self.event(tok, etype, owners, countries, time_roots))
        for span in doc.spans[MENTIONS]:
            if span.label_ == "Event":
                ev = self.event(span.root, "Event", owners, countries, time_roots)
                ev.update(start=span.start_char, end=span.end_char, text=span.text, entity=span._.kg_entity)
                doc._.kg_events.append(ev)
        doc._.kg_events.sort(key=lambda e: e["start"])
        return doc

    @staticmethod
    def time_roots(doc: Doc) -> dict[int, int]:
        """root token index of each kg_times entry -> its index."""
        out = {}
        for n, t in enumerate(doc._.kg_times):
            span = doc.char_span(t["start"], t["end"], alignment_mode="expand")
            if span is not None:
                out[span.root.i] = n
        return out

    def event(self, tok: Token, etype: str, owners: dict, countries: dict, time_roots: dict) -> dict:
        actors, places, times = [], [], []

        def refer(t: Token, into: list, classes=("Person", "Organisation", "Place")) -> None:
            """The entity (or country) a noun phrase head refers to, directly or through its modifiers."""
            for cand in [t, *(c for c in t.children if c.dep_ in _MOD_DEPS)]:
                if cand.i in owners and owners[cand.i][1] in classes:
                    key = owners[cand.i][0]
                elif cand.i in countries:
                    key = countries[cand.i]
                else:
                    continue
                if key not in into:
                    into.append(key)
                return

        heads = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "obj")]
        for child in tok.children:
            if child.dep_ == "nsubj":
                refer(child, actors)
            elif child.dep_ == "agent":
                for g in child.children:
                    refer(g, actors)
            elif tok.pos_ == "NOUN" and child.dep_ in _MOD_DEPS:
                refer(child, actors)
        if tok.pos_ == "VERB" and tok.dep_ in ("xcomp", "conj") and not actors:
            for child in tok.head.children:
                if child.dep_ == "nsubj":
                    refer(child, actors)
        for obj in heads[1:]:  # "visited Warsaw", "captured the town of Sudzha"
            refer(obj, places, ("Place",))
        for head in heads:
            for prep in head.children:
                if prep.dep_ == "prep" and (prep.lower_ in _PLACE_PREPS or head is not tok and prep.lower_ == "of"):
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            refer(obj, places, ("Place",))
        for root, n in time_roots.items():
            t = tok.doc[root]
            for _ in range(3):
                if t.head is t:
                    break
                t = t.head
                if t.i == tok.i:
                    times.append(n)
                    break
        sent = tok.sent
        return {"type": etype, "start": tok.idx, "end": tok.idx + len(tok), "text": tok.text,
                "sentence": (sent.start_char, sent.end_char), "actors": actors, "places": places,
                "times": sorted(times), "entity": None}


@Language.factory("kg_events", assigns=["doc._.kg_events"], default_config={"triggers": "event_triggers.json"})
def make_kg_events(nlp: Language, name: str, triggers: str) -> Events:
    return Events(nlp, name, triggers)
