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
    from kg.pipeline.tables import load_cues

    doc = nlp("Astronauts Armstrong and Aldrin walk on the Moon")
    moon, nouns = doc[len(doc) - 1:], common_nouns(nlp)
    assert moon.text == "Moon" and common_noun(moon, set(), nouns, load_cues())
    assert not common_noun(moon, {"Moon"}, nouns, load_cues())  # as if "Ban Ki Moon" were in the article


@pytest.mark.parametrize("text, names", [
    ("Astronauts Armstrong and Aldrin walk on the Moon", {"Armstrong", "Aldrin"}),
    ("Soldiers Smith and Jones hurt in border clash", {"Smith", "Jones"}),
    ("Presidents Obama and Biden met in Washington on Monday.", {"Obama", "Biden"}),
])
def test_plural_titles_and_person_nouns_are_not_part_of_names(typed, text, names):
    found = typed(text)
    assert names <= {name for name, cls in found.items() if cls == "Person"}, found
    assert not [name for name in found if name.split()[0] in ("Astronauts", "Soldiers", "Presidents")], found


def test_a_given_name_that_looks_plural_is_kept_in_prose(typed):
    assert typed("Miles Davis and John Coltrane played in New York.").get("Miles Davis") == "Person"


def test_a_surname_in_a_headline_joins_the_full_name(nlp):
    doc = nlp("Astronauts Armstrong and Aldrin walk on the Moon\n\nNeil Armstrong became the first person to walk "
              "on the Moon on Sunday. Armstrong was joined by Buzz Aldrin.")
    people = {ent["label"]: ent["names"] for ent in doc._.kg_entities.values() if ent["cls"] == "Person"}
    assert people == {"Neil Armstrong": {"Armstrong", "Neil Armstrong"}, "Buzz Aldrin": {"Aldrin", "Buzz Aldrin"}}


def test_a_country_named_union_stays_a_place(typed):
    found = typed("An explosion at a nuclear plant in the Soviet Union released radioactive material on Saturday.")
    assert found.get("Soviet Union") == "Place", found


def test_craft_named_after_a_vehicle_noun_are_not_entities(typed):
    found = typed("Michael Collins remained in orbit aboard the command module Columbia, while the lunar module "
                  "Eagle landed.")
    assert set(found) == {"Michael Collins"}, found


def test_a_capital_is_a_place_even_when_ner_says_organisation(nlp):
    doc = nlp("Berlin Wall opens\n\nBERLIN, November 10, 1989 - Chancellor Helmut Kohl interrupted a visit to Poland "
              "to return to Berlin.")
    berlin = [m.label_ for m in doc.spans["kg_mentions"] if m.text.casefold() == "berlin"]
    assert berlin and set(berlin) == {"Place"}, berlin
