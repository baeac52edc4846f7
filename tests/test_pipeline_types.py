"""Typing fixes from context (kg_mentions and kg.pipeline.cues), each on a short sentence of our own."""
import pytest


@pytest.fixture(scope="module")
def typed(nlp):
    """text -> {mention text: class} of the kg_mentions spans."""
    def run(text):
        doc = nlp(text)
        return {m.text: m.label_ for m in doc.spans["kg_mentions"]}
    return run


@pytest.mark.parametrize("text, name", [
    ("Berlin Wall opens as East Germany lifts travel restrictions", "Berlin Wall"),
    ("Nelson Mandela walked out of Victor Verster Prison near Paarl on Sunday.", "Victor Verster Prison"),
])
def test_building_and_site_heads_make_places(typed, text, name):
    found = typed(text)
    assert found.get(name) == "Place", found
    assert "Person" not in {found[k] for k in found if name in k}


@pytest.mark.parametrize("text, name", [
    ("Officials at the Forsmark nuclear plant traced the source to the east.", "Forsmark"),
    ("Shelling damaged the Zaporizhzhia nuclear power station again.", "Zaporizhzhia"),
])
def test_a_name_modifying_a_facility_noun_is_a_place(typed, text, name):
    assert typed(text).get(name) == "Place"


def test_ships_are_not_entities(typed):
    found = typed("The aircraft carrier USS Hornet will recover them, as HMS Belfast did in 1944.")
    assert not [name for name in found if "Hornet" in name or "Belfast" in name], found


@pytest.mark.parametrize("text", [
    "Astronauts Armstrong and Aldrin walk on the Moon",
    "Astronauts Armstrong and Aldrin walk on the Moon\n\nHOUSTON, July 21, 1969 - Neil Armstrong became the first "
    "person to walk on the Moon on Sunday.",  # tagged a proper noun here: "the" before it tells
])
def test_a_common_noun_is_not_a_person(typed, text):
    found = typed(text)
    assert "Moon" not in found, found


def test_a_name_modifying_a_noun_after_the_stays_a_person(typed):
    assert typed("The Trump administration said on Monday it would appeal.").get("Trump") == "Person"


def test_a_surname_that_is_a_common_noun_stays_a_person(nlp):
    from kg.pipeline.mentions import common_noun, common_nouns

    doc = nlp("Astronauts Armstrong and Aldrin walk on the Moon")
    moon, nouns = doc[len(doc) - 1:], common_nouns(nlp)
    assert moon.text == "Moon" and common_noun(moon, set(), nouns)
    assert not common_noun(moon, {"Moon"}, nouns)  # as if "Ban Ki Moon" were in the article
