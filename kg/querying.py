"""`kg query`: run SPARQL text, a .rq file or a named query, and print results in the chosen format."""
from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from .errors import KGError
from .syntax_errors import shorten
from .formats import RDF_FORMATS, RESULT_FORMATS, rdf_format, result_format


def query_text(arg: str) -> str:
    """The query itself, or the content of the .rq file it names."""
    path = Path(arg)
    if arg.endswith((".rq", ".sparql")) or (len(arg) < 256 and "\n" not in arg and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KGError(f"{arg}: cannot read query file ({exc.strerror})") from None
    return arg


def print_table(solutions) -> None:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(s[n]) for n in names] for s in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    click.echo("  ".join(n.ljust(w) for n, w in zip(names, widths)))
    click.echo("  ".join("-" * w for w in widths))
    for r in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def emit(result, fmt: str) -> None:
    out = sys.stdout.buffer
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            click.echo("true" if bool(result) else "false")
        else:
            result.serialize(out, result_format(fmt))
    elif isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            print_table(result)
        elif fmt in RDF_FORMATS:
            raise KGError(f"format {fmt!r} is for CONSTRUCT/DESCRIBE; SELECT results use: table, "
                          f"{', '.join(RESULT_FORMATS)}")
        else:
            result.serialize(out, result_format(fmt))
    else:
        ox.serialize(result, out, rdf_format("turtle" if fmt == "table" else fmt))
    out.flush()


def run_cli_query(query: str | None, *, store: str, base_iri: str | None, fmt: str, named: str | None,
                  params: tuple[str, ...], list_: bool) -> None:
    from .graph import KnowledgeGraph

    if list_ or named:
        from .named_queries import load_named_queries

        queries = load_named_queries()
        if list_:
            for q in queries.values():
                click.echo(f"{q.name:<28} {q.title}")
            return
        if named not in queries:
            raise KGError(f"no named query {named!r}; `kg query --list` shows them")
        bindings = dict(p.split("=", 1) if "=" in p else (p, "") for p in params)
        text, substitutions = queries[named].prepare(bindings)
    elif query:
        text, substitutions = query_text(query), None
    else:
        raise KGError("give a query, a .rq file, or --named NAME")
    kg = KnowledgeGraph(store, base_iri=base_iri, read_only=True)
    try:
        if named:
            from .search import indexed_query

            text, substitutions = indexed_query(kg, named, substitutions) or (text, substitutions)
        try:
            result = kg.query(text, substitutions=substitutions)
        except SyntaxError as exc:
            raise KGError(f"malformed SPARQL: {shorten(str(exc)).with_caret(text)}") from None
        emit(result, fmt)
    finally:
        kg.close()
