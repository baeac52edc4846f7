"""`kg bench`: run the benchmark, print one table, write bench/results.md."""
from __future__ import annotations

import time
from dataclasses import asdict

import click

from ..bench.suite import SECTIONS


@click.command()
@click.option("--quick", is_flag=True, help="A small subset (about 3 min) to check the benchmark itself.")
@click.option("--runs", type=click.IntRange(min=1), default=None, help="Runs per figure (median); default 3.")
@click.option("--only", "only", multiple=True, type=click.Choice(SECTIONS),
              help="Run only these sections (repeatable).")
@click.option("-o", "--output", default="bench/results.md", show_default=True,
              help="Markdown results file ('-' to skip writing).")
@click.option("--soak", is_flag=True, help="Instead: soak a kg serve on loopback (32 clients mixing reads, named "
              "queries, pages, runaway queries and writes), then check the store. Stops by itself.")
@click.option("--seconds", type=click.FloatRange(min=1), default=300, show_default=True, help="Length of the soak.")
@click.option("--store", default=None, help="Soak a copy of this store (default: one built from examples/).")
def bench(quick, runs, only, output, soak, seconds, store):
    """Measure extraction, ingest, bulk load, the endpoint, memory and growth beside the peers (needs ../shared).

    Example: kg bench --quick --only endpoint -o -     kg bench --soak --seconds 300
    """
    if soak:
        from ..bench.soak import soak as run_soak

        result = run_soak(seconds, store=store, progress=lambda s: click.echo(f"[soak] {s} ...", err=True))
        for line in result.lines():
            click.echo(line)
        if result.unexpected_5xx or result.writes_lost:
            raise SystemExit(1)
        return
    from ..bench.report import machine, markdown, text_table
    from ..bench.common import Plan
    from ..bench.suite import run

    plan = Plan.quick() if quick else Plan()
    if runs:
        plan.runs = runs
    started, machine_lines = time.perf_counter(), machine()
    try:
        rows = run(plan, set(only or SECTIONS), lambda s: click.echo(f"[bench] {s} ...", err=True))
    except (FileNotFoundError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(text_table(rows))
    if output != "-":
        plan_text = ", ".join(f"{k}={v}" for k, v in asdict(plan).items()) + (" (--quick)" if quick else "")
        with open(output, "w", encoding="utf-8") as out:
            out.write(markdown(rows, plan_text, time.perf_counter() - started, machine_lines))
        click.echo(f"written to {output}", err=True)
