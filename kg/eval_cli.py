"""`kg eval`: run the pipeline over a gold JSONL file and score it (kg.evaluate), as text or a Markdown table."""
from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path

import click

from .errors import InputError

_SUBJECT_QID = re.compile(rb"^<http://www\.wikidata\.org/entity/(Q\d+)>")


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


def kb_qids(path: str) -> set[str]:
    """The QIDs a Wikidata-shaped N-Triples file (optionally gzipped) describes."""
    opener = gzip.open if path.endswith(".gz") else open
    qids = set()
    with opener(path, "rb") as f:
        for line in f:
            m = _SUBJECT_QID.match(line)
            if m:
                qids.add(m.group(1).decode())
    return qids


def doc_predictions(doc) -> list[tuple[int, int, str, str | None]]:
    """(start, end, class, qid) of every typed mention, then of every nationality word resolved to a country:
    the graph states that "Russian" refers to Russia, which is what the gold annotates on the word."""
    from .pipeline import MENTIONS

    ents = doc._.kg_entities
    preds = [(s.start_char, s.end_char, s.label_, ents[s._.kg_entity].get("qid")) for s in doc.spans[MENTIONS]]
    for nat in doc._.kg_nationalities:
        if nat.get("country") in ents:
            preds.append((nat["start"], nat["end"], "Place", nat.get("qid") or ents[nat["country"]].get("qid")))
    return preds


def ner_predictions(doc, label_map: dict) -> list[tuple[int, int, str, None]]:
    """The baseline: bare spaCy NER, labels mapped to our classes, spans untouched."""
    return [(e.start_char, e.end_char, label_map[e.label_], None) for e in doc.ents
            if label_map.get(e.label_) not in (None, "nationality")]


def score(nlp, records: list[dict], baseline: bool = False, kb: set[str] | None = None):
    """Score ``nlp`` (or, with ``baseline``, its bare spaCy NER: our components disabled) on ``records``;
    returns (Scores, CPU seconds spent in nlp.pipe: steadier than wall time on a busy machine)."""
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
    for record, doc in zip(records, docs):
        preds = ner_predictions(doc, label_map) if baseline else doc_predictions(doc)
        score_record(scores, record, preds, kb)
    return scores, elapsed


@click.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--kb", "kb_path", type=click.Path(exists=True, dir_okay=False),
              help="Wikidata-shaped N-Triples (.nt/.nt.gz): also report linking on gold QIDs it holds.")
@click.option("--errors", is_flag=True, help="Print false positives and negatives with context.")
@click.option("--baseline", is_flag=True, help="Also score bare spaCy NER and show both (and the speed ratio).")
@click.option("--markdown", is_flag=True, help="Print the figures as a Markdown table (for docs/extraction.md).")
@click.option("--model", default=None, help="spaCy model name (default: en_core_web_sm).")
def eval_(gold: str, kb_path: str | None, errors: bool, baseline: bool, markdown: bool, model: str | None) -> None:
    """Score extraction against a gold JSONL file (rules: ../shared/gold/README.md).

    Example: kg eval ../shared/gold/news-fair-v2-test.jsonl --baseline --markdown
    """
    from .evaluate import render_markdown, render_text

    from .nlp import build_pipeline

    records = read_gold(gold)
    kb = kb_qids(kb_path) if kb_path else None
    nlp = build_pipeline(model)
    list(nlp.pipe(r["text"] for r in records[:5]))  # warm up, so neither row pays for first-call costs
    rows = []
    if baseline:
        rows.append(("bare spaCy NER", *score(nlp, records, baseline=True, kb=kb)))
    rows.append(("kg pipeline", *score(nlp, records, kb=kb)))
    click.echo(render_markdown(rows, Path(gold).name) if markdown else render_text(rows))
    if errors:
        for kind, rid, start, end, cls, context in rows[-1][1].errors:
            click.echo(f"{kind}\t{rid}\t{start}-{end}\t{cls}\t{context}")
