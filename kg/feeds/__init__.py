"""Ingest from the web and from watched folders (docs/feeds.md).

fetch.py (polite HTTP client) → feed.py (feed / page → Article, pure) → sources.py (what to read from one source,
skipping what the watch state says is unchanged) → syndication.py (same text under another URL) → run.py (one
ingest over many sources; the sources graph) → watch.py (state, polling loop); cli.py holds `kg watch`.
"""
from __future__ import annotations


def is_url(source: str) -> bool:
    """An http(s) URL, as opposed to a local path."""
    return source.lower().startswith(("http://", "https://"))
