"""kg_boilerplate: mark text that is not news content, so no component finds entities or events in it.

Writes ``doc._.kg_skip``: sorted (start, end) character ranges. Three sources:
- repeated paragraphs (photo captions): every occurrence after the first;
- teasers: a paragraph that is the cut-off start of another ("Russian forces have driven ... town in");
- credits, bylines and scraper furniture matched by the patterns in data/boilerplate.json ("(AP Photo, File)").
Runs before kg_mentions. :func:`headline` finds an article's headline below such furniture.
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
        paragraphs = [(m, " ".join(m.group().split())) for m in _PARAGRAPH.finditer(text)]
        ordered = sorted({p for _, p in paragraphs})  # a paragraph's extensions sort right after it
        for m, para in paragraphs:
            if len(para) < self.min_repeat_chars:
                continue
            i = bisect.bisect_right(ordered, para)
            if para in seen or i < len(ordered) and ordered[i].startswith(para):
                ranges.append((m.start(), m.end()))
            seen.add(para)
        for pattern in self.patterns:
            ranges.extend((m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start())
        return _merge(ranges)

    def __call__(self, doc: Doc) -> Doc:
        reset(doc)
        doc._.kg_skip = _merge(list(doc._.kg_skip) + self.match(doc.text))
        return doc


def headline(text: str, skip: list[tuple[int, int]], max_chars: int = 300) -> tuple[int, int] | None:
    """The headline's character range: the first line that is not boilerplate (``skip``) nor a bare date, does not
    end like a sentence and has a blank line (or the end of the head) after it; None when the first such line is
    body text."""
    from .dates import is_date_line

    for m in _PARAGRAPH.finditer(text[:2000]):
        line = m.group().strip()
        if not line or any(s <= m.start() and m.end() <= e for s, e in skip) or is_date_line(line):
            continue
        blank_after = text[m.end():m.end() + 2].startswith("\n\n") or text[m.end():m.end() + 3] == "\r\n\r"
        if len(line) <= max_chars and line[-1] not in ".:;" and blank_after:
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            return start, start + len(line)
        return None
    return None


def find_headline(text: str) -> str | None:
    """The headline of a plain-text article, below any scraped furniture (default boilerplate table)."""
    span = headline(text, Boilerplate(None, "kg_boilerplate", "boilerplate.json", 40).match(text))
    return text[span[0]:span[1]] if span else None


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
