"""Build a KB file from Wikidata data: RDF files, JSON dump files, or a SPARQL endpoint (CONSTRUCT, paged)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from . import jsondump, rdf
from .store import KBError, Writer

MAX_REPORTED_LINES = 5
# file name endings -> reader; compression is detected from the bytes
FORMATS = {".nt": "ntriples", ".ttl": "turtle", ".json": "json"}


@dataclass
class SourceReport:
    source: str
    format: str
    statements: int = 0
    malformed: int = 0
    malformed_lines: list[int] = field(default_factory=list)
    bad_values: dict[str, int] = field(default_factory=dict)  # property -> values of an unexpected type skipped
    items_kept: int | None = None      # JSON dumps: items the filter kept and dropped
    items_dropped: int | None = None

    def bad(self, lineno: int) -> None:
        self.malformed += 1
        if len(self.malformed_lines) < MAX_REPORTED_LINES:
            self.malformed_lines.append(lineno)


def detect_format(path: Path) -> str:
    suffixes = [s for s in path.suffixes if s not in (".gz", ".bz2")]
    fmt = FORMATS.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        raise KBError(f"{path}: cannot tell the format from the name; pass --format ntriples|turtle|json")
    return fmt


def file_statements(path: Path, fmt: str, report: SourceReport, keep_all: bool = False) -> Iterator[tuple]:
    if not path.is_file():
        raise KBError(f"{path}: no such file")
    if fmt == "ntriples":
        with rdf.open_text(path) as f:
            yield from rdf.ntriples(f, report.bad)
    elif fmt == "json":
        dump = jsondump.DumpReport(report.bad, bad_value_props=report.bad_values)
        keep = None if keep_all else jsondump.ItemFilter.from_data()
        try:
            with rdf.open_binary(path) as f:
                yield from jsondump.json_dump(f, dump, keep)
        except (OSError, EOFError) as exc:  # a truncated or corrupt archive: no KB rather than a partial one
            raise KBError(f"{path}: cannot read the dump to its end ({exc})") from exc
        if keep is not None:
            report.items_kept, report.items_dropped = keep.kept, keep.dropped
    elif fmt == "turtle":
        import pyoxigraph as ox
        with rdf.open_binary(path) as f:
            try:
                yield from rdf.parsed(f, ox.RdfFormat.TURTLE)
            except SyntaxError as exc:
                report.bad(getattr(exc, "lineno", None) or 0)
    else:
        raise KBError(f"unknown KB source format {fmt!r} (ntriples, turtle, json)")


def sparql_statements(endpoint, query: str, page_size: int) -> Iterator[tuple]:
    """Page a CONSTRUCT query with LIMIT/OFFSET until a page comes back empty (give the query an ORDER BY)."""
    import pyoxigraph as ox
    offset = 0
    while True:
        page = endpoint.construct(f"{query.rstrip()}\nLIMIT {page_size} OFFSET {offset}")
        try:
            triples = list(ox.parse(page, format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise KBError(f"{endpoint.url}: unreadable CONSTRUCT result at offset {offset}: {exc}") from exc
        if not triples:
            return
        yield from rdf.from_quads(triples)
        offset += page_size


def build(output: str | Path, files: list[tuple[Path, str | None]] = (), sparql: tuple | None = None,
          progress=None, keep_all: bool = False) -> dict:
    """Write a KB file at ``output`` from ``files`` [(path, format or None)] and/or ``sparql``
    (endpoint, query, page_size). JSON dumps are filtered to possible news entities unless ``keep_all``.
    Returns the meta written (counts, sources, malformed lines and values, seconds)."""
    started = time.perf_counter()
    reports: list[SourceReport] = []
    writer = Writer(output)
    try:
        streams = []
        for path, fmt in files:
            path = Path(path)
            fmt = fmt or detect_format(path)
            report = SourceReport(str(path), fmt)
            reports.append(report)
            streams.append((report, file_statements(path, fmt, report, keep_all)))
        if sparql:
            endpoint, query, page_size = sparql
            report = SourceReport(endpoint.url, "sparql")
            reports.append(report)
            streams.append((report, sparql_statements(endpoint, query, page_size)))
        for report, stream in streams:
            n = 0
            for st in stream:
                writer.add(*st)
                n += 1
                if progress and n % 100_000 == 0:
                    progress(report.source, n)
            report.statements = n
        meta = writer.finish({
            "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "sources": [r.__dict__ for r in reports],
            "malformed": sum(r.malformed for r in reports),
        })
    except BaseException:
        writer.abort()
        raise
    meta["seconds"] = round(time.perf_counter() - started, 1)
    return meta
