"""Dates in news text: the publication date detected from an article's head, and date expressions normalised to
xsd:date / xsd:gYearMonth / xsd:gYear relative to it (pure functions, no spaCy).

Relative expressions are read as a reporter writes them: a bare weekday is the most recent one on or before the
publication day ("Thursday" in a Thursday article is that day), "last August" is the latest August before the
publication month, a month and day without a year is in the publication year unless that is more than three months
year ahead (then the year before).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

MONTHS = {m: i for i, ms in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], 1) for m in ms}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MON = r"(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WD = r"(?:(?P<wd>" + "|".join(WEEKDAYS) + r"),?\s+)?"
_FORMS = [  # (regex, what it gives); matched against the whole expression, case-insensitive
    (re.compile(rf"^{_WD}{_MON}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$", re.I), "mdy"),
    (re.compile(rf"^{_WD}(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+(?P<year>\d{{4}}))?$",
                re.I), "mdy"),
    (re.compile(r"^(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})$"), "iso"),
    (re.compile(rf"^(?:(?P<rel>last|this|next|early|late|mid|in)[\s-]+)?{_MON}(?:,?\s+(?P<year>\d{{4}}))?$", re.I),
     "my"),
    (re.compile(r"^(?:in\s+|the\s+year\s+)?(?P<year>(?:1[89]|20)\d{2})$", re.I), "y"),
    (re.compile(rf"^(?P<rel>last|this|next|on)?\s*(?P<wd>{'|'.join(WEEKDAYS)})(?:\s+(?:morning|afternoon|evening|night))?$",
                re.I), "wd"),
    (re.compile(r"^(?P<word>today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening|"
                r"last night)$", re.I), "word"),
    (re.compile(r"^(?P<rel>last|this|next|the past|the previous)\s+(?P<unit>year|month)$", re.I), "unit"),
]
_HEAD_DATE = re.compile(
    rf"(?:(?:{'|'.join(WEEKDAYS)}),?\s+)?(?:{_MON.replace('?P<mon>', '')}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+{_MON.replace('?P<mon>', '')}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})", re.I)


def normalise_date(text: str, ref: dt.date | None) -> tuple[str, str] | None:
    """(lexical value, XSD type name) for a date expression, or None when it names no calendar date
    (durations, vague spans) or needs a reference date that is missing."""
    t = " ".join(text.replace("’", "'").split()).strip(" .,")
    t = re.sub(r"^(?:on|since|until|by|from)\s+", "", t, flags=re.I)
    for regex, kind in _FORMS:
        m = regex.match(t)
        if m:
            return _resolve(kind, m, ref)
    return _explicit(t, ref)


_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_MONTH_WORD = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b", re.I)
_PERIODS = {"day": (10, "date"), "month": (7, "gYearMonth"), "year": (4, "gYear")}


@lru_cache(maxsize=16)
def _parser(ref: dt.date | None):
    from dateparser.date import DateDataParser

    base = dt.datetime.combine(ref, dt.time()) if ref else dt.datetime(2000, 1, 1)
    return DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base, "PREFER_DAY_OF_MONTH": "first",
                                                     "PREFER_DATES_FROM": "past"})


def _explicit(text: str, ref: dt.date | None) -> tuple[str, str] | None:
    """Other spellings of an explicit calendar date ("16 August, 2024", "Aug 16th 2024", "2024/08/16"), read by
    dateparser relative to ``ref``; only short texts with a year and a month (a name, or digits with / or .): relative
    phrases stay with the rules above, and dateparser is slow."""
    if not _YEAR.search(text) or not (_MONTH_WORD.search(text) or re.search(r"\d[/.]\d", text)) or len(text) > 40:
        return None
    data = _parser(ref).get_date_data(text)
    if data.date_obj is None or data.period not in _PERIODS:
        return None
    width, datatype = _PERIODS[data.period]
    return data.date_obj.date().isoformat()[:width], datatype


def _resolve(kind: str, m: re.Match, ref: dt.date | None) -> tuple[str, str] | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    if kind == "iso":
        return _date(year, int(g["m"]), int(g["day"]))
    if kind == "y":
        return str(year), "gYear"
    if kind == "mdy":
        month, day = MONTHS[g["mon"].lower()], int(g["day"])
        if year is None:
            if ref is None:
                return None
            year = ref.year
            candidate = _safe(year, month, day)
            if candidate and (candidate - ref).days > 92:
                year -= 1
        return _date(year, month, day)
    if kind == "my":
        month = MONTHS[g["mon"].lower()]
        if year is None:
            if ref is None:
                return None
            rel = (g.get("rel") or "").lower()
            if rel == "next":
                year = ref.year + (month <= ref.month)
            elif rel == "last":
                year = ref.year - (month >= ref.month)
            else:
                year = ref.year - (month > ref.month)
        return f"{year:04d}-{month:02d}", "gYearMonth"
    if ref is None:
        return None
    if kind == "wd":
        back = (ref.weekday() - WEEKDAYS[g["wd"].lower()]) % 7
        rel = (g.get("rel") or "").lower()
        if rel == "next":
            return (ref + dt.timedelta(days=(7 - back) % 7 or 7)).isoformat(), "date"
        if rel == "last" and back == 0:
            back = 7
        return (ref - dt.timedelta(days=back)).isoformat(), "date"
    if kind == "word":
        shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(g["word"].lower(), 0)
        return (ref + dt.timedelta(days=shift)).isoformat(), "date"
    if kind == "unit":
        step = {"last": -1, "the past": -1, "the previous": -1, "this": 0, "next": 1}[g["rel"].lower()]
        if g["unit"].lower() == "year":
            return str(ref.year + step), "gYear"
        months = ref.year * 12 + ref.month - 1 + step
        return f"{months // 12:04d}-{months % 12 + 1:02d}", "gYearMonth"
    return None


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date(year: int, month: int, day: int) -> tuple[str, str] | None:
    d = _safe(year, month, day)
    return (d.isoformat(), "date") if d else None


def is_date_line(line: str) -> bool:
    """Whether a line is only a date ("March 13, 2025", "Friday, Aug. 16, 2024", "2025-03-13")."""
    return _HEAD_DATE.fullmatch(line.strip(" \t\r.,")) is not None


def detect_pub_date(text: str, head_chars: int = 600) -> dt.date | None:
    """The publication date from an article's head: a full date standing on its own line wins, then a written
    date ("March 13, 2025") anywhere in the head; a bare ISO date after other words ("date 2024-12-03 All
    sections", a scraper's stamp) is not taken."""
    best = None
    for m in _HEAD_DATE.finditer(text[:head_chars]):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start:line_end if line_end >= 0 else len(text)].strip(" \t\r.,")
        own_line = line == m.group().strip()
        written = not m.group()[0].isdigit() or not re.match(r"\d{4}-", m.group())
        score = 2 * own_line + written
        if score == 0:
            continue
        value = normalise_date(m.group(), None)
        if value and value[1] == "date" and (best is None or score > best[0]):
            best = (score, dt.date.fromisoformat(value[0]))
    return best[1] if best else None
