"""Statements from Wikidata RDF files: N-Triples line by line (fast path, bad lines skipped), Turtle via pyoxigraph."""
from __future__ import annotations

import bz2
import gzip
import io
import queue
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Callable, Iterator

from .vocab import qid_of, statement

# subject, predicate, object of one N-Triples line; the object is an IRI, a literal or a blank node.
_LINE = re.compile(r'^(<[^>\s]*>|_:\S+)\s+<([^>\s]*)>\s+(<[^>\s]*>|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>\s]*>)?|_:\S+)'
                   r'\s*\.\s*(?:#.*)?$')
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<[^>]*>)?$')
_ESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[tbnrf"\'\\])')
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    return _ESCAPE.sub(lambda m: _SIMPLE.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), s)


# Parallel decompressors used when installed (Debian: pigz, lbzip2): they run on another core beside the parser.
_TOOLS = {"gzip": ("pigz", "gzip"), "bzip2": ("lbzip2", "pbzip2", "bzip2")}


def compression(path: Path) -> str | None:
    """'gzip', 'bzip2' or None, told apart by the magic bytes, not the name."""
    with open(path, "rb") as f:
        magic = f.read(3)
    return "gzip" if magic[:2] == b"\x1f\x8b" else ("bzip2" if magic == b"BZh" else None)


def open_binary(path: Path, tools: bool = True):
    """A byte stream over a plain, gzip or bzip2 file. Compressed files are decompressed beside the reader: by
    an external (parallel) decompressor when one is on PATH, else by a thread (zlib and bz2 release the GIL)."""
    kind = compression(path)
    if kind is None:
        return open(path, "rb")
    tool = next((t for t in _TOOLS[kind] if shutil.which(t)), None) if tools else None
    if tool:
        return _Piped([tool, "-dc", str(path)])
    return io.BufferedReader(_ThreadedReader(gzip.open(path, "rb") if kind == "gzip" else bz2.open(path, "rb")),
                             buffer_size=1 << 20)


def open_text(path: Path):
    return io.TextIOWrapper(open_binary(path), encoding="utf-8", errors="replace")


class _Piped(io.BufferedReader):
    """The stdout of a decompressor process; closing it ends the process; a failure is an OSError."""

    def __init__(self, argv: list[str]):
        self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        super().__init__(self._proc.stdout, buffer_size=1 << 20)
        self._argv = argv

    def close(self) -> None:
        if self.closed:
            return
        finished = self.peek(1) == b""
        super().close()
        if not finished:
            self._proc.kill()
        code = self._proc.wait()
        err = self._proc.stderr.read().decode(errors="replace").strip()
        self._proc.stderr.close()
        if finished and code:
            raise OSError(f"{' '.join(self._argv)} failed ({code}): {err}")


class _ThreadedReader(io.RawIOBase):
    """Reads a decompressing stream in a thread, a bounded queue of 1 MB blocks ahead of the consumer."""

    def __init__(self, stream, ahead: int = 8):
        self._stream, self._queue, self._rest = stream, queue.Queue(maxsize=ahead), b""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._fill, daemon=True, name="kb-decompress")
        self._thread.start()

    def _fill(self) -> None:
        try:
            while not self._stop.is_set():
                block = self._stream.read(1 << 20)
                self._put(block)
                if not block:
                    return
        except BaseException as exc:  # handed to the reader
            self._put(exc)

    def _put(self, item) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._rest:
            item = self._queue.get()
            if isinstance(item, BaseException):
                raise item
            if not item:
                self._queue.put(b"")
                return 0
            self._rest = item
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._stream.close()
        super().close()


def ntriples(lines, bad: Callable[[int], None]) -> Iterator[tuple]:
    """Statements from N-Triples lines; a line that is not N-Triples is reported to ``bad`` and skipped."""
    for lineno, line in enumerate(lines, 1):
        m = _LINE.match(line)
        if m is None:
            if line.strip() and not line.lstrip().startswith("#"):
                bad(lineno)
            continue
        subject, predicate, obj = m.groups()
        qid = qid_of(subject[1:-1]) if subject[0] == "<" else None
        if qid is None:
            continue
        if obj[0] == "<":
            st = statement(qid, predicate, obj[1:-1], None, True)
        elif obj[0] == '"':
            lit = _LITERAL.match(obj)
            st = statement(qid, predicate, _unescape(lit.group(1)), lit.group(2), False)
        else:
            continue
        if st:
            yield st


def parsed(stream, fmt) -> Iterator[tuple]:
    """Statements from a byte stream in any RDF format pyoxigraph reads, streamed; a syntax error stops it
    (pyoxigraph cannot resume after one)."""
    import pyoxigraph as ox
    return from_quads(ox.parse(stream, format=fmt))


def from_quads(quads) -> Iterator[tuple]:
    """Statements from pyoxigraph quads or triples."""
    import pyoxigraph as ox

    for quad in quads:
        s, o = quad.subject, quad.object
        qid = qid_of(s.value) if isinstance(s, ox.NamedNode) else None
        if qid is None or isinstance(o, (ox.BlankNode, ox.Triple)):
            continue
        is_iri = isinstance(o, ox.NamedNode)
        st = statement(qid, quad.predicate.value, o.value, None if is_iri else o.language, is_iri)
        if st:
            yield st
