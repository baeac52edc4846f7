"""The KB file: one SQLite database, written once by the builder, then opened read-only and memory-mapped.

Tables: ``meta`` (key/value: schema version, sources, build time, counts), ``items`` (one row per QID with its
scalar facts), ``claims`` (item-valued facts: P31, P17, P131, P36) and ``names`` (normalised name -> QID, by kind:
label, alias, short (P1813), code (P297/P298), demonym (P1549); derived at build time: acronym, surname, and
loose = a label or alias of a thing other than a person without romanisation differences, kg.names.loose).

Schema version 2 added the loose names; a version-1 file is refused with the command that rebuilds it.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KGError
from ..names import loose, norm

SCHEMA_VERSION = "2"
ITEM_PROPS = ("P31", "P17", "P131", "P36")  # item-valued facts kept in ``claims``
NAME_KINDS = ("label", "alias", "short", "code", "demonym", "acronym", "surname", "loose")
HUMAN = "Q5"  # wdt:P31 value of people: their surnames are indexed (kind 'surname')
_SKIP_IN_ACRONYM = {"of", "the", "and", "for", "de", "la", "du", "des", "del", "y", "et", "&"}

_DDL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE items(qid TEXT PRIMARY KEY, label TEXT, description TEXT, population REAL, lat REAL, lon REAL,
                   sitelinks INTEGER) WITHOUT ROWID;
CREATE TABLE claims(qid TEXT, prop TEXT, value TEXT, PRIMARY KEY(qid, prop, value)) WITHOUT ROWID;
CREATE TABLE names(norm TEXT, qid TEXT, kind TEXT, PRIMARY KEY(norm, qid, kind)) WITHOUT ROWID;
"""


class KBError(KGError):
    """A KB file that is missing, corrupt or of another schema version; the message says what to run."""


def _rebuild_hint(path: Path) -> str:
    return f"build it with: kg kb build ../shared/kb/wikidata-subset.nt.gz --output {path}"


@dataclass
class Item:
    """What the linker and enrichment need to know about one Wikidata item."""
    qid: str
    label: str | None = None
    description: str | None = None
    population: float | None = None
    lat: float | None = None
    lon: float | None = None
    sitelinks: int | None = None
    claims: dict[str, list[str]] = field(default_factory=dict)

    def values(self, prop: str) -> list[str]:
        return self.claims.get(prop, [])


