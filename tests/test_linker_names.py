"""Candidate generation beyond exact names: common news names, loose romanisation, middle names and initials."""
import pytest

from kg.data import load_json
from kg.names import loose, norm

from test_linker import _doc


@pytest.mark.parametrize("a, b", [("Ar Raqqah", "Raqqa"), ("al-Hasakah", "Hasaka"), ("As Sulaymaniyah",
                                                                                        "Sulaymaniyah")])
def test_loose_keys_drop_romanisation_differences(a, b):
    assert loose(norm(a)) == loose(norm(b))
    assert loose(norm("Portland")) == "portland"  # plain names stay as they are


def test_news_names_table_agrees_with_the_kb(kb_path):
    from kg.kb import open_kb
    kb = open_kb(kb_path)
    for name, (qid, label) in load_json("news_aliases.json")["names"].items():
        item = kb.item(qid)
        assert item is None or item.label == label, (name, qid, item.label)


def test_common_news_names_link(kb_path):
    doc = _doc("The Tories lost, the GOP won, and Britain and the Vatican watched.",
               [("Tories", "Organisation"), ("GOP", "Organisation"), ("Britain", "Place"), ("Vatican", "Place")],
               kb_path)
    assert [e["qid"] for e in doc._.kg_entities.values()] == ["Q9626", "Q29468", "Q145", "Q237"]


def test_place_found_by_loose_key(kb_path):
    doc = _doc("Fighters left Hasaka in Syria.", [("Hasaka", "Place"), ("Syria", "Place")], kb_path)
    assert doc._.kg_entities["Place:hasaka"]["qid"] == "Q311321"  # Al Ḩasakah


def test_middle_names_dropped_or_initials_but_never_another_middle_name(kb_path):
    doc = _doc("John Fitzgerald Kennedy and George Walker Bush.",
               [("John Fitzgerald Kennedy", "Person"), ("George Walker Bush", "Person")], kb_path)
    # "John Kennedy" is also an alias of John Neely Kennedy: his middle name rules him out
    assert [e["qid"] for e in doc._.kg_entities.values()] == ["Q9696", "Q207"]


def test_every_title_word_before_a_person_name_is_dropped_for_lookup(kb_path):
    """The title words are those of titles.json (honorifics and roles), the list the mention component reads."""
    doc = _doc("Former Prime Minister Tony Blair spoke.", [("Former Prime Minister Tony Blair", "Person")], kb_path)
    assert [e["qid"] for e in doc._.kg_entities.values()] == ["Q9545"]
