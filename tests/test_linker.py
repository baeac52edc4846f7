"""The kg_linker component on real text: the seed article, NIL for unknown people, class corrections."""
import pytest
import spacy

from kg.linking import link_doc
from kg.pipeline import MENTIONS
from kg.pipeline.mentions import add_mention, reset
from kg.pipeline.tables import load_cues

from conftest import need_shared


@pytest.fixture(scope="module")
def seed_doc(nlp, kb_path):
    from kg.kb import open_kb
    text = next(need_shared("corpus", "seed").glob("*.txt")).read_text(encoding="utf-8")
    return link_doc(nlp(text), open_kb(kb_path))


def qid_of(doc, name):
    for span in doc.spans[MENTIONS]:
        if span.text == name:
            return doc._.kg_entities[span._.kg_entity]["qid"]
    raise AssertionError(f"no mention {name!r}")


@pytest.mark.parametrize("name, qid", [("Putin", "Q7747"), ("Trump", "Q22686"), ("Russia", "Q159"),
                                       ("Ukraine", "Q212"), ("U.S.", "Q30"), ("Moscow", "Q649"),
                                       ("Saudi Arabia", "Q851"), ("Kursk", "Q3178")])
def test_seed_links(seed_doc, name, qid):
    assert qid_of(seed_doc, name) == qid


def test_seed_north_korean_is_a_country_link(seed_doc):
    nat = next(n for n in seed_doc._.kg_nationalities if n["text"] == "North Korean")
    country = seed_doc._.kg_entities[nat["country"]]
    assert (nat["qid"], country["qid"], country["cls"]) == ("Q423", "Q423", "Place")
    assert not any(e["qid"] == "Q423" and e["cls"] != "Place" for e in seed_doc._.kg_entities.values())


def test_seed_links_carry_kb_label_and_confidence(seed_doc):
    linked = [e for e in seed_doc._.kg_entities.values() if e["qid"]]
    assert all(0 < e["confidence"] <= 1 for e in linked)
    assert {e["label"] for e in linked if e["qid"] == "Q7747"} == {"Vladimir Putin"}
    assert len({e["qid"] for e in linked}) == len(linked)  # one entity per QID


def _doc(text, mentions, kb_path):
    """A Doc with the given (surface, class) mentions, as the extraction components would leave it."""
    from kg.kb import open_kb
    nlp = spacy.blank("en")
    doc = nlp(text)
    reset(doc)
    for surface, cls in mentions:
        start = text.index(surface)
        add_mention(doc, doc.char_span(start, start + len(surface)), cls, load_cues())
    return link_doc(doc, open_kb(kb_path))


def test_unknown_people_and_namesake_towns_stay_unlinked(kb_path):
    doc = _doc("Jenkins met Marta Quillfeather at the Kremlin.", [("Jenkins", "Person"),
               ("Marta Quillfeather", "Person"), ("Kremlin", "Organisation")], kb_path)
    assert [e["qid"] for e in doc._.kg_entities.values()] == [None, None, None]


def test_class_is_corrected_from_the_kb_and_spans_relabelled(kb_path):
    doc = _doc("Troops left Kursk on Monday.", [("Kursk", "Person")], kb_path)
    (key, ent), = doc._.kg_entities.items()
    assert (ent["qid"], ent["cls"]) == ("Q3178", "Place")
    assert [(s.label_, s._.kg_entity) for s in doc.spans[MENTIONS]] == [("Place", key)]


def test_context_picks_the_namesake_in_the_article_country(kb_path):
    doc = _doc("Storms hit Australia. Rain fell across Victoria.", [("Australia", "Place"), ("Victoria", "Place")],
               kb_path)
    assert doc._.kg_entities["Place:victoria"]["qid"] == "Q36687"  # the Australian state, not Victoria, BC


def test_the_linker_reads_the_tables_its_config_names_and_saves_them(kb_path, tmp_path):
    """A made-up news name in a news_aliases table of one's own links; a default linker loaded from the saved
    component links it too."""
    import json

    from kg.pipeline import linker  # noqa: F401  (registers kg_linker)
    names = tmp_path / "news.json"
    names.write_text(json.dumps({"names": {"Glorpland": ["Q159", "Russia"]}}), encoding="utf-8")

    def glorpland(nlp):
        doc = nlp.make_doc("Glorpland said no.")
        reset(doc)
        add_mention(doc, doc[0:1], "Place", load_cues())
        return nlp.get_pipe("kg_linker")(doc)._.kg_entities["Place:glorpland"]["qid"]

    default, own = spacy.blank("en"), spacy.blank("en")
    default.add_pipe("kg_linker", config={"kb": str(kb_path)})
    own.add_pipe("kg_linker", config={"kb": str(kb_path), "tables": {"news_aliases": str(names)}})
    assert (glorpland(default), glorpland(own)) == (None, "Q159")
    own.get_pipe("kg_linker").to_disk(tmp_path / "linker")
    default.get_pipe("kg_linker").from_disk(tmp_path / "linker")
    assert glorpland(default) == "Q159"
