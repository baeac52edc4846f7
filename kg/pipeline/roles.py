"""kg_roles: who holds which role for whom, from title compounds and appositions (titles: data/titles.json).

``doc._.kg_roles``: one dict per statement of a role, in text order:
``{person, title, org, country, start, end, sentence, statements}`` where ``person`` is the Person entity key,
``title`` the role words ("spokesman", "special envoy"), ``org`` the entity key of the body or person the role is
for (or None), ``country`` the Place key from a nationality word (or None), ``start``/``end`` the character range of
the text that first states it, ``sentence`` the (start, end) of its sentence and ``statements`` the (start, end) of
every text that states it: the same role stated again ("Russian President Vladimir Putin" in four captions, then
"President Vladimir Putin") is one role (same person and title, no conflicting body or country). Patterns:
- title compound: "Kremlin spokesman Dmitry Peskov", "Russian President Vladimir Putin",
  "White House press secretary Karoline Leavitt";
- apposition before: "Trump's special envoy, Steve Witkoff"; after: "Steve Witkoff, Trump's special envoy".
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..names import word
from . import MENTIONS, reset
from .tables import CUE_FILES, Cues, SavedTables, cue_tables


def token_owners(doc: Doc) -> dict[int, tuple[str, str]]:
    """token index -> (entity key, class) of the mention covering it."""
    owners = {}
    for span in doc.spans[MENTIONS]:
        for i in range(span.start, span.end):
            owners[i] = (span._.kg_entity, span.label_)
    return owners


def nationality_tokens(doc: Doc) -> dict[int, str]:
    """token index -> country key, for resolved nationality words."""
    out = {}
    for nat in doc._.kg_nationalities:
        if nat.get("country"):
            span = doc.char_span(nat["start"], nat["end"], alignment_mode="expand")
            if span is not None:
                out.update({i: nat["country"] for i in range(span.start, span.end)})
    return out


def _title_word(tok, cues: Cues) -> bool:
    return word(tok) in cues.titles or (tok.is_lower and tok.pos_ in ("NOUN", "ADJ"))


def title_left(doc: Doc, end: int, owners: dict, countries: dict, cues: Cues) -> dict | None:
    """The role phrase ending right before token ``end``: its words, and the organisation or country before them."""
    i = end - 1
    while i >= 0 and cues.is_honorific(doc[i]) and i not in owners:
        i -= 1
    last = i
    while i >= 0 and i not in owners and i not in countries and doc[i].tag_ != "POS" and _title_word(doc[i], cues):
        i -= 1
    first = i + 1
    if first > last or word(doc[last]) not in cues.head_roles:
        return None
    found = {"title": doc[first:last + 1].text, "start": doc[first].idx, "org": None, "country": None}
    j = i - 1 if i >= 0 and doc[i].tag_ == "POS" else i  # "Trump's special envoy"
    if j >= 0 and j in owners:
        found["org"] = owners[j][0]
        k = j
        while k > 0 and owners.get(k - 1) == owners[j]:
            k -= 1
        found["start"] = doc[k].idx
    elif j >= 0 and j in countries:
        found["country"] = countries[j]
        found["start"] = doc[j].idx
    return found


class Roles(SavedTables):
    def __init__(self, nlp: Language, name: str, cues: dict):
        self.name = name
        self.use_tables({"cues": cue_tables(cues)})

    def use_tables(self, tables: dict) -> None:
        self.tables, self.cues = tables, Cues.from_tables(tables["cues"])

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        owners, countries = token_owners(doc), nationality_tokens(doc)
        for span in doc.spans[MENTIONS]:
            if span.label_ != "Person":
                continue
            found = title_left(doc, span.start, owners, countries, self.cues)
            if found is None and span.start >= 2 and doc[span.start - 1].text == ",":
                found = title_left(doc, span.start - 1, owners, countries, self.cues)  # "Trump's special envoy, Steve Witkoff"
            if found is None and span.end + 1 < len(doc) and doc[span.end].text == ",":
                found = self.title_right(doc, span, owners, countries)  # "Steve Witkoff, Trump's special envoy"
            if found is None:
                continue
            start, end = min(found.pop("start"), span.start_char), max(found.pop("end", 0), span.end_char)
            role = {"person": span._.kg_entity, **found, "start": start, "end": end,
                    "sentence": (span.sent.start_char, span.sent.end_char), "statements": [(start, end)]}
            same = next((r for r in doc._.kg_roles if _same_role(r, role)), None)
            if same is None:
                doc._.kg_roles.append(role)
            else:
                same["statements"].append((start, end))
                for key in ("org", "country"):
                    same[key] = same[key] or role[key]
        return doc

    def title_right(self, doc: Doc, span, owners: dict, countries: dict) -> dict | None:
        """"X, the company's chief executive," / "X, Kremlin spokesman," after a name: the phrase up to the next
        punctuation, read as a title compound."""
        i = span.end + 1
        while i < len(doc) and i - span.end < 8 and not doc[i].is_punct or (i < len(doc) and doc[i].tag_ == "POS"):
            i += 1
        end = i
        while end > span.end + 1 and doc[end - 1].is_stop and doc[end - 1].pos_ in ("ADP", "DET"):
            end -= 1
        found = title_left(doc, end, owners, countries, self.cues)
        if found is None or found["start"] <= span.end_char:
            return None
        found["end"] = doc[end - 1].idx + len(doc[end - 1])
        return found


def _same_role(a: dict, b: dict) -> bool:
    return a["person"] == b["person"] and a["title"].lower() == b["title"].lower() and \
        all(a[k] is None or b[k] is None or a[k] == b[k] for k in ("org", "country"))


@Language.factory("kg_roles", assigns=["doc._.kg_roles"], default_config={"cues": CUE_FILES})
def make_kg_roles(nlp: Language, name: str, cues: dict) -> Roles:
    return Roles(nlp, name, cues)
