"""One ingest over many sources (URLs, files, folders): syndicated copies merged, and the sources graph
(``{base}graph/sources``: each source that brought new articles, with ``dcterms:modified``) kept current."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from ..readers.article import Article
from ..graph import Summary
from ..namespaces import DCTERMS, KG, XSD
from . import is_url
from .syndication import Syndication, iri_of


@dataclass
class Report:
    summary: Summary
    syndicated: list[tuple[str, str]] = field(default_factory=list)  # (URL, article it was added to)
    updated: list[str] = field(default_factory=list)                 # sources that brought new articles or URLs

    @property
    def failed(self) -> bool:
        return bool(self.summary.skipped)


def sources_graph(base: str) -> str:
    return f"{base}graph/sources"


def source_iri(source: str) -> str:
    """A URL names itself; a local path becomes its file: URI (a path is provenance, as dcterms:source is)."""
    return source if is_url(source) else Path(source).resolve().as_uri()


def ingest_streams(kg, pairs: Iterable[tuple[str, object]], **options) -> Report:
    """Ingest (source, Article | InputError) pairs in one run; record the sources whose articles were written."""
    syndication, written = Syndication(kg, force=options.get("force", False)), set()
    by_article, by_url = {}, {}  # article IRI / URL -> the source it came from
    callback = options.pop("on_stored", None)

    def items():
        for source, item in pairs:
            if isinstance(item, Article):
                by_article[iri_of(kg, item)] = source
                by_url[item.url] = source
            yield item

    def stored(iri: str) -> None:
        written.add(by_article.get(iri))
        if callback is not None:
            callback(iri)

    summary = kg.ingest(syndication.filter(items()), on_stored=stored, **options)
    syndication.finish()
    summary.read += len(syndication.unchanged)
    summary.unchanged += len(syndication.unchanged)
    summary.articles += syndication.unchanged
    added = {by_url.get(url) for url, _ in syndication.merged}
    report = Report(summary, syndication.merged, sorted(s for s in written | added if s not in (None, "-")))
    record_updates(kg, report.updated)
    return report


def report_lines(report: Report) -> list[str]:
    """What the CLI prints: one line per skipped input and per syndicated URL (stderr), then the totals (stdout)."""
    s = report.summary
    lines = [f"skipped {where}: {reason}" for where, reason in s.skipped]
    lines += [f"syndicated {url}: same text as {article}; URL added to it" for url, article in report.syndicated]
    rate = s.written / s.seconds if s.seconds else 0.0
    syndicated = f", syndicated {len(report.syndicated)}" if report.syndicated else ""
    lines.append(f"articles read {s.read}, written {s.written}, unchanged {s.unchanged}, skipped {len(s.skipped)}"
                 f"{syndicated}; entities {s.entities}, mentions {s.mentions}, triples {s.triples}; "
                 f"{s.seconds:.1f} s ({rate:.1f} articles/s)")
    return lines


def record_updates(kg, sources: list[str], when: dt.datetime | None = None) -> None:
    """Set dcterms:modified of each source in the sources graph (one atomic update)."""
    when = when or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    graph = ox.NamedNode(sources_graph(kg.minter.base))
    stamp = ox.Literal(when.isoformat().replace("+00:00", "Z"), datatype=ox.NamedNode(str(XSD.dateTime)))
    steps = []
    for source in sources:
        try:
            node = ox.NamedNode(source_iri(source))
        except ValueError:  # not a valid IRI (e.g. a URL typed with spaces): not recorded
            continue
        steps.append(f"DELETE WHERE {{ GRAPH {graph} {{ {node} <{DCTERMS.modified}> ?t }} }}")
        steps.append(f"INSERT DATA {{ GRAPH {graph} {{ {node} a <{KG.Source}> ; <{DCTERMS.modified}> {stamp} }} }}")
    if steps:
        kg.store.update(" ;\n".join(steps))


def last_updates(store, base: str, limit: int = 20) -> tuple[str | None, list[tuple[str, str]]]:
    """When the graph was last updated, and the latest sources as (modified, source), newest first."""
    query = (f"SELECT ?source ?modified WHERE {{ GRAPH <{sources_graph(base)}> {{ ?source a kg:Source ; "
             f"dcterms:modified ?modified }} }} ORDER BY DESC(?modified) ?source LIMIT {int(limit)}")
    rows = [(row["modified"].value, row["source"].value) for row in store.query(query)]
    return (rows[0][0] if rows else None), rows
