"""A real HTTP server on 127.0.0.1 for the feed tests: routes the test can change while it runs, ETag and
Last-Modified answered with 304, slow and broken responses, a request log. Article texts are written for these
tests (fictional news)."""
from __future__ import annotations

import re
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLES = {
    "harbour": ("Harbour bridge reopens after repairs",
                "The Millbrook harbour bridge reopened to traffic on Tuesday after eight months of repairs. "
                "Mayor Helen Ortiz said the city council had spent 14 million dollars on new steel cables. "
                "Ferry operators in Millbrook reported that passenger numbers fell by a third during the closure. "
                "Engineers from Dalton Construction will inspect the bridge again in the spring."),
    "vaccine": ("Clinic opens in Eastfield",
                "A new health clinic opened in Eastfield on Monday, run by the charity Northern Care. "
                "Doctor Samuel Reyes, who leads the clinic, said it would treat 200 patients a week. "
                "The regional government of Lowland Province paid for the building and its equipment. "
                "Residents had waited six years for a clinic closer than the hospital in Kingsport."),
    "election": ("Council vote delayed",
                 "The Riverton city council postponed its budget vote on Thursday after a power cut. "
                 "Council leader Maria Chen said the meeting would resume next week in the town hall. "
                 "Opposition member David Park called the delay a chance to review the transport plan. "
                 "The budget includes new bus routes between Riverton and the airport."),
    "storm": ("Storm closes schools",
              "Heavy snow closed more than forty schools across Westvale on Friday morning. "
              "The Westvale Education Board said buses could not reach villages in the northern hills. "
              "Forecasters at the National Weather Office expect the storm to pass by Sunday evening. "
              "Power company Gridline restored electricity to most homes by noon."),
}


def page(key: str, text: str | None = None) -> bytes:
    title, body = ARTICLES[key]
    paragraphs = "".join(f"<p>{s}</p>" for s in re.split(r"(?<=\.) ", text or body))
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Copyright Example News</footer></body></html>").encode()


def rss(base: str, keys: list[str], dated: bool = True) -> bytes:
    items = "".join(
        f"<item><title>{ARTICLES[k][0]}</title><link>{base}/news/{k}.html</link><guid>{base}/news/{k}.html</guid>"
        + (f"<pubDate>Tue, 0{n + 1} Jul 2025 09:00:00 GMT</pubDate>" if dated else "") + "</item>"
        for n, k in enumerate(keys))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example News</title><link>{base}/</link>'
            f"<description>Test feed</description>{items}</channel></rss>").encode()


def atom(base: str, keys: list[str], dated: bool = False) -> bytes:
    entries = "".join(
        f'<entry><title>{ARTICLES[k][0]}</title><link href="{base}/news/{k}.html"/><id>urn:test:{k}</id>'
        + (f"<updated>2025-08-0{n + 1}T10:00:00Z</updated>" if dated else "") + "</entry>"
        for n, k in enumerate(keys))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Example Atom</title><id>urn:test:feed</id>{entries}</feed>").encode()


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    validators: bool = True      # answer with ETag/Last-Modified, and 304 to a matching conditional request
    slow: float = 0.0            # seconds between bytes
    broken: bool = False         # announce more bytes than are sent, then close
    fail_first: int = 0          # answer 503 this many times first


class FeedServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict]] = []  # (path, request headers)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.log.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.fail_first > 0:
                    route.fail_first -= 1
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = f'"{zlib.crc32(route.body):x}"'
                modified = formatdate(1_750_000_000 + len(route.body), usegmt=True)
                if route.validators and route.status == 200 and (
                        self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == modified):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.validators:
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", modified)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body) * (2 if route.broken else 1)))
                self.end_headers()
                if route.slow:
                    for i in range(len(route.body)):
                        self.wfile.write(route.body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(route.slow)
                else:
                    self.wfile.write(route.body)
                if route.broken:
                    self.wfile.flush()
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests_to(self, path: str) -> list[dict]:
        return [headers for p, headers in self.log if p == path]

    def site(self, keys=("harbour", "vaccine", "election")) -> None:
        """robots.txt, the article pages, an RSS feed (dated) and an Atom feed (undated) of ``keys``."""
        self.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        for key in ARTICLES:
            self.routes[f"/news/{key}.html"] = Route(page(key))
        self.routes["/private/secret.html"] = Route(page("storm"))
        self.routes["/feed.xml"] = Route(rss(self.base, list(keys)), content_type="application/rss+xml")
        self.routes["/atom.xml"] = Route(atom(self.base, list(keys)), content_type="application/atom+xml")
