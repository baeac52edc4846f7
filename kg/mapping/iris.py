"""Deterministic IRIs: the same article, entity or mention gets the same IRI in every run."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote, urlsplit

_SLUG = re.compile(r"[^a-z0-9]+")
_QID = re.compile(r"Q[0-9]+")


def slug(name: str) -> str:
    """ASCII, lower-case, hyphen-separated; empty names get a hash so the IRI stays valid."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = _SLUG.sub("-", ascii_.lower()).strip("-")[:80]
    return s or "x" + hashlib.sha1(name.encode()).hexdigest()[:12]


def short_hash(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


class Minter:
    """IRIs under one base: articles by identity key, entities by QID or class+normalised name."""

    def __init__(self, base: str):
        self.base = base

    def article(self, key: str, readable: str | None = None) -> str:
        """A readable slug (of ``readable``, else of the key) plus a hash of the key: unique for any key."""
        return f"{self.base}article/{slug(readable or key)[:40].strip('-')}-{short_hash(key, 10)}"

    @property
    def entities_graph(self) -> str:
        """The named graph holding entity-level facts once (the entity registry, kg.ingest.registry)."""
        return f"{self.base}graph/entities"

    def entity(self, cls: str, norm_name: str, qid: str | None = None) -> str:
        if qid:
            return f"{self.base}entity/{quote(qid)}"
        s = slug(norm_name)
        if s != norm_name.replace(" ", "-"):
            s = f"{s}-{short_hash(norm_name, 6)}"  # keep distinct names distinct after slugging
        return f"{self.base}entity/{cls.lower()}/{s}"

    def qid(self, entity_iri: str) -> str | None:
        """The Wikidata QID of a linked entity's IRI (``{base}entity/Q42``), else None."""
        rest = entity_iri[len(self.base) + 7:] if entity_iri.startswith(self.base + "entity/") else ""
        return rest if _QID.fullmatch(rest) else None

    @staticmethod
    def reference(article_iri: str, entity_iri: str) -> str:
        """The article-local node for what one article says about one entity: ``{article}#entity=…``."""
        return f"{article_iri}#entity={entity_iri.rsplit('/entity/', 1)[-1]}"

    def run(self, run_id: str) -> str:
        return f"{self.base}run/{run_id}"

    @staticmethod
    def fragment(article_iri: str, start: int, end: int) -> str:
        """RFC 5147 character-range fragment, as NIF 2.1 recommends for strings and phrases."""
        return f"{article_iri}#char={start},{end}"

    def namespaces(self) -> dict[str, str]:
        """Prefix -> namespace of every IRI minted here (entity classes as e.g. ``person:``), for exports."""
        from ..namespaces import CLASSES

        ours = {"article": f"{self.base}article/", "entity": f"{self.base}entity/", "run": f"{self.base}run/",
                "graph": f"{self.base}graph/"}
        return ours | {cls.lower(): f"{self.base}entity/{cls.lower()}/" for cls in CLASSES}


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host and no whitespace or control characters: the only kind of
    article ``url`` stored as a link (schema:url); javascript:, data:, file: or relative values are not."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
