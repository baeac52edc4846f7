"""The linker's rule tables as one read-only object, built from the files kg_linker's config names (defaults in
LINK_FILES); each file is read once per process (kg.data.load_json), and the rules never read files."""
from __future__ import annotations

from dataclasses import dataclass

from ..data import load_json, load_tables
from ..names import norm, title_words
from .classes import P31Classes

# config key -> default file (kg/data); kg_linker's ``tables`` config overrides any of them
LINK_FILES = {"linking": "linking.json", "classes": "p31_class_map.json", "news_aliases": "news_aliases.json",
              "event_triggers": "event_triggers.json", "titles": "titles.json"}


@dataclass(frozen=True)
class Rules:
    titles: frozenset[str]  # title words (titles.json: honorifics and roles), dropped from the front of a person's name
    place_words: frozenset[str]  # generic place words ("region") dropped from a place's name
    name_suffixes: frozenset[str]  # "jr", "iii": kept when middle names are dropped
    news_names: dict  # normalised common news name -> QID ("tories")
    kind_weight: dict  # KB name kind -> weight
    threshold: float  # NIL threshold
    context_bonus: dict  # "region" | "country" | "foreign" -> score added
    score: dict  # weights of the score formula (docs/linking.md)
    limits: dict  # prior thresholds, tie margin, confidence discounts (linking.json "limits")
    classes: P31Classes
    readings: dict  # linking.json "readings" as frozensets, with event_nouns and sports_ids

    @classmethod
    def from_tables(cls, t: dict) -> Rules:
        """From the tables' contents, keyed as LINK_FILES."""
        from spacy.strings import get_string_id  # here: `kg kb info` reads the classes without spaCy

        rules = t["linking"]
        readings = {k: frozenset(v) if isinstance(v, list) else v for k, v in rules["readings"].items()}
        named = readings["event_name_types"]
        readings["event_nouns"] = frozenset(n for n, kind in t["event_triggers"]["nouns"].items() if kind in named)
        readings["sports_ids"] = frozenset(get_string_id(cue) for cue in readings["sports_cues"])
        return cls(titles=frozenset(norm(w) for w in title_words(t["titles"])),
                   place_words=frozenset(norm(s) for s in rules["place_suffixes"]),
                   name_suffixes=frozenset(norm(s) for s in rules["name_suffixes"]),
                   news_names={norm(name): qid for name, (qid, _label) in t["news_aliases"]["names"].items()},
                   kind_weight=rules["kind_weight"], threshold=rules["threshold"],
                   context_bonus=rules["context_bonus"], score=rules["score"],
                   limits={k: v for k, v in rules["limits"].items() if not k.startswith("_")},
                   classes=P31Classes.from_table(t["classes"]), readings=readings)


def link_tables(files: dict[str, str] | None = None) -> dict:
    """Contents of the linker's tables (LINK_FILES, any key overridden by ``files``: a kg/data name or a path)."""
    return load_tables(files, LINK_FILES, "kg_linker tables")


def load_rules(files: dict[str, str] | None = None) -> Rules:
    return Rules.from_tables(link_tables(files))


def load_classes(name: str = LINK_FILES["classes"]) -> P31Classes:
    return P31Classes.from_table(load_json(name))
