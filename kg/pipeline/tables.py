"""The rule tables of our components: named by file in each component's config, each file read once per process,
and saved with the component by ``nlp.to_disk`` (restored by ``spacy.load``).

``Cues`` is the read-only view of the context-cue tables (kg.pipeline.cues) that kg_mentions, kg_aliases and
kg_roles share; it is built from the tables' contents, so the rules never read files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import srsly

from ..data import load_tables
from ..names import is_title, title_words, word

# config key -> default file (kg/data) of the cue tables; a component's ``cues`` config overrides any of them
CUE_FILES = {"titles": "titles.json", "org_heads": "org_heads.json", "place_cues": "place_cues.json",
             "event_names": "event_names.json", "demonyms": "demonyms.json", "aliases": "aliases.json",
             "places": "places.json", "vessels": "vessels.json", "name_particles": "name_particles.json"}


@dataclass(frozen=True)
class Cues:
    """Word sets of the cue tables (lower-case, as ``kg.names.word`` spells tokens)."""
    titles: frozenset[str]
    honorifics: frozenset[str]
    courtesy: frozenset[str]
    head_roles: frozenset[str]
    countries: frozenset[str]
    capitals: frozenset[str]
    org_heads: frozenset[str]
    org_before: frozenset[str]
    org_owned: frozenset[str]
    place_before: frozenset[str]
    place_weak: frozenset[str]
    place_after: frozenset[str]
    place_heads: frozenset[str]
    event_first: frozenset[str]
    event_last: frozenset[str]
    event_before: frozenset[str]
    vessel_prefixes: frozenset[str]
    vessel_before: frozenset[str]
    particles: frozenset[str]

    @classmethod
    def from_tables(cls, t: dict) -> Cues:
        """From the tables' contents, keyed as CUE_FILES."""
        titles, orgs, places, events, vessels = t["titles"], t["org_heads"], t["place_cues"], t["event_names"], \
            t["vessels"]
        return cls(
            titles=title_words(titles), honorifics=frozenset(titles["honorifics"]),
            courtesy=frozenset(titles["courtesy"]), head_roles=frozenset(titles["head_roles"]),
            countries=frozenset(c.casefold() for c in t["demonyms"].values())
            | frozenset(k.casefold() for k in t["aliases"]),
            capitals=frozenset(t["places"]["capitals"]),
            org_heads=frozenset(orgs["heads"]), org_before=frozenset(orgs["before"]),
            org_owned=frozenset(orgs["owned"]),
            place_before=frozenset(places["before"]), place_weak=frozenset(places["before_weak"]),
            place_after=frozenset(places["after"]), place_heads=frozenset(places["heads"]),
            event_first=frozenset(events["first"]), event_last=frozenset(events["last"]),
            event_before=frozenset(events["before"]),
            vessel_prefixes=frozenset(vessels["prefixes"]), vessel_before=frozenset(vessels["before"]),
            particles=frozenset(t["name_particles"]["particles"]))

    def is_title(self, token) -> bool:
        return is_title(token, self.titles)

    def is_particle(self, token) -> bool:
        """"van", "von", "al" written in lower case inside a person's name ("Hans van den Broek")."""
        return token.is_lower and token.lower_ in self.particles

    def is_honorific(self, token) -> bool:
        return word(token) in self.honorifics and token.is_title

    def is_country(self, name: str) -> bool:
        return name.casefold() in self.countries

    def without_honorifics(self, name: str) -> str:
        """A person's name without leading courtesy titles and ranks: "Gen. Valery Gerasimov" -> "Valery
        Gerasimov"."""
        words = name.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in self.honorifics:
            words = words[1:]
        return " ".join(words)

    def name_of(self, cls: str, text: str) -> str:
        """The name a mention of class ``cls`` gives its entity: a person's without honorifics."""
        return self.without_honorifics(text) if cls == "Person" else text


def cue_tables(files: dict[str, str] | None = None) -> dict:
    """Contents of the cue tables of a ``cues`` config (CUE_FILES, any key overridden by ``files``), keyed as
    CUE_FILES; each file is read once per process (kg.data.load_json: a kg/data name or a path)."""
    return load_tables(files, CUE_FILES, "cues config")


def load_cues(files: dict[str, str] | None = None) -> Cues:
    return Cues.from_tables(cue_tables(files))


class SavedTables:
    """to_disk/from_disk of a component's rule tables (``self.tables``: config key -> contents) as one JSON file
    in the component's folder; ``use_tables`` rebuilds what the component derives from them."""
    tables: dict

    def use_tables(self, tables: dict) -> None:
        raise NotImplementedError

    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "tables.json", self.tables)

    def from_disk(self, path, exclude=()):
        self.use_tables(srsly.read_json(Path(path) / "tables.json"))
        return self
