"""kg_times: DATE and TIME expressions normalised against the publication date (kg.pipeline.dates).

``doc._.kg_times``: one dict per expression that names a calendar date, in text order:
``{start, end, text, value, datatype}`` with character offsets, the original text, the lexical value
("2025-03-12", "2024-08", "2012") and its XSD type name ("date", "gYearMonth", "gYear").
Durations and vague spans ("30-day", "the next few days") are left out; so is boilerplate.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .dates import WEEKDAYS, normalise_date
from . import reset
from .boilerplate import skipped


def expressions(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of DATE/TIME entities, a weekday joined to the date after it ("Friday, Aug. 16, 2024":
    NER splits it, and the explicit date must win over the weekday)."""
    out: list[tuple[int, int]] = []
    text = doc.text  # (built from the tokens on every access)
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if out and text[out[-1][0]:out[-1][1]].lower() in WEEKDAYS and \
                text[out[-1][1]:ent.start_char].strip() in ("", ","):
            out[-1] = (out[-1][0], ent.end_char)
        else:
            out.append((ent.start_char, ent.end_char))
    return out


class Times:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        whole = doc.text
        for start, end in expressions(doc):
            if skipped(doc, start, end):
                continue
            text = whole[start:end]
            value = normalise_date(text, doc._.pub_date)
            if value:
                doc._.kg_times.append({"start": start, "end": end, "text": text, "value": value[0],
                                       "datatype": value[1]})
        return doc


@Language.factory("kg_times", assigns=["doc._.kg_times"])
def make_kg_times(nlp: Language, name: str) -> Times:
    return Times(nlp, name)
