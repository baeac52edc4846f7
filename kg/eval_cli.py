"""`kg eval`: run the pipeline over a gold JSONL file and score it (kg.evaluate), as text or a Markdown table."""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import click

from .errors import InputError



def read_gold(path: str) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{n}", f"not JSON ({exc.msg})") from exc
    return records


def open_eval_kb(path: str, workdir: str):
    """The KB to link with: a KB file from `kg kb build`, or Wikidata RDF/JSON built into ``workdir`` first."""
    from .kb import open_kb
    from .kb.build import build
    from .kb.store import KBError

    try:
        return open_kb(path)
    except KBError:
        target = Path(workdir) / "eval-kb.sqlite"
        build(target, [(Path(path), None)])
        return open_kb(target)


def doc_predictions(doc) -> list[tuple]:
    """(start, end, class, qid, evidence) of every typed mention, then (..., False) of every nationality word resolved
    to a country: the graph states that "Russian" refers to Russia, which is what the gold annotates on the word,
    but through kg:nationality, not an owl:sameAs of the word (so it is left out of link precision)."""
    from .pipeline import MENTIONS

    ents = doc._.kg_entities
    preds = [(s.start_char, s.end_char, s.label_, ents[s._.kg_entity].get("qid"), _evidence(ents[s._.kg_entity]))
             for s in doc.spans[MENTIONS]]
    for nat in doc._.kg_nationalities:
        if nat.get("country") in ents:
            country = ents[nat["country"]]
            preds.append((nat["start"], nat["end"], "Place", nat.get("qid") or country.get("qid"),
                          f"nationality word of {country['label']}", False))
    return preds


def _evidence(ent: dict) -> str | None:
    """The linker's evidence for an entity's link (kg.linking: score, deciding features, runner-up), as one line."""
    ev = ent.get("evidence")
    if not ev:
        return None
    return f"{ent.get('label')!r} score {ev['score']}: " + "; ".join(ev["features"])


def ner_predictions(doc, label_map: dict) -> list[tuple[int, int, str, None]]:
    """The baseline: bare spaCy NER, labels mapped to our classes, spans untouched."""
    return [(e.start_char, e.end_char, label_map[e.label_], None) for e in doc.ents
            if label_map.get(e.label_) not in (None, "nationality")]


def halves() -> dict[str, str]:
    """Article id -> half ("A"/"B") of the fixed dev split (data/eval_split.json); other ids are in no half."""
    from .data import load_json

    return {rid: half for half, ids in load_json("eval_split.json")["halves"].items() for rid in ids}


def score(nlp, records: list[dict], baseline: bool = False, kb: set[str] | None = None):
    """Score ``nlp`` (or, with ``baseline``, its bare spaCy NER: our components disabled) on ``records``, overall
    and per half of the fixed split; returns (Scores, CPU seconds spent in nlp.pipe: steadier than wall time on a
    busy machine)."""
    from .data import load_json
    from .evaluate import Scores, score_record
    from .nlp import COMPONENTS

    ours = [name for name, _ in COMPONENTS if name in nlp.pipe_names] if baseline else []
    label_map = load_json("label_map.json")
    scores = Scores()
    with nlp.select_pipes(disable=ours):
        started = time.process_time()
        docs = list(nlp.pipe(r["text"] for r in records))
        elapsed = time.process_time() - started
    split = halves()
    for record, doc in zip(records, docs):
        preds = ner_predictions(doc, label_map) if baseline else doc_predictions(doc)
        score_record(scores, record, preds, kb, split.get(str(record.get("id"))))
    return scores, elapsed


@click.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--timeline", "timeline_dir", type=click.Path(exists=True, file_okay=False),
              help="Score entity timelines against a gold timeline directory (../shared/gold/timeline-trial; rules in "
                   "its README), per fixed half and overall; with --baseline also the verb baseline.")
