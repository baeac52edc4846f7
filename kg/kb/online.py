"""Online candidates: ask a SPARQL endpoint (default: the Wikidata Query Service) for names and items, with the
same vocabulary the KB is built from; answers cached on disk so each name is asked once; when the endpoint cannot
be reached the offline KB (if any) answers instead, or nothing does (NIL), and the endpoint is left alone for a while.

Names are asked as written in Wikidata (case matters there): the lookup key in the case forms a name is usually
written in ("kursk" -> "Kursk", "us" -> "US"). Acronyms, surnames and loose names derived at build time are
offline only: asked for those kinds alone, the fallback KB answers without a request.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

from ..namespaces import RDFS, SCHEMA, SKOS
from .sparql import WDQS, Endpoint
from .store import Item, KBError
from .vocab import SITELINKS, WDT, qid_of, statement

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "kg" / "wikidata-online.sqlite"
OFFLINE_KINDS = frozenset({"acronym", "surname", "loose"})  # derived by kg kb build; no endpoint knows them
RETRY_AFTER_FAILURE = 300.0  # seconds the endpoint is left alone after it failed
_KINDS = {str(RDFS.label): "label", str(SKOS.altLabel): "alias", f"{WDT}P1813": "short", f"{WDT}P1549": "demonym",
          f"{WDT}P297": "code", f"{WDT}P298": "code"}
_ITEM_PROPS = [str(RDFS.label), str(SCHEMA.description), SITELINKS] + [f"{WDT}{p}" for p in
                                                                       ("P31", "P17", "P131", "P36", "P1082", "P625")]


def _literal(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def case_forms(key: str) -> list[str]:
    forms = [key, key.title(), key[:1].upper() + key[1:]]
    if len(key) <= 5:
        forms.append(key.upper())
    return list(dict.fromkeys(forms))


class OnlineSource:
    """A candidate source over a SPARQL endpoint, with an on-disk cache and a fallback source."""

    def __init__(self, endpoint: str | None = None, cache: str | Path | None = None, fallback=None, *,
                 timeout: float = 10, retries: int = 2, min_interval: float = 1.0):
        self.endpoint = Endpoint(endpoint or WDQS, timeout=timeout, retries=retries, min_interval=min_interval)
        self.fallback = fallback
        self.cache_path = Path(cache) if cache else DEFAULT_CACHE
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.cache_path, check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS answers(key TEXT PRIMARY KEY, value TEXT, fetched REAL)")
        self.down_until = 0.0
        self.failures = 0

    @property
    def version(self) -> str:
        return f"wikidata-online {self.endpoint.url}"

    # ---- the source interface (as kg.kb.KB) ----
    def lookup(self, name: str, kinds=None) -> list[tuple[str, str]]:
        from ..names import norm
        key = norm(name)
        if not key:
            return []
        if kinds is not None and set(kinds) <= OFFLINE_KINDS:
            return self.fallback.lookup(name, kinds) if self.fallback else []
        hits = self._cached(f"name:{key}", lambda: self._ask_name(key))
        if hits is None:
            return self.fallback.lookup(name) if self.fallback else []
        return [(q, k) for q, k in hits if kinds is None or k in kinds]

    def item(self, qid: str) -> Item | None:
        data = self._cached(f"item:{qid}", lambda: self._ask_items([qid]).get(qid))
        if data is None:
            return self.fallback.item(qid) if self.fallback else None
        return _item(qid, data)

    # ---- endpoint and cache ----
    def _cached(self, key: str, ask):
        row = self.db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        if row:
            return json.loads(row[0])
        if time.monotonic() < self.down_until:
            return None
        try:
            value = ask()
        except KBError:
            self.failures += 1
            self.down_until = time.monotonic() + RETRY_AFTER_FAILURE
            return None
        self._store(key, value)
        return value

    def _store(self, key: str, value) -> None:
        self.db.execute("INSERT OR REPLACE INTO answers VALUES(?, ?, ?)", (key, json.dumps(value), time.time()))
        self.db.commit()

    def _ask_name(self, key: str) -> list[tuple[str, str]]:
        forms = case_forms(key)
        names = " ".join(f"{_literal(f)}@{lang}" for f in forms for lang in ("en", "mul"))
        codes = " ".join(_literal(f) for f in forms if f.isupper())
        query = (f"SELECT DISTINCT ?item ?p WHERE {{ {{ VALUES ?name {{ {names} }} VALUES ?p {{ "
                 f"<{RDFS.label}> <{SKOS.altLabel}> <{WDT}P1813> <{WDT}P1549> }} ?item ?p ?name }}")
        if codes:
            query += f" UNION {{ VALUES ?name {{ {codes} }} VALUES ?p {{ <{WDT}P297> <{WDT}P298> }} ?item ?p ?name }}"
        query += " } LIMIT 100"
        hits = []
        for b in self.endpoint.select(query):
            qid = qid_of(b["item"]["value"])
            if qid:
                hits.append((qid, _KINDS[b["p"]["value"]]))
        items = self._ask_items(sorted({q for q, _ in hits}))
        for qid, data in items.items():  # fetched together: one request for all candidates of a name
            self._store(f"item:{qid}", data)
        return sorted(set(hits))

    def _ask_items(self, qids: list[str]) -> dict[str, dict]:
        if not qids:
            return {}
        values = " ".join(f"<http://www.wikidata.org/entity/{q}>" for q in qids)
        props = " ".join(f"<{p}>" for p in _ITEM_PROPS)
        query = (f"SELECT ?item ?p ?o WHERE {{ VALUES ?item {{ {values} }} VALUES ?p {{ {props} }} ?item ?p ?o . "
                 f"FILTER(!isLiteral(?o) || lang(?o) = \"\" || lang(?o) = \"en\") }}")
        out: dict[str, dict] = {q: {} for q in qids}
        for b in self.endpoint.select(query):
            qid, obj = qid_of(b["item"]["value"]), b["o"]
            st = statement(qid, b["p"]["value"], obj["value"], obj.get("xml:lang"), obj["type"] == "uri")
            if st:
                out[qid].setdefault(st[1], []).append(st[2])
        return out


def _item(qid: str, data: dict) -> Item:
    """An Item from cached statements ``{key: [values]}``."""
    first = lambda key: (data.get(key) or [None])[0]  # noqa: E731
    coords = first("P625")
    return Item(qid, label=first("label"), description=first("description"), population=first("P1082"),
                lon=coords[0] if coords else None, lat=coords[1] if coords else None, sitelinks=first("sitelinks"),
                claims={p: data[p] for p in ("P31", "P17", "P131", "P36") if p in data})
