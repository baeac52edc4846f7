"""Content negotiation: Accept headers with q-values and wildcards, and the `format=` override.

Offers come from the one format table (kg.store.formats): each table entry offers its media type and every
alias that is a media type. Ties in quality go to the server's order (the table's first entry).
"""
from __future__ import annotations

from ..errors import KGError
from ..store.formats import RDF_FORMATS, RESULT_FORMATS, format_entry


class NotAcceptable(KGError):
    """No format the client accepts (406)."""


def offers(table: dict) -> list[tuple[str, str]]:
    """(media type, format name) pairs of a format table, canonical media types first."""
    out = [(media, name) for name, (_, media, _) in table.items()]
    out += [(alias, name) for name, (_, _, aliases) in table.items() for alias in aliases
            if alias.split("/")[0] in ("application", "text")]
    return out


HTML = [("text/html", "html"), ("application/xhtml+xml", "html")]


def parse_accept(header: str) -> list[tuple[str, str, float]]:
    """[(type, subtype, q)] of an Accept header; malformed ranges are ignored."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if "/" not in fields[0]:
            continue
        main, sub = (x.strip().lower() for x in fields[0].split("/", 1))
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((main, sub, q))
    return ranges


def quality(media: str, ranges) -> float:
    """The q of the most specific range matching the media type (0 when none matches)."""
    main, sub = media.split("/", 1)
    best, best_rank = 0.0, -1
    for rmain, rsub, q in ranges:
        if (rmain, rsub) == (main, sub):
            rank = 2
        elif rmain == main and rsub == "*":
            rank = 1
        elif (rmain, rsub) == ("*", "*"):
            rank = 0
        else:
            continue
        if rank > best_rank:
            best, best_rank = q, rank
    return best


def choose(accept: str | None, choices: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The (media type, name) the client prefers; the first choice when there is no Accept header."""
    if not accept or not accept.strip():
        return choices[0]
    ranges = parse_accept(accept)
    if not ranges:
        return choices[0]
    scored = [(quality(media, ranges), -i, media, name) for i, (media, name) in enumerate(choices)]
    q, _, media, name = max(scored)
    return (media, name) if q > 0 else None


def negotiate(table: dict, accept: str | None, fmt: str | None, what: str,
              extra: list[tuple[str, str]] = ()) -> tuple[str, str]:
    """(format name, media type) for a response of one kind; raises NotAcceptable (406) or KGError (400)."""
    if fmt:
        try:
            name, _, media = format_entry(table, fmt, what)
        except KGError:
            for other in (RESULT_FORMATS, RDF_FORMATS):
                try:
                    format_entry(other, fmt, "")
                except KGError:
                    continue
                raise NotAcceptable(f"format {fmt!r} is not available for {what}; use one of: "
                                    f"{', '.join(table)}") from None
            if fmt in {n for _, n in extra}:
                return fmt, next(m for m, n in extra if n == fmt)
            raise KGError(f"unknown format {fmt!r}; {what} formats: {', '.join(table)}") from None
        return name, media
    found = choose(accept, [*extra, *offers(table)] if extra else offers(table))
    if found is None:
        raise NotAcceptable(f"none of the media types in Accept: {accept!r} is available for {what}; "
                            f"available: {', '.join(m for m, _ in offers(table))}")
    media, name = found
    return name, format_entry(table, name, what)[2] if name in table else media
