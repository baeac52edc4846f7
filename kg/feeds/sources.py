"""Articles from one source: a feed (each item's page), a web page, a local file or folder.

With a WatchState only what is new or changed is read: a feed or page answering 304 to a conditional request, a
feed entry whose fingerprint is unchanged, a file with the same size, time or hash are skipped. The state changes
are appended to ``changes``; the caller commits them once the articles are stored.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..readers.files import Item, files_under, read_file, read_paths
from . import is_url
from .feed import Feed, kind, page_article, parse_feed
from .fetch import Fetcher
from .state import FileState, UrlState, WatchState


class SourceReader:
    def __init__(self, fetcher: Fetcher | None = None, state: WatchState | None = None, encoding: str | None = None):
        self.fetcher = fetcher or Fetcher()
        self.state = state
        self.encoding = encoding

    def read(self, source: str, changes: list[tuple]) -> Iterator[Item]:
        """Articles (and InputErrors) of one source, in order."""
        if is_url(source):
            yield from self._url(source, changes)
        elif self.state is None:
            yield from read_paths([source], self.encoding)
        else:
            yield from self._path(source, changes)

    # --- the web
    def _known(self, url: str) -> UrlState:
        return (self.state.url(url) if self.state else None) or UrlState()

    def _url(self, url: str, changes: list[tuple]) -> Iterator[Item]:
        known = self._known(url)
        try:
            fetched = self.fetcher.get(url, etag=known.etag, last_modified=known.last_modified)
            if fetched.not_modified:
                return
            if kind(fetched, url) == "html":
                article = page_article(fetched, url)
                state = UrlState(fetched.etag, fetched.last_modified, article.content_hash())
                changes.append(("url", url, state))
                if state.fingerprint != known.fingerprint:
                    yield article
                return
            feed = parse_feed(fetched, url)
        except InputError as exc:
            yield exc
            return
        failed = yield from self._items(feed, changes)
        yield from feed.skipped
        if not failed:  # a failed item is retried next time: the feed must not answer 304 then
            changes.append(("url", url, UrlState(fetched.etag, fetched.last_modified, None)))

    def _items(self, feed: Feed, changes: list[tuple]):
        """Fetch the feed's new or changed items concurrently, yield them in feed order; return whether any failed
        for a reason that may pass (then the feed keeps its old validators, so those items are tried again)."""
        todo = [(item, self._known(item.link)) for item in feed.items]
        todo = [(item, known) for item, known in todo if known.fingerprint != item.fingerprint]

        def fetch(job):
            item, known = job
            try:
                fetched = self.fetcher.get(item.link, etag=known.etag, last_modified=known.last_modified)
                article = None if fetched.not_modified else page_article(fetched, item.link, item, feed.url)
            except InputError as exc:
                return exc, None
            # a 304 carries no validators: the known ones stay
            return article, UrlState(fetched.etag or known.etag, fetched.last_modified or known.last_modified,
                                     item.fingerprint)

        failed = False
        with ThreadPoolExecutor(max_workers=self.fetcher.config.workers, thread_name_prefix="kg-fetch") as pool:
            for (item, known), (result, state) in zip(todo, pool.map(fetch, todo)):
                if isinstance(result, InputError):
                    yield result
                    if getattr(result, "transient", False):
                        failed = True  # retried at the next poll
                    else:  # a 404, a page without text...: reported once, not asked again until the entry changes
                        changes.append(("url", item.link, UrlState(known.etag, known.last_modified, item.fingerprint)))
                    continue
                changes.append(("url", item.link, state))
                if result is not None:
                    yield result
        return failed

    # --- local files
    def _path(self, source: str, changes: list[tuple]) -> Iterator[Item]:
        path = Path(os.path.normpath(source))
        if not path.exists():
            yield InputError(str(path), "no such file or directory")
            return
        for p in files_under(path):
            try:
                st = p.stat()
                known = self.state.file(str(p))
                if known and (known.mtime_ns, known.size) == (st.st_mtime_ns, st.st_size):
                    continue
                digest = hashlib.sha256(p.read_bytes()).hexdigest()
            except OSError as exc:
                yield InputError(str(p), f"cannot read: {exc.strerror}")
                continue
            changes.append(("file", str(p), FileState(st.st_mtime_ns, st.st_size, digest)))
            if not known or known.sha256 != digest:
                yield from read_file(p, self.encoding)
