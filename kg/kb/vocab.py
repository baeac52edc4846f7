"""Wikidata's truthy RDF vocabulary -> KB statements ``(qid, key, value)``; shared by every RDF source."""
from __future__ import annotations

import re

from ..namespaces import RDFS, SCHEMA, SKOS, WD

WDT = "http://www.wikidata.org/prop/direct/"
SITELINKS = "http://wikiba.se/ontology#sitelinks"
_QID = re.compile(r"Q\d+$")
_POINT = re.compile(r"Point\(\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*\)")

LABEL, ALT, DESCRIPTION = str(RDFS.label), str(SKOS.altLabel), str(SCHEMA.description)
ENTITY = str(WD)
LANGS = ("en",)          # names taken as labels, aliases and descriptions
FALLBACK_LANGS = ("mul",)  # names in an item's own language: aliases, and the label when there is no English one


def qid_of(iri: str) -> str | None:
    """The QID of a wd: entity IRI, else None (statement nodes, properties, lexemes are not items)."""
    if iri.startswith(ENTITY):
        local = iri[len(ENTITY):]
        if _QID.match(local):
            return local
    return None


def statement(qid: str, predicate: str, value: str, lang: str | None, is_iri: bool):
    """The KB statement for one triple about item ``qid``, or None when the KB does not keep it."""
    if predicate.startswith(WDT):
        prop = predicate[len(WDT):]
        if prop in ("P31", "P17", "P131", "P36"):
            target = qid_of(value) if is_iri else None
            return (qid, prop, target) if target else None
        if is_iri:
            return None
        if prop == "P1082":
            try:
                return qid, prop, float(value)
            except ValueError:
                return None
        if prop == "P625":
            m = _POINT.search(value)
            return (qid, prop, (float(m.group(1)), float(m.group(2)))) if m else None
        if prop in ("P297", "P298"):
            return qid, prop, value
        if prop in ("P1549", "P1813") and (lang in LANGS or lang in FALLBACK_LANGS):
            return qid, prop, value
        return None
    if is_iri:
        return None
    if predicate == LABEL:
        if lang in LANGS:
            return qid, "label", value
        return (qid, "mullabel", value) if lang in FALLBACK_LANGS else None
    if predicate == ALT and (lang in LANGS or lang in FALLBACK_LANGS):
        return qid, "alias", value
    if predicate == DESCRIPTION and lang in LANGS:
        return qid, "description", value
    if predicate == SITELINKS:
        try:
            return qid, "sitelinks", int(value)
        except ValueError:
            return None
    return None
