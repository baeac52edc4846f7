"""Read-only views of a store this process writes, for the query workers.

RocksDB does not support a read-only open of a store that another process is writing (the writer's compactions
delete files under the reader: "Corruption ... No such file"), and pyoxigraph has no secondary-instance open.
So when the server holds the store read-write, workers query a checkpoint (`Store.backup`: hard links to the
immutable table files, tens of milliseconds) taken after the last write, when the first query after it comes;
a superseded checkpoint is deleted when the last query on it ends. When a checkpoint cannot be taken (a full
disk), queries go on with the latest one. With --read-only nobody writes: the workers open the store itself.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path

log = logging.getLogger("kg.web")


class Snapshots:
    def __init__(self, store, write_lock, generation):
        """`generation()` counts the writes so far; `write_lock` is held by every write."""
        self.store, self.write_lock, self.generation = store, write_lock, generation
        self._taken = 0
        self.dir = Path(tempfile.mkdtemp(prefix=f".{Path(store.path).name}-snapshots-",
                                         dir=Path(store.path).resolve().parent))  # same file system: hard links
        self._lock = threading.Lock()
        self._latest: tuple[int, str] | None = None
        self._users: dict[str, int] = {}  # checkpoint -> queries evaluating on it

    def acquire(self) -> str:
        """The checkpoint of the store as of the latest write (taken now if there is none yet), held for one
        query until `release`; superseded checkpoints are deleted when their last query ends."""
        with self._lock:
            # a checkpoint is taken between writes, never during one; while a write runs, the latest one serves
            if (self._latest is None or self._latest[0] < self.generation()) and self.write_lock.acquire(
                    blocking=self._latest is None):
                try:
                    self._take(self.generation())
                except OSError as exc:  # e.g. a full disk: queries go on with the last checkpoint, if any
                    if self._latest is None:
                        raise
                    log.warning("queries read the store as of %d writes: a newer checkpoint failed (%s)",
                                self._latest[0], exc)
                finally:
                    self.write_lock.release()
            path = self._latest[1]
            self._users[path] += 1
            return path

    def _take(self, generation: int) -> None:
        self._taken += 1
        target = str(self.dir / f"{self._taken}-after-{generation}-writes")  # never a name used before
        self.store.ox.backup(target)
        previous, self._latest = self._latest, (generation, target)
        self._users.setdefault(target, 0)
        if previous:
            self._drop_unused()

    def release(self, path: str) -> None:
        with self._lock:
            if path in self._users:
                self._users[path] -= 1
                self._drop_unused()

    def _drop_unused(self) -> None:
        for path, users in list(self._users.items()):
            if users <= 0 and path != self._latest[1]:
                shutil.rmtree(path, ignore_errors=True)
                del self._users[path]

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
