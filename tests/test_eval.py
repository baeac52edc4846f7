"""The scorer follows ../shared/gold/README.md: counting rules, span trimming, ignored overlaps, per-class figures."""
import pytest

from kg.evaluation.scores import Scores, gold_mentions, norm_span, render_markdown, render_text, score_record

TEXT = "The Kremlin said Putin met him in Kyiv on Friday. The U.S. agreed."


def label(text, surface, qid, types, coref=False, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"span": [start, start + len(surface)], "entity_id": qid, "type": types, "coref": coref, "name": surface}


def record():
    return {"id": "r1", "text": TEXT, "evaluation_span": [0, len(TEXT)], "labels": [
        label(TEXT, "The Kremlin", "Q1", "Q43229"),
        label(TEXT, "Putin", "Q7747", "Q215627"),
        label(TEXT, "him", "Q7747", "Q215627"),                      # pronoun: does not count
        label(TEXT, "Kyiv", "Q1899", "Q27096213|Q43229"),
        label(TEXT, "Friday", "DATETIME", "DATETIME"),               # not an entity: does not count
        label(TEXT, "U.S.", "<NIL>", "Q27096213"),                   # NIL: does not count
    ]}


def span(surface):
    s = TEXT.index(surface)
    return s, s + len(surface)


def test_norm_span_trims_whitespace_and_leading_the():
    assert norm_span(" The Kremlin ", 0, 13) == (5, 12)
    assert norm_span("the Hague", 0, 9) == (4, 9)


def test_counting_rules():
    counted = [(TEXT[g.start:g.end], g.counts) for g in gold_mentions(record())]
    assert counted == [("Kremlin", True), ("Putin", True), ("him", False), ("Kyiv", True), ("Friday", False),
                       ("U.S.", False)]


def test_tp_fp_fn_and_ignored_predictions():
    s = Scores()
    preds = [(*span("The Kremlin"), "Organisation", "Q1"),   # TP after trimming "The ", linked right
             (*span("Putin"), "Organisation", None),        # wrong class: FP and FN
             (*span("Kyiv"), "Organisation", None),         # one of the gold classes: TP, unlinked
             (*span("Friday"), "Event", None),              # overlaps a non-counting label: ignored
             (*span("U.S."), "Place", None),                # NIL: ignored
             (*span("met"), "Person", None)]                # nothing there: FP
    score_record(s, record(), preds)
    assert (sum(s.tp.values()), sum(s.fp.values()), sum(s.fn.values())) == (2, 2, 1)
    assert s.fn["Person"] == 1 and s.fp["Organisation"] == 1 and s.fp["Person"] == 1
    assert s.confusion[("Person", "Organisation")] == 1 and s.confusion[("-", "Person")] == 1
    assert s.linking() == (0.5, None)
    p, r, f = s.overall()
    assert (p, r) == (0.5, pytest.approx(2 / 3))


def test_linking_restricted_to_kb():
    s = Scores()
    score_record(s, record(), [(*span("Kremlin"), "Organisation", "Q1"), (*span("Kyiv"), "Place", None)],
                 kb_qids={"Q1899"})
    assert s.linking() == (0.5, 0.0)


def test_renderers_show_every_class():
    s = Scores()
    score_record(s, record(), [(*span("Putin"), "Person", "Q7747")])
    text = render_text([("base", s, 1.0), ("ours", s, 1.2)])
    assert "Person" in text and "speed: 1.20x" in text
    md = render_markdown([("ours", s, 1.0)], "gold.jsonl")
    assert md.count("|") > 10 and "F1 Event" in md


@pytest.fixture(scope="module")
def gold_records():
    from conftest import need_shared
    from kg.evaluation.run import read_gold

    return read_gold(str(need_shared("gold", "news-fair-v2-test.jsonl")))


@pytest.mark.slow
def test_scorer_reproduces_the_published_baseline(nlp, gold_records):
    from kg.evaluation.run import score

    s, _ = score(nlp, gold_records, baseline=True)
    assert [round(x, 3) for x in s.overall()] == [0.745, 0.601, 0.665]


@pytest.mark.slow
def test_pipeline_meets_the_quality_bar(nlp, gold_records):
    from kg.evaluation.run import score

    s, _ = score(nlp, gold_records)
    p, r, f = s.overall()
    assert f >= 0.80 and p >= 0.75 and r >= 0.75, (p, r, f)


def test_link_precision_counts_every_sameas_and_parts():
    s = Scores()
    preds = [(*span("Kremlin"), "Organisation", "Q1", "label match"),   # TP, right link
             (*span("Putin"), "Person", "Q99", "surname match"),        # TP, wrong link
             (*span("U.S."), "Place", "Q30", "code match"),             # on a NIL gold label: a wrong link
             (*span("met"), "Person", "Q5", None),                      # no gold there: a wrong link
             (*span("Kyiv"), "Place", "Q1899", "nationality", False)]   # not an owl:sameAs: left out
    score_record(s, record(), preds, part="A")
    assert s.link_precision() == (0.5, 0.25)
    assert [(e[3], e[5]) for e in s.link_errors] == [("Putin", "Q7747"), ("U.S.", "NIL"), ("met", "no gold entity")]
    assert s.link_errors[0][6] == "surname match"
    assert s.parts["A"].link_precision() == (0.5, 0.25) and sum(s.parts["A"].tp.values()) == 3


def test_split_halves_are_fixed_and_disjoint():
    from kg.evaluation.run import halves
    split = halves()
    assert len(split) == 80 and sorted(set(split.values())) == ["A", "B"]
    assert sum(h == "A" for h in split.values()) == 40


def test_eval_cli_explains_wrong_links(tmp_path, kb_path):
    """`kg eval --kb --errors` on a gold file of our own: a link the gold calls wrong is listed with its evidence."""
    import json

    from click.testing import CliRunner

    from kg.cli.eval import eval_

    text = "Vladimir Putin spoke in Paris on Monday."
    gold = {"id": "own-1", "text": text, "evaluation_span": [0, len(text)], "labels": [
        label(text, "Vladimir Putin", "Q7747", "Q215627"), label(text, "Paris", "Q999999999", "Q27096213")]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    result = CliRunner().invoke(eval_, [str(path), "--kb", str(kb_path), "--errors"])
    assert result.exit_code == 0, result.output
    assert "link precision 0.500 on TP (2)" in result.output
    wrong = [line for line in result.output.splitlines() if line.startswith("LINK")]
    assert len(wrong) == 1 and "'Paris' -> Q90, gold Q999999999" in wrong[0] and "label match" in wrong[0]
