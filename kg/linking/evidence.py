"""What the article says about a name, as evidence for or against a link: how strong its surface form is, the
given names the article pairs with a surname, whether a mention sits inside a longer name, the places a person's
KB description names (the subset has no citizenship, so "Governor of West Virginia" stands for it) and whether
the roles the article gives a person agree with that description."""
from __future__ import annotations

from difflib import SequenceMatcher

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span

from ..names import is_title, norm
from .candidates import strip_title

SHORT = 3  # letters: a name this short is a code or an abbreviation, or a common word ("Us", "ID")


def surface_strength(ent: dict, titles: frozenset[str]) -> str:
    """The best surface form of an entity: 'name' (several words), 'word' (one capitalised word: "Pool",
    "Justice"), or 'short' (three letters or fewer and not written in capitals: "Us")."""
    best = "short"
    rank = {"short": 0, "word": 2, "name": 3}
    for name in ent["names"] | {ent["label"]}:
        words = strip_title(name, titles).split() if ent["cls"] == "Person" else norm(name).split()
        letters = name.replace(".", "").replace(" ", "")
        if len(words) > 1:
            kind = "name"
        elif len(letters) <= SHORT and not letters.isupper():
            kind = "short"
        else:
            kind = "word"
        best = max(best, kind, key=rank.get)
    return best


def given_names(names, titles: frozenset[str]) -> set[str]:
    """First words of the names of several words ("Tomasz" of "Dr Tomasz Stefaniak"); initials are left out."""
    out = set()
    for name in names:
        words = strip_title(name, titles).split()
        if len(words) > 1 and len(words[0]) > 1:
            out.add(words[0])
    return out


def surnames(names, titles: frozenset[str]) -> set[str]:
    return {words[-1] for n in names if (words := strip_title(n, titles).split())}


def first_name_conflict(label: str | None, given: set[str], titles: frozenset[str]) -> bool:
    """The KB person's given name is none of the article's given names for that surname ("Bill Stefaniak" when
    the article says "Tomasz Stefaniak"), or the person is known by one word only; an initial agrees with a name it
    begins ("J. Smith", "John Smith")."""
    if not label or not given:
        return False
    words = strip_title(label.split(",")[0], titles).split()
    if len(words) < 2:
        return True  # known by one word ("Robinson"): not the article's "Markham Robinson"
    return not any(_same_given(words[0], g) for g in given)


def _same_given(a: str, b: str) -> bool:
    """Two given names agree: equal, an initial and a name it begins, or spellings of one name ("Dmitry",
    "Dmitri": same first letter, at most a quarter of the letters differ)."""
    a, b = norm(a), norm(b)
    if a == b or len(a) == 1 and b.startswith(a) or len(b) == 1 and a.startswith(b):
        return True
    return a[:1] == b[:1] and SequenceMatcher(None, a, b).ratio() >= 0.75


def inside_longer_name(span: Span, titles: frozenset[str]) -> bool:
    """The mention is part of a longer name it does not cover: a capitalised proper noun right after it that it
    modifies ("U.S. Congress", "MV Alan Kurdi") or right before it that modifies it ("Real Madrid"). A title after
    it ("U.S. President") or a line of title-case words (a headline) is not such a name."""
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    prev = doc[span.start - 1] if span.start > 0 else None
    if nxt is not None and nxt.pos_ == "PROPN" and nxt.is_title and not is_title(nxt, titles) \
            and any(t.head.i >= span.end and t.head.i < span.end + 3 for t in span) and not _headline(span):
        return True
    return prev is not None and prev.pos_ == "PROPN" and prev.is_title and not is_title(prev, titles) \
        and prev.head.i in range(span.start, span.end) and prev.dep_ == "compound" and not _headline(span)


def _headline(span: Span) -> bool:
    """The span stands in a line most of whose words are capitalised (a headline in title case)."""
    sent = span.sent
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) > 2 and sum(t.is_title for t in words) > 0.7 * len(words)


def described_places(source, item, major_places: frozenset[str]) -> set[str]:
    """QIDs of the countries and first-level divisions a person's KB description names ("Member of the Ghana
    Parliament", "Governor of West Virginia", "British politician"), with the countries of those divisions."""
    text = item.description or ""
    words = [w.strip(",.;()") for w in text.split()]
    found: set[str] = set()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if not gram[0][:1].isupper():
                continue
            for qid, _kind in source.lookup(" ".join(gram), ("label", "demonym")):
                place = source.item(qid)
                if place is not None and set(place.values("P31")) & major_places:
                    found.add(qid)
                    found.update(place.values("P17"))
    return found


def article_roles(doc, key: str) -> list[str]:
    """The roles the article gives person ``key`` for a body (kg_roles with an organisation or place): title words
    with the body's name ("press secretary Pentagon", "lawmaker Knesset"). A bare title ("Judge", "general") or one
    for a person ("Trump's adviser") is left out: KB descriptions list some offices only, and name them otherwise."""
    ents = doc._.kg_entities
    out = []
    for role in doc._.kg_roles or []:
        body = ents.get(role.get("org") or "")
        if role.get("person") == key and body and body["cls"] in ("Organisation", "Place"):
            out.append(f"{role.get('title') or ''} {body['label']}".strip())
    return out


def role_agrees(description: str | None, roles: list[str]) -> bool:
    """A role the article gives agrees with the KB description of the person: they share a word (spellings of one
    word count: "Defense", "Defence"), or a role written in capitals is the initials of words of the description
    ("MP": "Member of the 58th Parliament"). No roles in the article, or no description: nothing disagrees."""
    if not roles or not description:
        return True
    desc = [w.strip(",.;()") for w in description.split()]
    words = {norm(w) for w in desc if len(w) > 2} - STOP_WORDS
    initials = "".join(w[0] for w in desc if w[:1].isupper())
    for role in roles:
        for w in role.split():
            if len(w) > 1 and w.isupper() and w in initials:
                return True
            key = norm(w)
            if key not in STOP_WORDS and len(key) > 2 and any(
                    key == d or len(key) > 4 and SequenceMatcher(None, key, d).ratio() >= 0.8 for d in words):
                return True
    return False
