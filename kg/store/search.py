"""The entity index: an SQLite database kept beside the store, for what a SPARQL engine cannot answer without
reading the whole store: entity search by name (FTS5), the most mentioned unlinked entities, and the entity
pairs named in the most articles.

The store stays the truth; the index is a cache of (entity, class, label, names, mention count, linked) and of
each article's `schema:mentions` with the pair counts they add up to. It is updated after each article write or
deletion (`KnowledgeGraph.ingest` and `delete_graphs`), for the entities the article mentions now and those its
replaced or deleted graph mentioned, and rebuilt whole when its stamp (the counts of name triples, articles,
schema:mentions and owl:sameAs in the store) no longer matches, e.g. after a SPARQL update or a bulk load, or by
`kg search --rebuild`. Queries are token-prefix matches ranked by mentions, so `merk` finds Merkel.
"""
from __future__ import annotations

import logging
import re
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import CLASSES, PREFIXES

SCHEMA_VERSION = "2"
MAX_RESULTS = 200
_CLASS_LIST = ", ".join(f"<{c}>" for c in CLASSES.values())
STAMP = """SELECT (COUNT(?name) AS ?n) (COUNT(?x) AS ?articles) (COUNT(?m) AS ?mentions) (COUNT(?link) AS ?links)
WHERE { { ?e rdfs:label|skos:altLabel ?name } UNION { ?x a kg:Article } UNION { GRAPH ?g { ?g schema:mentions ?m } }
        UNION { ?s owl:sameAs ?link } }"""
# Every entity with its names and mention count, kg:mentionCount of the entity registry (?only, when bound by a
# VALUES clause, restricts it).
ENTITIES = f"""SELECT ?e ?class ?label (GROUP_CONCAT(DISTINCT ?name; SEPARATOR="\\u001f") AS ?names)
  (COALESCE(MAX(?count), 0) AS ?mentions) (COUNT(?link) AS ?links) WHERE {{
  %s
  ?e a ?class ; rdfs:label ?label .  # a lookup per given entity (a VALUES ?class join scanned every entity)
  FILTER(?class IN ({_CLASS_LIST}))
  {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }}
  OPTIONAL {{ ?e kg:mentionCount ?count }}
  OPTIONAL {{ ?e owl:sameAs ?link }}
}} GROUP BY ?e ?class ?label"""
ARTICLE_ENTITIES = "SELECT DISTINCT ?e ?g WHERE { GRAPH ?g { ?m itsrdf:taIdentRef ?e } }"
NAMED = "SELECT ?g ?e WHERE { GRAPH ?g { ?g schema:mentions ?e } }"  # what co_mentioned_pairs.rq counts
_TOKEN = re.compile(r"\w+", re.UNICODE)
_UNCHECKED = object()
SCHEMA = """
    CREATE TABLE entity(id INTEGER PRIMARY KEY, iri TEXT UNIQUE, class TEXT, label TEXT, mentions INTEGER,
                        linked INTEGER);
    CREATE INDEX entity_unlinked ON entity(linked, mentions DESC);
    CREATE VIRTUAL TABLE names USING fts5(name, tokenize='unicode61 remove_diacritics 2', prefix='2 3');
    -- articles and the entities they name (schema:mentions), and for each pair of entities the articles naming
    -- both: kept by the writes, so the top pairs are an index walk, not a count over the store
    CREATE TABLE node(id INTEGER PRIMARY KEY, iri TEXT UNIQUE NOT NULL);
    CREATE TABLE mention(article INTEGER, entity INTEGER, PRIMARY KEY(article, entity)) WITHOUT ROWID;
    CREATE TABLE pair(a INTEGER, b INTEGER, shared INTEGER NOT NULL, PRIMARY KEY(a, b)) WITHOUT ROWID;
    CREATE INDEX pair_rank ON pair(shared DESC, a, b);
"""
TABLES = ("entity", "names", "node", "mention", "pair")
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


def _schema(db) -> None:
    """Create the tables; an index of another schema version is emptied first (the next check rebuilds it)."""
    db.execute("PRAGMA journal_mode=WAL")
    # no fsync per commit: a commit lost to a power cut leaves the stamp behind, and the next check rebuilds
    db.execute("PRAGMA synchronous=NORMAL")
    with db:
        db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        if row and row[0] == SCHEMA_VERSION:
            return
        for table in TABLES:
            db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute("DELETE FROM meta")
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))


