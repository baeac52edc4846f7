"""Read articles from files, directories, JSONL and stdin; bad inputs become InputError values, not exceptions.

Readers yield ``Article`` or ``InputError`` so one bad file or line never stops the run.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

from .article import Article
from ..errors import InputError

TEXT_EXT = {".txt", ".text"}
HTML_EXT = {".html", ".htm"}
JSONL_EXT = {".jsonl", ".ndjson"}
KNOWN_EXT = TEXT_EXT | HTML_EXT | JSONL_EXT

Item = Article | InputError


def decode(data: bytes, where: str, encoding: str | None = None) -> str:
    """Bytes -> str, refusing binary data and naming the first bad byte of invalid text."""
    if b"\x00" in data[:8192]:
        raise InputError(where, "binary file (NUL bytes), not text; skipped")
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"invalid {exc.encoding} at byte offset {exc.start} "
                                f"(byte 0x{data[exc.start]:02x}); pass --encoding (e.g. latin-1) if the file "
                                f"uses another encoding") from None
    except LookupError:
        raise InputError(where, f"unknown encoding {encoding!r}") from None
    return text[1:] if text.startswith("\ufeff") else text


def split_title(text: str) -> str | None:
    """The first line that is neither scraped furniture nor a date line is the title when a blank line follows it
    and it does not end like a sentence (kg.pipeline.boilerplate.headline)."""
    from ..pipeline.boilerplate import find_headline

    return find_headline(text)


def text_article(text: str, where: str, path: str | None) -> Article:
    """A plain-text article: identified by its content (kg.readers.article.Article.key), ``path`` kept as provenance."""
    if not text.strip():
        raise InputError(where, "empty document (no text); skipped")
    return Article(identifier=None, text=text, title=split_title(text), path=path)


def html_article(html: str, where: str) -> Article:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputError(where, "no main text found in the HTML; skipped")
    meta = trafilatura.extract_metadata(html)
    return Article(identifier=None, text=text, title=(meta.title if meta else None) or None,
                   date=(meta.date if meta else None) or None, url=(meta.url if meta else None) or None, path=where)


def jsonl_articles(lines: Iterable[str], name: str) -> Iterator[Item]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not JSON ({exc.msg} at column {exc.colno}); skipped")
            continue
        if not isinstance(obj, dict):
            yield InputError(where, "a JSON object with 'id' and 'text' is expected; skipped")
        elif not isinstance(obj.get("text"), str) or not obj["text"].strip():
            yield InputError(where, "no 'text' field (or it is empty); skipped")
        else:
            ident = obj.get("id")
            yield Article(identifier=str(ident) if ident not in (None, "") else None, text=obj["text"],
                          title=_opt(obj.get("title")), date=_opt(obj.get("date")), url=_opt(obj.get("url")),
                          source=_opt(obj.get("source")), path=where)


def _opt(value) -> str | None:
    return str(value) if value not in (None, "") else None


def read_file(path: Path, encoding: str | None = None) -> Iterator[Item]:
    where = str(path)
    ext = path.suffix.lower()
    if ext not in KNOWN_EXT:
        yield InputError(where, f"unknown extension {ext or '(none)'!r}; expected one of "
                                f"{', '.join(sorted(KNOWN_EXT))}; skipped")
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(where, f"cannot read: {exc.strerror}")
        return
    try:
        text = decode(data, where, encoding)
        if ext in JSONL_EXT:
            if not text.strip():
                raise InputError(where, "empty file; skipped")
            yield from jsonl_articles(text.splitlines(), where)
        elif ext in HTML_EXT:
            yield html_article(text, where)
        else:
            yield text_article(text, where, where)
    except InputError as exc:
        yield exc


def read_stdin(encoding: str | None = None) -> Iterator[Item]:
    """stdin: JSONL when the first non-blank character is '{', else one plain-text article."""
    try:
        text = decode(sys.stdin.buffer.read(), "<stdin>", encoding)
        if text.lstrip().startswith("{"):
            yield from jsonl_articles(text.splitlines(), "<stdin>")
        else:
            yield text_article(text, "<stdin>", None)
    except InputError as exc:
        yield exc


def files_under(path: Path) -> list[Path]:
    """A file itself, or the files in a directory (recursively, sorted, hidden ones skipped)."""
    if not path.is_dir():
        return [path]
    return [p for p in sorted(path.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)]


def read_paths(paths: Iterable[str], encoding: str | None = None) -> Iterator[Item]:
    """Articles from files and directories (recursively, sorted, hidden files skipped) and '-' for stdin;
    http(s) URLs of feeds and pages are read by kg.feeds.sources, which reads local paths through this."""
    for arg in paths:
        if arg == "-":
            yield from read_stdin(encoding)
            continue
        path = Path(os.path.normpath(arg))
        if path.exists():
            for p in files_under(path):
                yield from read_file(p, encoding)
        else:
            yield InputError(str(path), "no such file or directory")
