"""What a watch has seen, in a SQLite file beside the store: validators (ETag, Last-Modified) and fingerprints of
URLs, sizes/times/hashes of files, the time of each source's last poll. Changes are committed together after the
articles they describe are stored, so a killed watch re-reads (never loses) what it had not finished."""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, fingerprint TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, sha256 TEXT);
CREATE TABLE IF NOT EXISTS polls (source TEXT PRIMARY KEY, polled TEXT);
"""


@dataclass
class UrlState:
    etag: str | None = None
    last_modified: str | None = None
    fingerprint: str | None = None


@dataclass
class FileState:
    mtime_ns: int
    size: int
    sha256: str


def default_path(store: str) -> str:
    """`./kg-data` → `./kg-data.watch.sqlite`; a remote store has no directory: ./kg-watch.sqlite."""
    if store.startswith("sparql+"):
        return "kg-watch.sqlite"
    return str(Path(store).resolve()) + ".watch.sqlite"


class WatchState:
    """Thread-safe (the server's watcher thread opens it; one connection guarded by a lock)."""

    def __init__(self, path: str):
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(SCHEMA)

    def url(self, url: str) -> UrlState | None:
        with self._lock:
            row = self._db.execute("SELECT etag, last_modified, fingerprint FROM urls WHERE url = ?", (url,)).fetchone()
        return UrlState(*row) if row else None

    def file(self, path: str) -> FileState | None:
        with self._lock:
            row = self._db.execute("SELECT mtime_ns, size, sha256 FROM files WHERE path = ?", (path,)).fetchone()
        return FileState(*row) if row else None

    def polled(self, source: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT polled FROM polls WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def commit(self, changes: list[tuple]) -> None:
        """Apply ("url", url, UrlState) / ("file", path, FileState) / ("poll", source, iso time) in one transaction."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                for table, key, value in changes:
                    if table == "url":
                        self._db.execute("INSERT OR REPLACE INTO urls VALUES (?, ?, ?, ?)",
                                         (key, value.etag, value.last_modified, value.fingerprint))
                    elif table == "file":
                        self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                                         (key, value.mtime_ns, value.size, value.sha256))
                    else:
                        self._db.execute("INSERT OR REPLACE INTO polls VALUES (?, ?)", (key, value))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