@click.option("--kb", "kb_path", type=click.Path(exists=True, dir_okay=False),
              help="KB file (kg kb build) or Wikidata RDF/JSON dump (built to a temporary KB): link with it and report "
                   "linking accuracy on the gold QIDs it holds.")
@click.option("--errors", is_flag=True, help="Print false positives and negatives with context, and every wrong link "
                                            "with the linker's evidence.")
@click.option("--baseline", is_flag=True, help="Also score bare spaCy NER and show both (and the speed ratio).")
@click.option("--markdown", is_flag=True, help="Print the figures as a Markdown table (for docs/extraction.md).")
@click.option("--drift", "drift_file", type=click.Path(exists=True, dir_okay=False),
              help="A JSONL corpus without gold (fields title, text): count the NER PERSON/ORG/GPE names our "
                   "components drop or retype, per 100 articles (kg.drift; linking with --kb).")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True,
              help="With --drift: articles to read, spread evenly over the file.")
@click.option("--model", default=None, help="spaCy model name (default: en_core_web_sm).")
def eval_(gold: str | None, timeline_dir: str | None, kb_path: str | None, errors: bool, baseline: bool,
          markdown: bool, model: str | None, drift_file: str | None = None, limit: int = 200) -> None:
    """Score extraction against a gold JSONL file (rules: ../shared/gold/README.md), or timelines (--timeline).

    Example: kg eval ../shared/gold/news-fair-v2-test.jsonl --baseline --markdown
    """
    from .evaluate import render_markdown, render_text

    from .nlp import build_pipeline

    if timeline_dir:
        from .timeline import run

        click.echo("\n".join(run(timeline_dir, model, baseline)))
        if not gold:
            return
    if drift_file:
        from .drift import drift, render

        records = read_gold(drift_file)
        records = [r for r in records if not r.get("duplicate_of")]  # exact copies of an earlier article
        records = records[::max(1, len(records) // limit)][:limit]
        with tempfile.TemporaryDirectory() as workdir:
            kb_file = open_eval_kb(kb_path, workdir) if kb_path else None
            nlp = build_pipeline(model, linking=(("kb", str(kb_file.path)),) if kb_file else None)
            texts = [f"{r['title']}\n\n{r['text']}" if r.get("title") else r.get("text", "") for r in records]
            click.echo("\n".join(render(drift(nlp, texts), len(records))))
        if not gold:
            return
    if not gold:
        raise click.UsageError("give a GOLD file, --timeline DIR, --drift FILE, or a combination")
    records = read_gold(gold)
    with tempfile.TemporaryDirectory() as workdir:
        kb_file = open_eval_kb(kb_path, workdir) if kb_path else None
        kb = kb_file.qids() if kb_file else None
        nlp = build_pipeline(model, linking=(("kb", str(kb_file.path)),) if kb_file else None)
        rows = run_eval(nlp, records, kb, baseline)
    click.echo(render_markdown(rows, Path(gold).name) if markdown else render_text(rows))
    if errors:
        for kind, rid, start, end, cls, context in rows[-1][1].errors:
            click.echo(f"{kind}\t{rid}\t{start}-{end}\t{cls}\t{context}")
        for kind, errs in (("LINK", rows[-1][1].link_errors), ("MISS", rows[-1][1].link_misses)):
            for rid, start, end, surface, qid, gold_qids, evidence in errs:
                click.echo(f"{kind}\t{rid}\t{start}-{end}\t{surface!r} -> {qid}, gold {gold_qids}\t{evidence or ''}")


def run_eval(nlp, records: list[dict], kb: set[str] | None, baseline: bool) -> list[tuple]:
    """Rows of (name, Scores, CPU seconds): bare NER first when ``baseline``, then the full pipeline."""
    list(nlp.pipe(r["text"] for r in records[:5]))  # warm up, so neither row pays for first-call costs
    rows = []
    if baseline:
        rows.append(("bare spaCy NER", *score(nlp, records, baseline=True, kb=kb)))
    rows.append(("kg pipeline", *score(nlp, records, kb=kb)))
    return rows
