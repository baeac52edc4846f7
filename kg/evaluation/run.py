"""Scoring the pipeline on a gold JSONL file (the library behind `kg eval`; scores in kg.evaluation.scores)."""
from __future__ import annotations

import json
import time
from pathlib import Path

from ..errors import InputError


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
    from ..kb import open_kb
    from ..kb.build import build
    from ..kb.store import KBError

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
    from ..names import MENTIONS

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
    from ..data import load_json

    return {rid: half for half, ids in load_json("eval_split.json")["halves"].items() for rid in ids}


def score(nlp, records: list[dict], baseline: bool = False, kb: set[str] | None = None):
    """Score ``nlp`` (or, with ``baseline``, its bare spaCy NER: our components disabled) on ``records``, overall
    and per half of the fixed split; returns (Scores, CPU seconds spent in nlp.pipe: steadier than wall time on a
    busy machine)."""
    from ..data import load_json
    from .scores import Scores, score_record
    from ..pipeline.nlp import COMPONENTS

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


def run_eval(nlp, records: list[dict], kb: set[str] | None, baseline: bool) -> list[tuple]:
    """Rows of (name, Scores, CPU seconds): bare NER first when ``baseline``, then the full pipeline."""
    list(nlp.pipe(r["text"] for r in records[:5]))  # warm up, so neither row pays for first-call costs
    rows = []
    if baseline:
        rows.append(("bare spaCy NER", *score(nlp, records, baseline=True, kb=kb)))
    rows.append(("kg pipeline", *score(nlp, records, kb=kb)))
    return rows
