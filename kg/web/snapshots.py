"""Read-only views of a store this process writes, for the query workers.

RocksDB does not support a read-only open of a store that another process is writing (the writer's compactions
delete files under the reader: "Corruption ... No such file"), and pyoxigraph has no secondary-instance open.
So when the server holds the store read-write, workers query a checkpoint (`Store.backup`: hard links to the
immutable table files, tens of milliseconds) taken after the last write, when the first query after it comes;
the last few checkpoints are kept for the workers still on them. With --read-only nobody writes: the workers
open the store itself.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

KEEP = 3  # checkpoints kept: workers still evaluating on an older one are not pulled from under


class Snapshots:
    def __init__(self, store):
        self.store = store
        self.dir = Path(tempfile.mkdtemp(prefix=f".{Path(store.path).name}-snapshots-",
                                         dir=Path(store.path).resolve().parent))  # same file system: hard links
        self._lock = threading.Lock()
        self._taken: list[tuple[int, Path]] = []

    def path(self, generation: int) -> str:
        """The checkpoint of the store as of `generation` writes (taken now if there is none yet)."""
        with self._lock:
            if self._taken and self._taken[-1][0] == generation:
                return str(self._taken[-1][1])
            target = self.dir / f"g{generation}-{len(self._taken)}"
            shutil.rmtree(target, ignore_errors=True)
            self.store.ox.backup(str(target))
            self._taken.append((generation, target))
            for _, old in self._taken[:-KEEP]:
                shutil.rmtree(old, ignore_errors=True)
            self._taken = self._taken[-KEEP:]
            return str(target)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
