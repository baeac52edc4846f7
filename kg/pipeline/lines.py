"""kg_lines (runs before the parser): a line break followed by a capital, digit or quote starts a sentence.

News text keeps its layout: a headline, a date line, captions and paragraphs each stand on their own line, and
none of them ends in a full stop the parser could see. Without this the parser joins "March 13, 2025" and the
headline below it into one sentence (the seed's claimant "2025\\n\\nRussia"). A line that continues in lower case
(hard-wrapped text) is left to the parser.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class Lines:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc[:-1]:
            if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text):
                nxt = doc[tok.i + 1]
                if nxt.is_space:
                    continue
                first = nxt.text[0]
                if first.isupper() or first.isdigit() or first in "\"“‘'(":
                    nxt.is_sent_start = True
        return doc


@Language.factory("kg_lines")
def make_kg_lines(nlp: Language, name: str) -> Lines:
    return Lines(nlp, name)
