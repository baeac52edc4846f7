"""Who takes part in an event, read from the dependency parse (used by kg_events).

An event's *actors* are its grammatical subject or passive agent (for a noun trigger: its possessor, a modifier or
a "by" phrase: "Putin's visit", "Russian forces"); its *places* are Place entities after in/at/near/to/into/inside/
outside/across (and a Place object: "visited Warsaw"); every other entity it governs (object, passive subject,
"from"/"with"/"against"/"for"/"of" phrase) is a *participant* ("retaken the town from Ukraine": Ukraine takes part,
it is not where the retaking happened). Personal pronouns are resolved to the nearest earlier entity of a fitting
class within a few sentences ("he said" after "Steve Jobs"); that is all the coreference we do.
"""
from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

from . import MENTIONS

PLACE_PREPS = frozenset({"in", "at", "near", "to", "into", "inside", "outside", "across", "on"})
OTHER_PREPS = frozenset({"from", "with", "against", "for", "of", "over", "between"})
MOD_DEPS = frozenset({"compound", "amod", "poss", "nmod"})
_PRONOUNS = {"he": ("Person",), "him": ("Person",), "his": ("Person",), "she": ("Person",), "her": ("Person",),
             "it": ("Organisation", "Place"), "its": ("Organisation", "Place")}


class Participants:
    """Entity lookups over one Doc: token -> entity through mentions, nationality words and pronouns."""

    def __init__(self, doc: Doc, owners: dict, countries: dict, window: int = 3):
        self.doc, self.owners, self.countries, self.window = doc, owners, countries, window
        spans = sorted(doc.spans[MENTIONS], key=lambda s: s.start)
        self.starts = [s.start for s in spans]
        self.spans = spans
        self.sent_starts = [s.start for s in doc.sents]

    def entity(self, tok: Token, classes=("Person", "Organisation", "Place")) -> str | None:
        """The entity (or country) a noun phrase head refers to: an apposed name first ("the envoy, Steve
        Witkoff"), then the head, then its modifiers; pronouns through :meth:`antecedent`."""
        cands = [c for c in tok.children if c.dep_ == "appos"] + [tok] + \
                [c for c in tok.children if c.dep_ in MOD_DEPS]
        for cand in cands:
            if cand.i in self.owners and self.owners[cand.i][1] in classes:
                return self.owners[cand.i][0]
            if cand.i in self.countries and "Place" in classes and (cand is tok or classes != ("Place",)):
                return self.countries[cand.i]  # "Russian forces" act for Russia, but do not happen there
            if cand.pos_ == "PRON" and cand.lower_ in _PRONOUNS:
                return self.antecedent(cand, classes)
        return None

    def antecedent(self, pron: Token, classes) -> str | None:
        """The nearest subject mention before ``pron`` whose class fits the pronoun, in its sentence or the
        ``window`` sentences before it; else the nearest such mention."""
        fits = [c for c in _PRONOUNS[pron.lower_] if c in classes]
        n = bisect.bisect_right(self.sent_starts, pron.i) - 1
        first = self.sent_starts[max(0, n - self.window)]
        nearest = None
        k = bisect.bisect_left(self.starts, pron.i) - 1
        while k >= 0 and self.spans[k].start >= first:
            span = self.spans[k]
            if span.label_ in fits and span.end <= pron.i:
                if span.root.dep_ in ("nsubj", "nsubjpass"):
                    return span._.kg_entity  # subjects are the likelier antecedents
                nearest = nearest or span._.kg_entity
            k -= 1
        return nearest

    def of(self, trigger: Token) -> dict[str, list[str]]:
        """{"actors", "places", "participants"}: entity keys, each once, actors first."""
        found = {"actors": [], "places": [], "participants": []}
        taken: set[str] = set()

        def add(role: str, tok: Token, classes=("Person", "Organisation", "Place")) -> None:
            key = self.entity(tok, classes)
            if key is not None and key not in taken:
                taken.add(key)
                found[role].append(key)

        noun = trigger.pos_ in ("NOUN", "PROPN")
        subjects = [c for c in trigger.children if c.dep_ in ("nsubj", "csubj")]
        if not subjects and not noun and trigger.dep_ in ("xcomp", "conj", "advcl") and trigger.head is not trigger:
            subjects = [c for c in trigger.head.children if c.dep_ == "nsubj"]  # "wants to visit", "came and went"
        if not subjects and trigger.dep_ == "relcl" and trigger.head.pos_ in ("NOUN", "PROPN"):
            subjects = [trigger.head]  # "the company that launched it"
        for subj in subjects:
            relative = subj.tag_ in ("WDT", "WP") and trigger.dep_ == "relcl"
            add("actors", trigger.head if relative else subj)  # "the company that launched it"
        for child in trigger.children:
            if child.dep_ == "agent":
                for g in child.children:
                    add("actors", g)
            elif noun and child.dep_ in MOD_DEPS:
                add("actors", child)
            elif noun and child.dep_ == "prep" and child.lower_ == "by":
                for g in child.children:
                    add("actors", g)
        heads = [trigger] + [c for c in trigger.children if c.dep_ in ("dobj", "obj", "nsubjpass", "attr", "dative")]
        for obj in heads[1:]:
            if trigger.pos_ == "VERB" and obj.dep_ == "dobj":
                add("places", obj, ("Place",))  # "visited Warsaw", "captured the town of Sudzha" (via "of" below)
            add("participants", obj)
        for head in heads:
            for prep in head.children:
                if prep.dep_ != "prep" or (head is trigger and noun and prep.lower_ == "by"):
                    continue
                of_place = head is not trigger and prep.lower_ == "of"  # "captured the town of Sudzha"
                role = "places" if prep.lower_ in PLACE_PREPS or of_place else \
                    "participants" if prep.lower_ in OTHER_PREPS else None
                if role is None or (head is not trigger and prep.lower_ not in ("of", "in", "at", "near")):
                    continue
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        if role == "places":
                            add("places", obj, ("Place",))
                        add("participants", obj, ("Person", "Organisation"))
        if noun:  # "talks held in Saudi Arabia": where the happening noun's participle puts it
            for acl in (c for c in trigger.children if c.dep_ == "acl"):
                for prep in acl.children:
                    if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS:
                        for obj in prep.children:
                            if obj.dep_ == "pobj":
                                add("places", obj, ("Place",))
        return found
