"""`kg watch`: keep the graph current from feeds, pages and folders."""
from __future__ import annotations

import sys
import threading
from contextlib import nullcontext

import click

from .options import open_graph, store_options
from ..errors import KGError


def fetch_options(f):
    """The politeness settings most often changed; every one has a KG_FETCH_* variable too (docs/feeds.md)."""
    for decorator in reversed((
        click.option("--user-agent", default=None, help="User-Agent header. Env: KG_FETCH_USER_AGENT."),
        click.option("--delay", type=float, default=None,
                     help="Seconds between requests to one host (default 1; robots.txt Crawl-delay if longer). "
                          "Env: KG_FETCH_DELAY."),
        click.option("--timeout", type=float, default=None,
                     help="Seconds to connect and between bytes (default 10). Env: KG_FETCH_TIMEOUT."),
        click.option("--max-bytes", type=int, default=None,
                     help="Largest response read (default 5000000). Env: KG_FETCH_MAX_BYTES."),
    )):
        f = decorator(f)
    return f


@click.command()
@click.argument("sources", nargs=-1, required=True)
@store_options
@click.option("--interval", type=click.FloatRange(min=1), default=900, show_default=True, envvar="KG_WATCH_INTERVAL",
              help="Seconds between polls. Env: KG_WATCH_INTERVAL.")
@click.option("--once", is_flag=True, help="Poll once and exit (status 1 if any source or item failed).")
@click.option("--state", default=None, envvar="KG_WATCH_STATE",
              help="Watch state file (default: STORE.watch.sqlite beside the store; ./kg-watch.sqlite for a remote "
                   "store). Env: KG_WATCH_STATE.")
@click.option("--encoding", default=None, help="Text encoding of watched files (default UTF-8).")
@click.option("--kb", envvar="KG_KB", default=None, help="Wikidata KB file from `kg kb build`. Env: KG_KB.")
@click.option("--linker", type=click.Choice(["kb", "wikidata-online", "none"]), default="kb", show_default=True,
              help="How entities are linked (as for kg ingest).")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True, envvar="KG_WATCH_WORKERS",
              help="Extraction processes: a warm pool, started by the first poll that finds something and kept for "
                   "the next ones (as kg ingest --workers). Env: KG_WATCH_WORKERS.")
@fetch_options
def watch(sources, store, base_iri, model, interval, once, state, encoding, kb, linker, workers, user_agent, delay,
          timeout, max_bytes):
    """Poll RSS/Atom feeds and pages (http/https URLs) and watch folders; ingest only what is new or changed.

    What was seen (ETag, Last-Modified, feed entries, file hashes) survives restarts in the state file.

    Example: kg watch https://news.example/feed.xml ./incoming --interval 600
    """
    from ..feeds.fetch import FetchConfig, Fetcher
    from ..feeds.run import report_lines
    from ..feeds.state import WatchState, default_path
    from ..feeds.watch import Watcher

    try:
        config = FetchConfig.from_env(user_agent=user_agent, delay=delay, timeout=timeout, max_bytes=max_bytes)
    except (TypeError, ValueError) as exc:
        raise click.ClickException(f"bad KG_FETCH_* setting: {exc}") from None
    kg = open_graph(store, base_iri, model, kb=kb, linker=linker)
    watch_state = WatchState(state or default_path(store))
    watcher = Watcher(list(sources), watch_state, Fetcher(config), encoding)
    failed = False

    def on_report(report) -> None:
        nonlocal failed
        failed = failed or report.failed
        *problems, totals = report_lines(report)
        for line in problems:
            click.echo(line, err=True)
        click.echo(totals)

    try:
        watcher.run(lambda: nullcontext(kg), interval, threading.Event(), on_report, once=once, workers=workers)
    except KeyboardInterrupt:
        pass
    except KGError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        watch_state.close()
        kg.close()
    if failed and once:
        sys.exit(1)
