"""Candidate generation: the names to look up for an entity, and the KB items they match (tables: a
kg.linking.rules.Rules)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..names import loose, norm, strip_titles
from .rules import Rules

_CODE_LIKE = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,3}$")


@dataclass
class Candidate:
    """One KB item for one entity, with the evidence for it (kept for explanations and tests)."""
    qid: str
    item: object
    kinds: set[str] = field(default_factory=set)
    derived: bool = True  # matched only through a shortened name (title or suffix dropped)
    code_like: bool = True  # matched only through names written like codes or acronyms ("AP", "U.S.")
    names: set[str] = field(default_factory=set)  # the surface names that matched
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def strip_title(name: str, titles: frozenset[str]) -> str:
    """A person's name, normalised, without the title words before it ("Former PM Tony Blair" -> "tony blair")."""
    return strip_titles(norm(name), titles)


def name_variants(name: str, cls: str, rules: Rules) -> list[tuple[str, bool]]:
    """(lookup key, derived?) for a surface name: itself, without a title, without a generic place word
    ("the Kursk region" -> "kursk"), and the part before a comma ("South Bend, Indiana"); a person's name of three
    words also with its middle names as initials ("John F Kennedy") or without them (kept by ``candidates`` only
    when one KB person bears the shorter name: "John Bel Edwards" is not one of three John Edwardses)."""
    key = norm(name)
    out = [(key, False)]
    if cls == "Person":
        bare = strip_title(name, rules.titles)
        out.append((bare, True))
        words = bare.split()
        if len(words) > 2 and words[-1] not in rules.name_suffixes and "-" not in name.split()[-1]:
            # middle names dropped or as initials (a hyphenated surname is one name: "John Rhys-Davies")
            out.append((f"{words[0]} {words[-1]}", True))
            out.append((" ".join([words[0], *(w[0] for w in words[1:-1]), words[-1]]), True))
    else:
        words = key.split()
        if len(words) > 1 and words[-1] in rules.place_words:
            out.append((" ".join(words[:-1]), True))
        if len(words) > 1 and words[0] in rules.place_words and words[1] == "of":
            out.append((" ".join(words[2:]), True))
    if "," in name:
        out.append((norm(name.split(",")[0]), True))
    seen, unique = set(), []
    for key, derived in out:
        if key and key not in seen:
            seen.add(key)
            unique.append((key, derived))
    return unique


def fits_full_name(label: str | None, name: str, titles: frozenset[str]) -> bool:
    """Whether a KB person's label agrees with a name of several words: each word of the label is a word of the
    name or the initial of one ("John F. Kennedy" fits "John Fitzgerald Kennedy"; "John Neely Kennedy" does not)."""
    words = strip_title(name, titles).split()
    return bool(label) and all(w in words or (len(w) == 1 and any(v[0] == w for v in words))
                               for w in norm(label).split())


def lookup_names(ent: dict) -> list[str]:
    return sorted(set(ent["names"]) | {ent["label"]})


def candidates(source, ent: dict, rules: Rules) -> dict[str, Candidate]:
    """Items matching any of the entity's names: by exact normalised label, alias or short name, or a common news
    name (data/news_aliases.json: "Tories", "Vatican"); by code or acronym when the name is written like one ("UK",
    "U.S."); by surname when one person in the KB bears it; a place or organisation also by its loose key
    (kg.names.loose: "Raqqa" = "Ar Raqqah")."""
    found: dict[str, Candidate] = {}
    news, titles = rules.news_names, rules.titles
    for name in lookup_names(ent):
        code_like = bool(_CODE_LIKE.match(name.strip()))
        full = len(strip_title(name, titles).split())
        for key, derived in name_variants(name, ent["cls"], rules):
            hits = source.lookup(key) + ([(news[key], "news")] if key in news else [])
            if ent["cls"] == "Person":  # loose keys are of places and organisations; people's names vary otherwise
                hits = [(qid, kind) for qid, kind in hits if kind != "loose"]
            elif loose(key) != key:
                hits += source.lookup(loose(key), ("loose",))
            surnames = {qid for qid, kind in hits if kind == "surname"}
            if ent["cls"] == "Person" and len(key.split()) < full:
                people = {qid for qid, kind in hits if kind in ("label", "alias")}
                if len(people) > 1:
                    continue  # a shortened full name that several people bear says nothing
            for qid, kind in hits:
                if kind == "demonym" or (kind in ("code", "acronym") and not code_like):
                    continue
                if kind == "surname" and (len(surnames) > 1 or ent["cls"] != "Person" or " " in key):
                    continue  # a lone surname counts only when one person in the KB bears it
                item = source.item(qid)
                if item is None or (ent["cls"] == "Person" and len(key.split()) < full
                                    and not fits_full_name(item.label, name, titles)):
                    continue  # matched by a shortened full name, but the label names someone else
                cand = found.setdefault(qid, Candidate(qid, item))
                cand.kinds.add(kind)
                cand.names.add(name)
                cand.derived = cand.derived and derived
                cand.code_like = cand.code_like and code_like and kind != "news"
    return found


def demonym_countries(source, text: str) -> list[str]:
    """QIDs whose demonym (wdt:P1549) is ``text``: "Russian" -> Q159; plurals too ("Iraqis")."""
    keys = [text] + ([text[:-1]] if text.endswith("s") else [])
    for key in keys:
        hits = [qid for qid, kind in source.lookup(key) if kind == "demonym"]
        if hits:
            return hits
    return []
