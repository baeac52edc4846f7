"""Our class of a Wikidata item from its wdt:P31 values (table: data/p31_class_map.json), and which classes may
stand in for which."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class P31Classes:
    classes: dict  # P31 QID -> our class, first matching row wins
    actor_places: frozenset[str]  # countries and the like: may act as an organisation
    major_places: frozenset[str]  # countries and first-level divisions
    organisation_places: frozenset[str]  # international organisations spaCy tags as places

    @classmethod
    def from_table(cls, table: dict) -> P31Classes:
        return cls(table["classes"], frozenset(table["actor_places"]), frozenset(table["major_places"]),
                   frozenset(table["organisation_places"]))

    def class_of(self, values) -> str | None:
        """The class of the first table row among ``values``; None when the table maps none of them."""
        values = set(values)
        for qid, cls in self.classes.items():
            if qid in values:
                return cls
        return None

    def compatibility(self, our_cls: str, p31: list[str]) -> float:
        """How well an item fits a mention typed ``our_cls``: 1 same class, <1 an allowed stand-in, 0 never.

        Allowed: a country for an Organisation ("Russia said"), an international organisation for a Place (spaCy
        tags "the EU" GPE), a country or first-level division for a Person (spaCy tags "Kursk" PERSON)."""
        kb_cls = self.class_of(p31)
        if kb_cls is None:
            return 0.5
        if kb_cls == our_cls:
            return 1.0
        kinds = set(p31)
        if our_cls == "Organisation" and kinds & self.actor_places:
            return 0.9
        if our_cls == "Place" and kinds & self.organisation_places:
            return 0.8
        if our_cls == "Person" and kinds & self.major_places:
            return 0.7
        return 0.0
