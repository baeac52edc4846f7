"""The `kg` command: one click group, one thin verb per job over the library (kg.graph)."""
from __future__ import annotations

import signal
import sys

import click

from .options import open_graph, store_options
from ..errors import KGError


def stop(signum, frame) -> None:
    """SIGTERM (as `timeout` sends) or Ctrl-C: stop the workers now, then exit through the usual clean-up (the store is
    closed; an article is either committed or not)."""
    from ..ingest.pool import stop_workers

    stop_workers()
    raise SystemExit(128 + signum)


@click.group()
@click.version_option(package_name="kg-news")
def main() -> None:
    """Build a knowledge graph from news articles, query it, serve it."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@store_options
@click.option("--encoding", default=None, help="Text encoding of input files (default UTF-8).")
@click.option("--force", is_flag=True, help="Re-extract articles even when unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--verbose", "-v", is_flag=True, help="Print each article's IRI once it is committed.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extraction processes (one writer commits each article); see docs/performance.md.")
@click.option("--dask", default=None, metavar="ADDRESS",
              help="Extract on a Dask cluster (scheduler address, or 'local' for --workers local processes).")
@click.option("--kb", envvar="KG_KB", default=None,
              help="Wikidata KB file from `kg kb build` (default ./kg-kb.sqlite when it exists). Env: KG_KB.")
@click.option("--linker", type=click.Choice(["kb", "wikidata-online", "none"]), default="kb", show_default=True,
              help="Link entities from the KB, from a SPARQL endpoint (KB as fallback), or not at all.")
@click.option("--endpoint", default=None, help="SPARQL endpoint for --linker wikidata-online (default: WDQS).")
def ingest(paths, store, base_iri, model, encoding, force, quiet, verbose, workers, dask, kb, linker, endpoint):
    """Extract articles into the graph: .txt, .html/.htm, .jsonl files, directories, - for stdin, or http(s) URLs
    of RSS/Atom feeds (every item's page) and article pages (docs/feeds.md).

    Example: kg ingest examples/ ../shared/corpus/wikinews/articles.jsonl --workers 2
    """
    from ..feeds.run import ingest_streams, report_lines
    from ..feeds.sources import SourceReader
    from .progress import count_inputs, spinner

    kg = open_graph(store, base_iri, model, kb=kb, linker=linker, endpoint=endpoint)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    show = not quiet and sys.stderr.isatty()
    try:
        try:
            stored = (lambda iri: click.echo(f"stored {iri}", err=True)) if verbose else None
            if workers == 1 and not dask:  # else the model loads in the worker processes only
                with spinner("loading the spaCy model", show):
                    kg.nlp  # noqa: B018
            reader = SourceReader(encoding=encoding)  # local paths, stdin, and http(s) feeds and pages
            pairs = ((arg, item) for arg in paths for item in reader.read(arg, []))
            report = ingest_streams(kg, pairs, force=force, progress=show and (count_inputs(paths) or True),
                                    on_stored=stored, workers=workers, dask=dask)
        finally:
            kg.close()
    except KGError as exc:  # a store error while closing replaces one while writing: the same cause, one line
        raise click.ClickException(str(exc)) from None
    *problems, totals = report_lines(report)
    for line in problems:
        click.echo(line, err=True)
    click.echo(totals)
    if report.failed:
        sys.exit(1)


@main.command()
@store_options
@click.option("-f", "--format", "fmt", default=None,
              help="turtle, nt, nq, trig, jsonld or xml; with --network graphml, gexf or csv (default: from -o's "
                   "extension, else turtle / graphml).")
@click.option("--graph", default=None,
              help="Export only this named graph (an article IRI); quad formats keep its name.")
@click.option("--query", "query_file", default=None, metavar="FILE.rq",
              help="Export the result of this CONSTRUCT or DESCRIBE query (a subset you choose).")
@click.option("--network", is_flag=True,
              help="Export the co-mention network (entities; edges weighted by the articles naming both) for "
                   "Gephi or NetworkX; csv writes NAME.nodes.csv and NAME.edges.csv for -o NAME.")
@click.option("-o", "--output", default="-", help="Output file (default stdout).")
def export(store, base_iri, model, fmt, graph, query_file, network, output):
    """Write the graph as RDF: quad formats hold every named graph, triple formats the merged view.

    Example: kg export -f turtle -o out.ttl; kg export --network -o net.graphml
    """
    from .export import run_export

    try:
        run_export(lambda: open_graph(store, base_iri, model, read_only=True), fmt=fmt, graph=graph,
                   query_file=query_file, network=network, output=output)
    except (KGError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.argument("query", required=False)
@store_options
@click.option("-f", "--format", "fmt", default="table", show_default=True,
              help="table, csv, tsv, json, xml (SELECT/ASK) or an RDF format (CONSTRUCT/DESCRIBE).")
@click.option("--named", default=None, help="Run a named query from queries/ (see `kg query --list`).")
@click.option("--param", "params", multiple=True, help="Parameter of a named query: NAME=VALUE (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
def query(query, store, base_iri, model, fmt, named, params, list_):
    """Run SPARQL (text or a .rq file) on the graph; the default graph is the union of all article graphs.

    Example: kg query 'SELECT ?p (COUNT(*) AS ?n) WHERE { ?m itsrdf:taIdentRef ?p } GROUP BY ?p ORDER BY DESC(?n) LIMIT 5'
    """
    from ..querying import named_query_lines, run_query

    try:
        if list_:
            click.echo("\n".join(named_query_lines()))
            return
        run_query(query, store=store, base_iri=base_iri, fmt=fmt, named=named, params=params,
                  out=click.get_binary_stream("stdout"))
    except KGError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@store_options
def stats(store, base_iri, model):
    """Counts: articles, triples, named graphs, mentions, entities per class.

    Example: kg stats --store ./kg-data
    """
    kg = open_graph(store, base_iri, model, read_only=True)
    try:
        for name, n in kg.stats().items():
            click.echo(f"{name:<22} {n:>10}")
    finally:
        kg.close()


@main.command()
@store_options
def upgrade(store, base_iri, model):
    """Bring a store written by an earlier kg (format 2) to the current format, in place: every entity's mention
    and article counts are computed once (docs/performance.md). Nothing to do on a current store.

    Example: kg upgrade --store ./kg-data
    """
    from ..ingest import registry

    kg = open_graph(store, base_iri, model)  # opening it for writing upgrades it
    try:
        click.echo(f"kg: the store at {store} is in format {registry.store_format(kg.store) or registry.FORMAT}")
    finally:
        kg.close()


@main.command()
@click.argument("data_file", required=False)
@store_options
def validate(data_file, store, base_iri, model):
    """Check the store (or an RDF file) against ontology/shapes.ttl with pyshacl; list violations.

    Example: kg validate out.ttl
    """
    from ..store.validate import validate_file, validate_store

    try:
        if data_file:
            report = validate_file(data_file)
        else:
            kg = open_graph(store, base_iri, model, read_only=True)
            try:
                report = validate_store(kg)
            finally:
                kg.close()
    except KGError as exc:
        raise click.ClickException(str(exc)) from None
    for n, line in enumerate(report.lines()):
        if n == 50:
            click.echo(f"... and {report.violations - 50} more")
            break
        click.echo(line)
    click.echo(f"{report.violations} violation(s) in {report.checked} graph(s)")
    if report.violations:
        sys.exit(1)


# ---- verbs defined in other modules (one line each) ----
from .eval import eval_; main.add_command(eval_)  # noqa: E402
from .kb import kb; main.add_command(kb)  # noqa: E402
from .kb import enrich; main.add_command(enrich)  # noqa: E402
from .serve import serve; main.add_command(serve)  # noqa: E402
from .feeds import watch; main.add_command(watch)  # noqa: E402
from .bench import bench; main.add_command(bench)  # noqa: E402
from .links import links; main.add_command(links)  # noqa: E402
from .links import search; main.add_command(search)  # noqa: E402
