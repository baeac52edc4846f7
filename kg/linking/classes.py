"""Our class of a Wikidata item from its wdt:P31 values (table: data/p31_class_map.json), and which classes may
stand in for which."""
from __future__ import annotations

from ..data import load_json

_TABLE = load_json("p31_class_map.json")
CLASSES: dict[str, str] = _TABLE["classes"]
ACTOR_PLACES = frozenset(_TABLE["actor_places"])
MAJOR_PLACES = frozenset(_TABLE["major_places"])
ORGANISATION_PLACES = frozenset(_TABLE["organisation_places"])


def class_of_p31(values) -> str | None:
    """The class of the first table row among ``values``; None when the table maps none of them."""
    values = set(values)
    for qid, cls in CLASSES.items():
        if qid in values:
            return cls
    return None


def compatibility(our_cls: str, p31: list[str]) -> float:
    """How well an item fits a mention typed ``our_cls``: 1 same class, <1 an allowed stand-in, 0 never.

    Allowed: a country for an Organisation ("Russia said"), an international organisation for a Place (spaCy tags
    "the EU" GPE), a country or first-level division for a Person (spaCy tags "Kursk" PERSON)."""
    kb_cls = class_of_p31(p31)
    if kb_cls is None:
        return 0.5
    if kb_cls == our_cls:
        return 1.0
    kinds = set(p31)
    if our_cls == "Organisation" and kinds & ACTOR_PLACES:
        return 0.9
    if our_cls == "Place" and kinds & ORGANISATION_PLACES:
        return 0.8
    if our_cls == "Person" and kinds & MAJOR_PLACES:
        return 0.7
    return 0.0
