"""What the terminal shows during long work: the number of inputs up front (so progress bars have a total,
a percentage and an ETA) and a spinner while the spaCy model loads."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

from ..readers.files import JSONL_EXT

MAX_COUNT_BYTES = 2 * 1024**3  # counting lines reads the input once more: skip it for huge inputs


def _files(arg: str):
    path = Path(os.path.normpath(arg))
    if path.is_dir():
        return [p for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)]
    return [path]


def count_inputs(paths: Iterable[str]) -> int | None:
    """How many items `readers.read_paths` will yield (articles or errors), or None when that is not cheap to
    know (stdin, URLs, very large files). A JSONL file counts its non-blank lines."""
    total, size = 0, 0
    for arg in paths:
        if arg == "-" or "://" in arg:  # stdin, feeds and pages: unknown until read
            return None
        for f in _files(arg):
            if f.suffix.lower() in JSONL_EXT and f.is_file():
                size += f.stat().st_size
                if size > MAX_COUNT_BYTES:
                    return None
                with open(f, "rb") as fh:
                    total += max(1, sum(1 for line in fh if line.strip()))
            else:
                total += 1
    return total


@contextmanager
def spinner(message: str, enabled: bool = True):
    """A spinner on stderr (rich) while the block runs."""
    if not enabled:
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield
