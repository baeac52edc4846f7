"""The article record every reader produces and the mapping consumes."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass
class Article:
    identifier: str          # the JSONL id or the file path: dcterms:identifier
    text: str                # the exact text mention offsets point into
    title: str | None = None
    date: str | None = None  # ISO date from metadata, if any
    url: str | None = None
    source: str | None = None

    def content_hash(self) -> str:
        """Changes whenever anything stored for the article would change."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode("utf-8")).hexdigest()
