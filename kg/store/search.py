"""Instant entity search: an SQLite FTS5 index of entity names and aliases kept beside the store.

The store stays the truth; the index is a cache of (entity, class, label, names, mention count). It is updated
after each article write or deletion (`KnowledgeGraph.ingest` and `delete_graphs`), for the entities the article
mentions now and those its replaced or deleted graph mentioned, and rebuilt whole when its stamp
(the count of name triples and articles in the store) no longer matches, e.g. after a SPARQL update or a bulk
load, or by `kg search --rebuild`. Queries are token-prefix matches ranked by mentions, so `merk` finds Merkel.
"""
from __future__ import annotations

import logging
import re
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import CLASSES

SCHEMA_VERSION = "1"
MAX_RESULTS = 200
_CLASS_FILTER = " ".join(f"<{c}>" for c in CLASSES.values())
STAMP = """SELECT (COUNT(*) AS ?n) (SUM(?a) AS ?articles) WHERE {
  { ?e rdfs:label|skos:altLabel ?name BIND(0 AS ?a) } UNION { ?x a kg:Article BIND(1 AS ?a) } }"""
# Every entity with its names and mention count, kg:mentionCount of the entity registry (?only, when bound by a
# VALUES clause, restricts it).
ENTITIES = f"""SELECT ?e ?class ?label (GROUP_CONCAT(DISTINCT ?name; SEPARATOR="\\u001f") AS ?names)
  (COALESCE(MAX(?count), 0) AS ?mentions) WHERE {{
  %s
  VALUES ?class {{ {_CLASS_FILTER} }}
  ?e a ?class ; rdfs:label ?label .
  {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }}
  OPTIONAL {{ ?e kg:mentionCount ?count }}
}} GROUP BY ?e ?class ?label"""
ARTICLE_ENTITIES = "SELECT DISTINCT ?e ?g WHERE { GRAPH ?g { ?m itsrdf:taIdentRef ?e } }"
_TOKEN = re.compile(r"\w+", re.UNICODE)
_UNCHECKED = object()
SCHEMA = """
    PRAGMA journal_mode=WAL;
    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS entity(id INTEGER PRIMARY KEY, iri TEXT UNIQUE, class TEXT, label TEXT,
                                      mentions INTEGER);
    CREATE VIRTUAL TABLE IF NOT EXISTS names USING fts5(name, tokenize='unicode61 remove_diacritics 2',
                                                         prefix='2 3');
"""
log = logging.getLogger("kg.store.search")


def index_path(store) -> str:
    """`<store dir>.search.sqlite` for an on-disk store; in memory for remote or in-memory stores."""
    path = getattr(store, "path", None)
    if not path or "://" in str(path):
        return ":memory:"
    return str(Path(path).resolve()) + ".search.sqlite"


def fts_query(text: str) -> str | None:
    """Each word of the text as a quoted prefix term, all required: 'ang merk' -> '"ang"* "merk"*'."""
    tokens = _TOKEN.findall(text.lower())
    return " ".join(f'"{t}"*' for t in tokens) or None