class KB:
    """Read-only access to a built KB file; cheap to open (nothing is loaded until asked)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise KBError(f"{self.path}: no KB file there; {_rebuild_hint(self.path)}")
        uri = f"file:{self.path.resolve()}?mode=ro"
        try:
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.db.execute("PRAGMA mmap_size = 1073741824")
            self.meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise KBError(f"{self.path}: not a readable KB file ({exc}); {_rebuild_hint(self.path)}") from exc
        if self.meta.get("schema_version") != SCHEMA_VERSION:
            raise KBError(f"{self.path}: KB schema version {self.meta.get('schema_version')!r}, this kg reads "
                          f"version {SCHEMA_VERSION!r}; {_rebuild_hint(self.path)}")
        self._items: dict[str, Item | None] = {}

    @property
    def version(self) -> str:
        """Identifies the KB content for provenance: schema version and build time."""
        return f"kg-kb/{SCHEMA_VERSION} built {self.meta.get('built', '?')}"

    def qids(self) -> set[str]:
        """Every item the KB holds (for scoring linking on gold QIDs the KB can know)."""
        return {qid for (qid,) in self.db.execute("SELECT qid FROM items")}

    def info(self) -> dict:
        return {k: (json.loads(v) if k in ("sources", "counts", "malformed") else v) for k, v in self.meta.items()}

    def lookup(self, name: str, kinds: tuple[str, ...] = NAME_KINDS) -> list[tuple[str, str]]:
        """(qid, kind) pairs whose normalised name equals that of ``name``."""
        key = norm(name)
        if not key:
            return []
        rows = self.db.execute("SELECT qid, kind FROM names WHERE norm = ?", (key,)).fetchall()
        return [(q, k) for q, k in rows if k in kinds]

    def item(self, qid: str) -> Item | None:
        if qid not in self._items:
            if len(self._items) >= 100_000:  # a bounded cache: a full-Wikidata KB must not creep into RAM
                self._items.clear()
            row = self.db.execute("SELECT qid, label, description, population, lat, lon, sitelinks FROM items "
                                  "WHERE qid = ?", (qid,)).fetchone()
            item = Item(*row) if row else None
            if item:
                for prop, value in self.db.execute("SELECT prop, value FROM claims WHERE qid = ?", (qid,)):
                    item.claims.setdefault(prop, []).append(value)
            self._items[qid] = item
        return self._items[qid]

    def close(self) -> None:
        self.db.close()


class Writer:
    """Fills a new KB file from a stream of statements ``(qid, key, value)``; upserts, so input order is free."""

    _SCALARS = {"label": "label", "description": "description", "P1082": "population", "sitelinks": "sitelinks"}
    _NAME_KIND = {"label": "label", "mullabel": "alias", "alias": "alias", "P1813": "short", "P297": "code",
                  "P298": "code", "P1549": "demonym"}

    def __init__(self, path: str | Path, batch: int = 50_000):
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".part")
        self.tmp.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.tmp)
        self.db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _DDL)
        self.batch = batch
        self.pending: list[tuple[str, str, object]] = []

    def add(self, qid: str, key: str, value) -> None:
        self.pending.append((qid, key, value))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        items: dict[str, list] = {}
        claims, names, coords = [], [], []
        for qid, key, value in self.pending:
            if key in self._SCALARS:
                items.setdefault(self._SCALARS[key], []).append((qid, value))
            if key == "mullabel":  # a label in no particular language: the label only when there is no English one
                items.setdefault("mullabel", []).append((qid, value))
            if key in ITEM_PROPS:
                claims.append((qid, key, value))
            elif key == "P625":
                coords.append((qid, *value))
            if key in self._NAME_KIND:
                names.append((norm(value), qid, self._NAME_KIND[key]))
        ex = self.db.executemany
        for col, rows in items.items():
            if col == "mullabel":
                ex("INSERT INTO items(qid, label) VALUES(?, ?) ON CONFLICT(qid) DO UPDATE "
                   "SET label = coalesce(label, excluded.label)", rows)
            else:
                ex(f"INSERT INTO items(qid, {col}) VALUES(?, ?) ON CONFLICT(qid) DO UPDATE SET {col} = excluded.{col}",
                   rows)
        ex("INSERT INTO items(qid, lon, lat) VALUES(?, ?, ?) ON CONFLICT(qid) DO UPDATE "
           "SET lon = excluded.lon, lat = excluded.lat", coords)
        ex("INSERT OR IGNORE INTO claims VALUES(?, ?, ?)", claims)
        ex("INSERT OR IGNORE INTO names VALUES(?, ?, ?)", [n for n in names if n[0]])
        self.pending.clear()

    def finish(self, meta: dict) -> dict:
        """Write meta (with counts) and move the file into place; a failed build never leaves a half KB."""
        self.flush()
        self.db.execute("INSERT OR IGNORE INTO items(qid) SELECT DISTINCT qid FROM claims")
        self._derive_names()
        counts = {"items": self.db.execute("SELECT count(*) FROM items").fetchone()[0],
                  "names": self.db.execute("SELECT count(*) FROM names").fetchone()[0],
                  "p31": dict(self.db.execute("SELECT value, count(*) FROM claims WHERE prop = 'P31' GROUP BY value "
                                              "ORDER BY count(*) DESC LIMIT 50"))}
        meta = {**meta, "schema_version": SCHEMA_VERSION, "counts": counts}
        self.db.executemany("INSERT INTO meta VALUES(?, ?)",
                            [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in meta.items()])
        self.db.commit()
        self.db.execute("VACUUM")
        self.db.close()
        self.tmp.replace(self.path)
        return meta

    def _derive_names(self) -> None:
        humans = {q for (q,) in self.db.execute("SELECT qid FROM claims WHERE prop = 'P31' AND value = ?", (HUMAN,))}
        rows = []
        for qid, label in self.db.execute("SELECT qid, label FROM items WHERE label IS NOT NULL").fetchall():
            words = norm(label.split(",")[0]).split()
            if len(words) < 2:
                continue
            if qid in humans:
                rows.append((words[-1], qid, "surname"))
                continue
            initials = "".join(w[0] for w in words if w not in _SKIP_IN_ACRONYM)
            if len(initials) >= 2:
                rows.append((initials, qid, "acronym"))
        for key, qid in self.db.execute("SELECT norm, qid FROM names WHERE kind IN ('label', 'alias')").fetchall():
            if qid not in humans and loose(key) != key and len(loose(key)) > 2:
                rows.append((loose(key), qid, "loose"))
        self.db.executemany("INSERT OR IGNORE INTO names VALUES(?, ?, ?)", rows)

    def abort(self) -> None:
        self.db.close()
        self.tmp.unlink(missing_ok=True)
