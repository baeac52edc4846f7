"""Event mentions from trigger words: type, actor, place and time from the parse; claims attribute content."""
import datetime as dt

import pytest

from kg.mapping.extract import prepare
from kg.readers.article import Article


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


def one(doc, trigger):
    [ev] = [e for e in doc._.kg_events if trigger in [m[2] for m in e["mentions"]]]
    return ev


def date_of(doc, ev):
    return [doc._.kg_times[n]["value"] for n in ev["times"]], ev["date_source"]


def test_any_verb_with_a_participant_is_an_event_and_pronouns_find_their_person(extract):
    doc = extract("Steve Jobs unveiled the new phone at the Moscone Center on Monday. Later he met Bill Gates.")
    unveiled = one(doc, "unveiled")
    assert unveiled["type"] == "Event" and labels(doc, unveiled["actors"]) == ["Steve Jobs"]
    assert date_of(doc, unveiled) == (["2025-03-10"], "sentence")
    met = one(doc, "met")
    assert met["type"] == "Meeting" and labels(doc, met["actors"]) == ["Steve Jobs"]
    assert labels(doc, met["participants"]) == ["Bill Gates"]


def test_dates_come_from_the_sentence_the_news_day_or_the_publication(extract):
    doc = extract("Apple unveiled the phone on Monday. Steve Jobs praised its design. "
                  "Tim Cook runs Apple. Steve Jobs will visit Paris.")
    assert date_of(doc, one(doc, "praised")) == (["2025-03-10"], "article")  # past tense: the news day
    assert date_of(doc, one(doc, "runs")) == ([], "publication")             # present tense
    assert date_of(doc, one(doc, "visit")) == ([], None)                     # future: not dated


def test_background_nouns_are_no_events_but_a_happening_noun_with_an_actor_is(extract):
    doc = extract("The war has lasted three years. Russia's offensive in Kursk began in August.")
    assert not [e for e in doc._.kg_events if e["text"] == "war"]
    assert labels(doc, one(doc, "offensive")["actors"]) == ["Russia"]


def test_one_happening_stated_twice_is_one_event(extract):
    doc = extract("Putin visited Kursk on Wednesday. Putin's visit to the region came as a surprise.")
    [visit] = [e for e in doc._.kg_events if e["type"] == "Visit"]
    assert [m[2] for m in visit["mentions"]] == ["visited", "visit"]
    assert date_of(doc, visit) == (["2025-03-12"], "sentence")


def test_where_something_is_taken_from_is_not_its_place(extract):
    doc = extract("Russian forces recaptured the town of Sudzha from Ukraine.")
    ev = one(doc, "recaptured")
    assert labels(doc, ev["actors"]) == ["Russia"] and labels(doc, ev["places"]) == ["Sudzha"]