class EntityIndex:
    def __init__(self, store, path: str | None = None):
        self.store = store
        self.path = path or index_path(store)
        self._lock = threading.Lock()
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self.db.executescript(SCHEMA)
        except sqlite3.Error as exc:  # e.g. a full disk: the index is a cache, it lives in memory meanwhile
            log.warning("the search index %s cannot be written (%s): it is kept in memory", self.path, exc)
            self.path = ":memory:"
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.executescript(SCHEMA)
        self._checked = _UNCHECKED  # the caller's write generation the stamp was last compared at
        self._failed = False  # a write of the index failed since it was last rebuilt: it is not in step

    @contextmanager
    def _writing(self):
        """One index transaction. The index is a cache: a failed write (a full disk) is logged and leaves the
        index out of step (rebuilt at the next check), it never fails the store's write."""
        try:
            with self._lock, self.db:
                yield
        except sqlite3.Error as exc:
            self._failed = True
            log.warning("the search index %s could not be updated (%s): it is rebuilt when next checked",
                        self.path, exc)

    # --- keeping in step
    def stamp(self) -> str:
        row = next(iter(self.store.query(STAMP)))
        return f"{SCHEMA_VERSION}:{row['n'].value}:{row['articles'].value if row['articles'] else 0}"

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def ensure_fresh(self, generation=None) -> bool:
        """Rebuild when the store changed behind the index; compared once per `generation` (the caller's write
        counter, e.g. the server's; None: once per process). True when it rebuilt."""
        if generation == self._checked:
            return False
        self._checked = generation
        return self.sync()

    def sync(self) -> bool:
        """Rebuild now if the store changed behind the index (called before writes that keep it in step)."""
        stamp = self.stamp()
        if self._meta("stamp") == stamp and not self._failed:
            return False
        self.rebuild(stamp)
        return True

    def rebuild(self, stamp: str | None = None) -> int:
        """Index every entity of the store; returns how many."""
        rows = list(self.store.query(ENTITIES % ""))
        self._failed = False
        with self._writing():
            self.db.execute("DELETE FROM entity")
            self.db.execute("DELETE FROM names")
            for row in rows:
                self._put(row)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp or self.stamp(),))
        return len({row["e"].value for row in rows})

    def entities_in(self, graphs) -> set[str]:
        """The entities the article graphs mention: taken before a write replaces or deletes them, so that
        `refresh` also reaches the entities that lose their mentions."""
        found = set()
        for graph in graphs:
            found.update(r["e"].value for r in self.store.query(
                ARTICLE_ENTITIES, union=False, substitutions={ox.Variable("g"): ox.NamedNode(graph)}))
        return found

    def refresh_article(self, article_iri: str, before=()) -> None:
        """Re-index the entities an article mentions (after its graph was written) and those its previous
        graph(s) mentioned (`before`, from `entities_in`); `mark_in_step` follows."""
        self.refresh(self.entities_in([article_iri]) | set(before))

    def refresh(self, entities) -> None:
        """Re-index these entities from the store as it is now; an entity no longer in it leaves the index."""
        entities = sorted(set(entities))
        for n in range(0, len(entities), 500):
            chunk = entities[n:n + 500]
            values = "VALUES ?e { " + " ".join(str(ox.NamedNode(e)) for e in chunk) + " }"
            rows = list(self.store.query(ENTITIES % values))
            with self._writing():
                for iri in set(chunk) - {row["e"].value for row in rows}:
                    self._drop(iri)
                for row in rows:
                    self._put(row)

    def mark_in_step(self) -> None:
        """Record the store's stamp after a run of refreshes (the end of an ingest): until then, and after a
        killed ingest or a failed index write, the stamp is the old one and the next search rebuilds."""
        if not self._failed:
            with self._writing():
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (self.stamp(),))

    def _drop(self, iri: str) -> None:
        old = self.db.execute("SELECT id FROM entity WHERE iri=?", (iri,)).fetchone()
        if old:
            self.db.execute("DELETE FROM names WHERE rowid=?", old)
            self.db.execute("DELETE FROM entity WHERE id=?", old)

    def _put(self, row) -> None:
        iri = row["e"].value
        self._drop(iri)
        cur = self.db.execute("INSERT INTO entity(iri, class, label, mentions) VALUES (?,?,?,?)",
                              (iri, row["class"].value, row["label"].value, int(row["mentions"].value)))
        self.db.execute("INSERT INTO names(rowid, name) VALUES (?, ?)",
                        (cur.lastrowid, row["names"].value.replace("\x1f", " | ")))

    # --- reading
    def search(self, text: str, limit: int = 20) -> list[dict]:
        """Entities whose names contain words starting with each word of `text`, most mentioned first."""
        match = fts_query(text)
        if match is None:
            return []
        with self._lock:
            rows = self.db.execute(
                "SELECT e.iri, e.label, e.class, e.mentions FROM names JOIN entity e ON e.id = names.rowid "
                "WHERE names MATCH ? ORDER BY e.mentions DESC, e.label LIMIT ?",
                (match, max(1, min(int(limit), MAX_RESULTS)))).fetchall()
        return [{"iri": iri, "label": label, "class": cls, "mentions": mentions}
                for iri, label, cls, mentions in rows]

    def close(self) -> None:
        self.db.close()


def solutions_query(rows: list[dict], text: str) -> str:
    """A SPARQL query whose solutions are `rows` (the columns of queries/search_entities.rq), so index answers
    go through the endpoint's formats, limits and timeouts. Terms are serialised by pyoxigraph, never pasted."""
    lines = " ".join(
        f"({ox.NamedNode(r['iri'])} {ox.Literal(r['label'])} {ox.NamedNode(r['class'])} {ox.Literal(r['mentions'])}"
        f" {ox.Literal(text)})" for r in rows)
    return ("SELECT ?entity ?label ?type ?mentions ?text WHERE { VALUES (?entity ?label ?type ?mentions ?text) { "
            f"{lines} }} }} ORDER BY DESC(?mentions) ?label")


# named queries the index answers (same columns as the .rq file): name -> (text parameter, limit)
INDEXED = {"search_entities": ("text", MAX_RESULTS)}


def indexed_query(kg, name: str, substitutions: dict, generation=None) -> tuple[str, dict] | None:
    """(query text, substitutions) answering a named query from the index (given the substitutions its
    parameters were prepared into), or None when it has no index form."""
    if name not in INDEXED:
        return None
    param, limit = INDEXED[name]
    text = substitutions[ox.Variable(param)].value
    return solutions_query(kg.search_entities(text, limit, generation=generation), text), {}
