"""Run SPARQL text, a .rq file or a named query on a store and write the result in a chosen format (the library
behind `kg query`; no click here: the verb in kg.cli.main prints and turns errors into messages)."""
from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .errors import KGError
from .store.syntax_errors import shorten
from .store.formats import RDF_FORMATS, RESULT_FORMATS, rdf_format, result_format


def query_text(arg: str) -> str:
    """The query itself, or the content of the .rq file it names."""
    path = Path(arg)
    if arg.endswith((".rq", ".sparql")) or (len(arg) < 256 and "\n" not in arg and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KGError(f"{arg}: cannot read query file ({exc.strerror})") from None
    return arg


def table_lines(solutions) -> list[str]:
    """SELECT results as an aligned text table, with a row count."""
    names = [v.value for v in solutions.variables]
    rows = [[_cell(s[n]) for n in names] for s in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return [*lines, f"({len(rows)} row{'s' if len(rows) != 1 else ''})"]


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else str(term)


def write_result(result, fmt: str, out: BinaryIO) -> None:
    """A query result in ``fmt``: "table" (text) or a format of kg.store.formats."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            out.write(b"true\n" if bool(result) else b"false\n")
        else:
            result.serialize(out, result_format(fmt))
    elif isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            out.write("".join(line + "\n" for line in table_lines(result)).encode("utf-8"))
        elif fmt in RDF_FORMATS:
            raise KGError(f"format {fmt!r} is for CONSTRUCT/DESCRIBE; SELECT results use: table, "
                          f"{', '.join(RESULT_FORMATS)}")
        else:
            result.serialize(out, result_format(fmt))
    else:
        ox.serialize(result, out, rdf_format("turtle" if fmt == "table" else fmt))
    out.flush()


def named_query_lines() -> list[str]:
    """One line per named query of queries/: name and title."""
    from .store.named_queries import load_named_queries

    return [f"{q.name:<28} {q.title}" for q in load_named_queries().values()]


def run_query(query: str | None, *, store: str, base_iri: str | None, fmt: str, named: str | None,
              params: tuple[str, ...], out: BinaryIO) -> None:
    """Run ``query`` (text or a .rq file) or the named query ``named`` with ``params`` (NAME=VALUE) on the store
    at ``store``, read-only, and write the result to ``out``; KGError for what the user must fix."""
    from .graph import KnowledgeGraph

    if named:
        from .store.named_queries import load_named_queries

        queries = load_named_queries()
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
            from .store.search import indexed_query

            text, substitutions = indexed_query(kg, named, substitutions) or (text, substitutions)
        try:
            result = kg.query(text, substitutions=substitutions)
        except SyntaxError as exc:
            raise KGError(f"malformed SPARQL: {shorten(str(exc)).with_caret(text)}") from None
        write_result(result, fmt, out)
    finally:
        kg.close()
