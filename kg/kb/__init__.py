"""The local knowledge base: Wikidata items in one SQLite file, built by `kg kb build`, read by the linker.

Use :func:`open_kb` to open one; :func:`default_kb_path` says which file is used when none is given.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .store import KB, SCHEMA_VERSION, Item, KBError

DEFAULT_KB = "./kg-kb.sqlite"


def default_kb_path() -> Path:
    """$KG_KB, else ./kg-kb.sqlite (linking is on only when this file exists or a path is given)."""
    return Path(os.environ.get("KG_KB") or DEFAULT_KB)


@lru_cache(maxsize=8)
def _open(path: str) -> KB:
    return KB(path)


def open_kb(path: str | Path | None = None) -> KB:
    """The KB at ``path`` (default :func:`default_kb_path`), opened once per process; raises KBError with the
    command to run when the file is missing, corrupt or of another version."""
    return _open(str(Path(path or default_kb_path()).resolve()))


def make_source(kb: str | None, online: bool = False, endpoint: str | None = None, cache: str | None = None):
    """The candidate source the settings ask for, and its version for provenance; (None, None) when linking is off.

    A KB path that was given must open (else KBError); the default path is used only when the file exists."""
    path = Path(kb) if kb else default_kb_path()
    offline = open_kb(path) if kb or path.is_file() else None
    if online:
        from .online import OnlineSource

        source = OnlineSource(endpoint=endpoint, cache=cache, fallback=offline)
        return source, source.version
    return offline, (offline.version if offline else None)


__all__ = ["KB", "Item", "KBError", "SCHEMA_VERSION", "DEFAULT_KB", "default_kb_path", "make_source", "open_kb"]
