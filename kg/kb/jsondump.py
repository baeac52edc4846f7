"""Statements from the official Wikidata JSON dump: a JSON array with one entity per line, streamed line by line.

Built for the full dump (~115 million items, ~1.5 TB of JSON): each line is parsed lazily with simdjson and only
the parts the KB keeps (English and 'mul' names, a dozen properties, the sitelink count) become Python objects,
which is ~5x cheaper than a full parse of a ~17 KB item. Items that cannot be a person, place, organisation or
event of the news are dropped (:class:`ItemFilter`, rule in docs/linking.md), and a value of an unexpected type
(the real dump has a few, e.g. an item where a string is expected) skips that one statement and is counted,
instead of aborting the build.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import simdjson

from .vocab import FALLBACK_LANGS, LANGS

_ITEM_PROPS = ("P31", "P17", "P131", "P36")
_TEXT_PROPS = ("P1549", "P1813")
_NAME_LANGS = LANGS + FALLBACK_LANGS
_KEPT_PROPS = frozenset(("P31", "P17", "P131", "P36", "P1082", "P625", "P297", "P298", "P1549", "P1813"))
_LANG_SET, _NAME_LANG_SET = frozenset(LANGS), frozenset(_NAME_LANGS)


class BadValue(Exception):
    """A value whose JSON type is not the one Wikidata's data model gives it."""


@dataclass
class ItemFilter:
    """Which items the KB keeps: an English (or 'mul') label, and either an instance of a class the linker maps
    to one of our classes, or at least one sitelink while being of none of the ``excluded`` classes (Wikimedia
    pages, scholarly works, taxa, genes, astronomical objects...: never a person, place, organisation or event).
    Both class lists are data (kg/data/p31_class_map.json, kg/data/kb_filter.json)."""
    mapped: frozenset[str]
    excluded: frozenset[str]
    kept: int = 0
    dropped: int = 0

    @classmethod
    def from_data(cls) -> "ItemFilter":
        from ..data import load_json as load

        return cls(frozenset(load("p31_class_map.json")["classes"]), frozenset(load("kb_filter.json")["excluded"]))

    def keep(self, entity: dict, classes: list[str]) -> bool:
        labels = entity.get("labels") or {}
        ok = any(lang in labels for lang in _NAME_LANGS) and (
            any(c in self.mapped for c in classes)
            or ((entity.get("sitelinks") or 0) > 0 and not any(c in self.excluded for c in classes)))
        if ok:
            self.kept += 1
        else:
            self.dropped += 1
        return ok



@dataclass
class DumpReport:
    """What reading a dump skipped: unreadable lines (by number) and values of an unexpected type."""
    bad_line: Callable[[int], None]
    bad_values: int = 0
    bad_value_props: dict[str, int] = field(default_factory=dict)

    def value(self, prop: str) -> None:
        self.bad_values += 1
        self.bad_value_props[prop] = self.bad_value_props.get(prop, 0) + 1


def _text(value, prop: str) -> str:
    if not isinstance(value, str):
        raise BadValue(prop)
    return value


def _values(entity: dict, prop: str) -> list:
    """Datavalues of the best-ranked statements of ``prop`` (preferred, else normal: Wikidata's 'truthy')."""
    claims = [c for c in (entity.get("claims") or {}).get(prop, ()) if c.get("rank") != "deprecated"]
    preferred = [c for c in claims if c.get("rank") == "preferred"]
    out = []
    for claim in preferred or claims:
        snak = claim.get("mainsnak") or {}
        if snak.get("snaktype", "value") == "value" and "datavalue" in snak:
            out.append(snak["datavalue"].get("value"))
    return out


def _item_ids(entity: dict, prop: str, report: DumpReport) -> list[str]:
    ids = []
    for v in _values(entity, prop):
        if isinstance(v, dict) and isinstance(v.get("id"), str):
            ids.append(v["id"])
        else:
            report.value(prop)
    return ids


def _guarded(report: DumpReport, prop: str, make: Callable[[], Iterable[tuple]]) -> list[tuple]:
    """The statements ``make`` gives, or none when a value has an unexpected type (counted in ``report``)."""
    try:
        return list(make())
    except (BadValue, KeyError, TypeError, ValueError, AttributeError):
        report.value(prop)
        return []


