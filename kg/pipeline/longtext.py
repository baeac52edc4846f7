"""Texts longer than the model's ``max_length``: the model runs on pieces, our components on the whole.

spaCy refuses a text over ``nlp.max_length`` (E088; its parser and NER need memory in proportion to the
text). Such a text is cut into consecutive pieces of at most that length, at a paragraph break when one is
in the second half of the window, else a sentence end, else whitespace, else at the limit. The model's own
components run on each piece; ``Doc.from_docs`` joins the pieces without adding anything, so the joined
Doc's text is the article's text and every character offset is exact; then our components run once on the
joined Doc, so alias clusters, roles and claims see the whole article.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

# Cut points, strongest first; a cut is made at the end of a match (the whitespace stays with the piece before).
BOUNDARIES = (re.compile(r"\n[^\S\n]*\n\s*"), re.compile(r"[.!?][\"'”’)\]]*\s+"), re.compile(r"\s+"))


def pieces(text: str, limit: int) -> list[str]:
    """Consecutive pieces of ``text``, each at most ``limit`` characters; ``"".join`` gives ``text`` back."""
    out, start = [], 0
    while len(text) - start > limit:
        end = cut(text, start, start + limit)
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def cut(text: str, start: int, end: int) -> int:
    """Where to end the piece that starts at ``start``: the last boundary of the strongest kind found in the
    second half of text[start:end], else ``end``."""
    window = text[start:end]
    for pattern in BOUNDARIES:
        last = None
        for last in pattern.finditer(window, len(window) // 2):
            pass
        if last is not None:
            return start + last.end()
    return end


def long_doc(nlp: Language, text: str, own: set[str]) -> Doc:
    """The Doc of a text longer than ``nlp.max_length``, annotated by the model's components (not ``own``),
    ready for ``own`` components to run on it."""
    docs = list(nlp.pipe(pieces(text, nlp.max_length), disable=[n for n in nlp.pipe_names if n in own]))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # from_docs must add nothing: the offsets depend on it
        raise ValueError("joining the pieces of a long text changed the text")
    return doc
