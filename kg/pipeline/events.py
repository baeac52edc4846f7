"""kg_events: events from the dependency parse: verbs and eventive nouns with their participants and a date.

``doc._.kg_events``: one dict per event (a happening; the same happening stated several times in an article is one
event with several mentions), in text order:
``{type, start, end, text, sentence, mentions, actors, places, participants, times, date_source, entity}``:
the event type (a kg:Event subclass from data/event_triggers.json, "Statement" for reporting verbs, "Event" when
no type fits or for a named event), the first trigger's character range, text and sentence (start, end),
``mentions`` every trigger as (start, end, text, sentence), entity keys of actors, places and other participants
(kg.pipeline.participants), indices into ``doc._.kg_times`` of the date (at most one), ``date_source`` saying where
the date comes from ("sentence": a time expression attached to the trigger or its clause; "article": one attached
to another mention of the same happening; "publication": the article's date, for a happening reported in the past
or present tense; None: undated), and for a named event its entity key.

Which words are events: a verb (not an auxiliary) with an entity taking part, or one in the trigger table; a noun in
the trigger table with a participant or a date ("Putin's visit"; "the war" as background is no event). Boilerplate
and words inside names are never triggers.
"""
from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..data import load_json
from . import MENTIONS, reset
from .boilerplate import skipped
from .participants import Participants
from .roles import nationality_tokens, token_owners

_UNREAL = frozenset({"will", "would", "could", "may", "might", "should", "can", "must", "shall", "'ll", "wo", "ca"})
_GENERIC = ("Event", "Statement")  # types too broad to say two mentions are one happening


