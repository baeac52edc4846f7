"""kg_boilerplate: mark text that is not news content, so no component finds entities or events in it.

Writes ``doc._.kg_skip``: sorted (start, end) character ranges. Two sources:
- repeated paragraphs (photo captions, pasted teasers): every occurrence after the first;
- credits, bylines and scraper furniture matched by the patterns in data/boilerplate.json ("(AP Photo, File)").
Runs before kg_mentions.
"""
from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from ..data import load_json
from . import reset

_PARAGRAPH = re.compile(r"[^\n]+")


def skipped(doc: Doc, start: int, end: int) -> bool:
    """Whether the character range [start, end) overlaps a boilerplate range of ``doc`` (ranges are merged)."""
    ranges = doc._.kg_skip or []
    i = bisect.bisect_left(ranges, (end,))
    return i > 0 and ranges[i - 1][1] > start


class Boilerplate:
    def __init__(self, nlp: Language, name: str, patterns: str, min_repeat_chars: int):
        self.name = name
        self.patterns = [re.compile(p, re.M) for p in load_json(patterns)["patterns"]]
        self.min_repeat_chars = min_repeat_chars

    def match(self, text: str) -> list[tuple[int, int]]:
        ranges, seen = [], set()
        for m in _PARAGRAPH.finditer(text):
            para = " ".join(m.group().split())
            if len(para) < self.min_repeat_chars:
                continue
            if para in seen:
                ranges.append((m.start(), m.end()))
            seen.add(para)
        for pattern in self.patterns:
            ranges.extend((m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start())
        return _merge(ranges)

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        doc._.kg_skip = _merge(list(doc._.kg_skip) + self.match(doc.text))
        return doc


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


@Language.factory("kg_boilerplate", assigns=["doc._.kg_skip"],
                  default_config={"patterns": "boilerplate.json", "min_repeat_chars": 40})
def make_kg_boilerplate(nlp: Language, name: str, patterns: str, min_repeat_chars: int) -> Boilerplate:
    return Boilerplate(nlp, name, patterns, min_repeat_chars)
