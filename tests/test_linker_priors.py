"""Ranking compares priors like with like: on a KB merged from a source without sitelinks (an old item known only
by its age) and one with them (a recent namesake with sitelinks and a population), the namesake's richer signals
do not outrank the signal both share. A small KB built here; no shared data needed."""
import pytest
import spacy

from kg.kb.store import KB, Writer
from kg.linking import link_doc
from kg.linking.context import prior, shared_priors
from kg.pipeline.mentions import add_mention, reset
from kg.pipeline.tables import load_cues

OLD, NEW, RICH, POOR = "Q8652", "Q200000001", "Q200000002", "Q200000003"
BIG, SMALL = "Q39121", "Q79869"  # one source without sitelinks: the town with a population is the known one


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    path = tmp_path_factory.mktemp("priors") / "kb.sqlite"
    writer = Writer(path)
    for qid, label, claims in [
        (OLD, "Miami", [("P31", "Q515"), ("P17", "Q30")]),                           # as in a subset: no sitelinks
        (NEW, "Miami", [("P31", "Q515"), ("P17", "Q29"), ("P1082", 965000.0), ("sitelinks", 0)]),
        (RICH, "Springfield", [("P31", "Q515"), ("sitelinks", 60)]),
        (POOR, "Springfield", [("P31", "Q515"), ("sitelinks", 1)]),
        (BIG, "Leeds", [("P31", "Q515"), ("P1082", 536280.0)]),
        (SMALL, "Leeds", [("P31", "Q515")]),
    ]:
        writer.add(qid, "label", label)
        for prop, value in claims:
            writer.add(qid, prop, value)
    writer.finish({})
    kb = KB(path)
    yield kb
    kb.close()


def test_priors_are_compared_on_the_signals_all_candidates_share(kb):
    old, new = kb.item(OLD), kb.item(NEW)
    assert prior(new) > prior(old)                    # on its own, the namesake's population looks more popular
    shared = shared_priors([old, new])
    assert shared[OLD] == prior(old) and shared[NEW] < shared[OLD]   # both have an age: compared on age
    rich, poor = kb.item(RICH), kb.item(POOR)
    shared = shared_priors([rich, poor])
    assert shared == {RICH: prior(rich), POOR: prior(poor)} and shared[RICH] > shared[POOR]  # both: sitelinks
    big, small = kb.item(BIG), kb.item(SMALL)
    shared = shared_priors([big, small])
    assert shared == {BIG: prior(big), SMALL: prior(small)} and shared[BIG] > shared[SMALL]  # neither: as prior
    assert shared_priors([old]) == {OLD: prior(old)}  # one candidate: its own prior


def _link(text, surface, kb):
    doc = spacy.blank("en")(text)
    reset(doc)
    start = text.index(surface)
    add_mention(doc, doc.char_span(start, start + len(surface)), "Place", load_cues())
    return link_doc(doc, kb)


def test_the_old_item_beats_a_namesake_whose_prior_comes_from_another_signal(kb):
    doc = _link("Miami had a hot summer.", "Miami", kb)
    (ent,) = doc._.kg_entities.values()
    assert ent["qid"] == OLD, ent["evidence"]
    assert any("on the signals all candidates share" in f for f in ent["evidence"]["features"])
