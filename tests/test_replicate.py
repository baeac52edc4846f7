"""The replicated store of the `tenm` benchmark (kg.bench.replicate) on small data: three examples/ articles,
linked with the offline KB, copied three times; the copy must look like a store that ingested nine articles."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest import registry
from kg.bench.replicate import replicate
from kg.mapping.iris import Minter
from kg.store.named_queries import load_named_queries
from kg.namespaces import KG

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BASE = "http://localhost:5000/"
COPIES = 3
QUERIES = load_named_queries()


@pytest.fixture(scope="module")
def stores(tmp_path_factory, nlp, kb_path):
    from kg import KnowledgeGraph

    root = tmp_path_factory.mktemp("replicate")
    with KnowledgeGraph(str(root / "source"), kb=str(kb_path)) as kg:
        assert kg.ingest_files([str(p) for p in sorted(EXAMPLES.glob("*.*")) if p.suffix != ".jsonl"]).written == 3
    source = ox.Store.read_only(str(root / "source"))
    target = ox.Store(str(root / "copy"))
    replicate(source, target, BASE, COPIES)
    del source, target
    opened = [KnowledgeGraph(str(root / name), read_only=True) for name in ("source", "copy")]
    yield opened
    for kg in opened:
        kg.close()


def articles(kg) -> list[str]:
    return [r["a"].value for r in kg.query("SELECT ?a WHERE { ?a a kg:Article }")]


def entities(kg) -> set[str]:
    return {r["e"].value for r in kg.query("SELECT DISTINCT ?e WHERE { ?x kg:refersTo ?e }")}


def rows(kg, name: str, **params) -> list:
    text, subs = QUERIES[name].prepare(params)
    return list(kg.query(text, substitutions=subs))


def test_every_article_graph_is_copied_under_new_iris(stores):
    source, copy = stores
    assert len(articles(source)) == 3
    copied = articles(copy)
    assert len(copied) == len(set(copied)) == 3 * COPIES
    for article in articles(source):
        size = len(list(source.store.graph_triples(article)))
        assert size > 50
        for name in [article] + [f"{article}-r{k}" for k in range(1, COPIES)]:
            assert len(list(copy.store.graph_triples(name))) == size, name


def test_unlinked_entities_are_new_and_linked_ones_shared(stores):
    source, copy = stores
    minter = Minter(BASE)
    linked = {e for e in entities(source) if minter.qid(e)}
    unlinked = entities(source) - linked
    assert linked and unlinked
    assert entities(copy) == linked | {f"{e}-r{k}" if k else e for e in unlinked for k in range(COPIES)}


def test_the_registry_is_what_the_registry_computes_from_the_copies(stores):
    _, copy = stores
    minter = Minter(BASE)
    found = entities(copy)
    tallies = registry.stored_tallies(copy.store, found)

    def fact(s, p, o):  # the decimal confidence by value: 1 and 1.0 are the same number
        return str(s), str(p), float(o) if str(p) == str(KG.linkConfidence) else str(o)

    expected = {fact(*t) for e in found for t in registry.entity_facts(minter, e, tallies[e])}
    stored = {fact(t.subject.value, t.predicate.value, t.object.value)
              for t in copy.store.graph_triples(minter.entities_graph) if t.subject.value != minter.entities_graph}
    assert stored == expected
    assert any(p.endswith("#sameAs") for _, p, _ in stored)


def test_named_queries_count_every_copy(stores):
    source, copy = stores
    assert len(rows(copy, "articles_by_date")) == COPIES * len(rows(source, "articles_by_date"))
    for column in ("mentions", "articles"):
        def total(kg):
            return sum(int(r[column].value) for r in rows(kg, "people_most_mentioned"))
        assert total(copy) == COPIES * total(source) > 0
    linked = Counter(Minter(BASE).qid(e) for e in entities(source)) - Counter({None: 10**6})
    qid = sorted(linked)[0]
    [before], [after] = rows(source, "entities_for_wikidata", qid=qid), rows(copy, "entities_for_wikidata", qid=qid)
    assert int(after["mentions"].value) == COPIES * int(before["mentions"].value) > 0
