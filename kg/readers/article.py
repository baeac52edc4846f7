"""The article record every reader produces and the mapping consumes."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass
class Article:
    identifier: str | None   # the JSONL id when given
    text: str                # the exact text mention offsets point into
    title: str | None = None
    date: str | None = None  # ISO date from metadata, if any
    url: str | None = None
    source: str | None = None  # the publisher (kg:source)
    path: str | None = None    # where it was read ("file", "file.jsonl:7"): provenance only (dcterms:source)

    def key(self) -> str:
        """The article's identity (dcterms:identifier): its id, else its URL, else its text; never its path,
        so the same text read from two paths is one article."""
        return self.identifier or self.url or "sha256:" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def keyed_by_content(self) -> bool:
        return not (self.identifier or self.url)

    def readable(self) -> str:
        """What the article IRI's slug is made of: the id or URL, else the first words of the text (not the
        title: the IRI must follow from the identity alone, so a new title for the same text keeps its IRI)."""
        return self.key() if not self.keyed_by_content else self.text[:60]

    def content_hash(self) -> str:
        """Changes whenever anything stored for the article would change (where it was read from does not)."""
        fields = asdict(self)
        del fields["path"]
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()
