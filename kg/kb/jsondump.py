"""Statements from the official Wikidata JSON dump: a JSON array with one entity per line, streamed line by line.

Built for the full dump (~115 million items, ~1.5 TB of JSON): each line is parsed with simdjson and read through
its proxies, so only the values the KB keeps (English and 'mul' names, a dozen properties, the sitelink count)
become Python objects; statements' references, other languages and other properties never do. Items that cannot
be a person, place, organisation or event of the news are dropped (:class:`ItemFilter`, rule in docs/linking.md)
before their names are read, and a value of an unexpected type (the real dump has a few, e.g. an item where a
string is expected) skips that one statement and is counted, instead of aborting the build.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import simdjson

from .vocab import FALLBACK_LANGS, LANGS

_ITEM_PROPS = ("P31", "P17", "P131", "P36")
_CODE_PROPS = ("P297", "P298")
_TEXT_PROPS = ("P1549", "P1813")
_NAME_LANGS = LANGS + FALLBACK_LANGS
_LANG_SET, _NAME_LANG_SET = frozenset(LANGS), frozenset(_NAME_LANGS)
_KEPT_PROPS = frozenset(("P31", "P17", "P131", "P36", "P1082", "P625", "P297", "P298", "P1549", "P1813"))
_TOP = frozenset(("type", "id", "labels", "descriptions", "aliases", "claims", "sitelinks"))
_Object, _Array = simdjson.Object, simdjson.Array


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

    def possible(self, classes: list[str], sitelinks: int) -> bool:
        """The rule without its label condition (asked first: classes and sitelinks are cheaper to read)."""
        return any(c in self.mapped for c in classes) or (
            sitelinks > 0 and not any(c in self.excluded for c in classes))

    def count(self, kept: bool) -> bool:
        if kept:
            self.kept += 1
        else:
            self.dropped += 1
        return kept


@dataclass
class DumpReport:
    """What reading a dump skipped: unreadable lines (by number) and values of an unexpected type."""
    bad_line: Callable[[int], None]
    bad_values: int = 0
    bad_value_props: dict[str, int] = field(default_factory=dict)

    def value(self, prop: str) -> None:
        self.bad_values += 1
        self.bad_value_props[prop] = self.bad_value_props.get(prop, 0) + 1


def _member(obj, key: str):
    """``obj[key]`` of a parsed object, or None (also when ``obj`` is no object)."""
    return obj.get(key) if isinstance(obj, _Object) else None


def _wanted(obj, keys: frozenset[str]) -> dict:
    """The members of a parsed object whose key is in ``keys``, values left as proxies. One pass over its keys:
    simdjson looks up an absent key through a C++ exception (~15 us), ten times the cost of the pass."""
    if not isinstance(obj, _Object):
        return {}
    return {key: obj[key] for key in obj.keys() if key in keys}


def _text(value, prop: str) -> str:
    if not isinstance(value, str):
        raise BadValue(prop)
    return value


def _truthy(claims: dict, prop: str, report: DumpReport) -> list:
    """Datavalues of the best-ranked statements of ``prop`` (preferred, else normal: Wikidata's 'truthy'), read on
    the parsed proxies (statements' references are never touched); a statement of the wrong shape is counted."""
    statements = claims.get(prop)
    if statements is None:
        return []
    if not isinstance(statements, _Array):
        report.value(prop)
        return []
    normal, preferred = [], []
    for st in statements:
        snak = _member(st, "mainsnak")
        if not isinstance(snak, _Object):
            report.value(prop)
            continue
        rank = st.get("rank")
        if rank == "deprecated" or snak.get("snaktype", "value") != "value":
            continue
        datavalue = snak.get("datavalue")
        if datavalue is not None:
            (preferred if rank == "preferred" else normal).append(_member(datavalue, "value"))
    return preferred or normal


def _item_ids(claims: dict, prop: str, report: DumpReport) -> list[str]:
    ids = []
    for v in _truthy(claims, prop, report):
        qid = _member(v, "id")
        if isinstance(qid, str):
            ids.append(qid)
        else:
            report.value(prop)
    return ids


def _names(out: list, qid: str, key: str, entries, report: DumpReport, prop: str) -> None:
    """(qid, key, value) for each {"value": str} entry of a label, description or alias (a list of them)."""
    for entry in entries if isinstance(entries, _Array) else (entries,):
        value = _member(entry, "value")
        if isinstance(value, str):
            out.append((qid, key, value))
        else:
            report.value(prop)


def _facts(out: list, qid: str, claims: dict, report: DumpReport) -> None:
    """Statements of the kept properties other than P31."""
    for prop in _ITEM_PROPS[1:]:
        out.extend((qid, prop, target) for target in _item_ids(claims, prop, report))
    for prop, read in _QUANTITIES:
        for v in _truthy(claims, prop, report)[:1]:
            try:
                out.append((qid, prop, read(v)))
            except (TypeError, ValueError, AttributeError):
                report.value(prop)
    for prop in _CODE_PROPS:
        for v in _truthy(claims, prop, report):
            try:
                out.append((qid, prop, _text(v, prop)))
            except BadValue:
                report.value(prop)
    for prop in _TEXT_PROPS:
        for v in _truthy(claims, prop, report):
            if _member(v, "language") in _NAME_LANGS:
                try:
                    out.append((qid, prop, _text(v.get("text"), prop)))
                except BadValue:
                    report.value(prop)


_QUANTITIES = (("P1082", lambda v: float(v.get("amount"))),  # first value only: population, coordinates
               ("P625", lambda v: (float(v.get("longitude")), float(v.get("latitude")))))


def item_statements(doc, report: DumpReport, keep: ItemFilter | None = None) -> list[tuple]:
    """The KB statements of one parsed dump entity, plain Python (no simdjson proxy outlives the call). The filter
    is decided first, on the P31 classes and the sitelink count, then the label languages (an object of up to 300
    languages), so a dropped item (most of the dump) costs little beyond its parse; of a kept one only the parts
    the KB keeps are read."""
    if not isinstance(doc, _Object):
        raise TypeError("not a JSON object")
    top = _wanted(doc, _TOP)
    qid = top.get("id")
    if top.get("type") != "item" or not isinstance(qid, str) or not qid.startswith("Q"):
        return []
    claims = _wanted(top.get("claims"), _KEPT_PROPS)
    classes = _item_ids(claims, "P31", report)
    sitelinks = top.get("sitelinks")
    sitelinks = len(sitelinks) if isinstance(sitelinks, _Object) else None
    if keep is not None and not keep.possible(classes, sitelinks or 0):
        keep.count(False)
        return []
    names = _wanted(top.get("labels"), _NAME_LANG_SET)
    if keep is not None and not keep.count(bool(names)):
        return []
    out: list[tuple] = []
    for lang in _NAME_LANGS:
        if lang in names:
            _names(out, qid, "label" if lang in _LANG_SET else "mullabel", names[lang], report, "label")
    descriptions = _wanted(top.get("descriptions"), _LANG_SET)
    aliases = _wanted(top.get("aliases"), _NAME_LANG_SET)
    for lang in LANGS:
        if lang in descriptions:
            _names(out, qid, "description", descriptions[lang], report, "description")
    for lang in _NAME_LANGS:
        if lang in aliases:
            _names(out, qid, "alias", aliases[lang], report, "alias")
    out.extend((qid, "P31", cls) for cls in classes)
    _facts(out, qid, claims, report)
    if sitelinks is not None:
        out.append((qid, "sitelinks", sitelinks))
    return out


def json_dump(lines: Iterable[bytes], report: DumpReport, keep: ItemFilter | None = None) -> Iterator[tuple]:
    """Statements from dump lines (bytes; ``[``, ``]`` and trailing commas allowed); an unreadable line goes to
    ``report.bad_line``, a value of the wrong type to ``report.value``."""
    parser = simdjson.Parser()
    for lineno, line in enumerate(lines, 1):
        line = line.strip().rstrip(b",")
        if line in (b"", b"[", b"]"):
            continue
        try:
            statements = item_statements(parser.parse(line), report, keep)
        except (ValueError, TypeError, RuntimeError):
            report.bad_line(lineno)
            continue
        yield from statements
