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


def test_a_common_noun_is_not_a_person(typed):
    found = typed("Astronauts Armstrong and Aldrin walk on the Moon")
    assert "Moon" not in found, found


def test_a_surname_that_reads_as_a_common_noun_stays_a_person(nlp):
    from kg.pipeline.mentions import common_noun

    doc = nlp("Astronauts Armstrong and Aldrin walk on the Moon")
    moon = doc[len(doc) - 1:]
    assert moon.text == "Moon" and moon[0].pos_ == "NOUN"
    assert common_noun(moon, surnames=set())
    assert not common_noun(moon, surnames={"Moon"})  # as if "Ban Ki Moon" were in the article
