"""`kg eval`: run the pipeline over a gold JSONL file and score it (kg.evaluation.run), as text or a Markdown table."""
from __future__ import annotations

import tempfile
from pathlib import Path

import click


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
                   "components drop or retype, per 100 articles (kg.evaluation.drift; linking with --kb).")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True,
              help="With --drift: articles to read, spread evenly over the file.")
@click.option("--model", default=None, help="spaCy model name (default: en_core_web_sm).")
def eval_(gold: str | None, timeline_dir: str | None, kb_path: str | None, errors: bool, baseline: bool,
          markdown: bool, model: str | None, drift_file: str | None = None, limit: int = 200) -> None:
    """Score extraction against a gold JSONL file (rules: ../shared/gold/README.md), or timelines (--timeline).

    Example: kg eval ../shared/gold/news-fair-v2-test.jsonl --baseline --markdown
    """
    from ..evaluation.run import open_eval_kb, read_gold, run_eval
    from ..evaluation.scores import render_markdown, render_text
    from ..pipeline.nlp import build_pipeline

    if timeline_dir:
        from ..evaluation.timeline import run

        click.echo("\n".join(run(timeline_dir, model, baseline)))
        if not gold:
            return
    if drift_file:
        from ..evaluation.drift import drift, render

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
