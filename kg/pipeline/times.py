"""kg_times: DATE and TIME expressions normalised against the publication date (kg.dates).

``doc._.kg_times``: one dict per expression that names a calendar date, in text order:
``{start, end, text, value, datatype}`` with character offsets, the original text, the lexical value
("2025-03-12", "2024-08", "2012") and its XSD type name ("date", "gYearMonth", "gYear").
Durations and vague spans ("30-day", "the next few days") are left out; so is boilerplate.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..dates import normalise
from . import reset
from .boilerplate import skipped


class Times:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME") or skipped(doc, ent.start_char, ent.end_char):
                continue
            value = normalise(ent.text, doc._.pub_date)
            if value:
                doc._.kg_times.append({"start": ent.start_char, "end": ent.end_char, "text": ent.text,
                                       "value": value[0], "datatype": value[1]})
        return doc


@Language.factory("kg_times", assigns=["doc._.kg_times"])
def make_kg_times(nlp: Language, name: str) -> Times:
    return Times(nlp, name)
