"""Date normalisation relative to the publication date, and publication-date detection from an article's head."""
import datetime as dt

import pytest

from kg.pipeline.dates import detect_pub_date, normalise_date

REF = dt.date(2025, 3, 13)  # a Thursday


@pytest.mark.parametrize("text, expected", [
    ("Thursday", ("2025-03-13", "date")),
    ("Wednesday", ("2025-03-12", "date")),
    ("on Tuesday", ("2025-03-11", "date")),
    ("last Thursday", ("2025-03-06", "date")),
    ("next Friday", ("2025-03-14", "date")),
    ("last August", ("2024-08", "gYearMonth")),
    ("March 3", ("2025-03-03", "date")),
    ("Aug. 16, 2024", ("2024-08-16", "date")),
    ("Wednesday, March 12, 2025", ("2025-03-12", "date")),
    ("12 April 2020", ("2020-04-12", "date")),
    ("November 30", ("2024-11-30", "date")),   # more than three months ahead: last year's
    ("March 2019", ("2019-03", "gYearMonth")),
    ("2012", ("2012", "gYear")),
    ("last year", ("2024", "gYear")),
    ("yesterday", ("2025-03-12", "date")),
])
def test_normalise(text, expected):
    assert normalise_date(text, REF) == expected


@pytest.mark.parametrize("text", ["30-day", "three-year", "months", "the next few days", "Feb. 30, 2024"])
def test_durations_and_impossible_dates_are_not_dates(text):
    assert normalise_date(text, REF) is None


def test_relative_dates_need_a_reference():
    assert normalise_date("Thursday", None) is None
    assert normalise_date("March 12, 2025", None) == ("2025-03-12", "date")


def test_detect_pub_date_prefers_a_date_on_its_own_line_over_a_scraper_stamp():
    head = " date 2024-12-03 All sections\nMarch 13, 2025\n\nRussia says it has retaken Kursk's biggest town"
    assert detect_pub_date(head) == REF


def test_detect_pub_date_none_without_a_date():
    assert detect_pub_date("No date here.\nJust text from 2024-12-03 onwards.") is None


@pytest.mark.parametrize("text, expected", [
    ("Friday, Aug. 16, 2024", ("2024-08-16", "date")),   # the explicit date wins over the weekday
    ("Aug 16th 2024", ("2024-08-16", "date")),            # other spellings of an explicit date: dateparser
    ("16 August, 2024", ("2024-08-16", "date")),
    ("2024/08/16", ("2024-08-16", "date")),
])
def test_explicit_dates_in_any_spelling(text, expected):
    assert normalise_date(text, REF) == expected


def test_weekday_before_an_explicit_date_is_one_expression(nlp):
    from kg.readers.article import Article
    from kg.mapping.extract import prepare

    doc = nlp(prepare(nlp, Article(identifier="t", text="A soldier walks past in Sudzha, Russia, Friday, Aug. 16, "
                                                        "2024.", date="2025-03-13")))
    assert [(t["text"], t["value"]) for t in doc._.kg_times] == [("Friday, Aug. 16, 2024", "2024-08-16")]
