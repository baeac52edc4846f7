"""How the article uses a name, read from the dependency parse: as a place, or as something named after one.

A place name often stands for an organisation named after it: a club or a racecourse in a sports report
("Newcastle started the second half", "at Sandown", "against Sevilla and Brighton"), a team that beats another
("Leeds beat Hull"), a national team ("England's manager"). Some mentions only quote a name ("two
ships have been named New Jersey") or are part of an event's name ("the Paris attacks"). Each reading is evidence
against linking the mention to the place (rule tables: data/linking.json "readings", given as ``t``:
kg.linking.rules.Rules.readings).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span


def sports_report(doc: Doc, t: dict) -> bool:
    """The article reports sport: it uses at least ``min_sports_cues`` distinct words only sport uses ("striker",
    "inning", "racecourse"; words shared with politics, "race", "win", "season", are not cues), and they make up at
    least ``sports_cue_share`` of its tokens (a long interview that mentions a tournament is no sports report)."""
    ids = doc.to_array(["LEMMA", "NORM"])  # string ids, read in one pass without building tokens or strings
    cues = t["sports_ids"]
    hits = [lemma if lemma in cues else norm for lemma, norm in ids.tolist() if lemma in cues or norm in cues]
    return len(set(hits)) >= t["min_sports_cues"] and len(hits) >= t["sports_cue_share"] * len(doc)


def team_cue(span: Span, organisations: set[int], t: dict) -> str | None:
    """Why this place-named mention acts as a team or another organisation, or None: it owns or modifies a team
    member ("Newcastle's supporters", "England manager"), is the subject of a match verb ("Leeds beat Hull") or
    the agent of one in the passive ("overwhelmed by Newcastle"), or is coordinated with a club (token indices in
    ``organisations``, given in sports reports only): "against Sevilla and Brighton"."""
    root = span.root
    head = root.head
    if root.dep_ in ("poss", "compound") and head.lemma_.lower() in t["team_nouns"] and head.i >= span.end:
        return f"owns or modifies {head.text!r}"
    if root.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in t["match_verbs"] and head.dep_ != "amod":
        return f"subject of {head.text!r}"
    if root.dep_ == "pobj" and head.dep_ == "agent" and head.head.lemma_.lower() in t["match_verbs"]:
        return f"agent of {head.head.text!r}"
    peers = [c for c in root.conjuncts if c.i in organisations]
    if peers:
        return f"coordinated with the organisation {peers[0].text!r}"
    return None


def person_cue(span: Span, t: dict) -> str | None:
    """Why this mention names a person, or None: a word for a relative stands in apposition to it or to the
    coordination it is part of ("kids Jayden and Preston", "his wife, Victoria")."""
    nouns = t["person_nouns"]
    first = span.root.head if span.root.dep_ == "conj" else span.root
    for tok in (first, *first.children):
        if tok.lemma_.lower() in nouns and tok.dep_ in ("compound", "appos") and tok.i < span.start:
            return f"{tok.text!r} before it"
    if first.dep_ == "appos" and first.head.lemma_.lower() in nouns:
        return f"in apposition to {first.head.text!r}"
    return None


def name_only(span: Span, t: dict) -> tuple[str, str] | None:
    """(kind, why) this mention does not refer to what it names, or None: it is the name given by a naming verb ("ships
    named New Jersey", "a dog called Paris"), part of a title, after a capitalised function word that opens no
    sentence ("Dinner With Saddam"), or a modifier inside the name of an attack or a disaster ("the
    (November 2015) Paris attacks": the head is such an event noun and takes "the" before the name). kg.linking.link
    applies the second to places other than countries: a country before an attack noun is its actor ("the U.S.
    strike")."""
    root = span.root
    head = root.head
    if root.dep_ == "oprd" and head.lemma_.lower() in t["naming_verbs"] and (thing := _named_thing(head, root, t)):
        return "naming", f"only the name given by {head.text!r} to {thing.text!r}"
    if _in_title(span):
        before = span.doc[span.start - 2:span.start]
        return "title", f"part of a title ('{before[0].text} {before[1].text} {span.text}')"
    if root.dep_ == "compound" and head.pos_ == "NOUN" and head.lemma_.lower() in t["event_nouns"] \
            and head.i == span.end and any(c.dep_ == "det" and c.lower_ == "the" and c.i < span.start
                                           for c in head.children):
        return "event", f"part of the name of an event ('the {span.text} {head.text}')"
    return None


def _named_thing(verb, name, t: dict):
    """What ``verb`` gives the name ``name`` to, when that is a common noun other than a word for a place ("ships
    have been named X", "a mannequin nicknamed X"; not "a city named Mumbai", which is Mumbai), and nothing else
    completes the verb ("called Trump a liar" calls Trump something; "named X as his running mate" appoints X)."""
    if any(c.dep_ == "oprd" and c.i != name.i or c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
        return None
    thing = verb.head if verb.dep_ == "acl" else next(
        (c for c in verb.children if c.dep_ in ("nsubjpass", "dobj") and c.i != name.i), None)
    if thing is None or thing.pos_ != "NOUN" or thing.lemma_.lower() in t["place_nouns"]:
        return None
    return thing


def _in_title(span: Span) -> bool:
    """A capitalised function word that opens no sentence comes right before the name, after another capitalised
    word, in a sentence that writes other function words in lower case and ends like one (not a headline in title
    case: "Trump Meets With Putin")."""
    before = span.doc[span.start - 2:span.start] if span.start > 1 else []
    if not (len(before) == 2 and before[1].is_stop and before[1].is_title and not before[1].is_sent_start
            and before[0].is_title):
        return False
    sent = span.sent
    return sent[-1].text in (".", "!", "?") and any(t.is_stop and t.is_lower and t.is_alpha for t in sent)


def read_entities(doc: Doc, spans: dict[str, list[Span]], countries: set[str], t: dict) -> dict[str, dict]:
    """Entity key -> its readings: ``sports`` (the article is a sports report), ``team`` (why a mention acts as an
    organisation, or None), ``person`` (why a mention names a person, or None), ``name_only`` ([(span, kind, why)]
    of mentions that only quote a name).

    The clubs a mention may be coordinated with, in a sports report only (outside sport, NER types many towns
    Organisation, and lists of towns are common): mentions typed Organisation and mentions of places other than
    countries (``countries``: keys of entities with a country among their candidates): "at Fulham, Liverpool and
    England"."""
    sports = sports_report(doc, t)
    organisations = {i for key, ss in spans.items() for s in ss if sports and (
                     s.label_ == "Organisation" or s.label_ == "Place" and key not in countries)
                     for i in range(s.start, s.end)}
    out = {}
    for key, ss in spans.items():
        quoted = [(s, *why) for s in ss if (why := name_only(s, t))]
        out[key] = {"sports": sports, "team": next((why for s in ss if (why := team_cue(s, organisations, t))), None),
                    "person": next((why for s in ss if (why := person_cue(s, t))), None),
                    "name_only": quoted}
    return out
