"""`kg kb build` and `kg kb info`: thin verbs over kg.kb.build and kg.kb.store."""
from __future__ import annotations

import json
from pathlib import Path

import click


@click.group()
def kb() -> None:
    """The local Wikidata knowledge base used to link entities."""


@kb.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="KB file to write (default: $KG_KB or ./kg-kb.sqlite).")
@click.option("--format", "fmt", type=click.Choice(["ntriples", "turtle", "json"]), default=None,
              help="Format of FILES (default: from the name: .nt, .ttl, .json, each optionally .gz/.bz2).")
@click.option("--from-sparql", "endpoint", default=None, metavar="URL",
              help="Also read a SPARQL endpoint (e.g. https://query.wikidata.org/sparql) with --query.")
@click.option("--query", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="File with a CONSTRUCT query in Wikidata's vocabulary (paged with LIMIT/OFFSET).")
@click.option("--page-size", default=10_000, show_default=True, help="Solutions per SPARQL page.")
@click.option("--timeout", default=60.0, show_default=True, help="Seconds per SPARQL request.")
@click.option("--all-items", "keep_all", is_flag=True,
              help="JSON dumps: keep every item, not only possible people, places, organisations and events.")
def build(files, output, fmt, endpoint, query, page_size, timeout, keep_all) -> None:
    """Build the KB file from Wikidata RDF (N-Triples/Turtle), JSON dump files and/or a SPARQL endpoint.

    JSON dumps (latest-all.json.gz/.bz2) are streamed in bounded memory and filtered to the items that can be
    people, places, organisations or events (docs/linking.md).

    Example: kg kb build ../shared/kb/wikidata-subset.nt.gz -o kg-kb.sqlite
    """
    from ..kb import default_kb_path
    from ..kb.build import build as run
    from ..kb.sparql import Endpoint
    from ..kb.store import KBError

    if not files and not endpoint:
        raise click.UsageError("give FILES and/or --from-sparql URL --query FILE")
    if endpoint and not query:
        raise click.UsageError("--from-sparql needs --query FILE (a CONSTRUCT query)")
    sparql = (Endpoint(endpoint, timeout=timeout, min_interval=1.0), query.read_text(), page_size) if endpoint else None
    output = output or default_kb_path()
    try:
        meta = run(output, [(f, fmt) for f in files], sparql, keep_all=keep_all,
                   progress=lambda src, n: click.echo(f"{src}: {n:,} statements", err=True))
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    for src in meta["sources"]:
        line = f"{src['source']} ({src['format']}): {src['statements']:,} statements"
        if src["malformed"]:
            line += f"; {src['malformed']:,} malformed lines skipped (first: {src['malformed_lines']})"
        if src.get("bad_values"):
            line += (f"; {sum(src['bad_values'].values()):,} values of an unexpected type skipped "
                     f"({', '.join(f'{p}: {n}' for p, n in sorted(src['bad_values'].items()))})")
        if src.get("items_kept") is not None:
            line += f"; items kept {src['items_kept']:,}, dropped {src['items_dropped']:,} (not news entities)"
        click.echo(line)
    click.echo(f"wrote {output}: {meta['counts']['items']:,} items, {meta['counts']['names']:,} names "
               f"in {meta['seconds']} s")


@kb.command()
@click.option("--kb", "path", type=click.Path(path_type=Path), default=None,
              help="KB file (default: $KG_KB or ./kg-kb.sqlite).")
@click.option("--json", "as_json", is_flag=True, help="Print the KB's meta data as JSON.")
def info(path, as_json) -> None:
    """Print what a KB file holds: counts per type (wdt:P31 and our classes) and its sources.

    Example: kg kb info --kb kg-kb.sqlite
    """
    from ..linking.rules import load_classes
    from ..kb import KBError, open_kb

    try:
        base = open_kb(path)
    except KBError as exc:
        raise click.ClickException(str(exc)) from exc
    meta = base.info()
    if as_json:
        click.echo(json.dumps(meta, indent=2))
        return
    counts, classes = meta["counts"], load_classes()
    click.echo(f"{base.path}: schema {meta['schema_version']}, built {meta['built']}")
    click.echo(f"items {counts['items']:,}, names {counts['names']:,}")
    click.echo("instance of (wdt:P31):")
    for qid, n in counts["p31"].items():
        click.echo(f"  {qid:<12} {n:>9,}  -> {classes.class_of([qid]) or '(no class)'}")
    click.echo("sources:")
    for src in meta["sources"]:
        click.echo(f"  {src['source']} ({src['format']}): {src['statements']:,} statements, "
                   f"{src['malformed']} malformed")


@click.command()
@click.option("--store", "store_path", type=click.Path(path_type=Path), default=None,
              help="Store directory (default: $KG_STORE or ./kg-data).")
@click.option("--kb", "kb_path", type=click.Path(path_type=Path), default=None,
              help="KB file (default: $KG_KB or ./kg-kb.sqlite).")
def enrich(store_path, kb_path) -> None:
    """Add Wikidata facts (label, instance of, country, region, population, coordinates) about linked
    entities to the named graph <BASE/graph/wikidata-enrichment>.

    Example: kg enrich --store kg-data --kb kg-kb.sqlite
    """
    from ..config import Settings
    from ..kb.enrich import enrich as run
    from ..errors import KGError
    from ..store.embedded import open_store
    from ..kb import open_kb

    settings = Settings()
    try:
        base = open_kb(kb_path)
        store = open_store(str(store_path or settings.store))
        try:
            result = run(store, base, settings.base_iri)
        finally:
            store.close()
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{result['enriched']} of {result['linked']} linked items enriched: {result['triples']} triples "
               f"in <{result['graph']}>")
