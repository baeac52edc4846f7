"""Roles from title compounds and appositions, each with the organisation or country it is for."""
import pytest


@pytest.fixture(scope="module")
def roles_of(nlp):
    def run(text):
        doc = nlp(text)
        label = lambda key: doc._.kg_entities[key]["label"] if key else None  # noqa: E731
        return [(label(r["person"]), r["title"], label(r["org"]), label(r["country"]), text[r["start"]:r["end"]])
                for r in doc._.kg_roles]
    return run


def test_title_compound_with_organisation(roles_of):
    assert ("Karoline Leavitt", "press secretary", "White House", None,
            "White House press secretary Karoline Leavitt") in roles_of(
        "White House press secretary Karoline Leavitt told Fox News on Monday that talks would resume.")


def test_nationality_gives_the_country(roles_of):
    found = roles_of("German Chancellor Olaf Scholz arrived in Paris on Tuesday.")
    assert [(p, t, c) for p, t, _, c, _ in found] == [("Olaf Scholz", "Chancellor", "Germany")]


def test_apposition_after_possessive(roles_of):
    found = roles_of("Trump's special envoy, Steve Witkoff, will travel to Moscow.")
    assert [(p, t, o) for p, t, o, _, _ in found] == [("Steve Witkoff", "special envoy", "Trump")]


def test_no_role_without_a_role_noun(roles_of):
    assert roles_of("Yesterday Maria Garcia walked to the station in Madrid.") == []
