"""`kg eval --timeline`: the scorer's rules (README of ../shared/gold/timeline-trial) on a small gold set of our
own, and the figures on the trial set (slow): the verb baseline as the README measures it, and our events above it."""
import json

import pytest

from kg.evaluation import timeline as T

from conftest import need_shared


@pytest.fixture
def gold_dir(tmp_path):
    text = "Acme sues Bolt\n\nMay 2, 2008\n\nAcme sued Bolt on Friday. Acme won in 2009. Acme grew."
    (tmp_path / "articles.jsonl").write_text(json.dumps({"id": "1", "title": "t", "date": "2008-05-02",
                                                         "text": text}) + "\n")
    words = [[w, text.index(w), text.index(w) + len(w)] for w in ("Acme", "sued", "won", "grew")]
    (tmp_path / "tokens.json").write_text(json.dumps({"1": {"2": words}}))
    (tmp_path / "targets.txt").write_text("Acme\n")
    (tmp_path / "timelines").mkdir()
    (tmp_path / "timelines" / "acme.txt").write_text("Acme\n1\t2008-05-02\t1-2-sued\n2\t2009-XX-XX\t1-2-won\t1-2-won\n"
                                                     "0\tXXXX-XX-XX\t1-2-grew\t9-1-lost\n")
    return tmp_path, text


def test_gold_timelines_are_read_once_per_mention_and_missing_articles_left_out(gold_dir):
    _, targets, gold = T.load_gold(gold_dir[0])
    assert targets == ["Acme"]
    assert sorted((g.word, g.date) for g in gold) == [("grew", (None, None, None)), ("sued", (2008, 5, 2)),
                                                      ("won", (2009, None, None))]


def test_scoring_rules(gold_dir):
    directory, text = gold_dir
    _, _, gold = T.load_gold(directory)
    at = text.index
    system = [T.Mention("Acme", "1", at("sued"), at("sued") + 4, "2008-05-02"),   # right day
              T.Mention("Acme", "1", at("won"), at("won") + 3, "2008"),           # wrong year
              T.Mention("Acme", "1", at("grew"), at("grew") + 4, "2008-05-02"),   # gold undated
              T.Mention("Acme", "1", at("Acme"), at("Acme") + 4, None)]           # no gold event
    s = T.score(gold, system)
    assert (s.gold, s.system, s.matched) == (3, 4, 3)
    assert (s.date_strict, s.date_lenient) == (1, 2)
    assert (s.order_pairs, s.order_agree) == (1, 0)  # sued before won; the system puts both in 2008
    assert T.score(gold, system, docs={"2"}).gold == 0


def test_target_names_match_contiguous_words_ignoring_case():
    assert T.names_target("iPod nano", "iPod") and T.names_target("Steve Jobs", "steve jobs")
    assert not T.names_target("iPods", "iPod") and not T.names_target("Apple Corps", "Beatles Apple Corps")


@pytest.mark.slow
def test_trial_set_baseline_and_events(nlp):
    directory = need_shared("gold", "timeline-trial")
    lines = T.run(directory, baseline=True)  # the session's pipeline (same model, no linker): loaded once
    rows = {line[:22].strip(): line[22:].split() for line in "\n".join(lines).splitlines()[2:]}
    f1, strict = (lambda r: float(r[5])), (lambda r: float(r[6]))
    assert abs(f1(rows["verb baseline, all"]) - 0.225) < 0.01  # the README's figure, within rounding of parses
    assert f1(rows["kg events, all"]) >= 0.40 and strict(rows["kg events, all"]) >= 0.60
    for half in ("A", "B"):
        assert f1(rows[f"kg events, half {half}"]) > f1(rows[f"verb baseline, half {half}"])


def test_cli_scores_a_timeline_directory_per_half(gold_dir, nlp):
    from click.testing import CliRunner

    from kg.cli.eval import eval_

    result = CliRunner().invoke(eval_, ["--timeline", str(gold_dir[0])])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines() if line.startswith("kg events")]
    assert [r[:4] for r in rows] == [["kg", "events,", "half", "A"], ["kg", "events,", "half", "B"],
                                     ["kg", "events,", "all", "3"]]  # 3 gold mentions overall
    assert CliRunner().invoke(eval_, []).exit_code == 2  # neither a gold file nor --timeline