class EntityIndex:
    def __init__(self, store, path: str | None = None):
        self.store = store
        self.path = path or index_path(store)
        self._lock = threading.Lock()
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            _schema(self.db)
        except sqlite3.Error as exc:  # e.g. a full disk: the index is a cache, it lives in memory meanwhile
            log.warning("the search index %s cannot be written (%s): it is kept in memory", self.path, exc)
            self.path = ":memory:"
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            _schema(self.db)
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
        return ":".join([SCHEMA_VERSION, *(row[k].value for k in ("n", "articles", "mentions", "links"))])

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
        named = [(r["g"].value, r["e"].value) for r in self.store.query(NAMED, union=False)]
        self._failed = False
        with self._writing():
            for table in TABLES:
                self.db.execute(f"DELETE FROM {table}")
            for row in rows:
                self._put(row)
            ids = self._ids({iri for pair in named for iri in pair})
            self.db.executemany("INSERT OR IGNORE INTO mention VALUES (?, ?)", ((ids[g], ids[e]) for g, e in named))
            self.db.execute("INSERT INTO pair SELECT m.entity, n.entity, COUNT(*) FROM mention m JOIN mention n "
                            "ON n.article = m.article AND n.entity > m.entity GROUP BY m.entity, n.entity")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp or self.stamp(),))
        return len({row["e"].value for row in rows})

    def _ids(self, iris) -> dict[str, int]:
        """The node ids of these IRIs (articles or entities), added when new."""
        iris = list(iris)
        self.db.executemany("INSERT OR IGNORE INTO node(iri) VALUES (?)", ((i,) for i in iris))
        ids = {}
        for n in range(0, len(iris), 500):
            chunk = iris[n:n + 500]
            ids.update((iri, id_) for id_, iri in self.db.execute(
                f"SELECT id, iri FROM node WHERE iri IN ({','.join('?' * len(chunk))})", chunk))
        return ids

    def entities_in(self, graphs) -> set[str]:
        """The entities the article graphs mention: taken before a write replaces or deletes them, so that
        `refresh` also reaches the entities that lose their mentions."""
        found = set()
        for graph in graphs:
            found.update(r["e"].value for r in self.store.query(
                ARTICLE_ENTITIES, union=False, substitutions={ox.Variable("g"): ox.NamedNode(graph)}))
        return found

    def refresh_article(self, article_iri: str, before=(), dropped=()) -> None:
        """Re-index the entities an article mentions (after its graph was written) and those its previous
        graph(s) mentioned (`before`, from `entities_in`), and the pairs of the article and of the graphs its
        write replaced (`dropped`); `mark_in_step` follows."""
        self.refresh(self.entities_in([article_iri]) | set(before), articles=[article_iri, *dropped])

    def refresh(self, entities, articles=()) -> None:
        """Re-index these entities and the named entities of these articles (graphs) from the store as it is
        now; an entity no longer in it leaves the index, an article no longer in it takes its pairs away."""
        for article in articles:
            self._follow(article)
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
        cur = self.db.execute("INSERT INTO entity(iri, class, label, mentions, linked) VALUES (?,?,?,?,?)",
                              (iri, row["class"].value, row["label"].value, int(row["mentions"].value),
                               int(row["links"].value) > 0))
        self.db.execute("INSERT INTO names(rowid, name) VALUES (?, ?)",
                        (cur.lastrowid, row["names"].value.replace("\x1f", " | ")))

    def _follow(self, article: str) -> None:
        """Bring one article's named entities and the pair counts they add to in step with its graph now: the
        pairs it no longer names lose one article, the new ones gain one."""
        now = {r["e"].value for r in self.store.query(NAMED, union=False,
                                                       substitutions={ox.Variable("g"): ox.NamedNode(article)})}
        with self._writing():
            ids = self._ids([article, *now])
            gid, new = ids[article], {ids[e] for e in now}
            old = {e for (e,) in self.db.execute("SELECT entity FROM mention WHERE article=?", (gid,))}
            if old == new:
                return
            before, after = _pairs(old), _pairs(new)
            lost, gained = before - after, after - before
            self.db.executemany("UPDATE pair SET shared = shared - 1 WHERE a=? AND b=?", lost)
            self.db.execute("DELETE FROM pair WHERE shared <= 0")
            self.db.executemany("INSERT INTO pair VALUES (?, ?, 1) ON CONFLICT(a, b) DO UPDATE SET shared = shared + 1",
                                gained)
            self.db.executemany("DELETE FROM mention WHERE article=? AND entity=?", ((gid, e) for e in old - new))
            self.db.executemany("INSERT INTO mention VALUES (?, ?)", ((gid, e) for e in new - old))

    # --- reading
    def unlinked(self, min_mentions: int, cls: str | None, limit: int) -> list[str]:
        """The entities without owl:sameAs mentioned at least min_mentions times (of class cls), most first."""
        with self._lock:
            rows = self.db.execute(
                "SELECT iri FROM entity WHERE linked = 0 AND mentions >= ? AND (? IS NULL OR class = ?) "
                "ORDER BY mentions DESC, iri LIMIT ?", (min_mentions, cls, cls, limit)).fetchall()
        return [iri for (iri,) in rows]

    def co_mentioned(self, min_articles: int, cls: str | None, limit: int) -> list[tuple[str, str, int]]:
        """(entity, entity, articles naming both) for the pairs of indexed entities (both of class cls) named
        together in at least min_articles articles, most first; each pair once, the lesser IRI first."""
        with self._lock:
            rows = self.db.execute(
                "SELECT na.iri, nb.iri, p.shared FROM pair p JOIN node na ON na.id = p.a JOIN node nb ON nb.id = p.b "
                "JOIN entity ea ON ea.iri = na.iri JOIN entity eb ON eb.iri = nb.iri "
                "WHERE p.shared >= ? AND (? IS NULL OR ea.class = ? AND eb.class = ?) "
                "ORDER BY p.shared DESC, p.a, p.b LIMIT ?", (min_articles, cls, cls, cls, limit)).fetchall()
        return [(a, b, n) if a < b else (b, a, n) for a, b, n in rows]

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


