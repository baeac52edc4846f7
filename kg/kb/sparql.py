"""A polite SPARQL client over SPARQLWrapper: a User-Agent, timeouts, a rate limit, back-off on 429/5xx; never hangs.

Follows the Wikidata Query Service usage policy: identify yourself (set KG_USER_AGENT with a contact), honour
Retry-After, and slow down when told to.
"""
from __future__ import annotations

import os
import socket
import time
import urllib.error
from http.client import HTTPException

from .store import KBError

WDQS = "https://query.wikidata.org/sparql"
USER_AGENT = os.environ.get("KG_USER_AGENT", "kg-news/0.1 (https://w3id.org/kg-news; knowledge graphs from news)")


class Endpoint:
    """One SPARQL endpoint; each request is retried ``retries`` times with exponential back-off, then reported."""

    def __init__(self, url: str = WDQS, *, timeout: float = 30, retries: int = 4, backoff: float = 2.0,
                 min_interval: float = 0.0, user_agent: str = USER_AGENT):
        self.url, self.timeout, self.retries, self.backoff = url, timeout, retries, backoff
        self.min_interval, self.user_agent = min_interval, user_agent
        self._last = 0.0

    def construct(self, query: str) -> bytes:
        """The result of a CONSTRUCT query as Turtle bytes."""
        from SPARQLWrapper import TURTLE
        return self._run(query, TURTLE, lambda result: result.response.read())

    def select(self, query: str) -> list[dict[str, dict]]:
        """The bindings of a SELECT query, as in SPARQL JSON results: ``{var: {type, value, xml:lang}}``."""
        from SPARQLWrapper import JSON
        return self._run(query, JSON, lambda result: result.convert()["results"]["bindings"])

    def _wrapper(self, query: str, fmt):
        from SPARQLWrapper import POST, SPARQLWrapper
        sw = SPARQLWrapper(self.url, agent=self.user_agent)
        sw.setQuery(query)
        sw.setMethod(POST)
        sw.setReturnFormat(fmt)
        sw.setTimeout(int(max(1, self.timeout)))
        return sw

    def _run(self, query: str, fmt, read):
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException
        last_error = None
        for attempt in range(self.retries + 1):
            wait = max(0.0, self._last + self.min_interval - time.monotonic())
            if wait:
                time.sleep(wait)
            self._last = time.monotonic()
            try:
                return read(self._wrapper(query, fmt).query())
            except urllib.error.HTTPError as exc:
                if exc.code != 429 and exc.code < 500:
                    raise KBError(f"{self.url}: HTTP {exc.code} {exc.reason}") from exc
                last_error, delay = f"HTTP {exc.code}", _retry_after(exc)
            except EndPointInternalError:
                last_error, delay = "HTTP 500", None
            except SPARQLWrapperException as exc:  # bad query, unauthorised, not found: retrying will not help
                raise KBError(f"{self.url}: {str(exc).splitlines()[0]}") from exc
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, HTTPException) as exc:
                last_error, delay = f"{exc.__class__.__name__}: {getattr(exc, 'reason', exc)}", None
            if attempt < self.retries:
                time.sleep(delay if delay is not None else self.backoff * 2 ** attempt)
        raise KBError(f"{self.url}: no answer after {self.retries + 1} attempts (last: {last_error})")


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    try:
        return min(300.0, float(exc.headers.get("Retry-After")))
    except (TypeError, ValueError, AttributeError):
        return None
