"""People's names kept whole and clustered: name particles (kg_mentions), surnames with particles (kg_aliases)."""
import pytest


@pytest.fixture(scope="module")
def people(nlp):
    """text -> [(mention text, entity label)] of the Person mentions."""
    def run(text):
        doc = nlp(text)
        return [(m.text, doc._.kg_entities[m._.kg_entity]["label"]) for m in doc.spans["kg_mentions"]
                if m.label_ == "Person"]
    return run


@pytest.mark.parametrize("text, name", [
    ("Dutch Foreign Minister Hans van den Broek hosted the ceremony.", "Hans van den Broek"),
    ("Ursula von der Leyen said on Monday that talks would resume.", "Ursula von der Leyen"),
    ("Rafael van der Vaart and Robin van Persie played on Sunday.", "Rafael van der Vaart"),
    ("President Bashar al-Assad spoke on television.", "Bashar al-Assad"),
])
def test_particles_stay_inside_person_names(people, text, name):
    assert (name, name) in people(text)


def test_no_place_is_left_from_a_cut_name(nlp):
    doc = nlp("Dutch Foreign Minister Hans van den Broek hosted the ceremony.")
    assert [m.text for m in doc.spans["kg_mentions"] if m.label_ != "Person"] == []


def test_surname_with_particles_joins_the_full_name(people):
    found = people("Ursula von der Leyen said on Monday that talks would resume. Asked why, von der Leyen "
                   "said nothing.")
    assert found == [("Ursula von der Leyen", "Ursula von der Leyen"), ("von der Leyen", "Ursula von der Leyen")]


def test_a_surname_shared_by_two_people_stays_apart(people):
    found = people("Nelson Mandela walked free beside his wife, Winnie Mandela. Later Mandela addressed a crowd.")
    assert ("Mandela", "Mandela") in found and ("Winnie Mandela", "Winnie Mandela") in found, found
