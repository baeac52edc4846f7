"""A polite HTTP client: robots.txt, per-host rate limit and concurrency, conditional requests, timeouts, a size
cap enforced while streaming, retries with back-off, redirects followed by hand (each hop checked again).

Every failure is a FetchError (an InputError naming the URL) with one clear reason.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, fields
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
import urllib3

from ..errors import InputError

RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_WAIT = 60.0  # seconds: the longest Retry-After or Crawl-delay we honour


class FetchError(InputError):
    """A URL that could not be fetched (or must not be): unreachable, HTTP error, too big, too slow, robots.

    ``transient``: worth trying again later (unreachable, timeout, 5xx, broken off), as opposed to an answer
    that will not change by itself (404, robots.txt disallows, too large, redirect loop)."""

    def __init__(self, where: str, message: str, transient: bool = False):
        super().__init__(where, message)
        self.transient = transient


def _version() -> str:
    from ..mapping.provenance import software_version

    return software_version()


@dataclass
class FetchConfig:
    """Limits of the client; each field can be set by the environment variable KG_FETCH_<FIELD> (docs/feeds.md)."""
    user_agent: str = ""          # default: kg-news/VERSION (news knowledge-graph builder; +robots.txt respected)
    timeout: float = 10.0         # seconds to connect and between bytes
    deadline: float = 60.0        # seconds for a whole response
    max_bytes: int = 5_000_000    # largest body read; bigger ones stop and fail
    delay: float = 1.0            # seconds between two requests to one host (robots.txt Crawl-delay if longer)
    per_host: int = 2             # requests to one host at once
    workers: int = 4              # pages fetched at once (over all hosts)
    retries: int = 2              # retries after a connection error, 429 or 5xx
    backoff: float = 1.0          # seconds before the first retry; doubles each time
    max_redirects: int = 5
    robots: bool = True           # obey robots.txt

    def __post_init__(self):
        if not self.user_agent:
            self.user_agent = f"kg-news/{_version()} (news knowledge-graph builder; obeys robots.txt)"

    @classmethod
    def from_env(cls, environ=os.environ, **overrides) -> "FetchConfig":
        values = {}
        for f in fields(cls):
            raw = environ.get(f"KG_FETCH_{f.name.upper()}")
            if raw is not None and raw != "":
                kind = type(f.default)
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on") if kind is bool else kind(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass
class Fetched:
    """A response that was read completely (or a 304 answer to a conditional request)."""
    url: str                  # the final URL, after redirects
    status: int
    content_type: str         # media type, lower case, without parameters
    charset: str | None
    body: bytes
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Host:
    """Per-host bookkeeping: a concurrency slot semaphore and the earliest time of the next request."""

    def __init__(self, slots: int):
        self.slots = threading.BoundedSemaphore(slots)
        self.lock = threading.Lock()
        self.next_at = 0.0
        self.robots: RobotFileParser | None = None
        self.robots_error: str | None = None
        self.robots_lock = threading.Lock()
        self.robots_done = False


class Fetcher:
    """One client per run; thread-safe, so a feed's items can be fetched concurrently."""

    def __init__(self, config: FetchConfig | None = None):
        self.config = config or FetchConfig.from_env()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.config.user_agent
        self.session.trust_env = False  # no proxies or .netrc from the environment: we talk to the host we name
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET with every limit applied; conditional when a validator is given (a 304 comes back as such)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hops, current = [], url
        while True:
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(url, f"not an http(s) URL: {current}")
            if current in hops:
                raise FetchError(url, f"redirect loop ({' -> '.join(hops + [current])}); skipped")
            if len(hops) > self.config.max_redirects:
                raise FetchError(url, f"more than {self.config.max_redirects} redirects; skipped")
            hops.append(current)
            self._check_robots(url, current)
            fetched = self._exchange(url, current, headers)
            if isinstance(fetched, str):  # a redirect: its Location
                current = urljoin(current, fetched)
                continue
            return fetched

    # --- one request, within the host's limits, with retries
    def _host(self, current: str) -> _Host:
        key = urlsplit(current).netloc.lower()
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(self.config.per_host)
            return self._hosts[key]

    def _wait_turn(self, host: _Host) -> None:
        delay = self.config.delay
        if host.robots is not None:
            delay = max(delay, min(float(host.robots.crawl_delay(self.config.user_agent) or 0), MAX_WAIT))
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_at)
            host.next_at = start + delay
        if start > now:
            time.sleep(start - now)

    def _exchange(self, url: str, current: str, headers: dict, *, limit: int | None = None) -> Fetched | str:
        cfg, host = self.config, self._host(current)
        for attempt in range(cfg.retries + 1):
            retry_after = None
            with host.slots:
                self._wait_turn(host)
                try:
                    resp = self.session.get(current, headers=headers, stream=True, allow_redirects=False,
                                            timeout=(cfg.timeout, cfg.timeout))
                except requests.Timeout:
                    reason = f"no answer within {cfg.timeout:g} s"
                except requests.ConnectionError as exc:
                    reason = f"cannot connect to {urlsplit(current).netloc} ({_cause(exc)})"
                except requests.RequestException as exc:
                    raise FetchError(url, f"request failed: {_cause(exc)}", transient=True) from None
                else:
                    with resp:
                        if resp.is_redirect:
                            return resp.headers["Location"]
                        if resp.status_code not in RETRY_STATUS:
                            return self._read(url, resp, limit or cfg.max_bytes)
                        reason = f"HTTP {resp.status_code} {resp.reason}"
                        retry_after = _retry_after(resp.headers.get("Retry-After"))
            if attempt < cfg.retries:
                time.sleep(min(retry_after if retry_after is not None else cfg.backoff * 2 ** attempt, MAX_WAIT))
        tries = f" (after {cfg.retries + 1} attempts)" if cfg.retries else ""
        raise FetchError(url, f"{reason}{tries}; skipped", transient=True)

    def _read(self, url: str, resp: requests.Response, limit: int) -> Fetched:
        media, _, params = resp.headers.get("Content-Type", "").partition(";")
        charset = None
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"')
        if resp.status_code != 304 and not 200 <= resp.status_code < 300:
            raise FetchError(url, f"HTTP {resp.status_code} {resp.reason}; skipped")
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"response of {int(declared)} bytes is larger than the limit of {limit}; skipped")
        body, started = bytearray(), time.monotonic()
        try:
            # read1: whatever has arrived (never waits to fill a chunk), so the deadline holds for slow senders
            while chunk := resp.raw.read1(64 * 1024, decode_content=True):
                body += chunk
                if len(body) > limit:
                    raise FetchError(url, f"response larger than the limit of {limit} bytes; stopped and skipped")
                if time.monotonic() - started > self.config.deadline:
                    raise FetchError(url, f"response took longer than {self.config.deadline:g} s; stopped and skipped",
                                     transient=True)
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
            raise FetchError(url, f"the response broke off ({_cause(exc)}); skipped", transient=True) from None
        return Fetched(url=resp.url, status=resp.status_code, content_type=media.strip().lower(), charset=charset,
                       body=bytes(body), etag=resp.headers.get("ETag"), last_modified=resp.headers.get("Last-Modified"))

    # --- robots.txt, read once per host
    def _check_robots(self, url: str, current: str) -> None:
        if not self.config.robots:
            return
        host = self._host(current)
        with host.robots_lock:
            if not host.robots_done:
                host.robots, host.robots_error = self._robots(url, current)
                host.robots_done = True
        if host.robots_error:
            raise FetchError(url, host.robots_error, transient=True)
        if host.robots is not None and not host.robots.can_fetch(self.config.user_agent, current):
            raise FetchError(url, f"robots.txt of {urlsplit(current).netloc} disallows {current}; skipped")

    def _robots(self, url: str, current: str) -> tuple[RobotFileParser | None, str | None]:
        """The host's rules. Missing (4xx): everything allowed; 401/403 or 5xx: nothing (fail closed)."""
        parts = urlsplit(current)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            fetched = self._exchange(url, robots_url, {}, limit=512 * 1024)
        except FetchError as exc:
            if exc.reason.startswith("HTTP 4") and not exc.reason.startswith(("HTTP 401", "HTTP 403")):
                return None, None
            if not exc.reason.startswith("HTTP "):
                return None, exc.reason  # the host cannot be reached: that is the page's error too
            return None, f"robots.txt at {robots_url}: {exc.reason.replace('; skipped', '')}; nothing fetched " \
                         "from this host (fail closed); skipped"
        if isinstance(fetched, str):  # robots.txt redirects: read it where it points, once
            try:
                fetched = self._exchange(url, urljoin(robots_url, fetched), {}, limit=512 * 1024)
            except FetchError:
                return None, None
            if isinstance(fetched, str):
                return None, None
        parser = RobotFileParser(robots_url)
        parser.parse(fetched.body.decode(fetched.charset or "utf-8", errors="replace").splitlines())
        return parser, None


def _cause(exc: BaseException) -> str:
    """The innermost reason of a requests/urllib3 error, without the wrappers' text."""
    while True:
        reason = getattr(exc, "reason", None)
        if exc.args and isinstance(exc.args[0], BaseException):
            exc = exc.args[0]
        elif isinstance(reason, BaseException):
            exc = reason
        else:
            break
    inner = exc
    while inner is not None:  # the socket's own words ("Connection refused", "Name or service not known")
        if isinstance(inner, OSError) and inner.strerror:
            return inner.strerror
        inner = inner.__cause__ or inner.__context__
    text = str(exc)
    return text.rsplit("] ", 1)[-1] if "[Errno" in text else text


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
