"""kg_pubdate: when the metadata gave no publication date, detect it from the article's head (kg.pipeline.dates)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .dates import detect_pub_date


class PubDate:
    def __init__(self, nlp: Language, name: str, head_chars: int):
        self.name = name
        self.head_chars = head_chars

    def __call__(self, doc: Doc) -> Doc:
        if doc._.pub_date is None:
            doc._.pub_date = detect_pub_date(doc.text, self.head_chars)
        return doc


@Language.factory("kg_pubdate", assigns=["doc._.pub_date"], default_config={"head_chars": 600})
def make_kg_pubdate(nlp: Language, name: str, head_chars: int) -> PubDate:
    return PubDate(nlp, name, head_chars)
