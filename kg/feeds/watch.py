"""Watching sources: poll feeds, pages and folders, ingest only what is new or changed, remember what was seen.

A poll reads every source first (outside the store's write lock), then ingests what it found in one run, then
commits the watch state; `kg watch` runs polls in a loop, `kg serve --watch` in a background thread.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from contextlib import AbstractContextManager
from typing import Callable

from ..graph import Summary
from .fetch import Fetcher
from .run import Report, ingest_streams
from .sources import SourceReader
from .state import WatchState

log = logging.getLogger("kg.watch")


class Watcher:
    def __init__(self, sources: list[str], state: WatchState, fetcher: Fetcher | None = None,
                 encoding: str | None = None):
        self.sources = list(sources)
        self.state = state
        self.reader = SourceReader(fetcher or Fetcher(), state, encoding)

    def poll(self, open_kg: Callable[[], AbstractContextManager], **options) -> Report:
        """One pass over every source; the spaCy model is loaded only when something new was found."""
        changes: list[tuple] = []
        pairs = [(source, item) for source in self.sources for item in self.reader.read(source, changes)]
        polled = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        if pairs:
            with open_kg() as kg:
                report = ingest_streams(kg, pairs, **options)
        else:
            report = Report(Summary())
        self.state.commit(changes + [("poll", source, polled) for source in self.sources])
        return report

    def run(self, open_kg: Callable[[], AbstractContextManager], interval: float, stop: threading.Event,
            on_report: Callable[[Report], None], once: bool = False, **options) -> None:
        """Poll every ``interval`` seconds until ``stop`` is set (or once); a failing poll is logged, not fatal."""
        while True:
            started = time.monotonic()
            try:
                on_report(self.poll(open_kg, **options))
            except Exception:  # noqa: BLE001 - one failed poll (e.g. the store) must not end the watch
                if once:
                    raise
                log.exception("kg watch: the poll failed; trying again in %s s", interval)
            if once or stop.wait(max(0.0, interval - (time.monotonic() - started))):
                return


def start_in_server(app, sources: list[str], interval: float, state_path: str | None = None) -> Callable[[], None]:
    """Watch ``sources`` in a daemon thread that ingests through the server's store handle, with the server's
    extraction pool (KG_INGEST_WORKERS, shared with POST /ingest); returns stop()."""
    from .state import default_path

    holder = app.extensions["kg"]
    state = WatchState(state_path or default_path(str(app.config["KG_STORE"])))
    watcher, stop = Watcher(sources, state), threading.Event()

    def report(r: Report) -> None:
        from .run import report_lines

        if r.summary.read or r.summary.skipped or r.syndicated:
            for line in report_lines(r):
                log.warning("kg watch: %s", line)

    thread = threading.Thread(target=watcher.run, args=(holder.writing, interval, stop, report), daemon=True,
                              kwargs={"workers": app.config["KG_INGEST_WORKERS"]}, name="kg-watch")
    thread.start()

    def stop_watching() -> None:
        stop.set()
        thread.join(timeout=30)
        state.close()

    return stop_watching
