"""`kg links` (the Wikidata links with their confidence, for review) and `kg search` (the entity name index)."""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

from .options import open_graph, store_options

# Confidence: the entity's kg:linkConfidence when stated, else the mean of its mentions' itsrdf:taConfidence.
LINKS = """
SELECT ?entity ?label ?wd (MAX(?entity_conf) AS ?link_conf) (AVG(?mention_conf) AS ?mean_mention_conf)
  (SAMPLE(?anchor) AS ?example) WHERE {
  VALUES ?class { kg:Person kg:Place kg:Organisation kg:Event }
  ?entity a ?class ; rdfs:label ?label .
  OPTIONAL { ?entity owl:sameAs ?wd FILTER(STRSTARTS(STR(?wd), STR(wd:))) }
  OPTIONAL { ?entity kg:linkConfidence ?entity_conf }
  OPTIONAL { ?m itsrdf:taIdentRef ?entity ; nif:anchorOf ?anchor OPTIONAL { ?m itsrdf:taConfidence ?mention_conf } }
} GROUP BY ?entity ?label ?wd ORDER BY ?label"""
COLUMNS = ("entity", "qid", "wikidata_label", "confidence", "example")


def _rows(kg, kb, below: float | None, unlinked: bool):
    seen = set()
    for r in kg.query(LINKS):
        entity = r["entity"].value
        if entity in seen:  # an entity with two labels (one per article) is listed once
            continue
        seen.add(entity)
        qid = r["wd"].value.rsplit("/", 1)[-1] if r["wd"] else ""
        conf = r["link_conf"] or r["mean_mention_conf"]
        conf = float(conf.value) if conf is not None else None
        if unlinked != (not qid):
            continue
        if below is not None and (conf is None or conf >= below):
            continue
        item = kb.item(qid) if kb is not None and qid else None
        yield (entity, qid, (item.label or "") if item else "", "" if conf is None else f"{conf:.2f}",
               r["example"].value if r["example"] else r["label"].value)


@click.command()
@store_options
@click.option("--below", type=click.FloatRange(0, 1), default=None, metavar="CONF",
              help="Only links whose confidence is below CONF (the ones to review first).")
@click.option("--unlinked", is_flag=True, help="List the entities that have no Wikidata link instead.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@click.option("--kb", "kb_path", type=click.Path(path_type=Path), default=None,
              help="KB for the Wikidata labels (default: $KG_KB or ./kg-kb.sqlite, when it exists).")
def links(store, base_iri, model, below, unlinked, fmt, kb_path):
    """List entity links to Wikidata: entity, QID, Wikidata label (from the KB), confidence, an example mention.

    Example: kg links --below 0.6 -f csv
    """
    from ..kb import KBError, default_kb_path, open_kb

    kb = None
    if kb_path or default_kb_path().exists():
        try:
            kb = open_kb(kb_path)
        except KBError as exc:
            raise click.ClickException(str(exc)) from None
    kg = open_graph(store, base_iri, model, read_only=True)
    try:
        rows = list(_rows(kg, kb, below, unlinked))
    finally:
        kg.close()
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(COLUMNS)]
    for r in [COLUMNS, tuple("-" * w for w in widths), *rows]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    click.echo(f"({len(rows)} entit{'y' if len(rows) == 1 else 'ies'})")


@click.command()
@click.argument("text", required=False, default="")
@store_options
@click.option("--limit", type=click.IntRange(1, 200), default=20, show_default=True)
@click.option("--rebuild", is_flag=True, help="Rebuild the index from the store first.")
def search(text, store, base_iri, model, limit, rebuild):
    """Find entities by name or alias (word prefixes), most mentioned first, from the index beside the store.

    Example: kg search merk
    """
    kg = open_graph(store, base_iri, model, read_only=True)
    try:
        if rebuild:
            click.echo(f"indexed {kg.search_index.rebuild()} entities into {kg.search_index.path}", err=True)
        for r in kg.search_entities(text, limit):
            click.echo(f"{r['mentions']:>6}  {r['label']:<32} {r['class'].rsplit('#', 1)[-1]:<13} {r['iri']}")
    finally:
        kg.close()
