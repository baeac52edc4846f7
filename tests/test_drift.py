"""kg.evaluation.drift: what our components do to the names NER found (a check on corpora without gold)."""
import json

from click.testing import CliRunner


def test_drift_counts_kept_and_retyped_names_per_stage(nlp):
    from kg.evaluation.drift import drift

    texts = ["Ford gains from finance\n\nFord, the US car company, reported a profit on Tuesday. Ford said its sales "
             "rose. Chairman Bill Ford said the results were strong."]
    counts = drift(nlp, texts)
    assert sum(counts.values()) == len([e for e in nlp(texts[0]).ents if e.label_ in ("ORG", "PERSON", "GPE")])
    assert counts[("ORG", "kept", "")] >= 3 and counts[("PERSON", "kept", "")] == 1, counts


def test_kg_eval_drift_reports_per_100_articles(tmp_path, nlp):
    from kg.cli.eval import eval_

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in [
        {"title": "Harlow buys rival", "text": "Swiss drugmaker Harlow has bought a rival. Harlow's shares rose."},
        {"title": "Copy", "text": "Swiss drugmaker Harlow has bought a rival.", "duplicate_of": "x"},
    ]), encoding="utf-8")
    result = CliRunner().invoke(eval_, ["--drift", str(corpus)])
    assert result.exit_code == 0, result.output
    first = nlp("Harlow buys rival\n\nSwiss drugmaker Harlow has bought a rival. Harlow's shares rose.")
    for label in ("ORG", "PERSON", "GPE"):  # the copy is left out: only the first article's names are counted
        total = len([e for e in first.ents if e.label_ == label])
        assert f"{label}: " in result.output and f" of {total} dropped or retyped" in result.output, result.output
