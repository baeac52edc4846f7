"""Feed ingestion against a local HTTP server: wikinews articles as HTML pages listed in an RSS feed, fetched
(politeness delay 0: the figure is our cost, not the wait a real host asks for) and extracted, beside ingesting
the same articles from JSONL; then the re-poll of the unchanged feed by `kg watch`."""
from __future__ import annotations

import html
import threading
import time
import zlib
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def site(docs: list, base: str) -> dict[str, tuple[str, bytes]]:
    """path -> (content type, body): one page per article and /feed.xml listing them."""
    routes, items = {}, []
    for n, a in enumerate(docs):
        title = html.escape(a.title or f"Article {n}")
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in a.text.split("\n") if p.strip())
        routes[f"/news/{n}.html"] = ("text/html; charset=utf-8", (
            f"<!DOCTYPE html><html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article></body></html>").encode())
        items.append(f"<item><title>{title}</title><link>{base}/news/{n}.html</link></item>")
    routes["/feed.xml"] = ("application/rss+xml", (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title><link>{base}/</link>'
        f"<description>wikinews</description>{''.join(items)}</channel></rss>").encode())
    routes["/robots.txt"] = ("text/plain", b"User-agent: *\nAllow: /\n")
    return routes


class LocalSite:
    """A threaded http.server on 127.0.0.1 answering ETag / If-None-Match with 304."""

    def __init__(self):
        self.routes: dict[str, tuple[str, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path not in routes:
                    self.send_error(404)
                    return
                kind, body = routes[self.path]
                etag = f'"{zlib.crc32(body):x}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                for name, value in (("Content-Type", kind), ("Content-Length", str(len(body))), ("ETag", etag),
                                    ("Last-Modified", formatdate(usegmt=True))):
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def feeds(docs: list, work: Path):
    """Rows: articles/s of a feed ingest vs the same articles from JSONL; seconds of an unchanged re-poll."""
    from contextlib import nullcontext

    from ..feeds.fetch import FetchConfig, Fetcher
    from ..feeds.state import WatchState
    from ..feeds.watch import Watcher
    from ..graph import KnowledgeGraph
    from .common import Row

    server = LocalSite()
    try:
        server.routes.update(site(docs, server.base))
        anchor = KnowledgeGraph(str(work / "feeds-anchor"))
        anchor.nlp  # noqa: B018  (both load the model before timing)
        local = anchor.ingest(docs)
        anchor.close()
        kg = KnowledgeGraph(str(work / "feeds-store"))
        kg.nlp  # noqa: B018
        watcher = Watcher([server.base + "/feed.xml"], WatchState(str(work / "feeds.watch.sqlite")),
                          Fetcher(FetchConfig(delay=0.0)))
        started = time.perf_counter()
        first = watcher.poll(lambda: nullcontext(kg))
        fed = time.perf_counter() - started
        started = time.perf_counter()
        again = watcher.poll(lambda: nullcontext(kg))
        repoll = time.perf_counter() - started
        watcher.state.close()
        kg.close()
    finally:
        server.close()
    ours, theirs = first.summary.written / fed, local.written / local.seconds
    return [Row("feeds", f"RSS feed of {first.summary.written} wikinews pages on 127.0.0.1: articles/s "
                         "(fetch + main text + extraction)", f"{ours:.1f}", f"{theirs:.1f} from JSONL", ours / theirs,
                ">= 0.8x", f"delay 0, {Fetcher(FetchConfig()).config.workers} fetch workers; "
                           f"skipped {len(first.summary.skipped)}"),
            Row("feeds", "re-poll of the unchanged feed (304): s", f"{repoll:.2f}", "", None, "",
                f"articles read on re-poll: {again.summary.read}")]