class Events:
    def __init__(self, nlp: Language, name: str, triggers: str, claim_cues: str):
        self.name = name
        table = load_json(triggers)
        self.verbs, self.nouns = table["verbs"], table["nouns"]
        self.prep_verbs = table["prep_verbs"]
        self.reporting = frozenset(load_json(claim_cues)["verbs"])

    def type_of(self, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB":
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in self.prep_verbs.get(lemma, {}):
                    return self.prep_verbs[lemma][prep.lower_]  # "head to Moscow", "spoke with"
            return self.verbs.get(lemma) or ("Statement" if lemma in self.reporting else "Event")
        if tok.pos_ == "NOUN":
            return self.nouns.get(lemma) or self.nouns.get(tok.lower_)
        return None

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        owners = token_owners(doc)
        who = Participants(doc, owners, nationality_tokens(doc))
        owned = self.time_owners(doc)
        events: list[dict] = []
        by_token: dict[int, dict] = {}
        for tok in doc:
            etype = self.type_of(tok)
            if etype is None or not tok.is_alpha or tok.i in owners or skipped(doc, tok.idx, tok.idx + len(tok)):
                continue
            roles = who.of(tok)
            times = owned.get(tok.i, [])[:1]
            if not any(roles.values()) and (etype in _GENERIC or tok.pos_ == "NOUN" and not times):
                continue  # a verb nobody we know takes part in; a background noun ("the war")
            ev = self.event(tok, etype, roles, times)
            events.append(ev)
            by_token[tok.i] = ev
        for span in doc.spans[MENTIONS]:
            if span.label_ == "Event" and not skipped(doc, span.start_char, span.end_char):
                ev = self.event(span.root, "Event", who.of(span.root), owned.get(span.root.i, [])[:1])
                ev.update(start=span.start_char, end=span.end_char, text=span.text, entity=span._.kg_entity,
                          mentions=[(span.start_char, span.end_char, span.text, ev["sentence"])])
                events.append(ev)
        self.date(doc, by_token)
        named = {}
        for span in doc.spans[MENTIONS]:
            named.setdefault(span.sent.start_char, set()).add(span._.kg_entity)
        doc._.kg_events = merge(sorted(events, key=lambda e: e["start"]), [t["value"] for t in doc._.kg_times],
                                named)
        return doc

    def time_owners(self, doc: Doc) -> dict[int, list[int]]:
        """trigger token index -> indices of the kg_times entries whose nearest governing verb (or trigger noun)
        it is: "visited Warsaw on Wednesday", "the March 3 suspension"."""
        out: dict[int, list[int]] = {}
        for n, t in enumerate(doc._.kg_times):
            span = doc.char_span(t["start"], t["end"], alignment_mode="expand")
            if span is None:
                continue
            tok = span.root
            for _ in range(4):
                if tok.head is tok:
                    break
                tok = tok.head
                if tok.pos_ == "VERB" or tok.pos_ == "NOUN" and self.type_of(tok):
                    out.setdefault(tok.i, []).append(n)
                    break
        return out

    @staticmethod
    def event(tok: Token, etype: str, roles: dict, times: list[int]) -> dict:
        sent = (tok.sent.start_char, tok.sent.end_char)
        start, end = tok.idx, tok.idx + len(tok)
        return {"type": etype, "start": start, "end": end, "text": tok.text, "sentence": sent,
                "mentions": [(start, end, tok.text, sent)], **roles, "times": list(times),
                "date_source": "sentence" if times else None, "entity": None, "_lemma": tok.lemma_.lower()}

    @staticmethod
    def date(doc: Doc, by_token: dict[int, dict], recent_days: int = 14) -> None:
        """Undated events take the date of the clause they belong to ("In 1985 he was fired and founded NeXT");
        else, reported in the past tense, the day of the article's news (the latest day a sentence gave an earlier
        event, within ``recent_days`` before publication: "On Monday, Jobs unveiled ... He showed ..."); else,
        reported as happened or happening, the publication date."""
        pub, anchor = doc._.pub_date, None
        for i, ev in sorted(by_token.items()):
            tok = doc[i]
            if ev["times"]:
                t = doc._.kg_times[ev["times"][0]]
                if pub and t["datatype"] == "date" and 0 <= (pub - dt.date.fromisoformat(t["value"])).days <= recent_days:
                    anchor = ev["times"][0]
                continue
            head = tok.head if tok.dep_ in ("conj", "xcomp", "advcl", "ccomp") else None
            tense = _tense(tok)
            if head is not None and head.i in by_token and by_token[head.i]["date_source"] == "sentence":
                ev["times"], ev["date_source"] = list(by_token[head.i]["times"]), "sentence"
            elif tense == "past" and anchor is not None:
                ev["times"], ev["date_source"] = [anchor], "article"
            elif tense and pub is not None:
                ev["date_source"] = "publication"


def _tense(tok: Token) -> str | None:
    """"past" or "present" when a trigger is reported as happened or happening (its verb, or a noun's governing
    verb, in that tense with no modal or future auxiliary); None otherwise."""
    verb = tok
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    for _ in range(3):  # an infinitive or participle takes the tense of the verb it depends on
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if any(c.lower_ in _UNREAL for c in auxes):
            return None
        tags = [verb.tag_] + [c.tag_ for c in auxes]
        if "VBD" in tags:
            return "past"
        if "VBZ" in tags or "VBP" in tags:
            return "present"
        if verb.head is verb:
            break
        verb = verb.head
    return None


def merge(events: list[dict], values: list[str], named: dict[int, set]) -> list[dict]:
    """One event per happening: typed events with the same type and the same actors are one event (its mentions
    joined), and so are generic ones with the same verb, actors and participants ("released by the Press Service"
    in four captions), unless their sentences date them differently; a typed mention without an actor joins the
    event of its type whose actors its sentence names (a caption's "..., visits military headquarters"). A mention
    dated by its sentence dates the others. ``named``: sentence start -> entity keys mentioned in it."""
    out: list[dict] = []
    index: dict[tuple, list[dict]] = {}
    for ev in events:
        lemma = ev.pop("_lemma", None)
        if ev.get("entity") or ev["type"] == "Statement" or not ev["actors"] and ev["type"] == "Event":
            out.append(ev)
            continue
        if ev["type"] == "Event":
            key = ("Event", lemma, tuple(sorted(ev["actors"])), tuple(sorted(ev["participants"])))
            cands = index.get(key, [])
        elif ev["actors"]:
            key = (ev["type"], tuple(sorted(ev["actors"])))
            cands = index.get(key, [])
        else:
            key = None
            here = named.get(ev["sentence"][0], set())
            cands = [o for k, os in index.items() if k[0] == ev["type"] and set(k[1]) <= here for o in os]
        same = next((o for o in cands if not _conflict(o, ev, values)), None)
        if same is None:
            if key is not None:
                index.setdefault(key, []).append(ev)
            out.append(ev)
            continue
        same["mentions"].extend(ev["mentions"])
        for role in ("places", "participants"):
            same[role].extend(k for k in ev[role] if k not in same[role] and k not in same["actors"])
        if ev["date_source"] == "sentence" and same["date_source"] != "sentence":
            same["times"], same["date_source"] = ev["times"], "article"
        elif same["date_source"] is None:
            same["date_source"] = ev["date_source"]
    return out


def _conflict(a: dict, b: dict, values: list[str]) -> bool:
    """Both dated by their own sentences, to different dates."""
    return a["date_source"] == b["date_source"] == "sentence" and \
        {values[n] for n in a["times"]} != {values[n] for n in b["times"]}


@Language.factory("kg_events", assigns=["doc._.kg_events"],
                  default_config={"triggers": "event_triggers.json", "claim_cues": "claim_cues.json"})
def make_kg_events(nlp: Language, name: str, triggers: str, claim_cues: str) -> Events:
    return Events(nlp, name, triggers, claim_cues)