def entity_statements(entity: dict, report: DumpReport, keep: ItemFilter | None = None,
                      classes: list[str] | None = None) -> Iterator[tuple]:
    qid = entity.get("id", "")
    if entity.get("type") != "item" or not isinstance(qid, str) or not qid.startswith("Q"):
        return
    if classes is None:
        classes = _item_ids(entity, "P31", report)
    if keep is not None and not keep.keep(entity, classes):
        return
    labels, aliases, descriptions = (entity.get(k) or {} for k in ("labels", "aliases", "descriptions"))
    for lang in LANGS:
        if lang in labels:
            yield from _guarded(report, "label", lambda: [(qid, "label", _text(labels[lang]["value"], "label"))])
        if lang in descriptions:
            yield from _guarded(report, "description",
                                lambda: [(qid, "description", _text(descriptions[lang]["value"], "description"))])
    for lang in FALLBACK_LANGS:
        if lang in labels:
            yield from _guarded(report, "label", lambda: [(qid, "mullabel", _text(labels[lang]["value"], "label"))])
    for lang in _NAME_LANGS:
        yield from _guarded(report, "alias",
                            lambda: [(qid, "alias", _text(a["value"], "alias")) for a in aliases.get(lang, ())])
    for cls in classes:
        yield qid, "P31", cls
    for prop in _ITEM_PROPS[1:]:
        for target in _item_ids(entity, prop, report):
            yield qid, prop, target
    for v in _values(entity, "P1082")[:1]:
        yield from _guarded(report, "P1082", lambda: [(qid, "P1082", float(v["amount"]))])
    for v in _values(entity, "P625")[:1]:
        yield from _guarded(report, "P625", lambda: [(qid, "P625", (float(v["longitude"]), float(v["latitude"])))])
    for prop in ("P297", "P298"):
        for v in _values(entity, prop):
            yield from _guarded(report, prop, lambda: [(qid, prop, _text(v, prop))])
    for prop in _TEXT_PROPS:
        for v in _values(entity, prop):
            if isinstance(v, dict) and v.get("language") in _NAME_LANGS:
                yield from _guarded(report, prop, lambda: [(qid, prop, _text(v["text"], prop))])
    if entity.get("sitelinks") is not None:
        yield qid, "sitelinks", entity["sitelinks"]


def _plain(value):
    """A simdjson proxy as plain Python (dict, list or scalar)."""
    if isinstance(value, simdjson.Object):
        return value.as_dict()
    if isinstance(value, simdjson.Array):
        return value.as_list()
    return value


def _pick(part, wanted: frozenset[str]) -> dict:
    """The ``wanted`` members of a parsed object, as plain Python (one pass over its keys)."""
    if not isinstance(part, simdjson.Object):
        return {}
    return {key: _plain(part[key]) for key in part.keys() if key in wanted}


def _slim(doc, report: DumpReport, keep: ItemFilter | None) -> tuple[dict | None, list[str]]:
    """The parts of a parsed dump entity the KB reads, as plain Python, and its P31 classes; (None, []) when it
    is not an object or the filter drops it (names, descriptions and aliases are then never read)."""
    if not isinstance(doc, simdjson.Object):
        raise TypeError("not a JSON object")
    sitelinks = doc.get("sitelinks")
    entity = {"type": doc.get("type"), "id": doc.get("id"), "labels": _pick(doc.get("labels"), _NAME_LANG_SET),
              "claims": _pick(doc.get("claims"), _KEPT_PROPS),
              "sitelinks": len(sitelinks) if isinstance(sitelinks, simdjson.Object) else None}
    classes = _item_ids(entity, "P31", report)
    if keep is not None and entity["type"] == "item" and not keep.keep(entity, classes):
        return None, []
    entity["descriptions"] = _pick(doc.get("descriptions"), _LANG_SET)
    entity["aliases"] = _pick(doc.get("aliases"), _NAME_LANG_SET)
    return entity, classes


def json_dump(lines: Iterable[bytes], report: DumpReport, keep: ItemFilter | None = None) -> Iterator[tuple]:
    """Statements from dump lines (bytes; ``[``, ``]`` and trailing commas allowed); an unreadable line goes to
    ``report.bad_line``, a value of the wrong type to ``report.value``."""
    parser = simdjson.Parser()
    for lineno, line in enumerate(lines, 1):
        line = line.strip().rstrip(b",")
        if line in (b"", b"[", b"]"):
            continue
        try:
            entity, classes = _slim(parser.parse(line), report, keep)  # no proxy may outlive this line
        except (ValueError, TypeError, RuntimeError):
            report.bad_line(lineno)
            continue
        if entity is not None:
            yield from entity_statements(entity, report, classes=classes)
