"""Article identity on the store side: an article identified by its text (no id, no URL) is found again from the
path it was read from (``dcterms:source``), so a file whose content changed replaces its old article, and the
same text read from another path stays one article (see the README's graph contract)."""
from __future__ import annotations

import pyoxigraph as ox

from . import registry
from ..readers.article import Article
from ..mapping.iris import Minter
from ..namespaces import DCTERMS
from ..store.api import Store

SOURCE = f"<{DCTERMS.source}>"
READ_FROM = """SELECT DISTINCT ?a ?p WHERE { GRAPH ?a { ?a dcterms:source ?p ; dcterms:identifier ?id }
  FILTER(STRSTARTS(?id, "sha256:")) }"""


def _lit(text: str) -> str:
    return str(ox.Literal(text))  # N-Triples syntax, pyoxigraph's escaping


def read_from(store: Store, path: str) -> list[str]:
    """Stored articles identified by their text that were read from ``path``."""
    return [r["a"].value for r in store.query(READ_FROM, union=False, substitutions={ox.Variable("p"): ox.Literal(path)})]


def sources(store: Store, article: str) -> set[str]:
    q = f"SELECT ?p WHERE {{ GRAPH <{article}> {{ <{article}> {SOURCE} ?p }} }}"
    return {r["p"].value for r in store.query(q, union=False)}


def plan(store: Store, item: Article, iri: str, stored: bool) -> tuple[list[str], list[str]]:
    """(graphs to drop, extra update steps) that writing ``item`` at ``iri`` implies besides its own graph: new
    text at a path some stored article was read from replaces that article, or, when that article's text is also
    known from other paths, only takes the path from it."""
    drop, steps = ([iri] if stored else []), []
    if item.keyed_by_content and item.path:
        for old in read_from(store, item.path):
            if old == iri:
                continue
            if sources(store, old) - {item.path}:
                steps.append(f"DELETE DATA {{ GRAPH <{old}> {{ <{old}> {SOURCE} {_lit(item.path)} }} }}")
            else:
                drop.append(old)
    return drop, steps


def add_path(store: Store, minter: Minter, item: Article, iri: str) -> None:
    """The same text read from another path: still one article (reported unchanged); the path is added as
    provenance, and taken from the article it held before, in one update."""
    drop, steps = plan(store, item, iri, False)
    steps.append(f"INSERT DATA {{ GRAPH <{iri}> {{ <{iri}> {SOURCE} {_lit(item.path)} }} }}")
    if drop:
        steps.append(registry.write_update(minter, store, drop=drop, touched=registry.entities_of(store, drop)))
    store.update(" ;\n".join(steps))
