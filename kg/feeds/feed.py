"""Pure parsing: a fetched body → a feed's items (feedparser) or an article page's main text (trafilatura)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from ..readers.article import Article
from ..errors import InputError
from .fetch import Fetched

HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml",
              "application/xml", "text/xml"}
UNTYPED = {"", "application/octet-stream", "text/plain"}  # feeds served without a proper type are common


@dataclass
class Item:
    """One feed entry: where its article is, and what the feed says about it."""
    link: str
    title: str | None
    date: str | None       # ISO date of publication (or update), when the feed gives one
    fingerprint: str       # changes when the entry changes: a seen item is fetched again only then


@dataclass
class Feed:
    url: str
    title: str | None
    items: list[Item]
    skipped: list[InputError]  # entries without a link


def kind(fetched: Fetched, where: str) -> str:
    """'html' or 'feed'; anything else is an InputError naming the content type."""
    if fetched.content_type in HTML_TYPES:
        return "html"
    if fetched.content_type in FEED_TYPES or fetched.content_type.endswith("+xml"):
        return "feed"
    if fetched.content_type in UNTYPED and _parse(fetched).get("version"):
        return "feed"
    raise InputError(where, f"neither HTML nor an RSS/Atom feed (Content-Type {fetched.content_type or 'missing'})"
                            "; skipped")


def _parse(fetched: Fetched):
    import feedparser

    headers = {"content-location": fetched.url}
    if fetched.content_type:
        headers["content-type"] = fetched.content_type + (f"; charset={fetched.charset}" if fetched.charset else "")
    return feedparser.parse(fetched.body, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)


def parse_feed(fetched: Fetched, where: str) -> Feed:
    """Items of an RSS or Atom feed; a feed that is not well-formed XML is refused whole (fail closed)."""
    import feedparser

    parsed = _parse(fetched)
    problem = parsed.get("bozo_exception")
    if not parsed.get("version") or (problem is not None and not isinstance(
            problem, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType))):
        detail = f": {problem}" if problem is not None else ""
        raise InputError(where, f"not a well-formed RSS or Atom feed{detail}; skipped")
    items, skipped = [], []
    for n, entry in enumerate(parsed.entries, 1):
        link = entry.get("link")
        if not link or not link.lower().startswith(("http://", "https://")):
            skipped.append(InputError(f"{where} item {n}", "no http(s) link; skipped"))
            continue
        # dict.get: the plain keys, without feedparser's deprecated updated -> published fallback
        stamp = {k: dict.get(entry, k) for k in ("id", "title", "published", "updated", "summary")}
        items.append(Item(link=link, title=_clean(entry.get("title")), date=_entry_date(entry),
                          fingerprint=hashlib.sha256(json.dumps(stamp, sort_keys=True).encode()).hexdigest()))
    return Feed(url=fetched.url, title=_clean(parsed.feed.get("title")), items=items, skipped=skipped)


def _clean(value) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def _entry_date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        t = dict.get(entry, key)
        if t:
            return dt.date(t.tm_year, t.tm_mon, t.tm_mday).isoformat()
    return None


def page_article(fetched: Fetched, where: str, item: Item | None = None, feed: str | None = None) -> Article:
    """The article of an HTML page, identified by its final URL; the feed's title and date win over the page's."""
    from ..readers.files import html_article
    from trafilatura.utils import decode_file

    if fetched.content_type not in HTML_TYPES:
        raise InputError(where, f"not an HTML page (Content-Type {fetched.content_type or 'missing'}); skipped")
    html = fetched.body.decode(fetched.charset, errors="replace") if _known(fetched.charset) \
        else decode_file(fetched.body)
    article = html_article(html, where)
    article.url = fetched.url
    article.source = feed
    if item is not None:
        article.title = item.title or article.title
        article.date = item.date or article.date
    return article


def _known(charset: str | None) -> bool:
    import codecs

    try:
        return bool(charset) and codecs.lookup(charset) is not None
    except LookupError:
        return False
