"""Statements from the official Wikidata JSON dump: a JSON array with one entity per line, streamed line by line."""
from __future__ import annotations

import json
from typing import Callable, Iterator

from .vocab import FALLBACK_LANGS, LANGS

_ITEM_PROPS = ("P31", "P17", "P131", "P36")
_TEXT_PROPS = ("P1549", "P1813")


def _values(entity: dict, prop: str) -> Iterator:
    """Datavalues of the best-ranked statements of ``prop`` (preferred, else normal: Wikidata's 'truthy')."""
    claims = [c for c in entity.get("claims", {}).get(prop, []) if c.get("rank") != "deprecated"]
    preferred = [c for c in claims if c.get("rank") == "preferred"]
    for claim in preferred or claims:
        snak = claim.get("mainsnak", {})
        if snak.get("snaktype", "value") == "value" and "datavalue" in snak:
            yield snak["datavalue"].get("value")


def entity_statements(entity: dict) -> Iterator[tuple]:
    qid = entity.get("id", "")
    if entity.get("type") != "item" or not qid.startswith("Q"):
        return
    labels, aliases = entity.get("labels", {}), entity.get("aliases", {})
    for lang in LANGS:
        if lang in labels:
            yield qid, "label", labels[lang]["value"]
        if lang in entity.get("descriptions", {}):
            yield qid, "description", entity["descriptions"][lang]["value"]
    for lang in FALLBACK_LANGS:
        if lang in labels:
            yield qid, "mullabel", labels[lang]["value"]
    for lang in LANGS + FALLBACK_LANGS:
        for alias in aliases.get(lang, []):
            yield qid, "alias", alias["value"]
    for prop in _ITEM_PROPS:
        for v in _values(entity, prop):
            if isinstance(v, dict) and v.get("id"):
                yield qid, prop, v["id"]
    for v in _values(entity, "P1082"):
        yield qid, "P1082", float(v["amount"])
        break
    for v in _values(entity, "P625"):
        yield qid, "P625", (float(v["longitude"]), float(v["latitude"]))
        break
    for prop in ("P297", "P298"):
        for v in _values(entity, prop):
            yield qid, prop, v
    for prop in _TEXT_PROPS:
        for v in _values(entity, prop):
            if isinstance(v, dict) and v.get("language") in LANGS + FALLBACK_LANGS:
                yield qid, prop, v["text"]
    if "sitelinks" in entity:
        yield qid, "sitelinks", len(entity["sitelinks"])


def json_dump(lines, bad: Callable[[int], None]) -> Iterator[tuple]:
    """Statements from dump lines (``[``, ``]`` and trailing commas allowed); an unreadable line goes to ``bad``."""
    for lineno, line in enumerate(lines, 1):
        line = line.strip().rstrip(",")
        if line in ("", "[", "]"):
            continue
        try:
            entity = json.loads(line)
            yield from list(entity_statements(entity))
        except (ValueError, KeyError, TypeError, AttributeError):
            bad(lineno)