def _pairs(ids) -> set[tuple[int, int]]:
    ordered = sorted(ids)
    return {(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]}


def solutions_query(rows: list[dict], text: str) -> str:
    """A SPARQL query whose solutions are `rows` (the columns of queries/search_entities.rq), so index answers
    go through the endpoint's formats, limits and timeouts. Terms are serialised by pyoxigraph, never pasted."""
    lines = " ".join(
        f"({ox.NamedNode(r['iri'])} {ox.Literal(r['label'])} {ox.NamedNode(r['class'])} {ox.Literal(r['mentions'])}"
        f" {ox.Literal(text)})" for r in rows)
    return ("SELECT ?entity ?label ?type ?mentions ?text WHERE { VALUES (?entity ?label ?type ?mentions ?text) { "
            f"{lines} }} }} ORDER BY DESC(?mentions) ?label")


_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("kg", "owl", "rdfs"))  # the text stands alone
_SQLITE_MAX = 2 ** 63 - 1


def _bound(subs: dict, name: str) -> int:
    """An integer parameter as an SQLite bound (a request may give any size; past SQLite's range it means the
    same as its end)."""
    return max(-_SQLITE_MAX, min(int(subs[ox.Variable(name)].value), _SQLITE_MAX))


def _search_entities(index, subs: dict) -> tuple[str, dict]:
    text = subs[ox.Variable("text")].value
    return solutions_query(index.search(text, MAX_RESULTS), text), {}


def _unlinked_entities(index, subs: dict) -> tuple[str, dict]:
    """The entities the index ranks first, checked and completed from the store (mention count, class, no link,
    label): queries/unlinked_entities.rq without its pass over every entity."""
    cls = subs.get(ox.Variable("class"))
    found = index.unlinked(_bound(subs, "min_mentions"), cls and cls.value, 1000)
    return (_PROLOGUE + "SELECT ?entity ?label ?type ?mentions ?min_mentions ?class WHERE {\n"
            f"  VALUES ?entity {{ {' '.join(str(ox.NamedNode(e)) for e in found)} }}\n"
            "  ?entity kg:mentionCount ?mentions ; a ?type .\n"  # lookups from each entity (VALUES ?type: a scan)
            f"  FILTER(?type IN ({_CLASS_LIST}))\n"
            "  FILTER(COALESCE(?class = ?type, true) && ?mentions >= ?min_mentions)\n"
            "  MINUS { ?entity owl:sameAs ?other }\n"
            "  OPTIONAL { ?entity rdfs:label ?label }\n"
            "} ORDER BY DESC(?mentions) ?label"), subs


def _co_mentioned_pairs(index, subs: dict) -> tuple[str, dict]:
    """The pairs the index keeps, labelled from the store: queries/co_mentioned_pairs.rq without its count."""
    cls = subs.get(ox.Variable("class"))
    pairs = index.co_mentioned(_bound(subs, "min_articles"), cls and cls.value, 500)
    rows = " ".join(f"({ox.NamedNode(a)} {ox.NamedNode(b)} {ox.Literal(n)})" for a, b, n in pairs)
    return (_PROLOGUE + "SELECT ?a ?a_label ?b ?b_label ?shared ?min_articles ?class WHERE {\n"
            f"  VALUES (?a ?b ?shared) {{ {rows} }}\n"
            "  OPTIONAL { ?a rdfs:label ?a_label }\n"
            "  OPTIONAL { ?b rdfs:label ?b_label }\n"
            "} ORDER BY DESC(?shared) ?a_label ?b_label"), subs


# named queries the index answers, with the columns and parameters of their .rq files
INDEXED = {"search_entities": _search_entities, "unlinked_entities": _unlinked_entities,
           "co_mentioned_pairs": _co_mentioned_pairs}


def indexed_query(kg, name: str, substitutions: dict, generation=None) -> tuple[str, dict] | None:
    """(query text, substitutions) answering a named query from the index (given the substitutions its
    parameters were prepared into), or None when it has no index form."""
    if name not in INDEXED:
        return None
    return INDEXED[name](kg.entity_index(generation), substitutions)
