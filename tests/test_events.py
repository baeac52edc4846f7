"""Event mentions from trigger words: type, actor, place and time from the parse; claims attribute content."""
import datetime as dt

import pytest

from kg.extract import prepare
from kg.article import Article


@pytest.fixture(scope="module")
def extract(nlp):
    def run(text, date="2025-03-13"):
        doc = prepare(nlp, Article(identifier="t", text=text, date=date))
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        return doc
    return run


def labels(doc, keys):
    return [doc._.kg_entities[k]["label"] for k in keys]


def test_visit_with_actor_place_and_time(extract):
    doc = extract("Chancellor Olaf Scholz visited Warsaw on Wednesday.")
    assert doc._.pub_date == dt.date(2025, 3, 13)
    [ev] = [e for e in doc._.kg_events if e["type"] == "Visit"]
    assert ev["text"] == "visited" and labels(doc, ev["actors"]) == ["Olaf Scholz"]
    assert labels(doc, ev["places"]) == ["Warsaw"]
    assert [doc._.kg_times[n]["value"] for n in ev["times"]] == ["2025-03-12"]


def test_noun_trigger_takes_its_possessor_as_actor(extract):
    doc = extract("Putin's visit to the Kursk region surprised observers.")
    [ev] = [e for e in doc._.kg_events if e["type"] == "Visit"]
    assert labels(doc, ev["actors"]) == ["Putin"]


def test_named_event_is_an_event(extract):
    doc = extract("It was the first occupation of Russian soil since World War II.")
    assert [e["text"] for e in doc._.kg_events if e["entity"]] == ["World War II"]


def test_claim_with_source_and_events(extract):
    doc = extract("The Defense Ministry said that its troops captured the village of Sudzha.")
    [claim] = doc._.kg_claims
    assert doc._.kg_entities[claim["source"]]["label"] == "Defense Ministry"
    assert [doc._.kg_events[n]["text"] for n in claim["events"]] == ["captured"]
    assert not claim["unverified"]
