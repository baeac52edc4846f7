"""The linking quality bar of issues 5 and 14, measured through the `kg eval` code path on the shared gold set."""
import pytest

from conftest import need_shared


@pytest.mark.slow
def test_linking_meets_the_quality_bar(kb_path):
    from kg.evaluation.run import read_gold, run_eval
    from kg.kb import open_kb
    from kg.pipeline.nlp import build_pipeline

    records = read_gold(str(need_shared("gold", "news-fair-v2-test.jsonl")))
    nlp = build_pipeline(None, linking=(("kb", str(kb_path)),))
    (_, s, _), = run_eval(nlp, records, open_kb(kb_path).qids(), baseline=False)
    _, in_kb = s.linking()
    p, r, f = s.overall()
    assert in_kb >= 0.92 and s.nil_precision() >= 0.90, (in_kb, s.in_kb, s.nil_precision(), s.out_kb)
    assert s.link_precision()[0] >= 0.95, (s.link_precision(), s.link_errors)  # of owl:sameAs on true positives
    for half in s.parts.values():  # of every owl:sameAs we output, per half of the fixed split
        assert half.link_precision()[1] >= 0.95 and half.linking()[1] >= 0.92, \
            (half.link_precision(), half.linking(), half.link_errors)
    assert set(s.parts) == {"A", "B"} and sum(sum(h.tp.values()) for h in s.parts.values()) == sum(s.tp.values())
    assert f >= 0.80 and p >= 0.75 and r >= 0.75, (p, r, f)
