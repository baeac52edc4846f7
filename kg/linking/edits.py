"""Edits of the Doc once links are chosen: relabel mention spans, fold entities linked to the same item."""
from __future__ import annotations

from spacy.tokens import Span

from ..names import MENTIONS


def relabel(doc, key: str, cls: str) -> None:
    """Give the mention spans of entity ``key`` the class ``cls`` (spans are immutable: replace them)."""
    spans = []
    for span in doc.spans[MENTIONS]:
        if span._.kg_entity == key and span.label_ != cls:
            new = Span(doc, span.start, span.end, label=cls)  # extension values are keyed by label too
            new._.kg_entity, new._.kg_source, new._.kg_confidence = key, span._.kg_source, span._.kg_confidence
            span = new
        spans.append(span)
    doc.spans[MENTIONS] = spans


def merge_same_qid(doc) -> None:
    """One entity per QID: later entities linked to the same item fold into the first (names, mentions, and
    references from roles, events, claims and nationalities are moved over)."""
    ents = doc._.kg_entities
    first: dict[str, str] = {}
    for key in list(ents):
        qid = ents[key].get("qid")
        if not qid:
            continue
        keep = first.setdefault(qid, key)
        if keep == key:
            continue
        ents[keep]["names"] |= ents[key]["names"]
        ents[keep]["confidence"] = max(ents[keep]["confidence"] or 0, ents[key]["confidence"] or 0)
        del ents[key]
        for span in doc.spans[MENTIONS]:
            if span._.kg_entity == key:
                span._.kg_entity = keep
        for name in ("kg_nationalities", "kg_roles", "kg_events", "kg_claims"):
            for record in getattr(doc._, name) or []:
                _repoint(record, key, keep)


def _repoint(record, old: str, new: str):
    """Replace the entity key ``old`` by ``new`` anywhere in a record (dicts, lists, sets, tuples)."""
    if isinstance(record, dict):
        for k, v in record.items():
            record[k] = new if v == old else _repoint(v, old, new)
        return record
    if isinstance(record, list):
        record[:] = [new if v == old else _repoint(v, old, new) for v in record]
        return record
    if isinstance(record, (set, tuple)):
        return type(record)(new if v == old else _repoint(v, old, new) for v in record)
    return record


def detach(doc, key: str, spans: list, reason: str) -> None:
    """Move ``spans`` of entity ``key`` to an unlinked entity of the same class and name: mentions that only quote
    the name ("ships named New Jersey") keep their class but do not refer to the linked item."""
    ents = doc._.kg_entities
    ent = ents[key]
    new = f"{key}#unlinked"
    ents.setdefault(new, {"cls": ent["cls"], "label": spans[0].text, "names": set(), "qid": None, "confidence": None,
                          "evidence": {"score": 0.0, "features": [reason]}})
    ents[new]["names"] |= {s.text for s in spans}
    ids = {(s.start, s.end) for s in spans}
    for span in doc.spans[MENTIONS]:
        if span._.kg_entity == key and (span.start, span.end) in ids:
            span._.kg_entity = new
