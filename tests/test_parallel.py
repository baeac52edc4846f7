"""`ingest(workers=N)`: extraction in a process pool gives the same graph as one process, one writer."""
import pytest

from conftest import ROOT
from kg.bench.compare import canonical_quads
from kg.namespaces import KG
from kg.readers.files import read_paths


@pytest.fixture(scope="module")
def articles():
    return [a for a in read_paths([str(ROOT / "examples")]) if hasattr(a, "text")]


def test_two_workers_store_the_same_triples_as_one(make_kg, articles):
    one, two = make_kg("one"), make_kg("two")
    s1, s2 = one.ingest(articles), two.ingest(articles, workers=2)
    assert s2.written == s1.written == len(articles) >= 5
    assert (s2.triples, s2.mentions, s2.entities) == (s1.triples, s1.mentions, s1.entities)
    assert s2.articles == s1.articles  # input order is kept
    assert canonical_quads(two.store) == canonical_quads(one.store)
    model = next(iter(two.query("SELECT ?m WHERE { ?r a kg:IngestRun ; kg:spacyModel ?m }")))["m"].value
    assert model == one.model_id
    # the writer of a pool ingest never loads the pipeline: the model id comes from the model's package metadata,
    # and it is the id the loaded pipeline states
    from kg.pipeline.nlp import model_id

    assert two._nlp is None and model == model_id(one.nlp)


def test_pool_skips_unchanged_articles(make_kg, articles):
    kg = make_kg()
    kg.ingest(articles[:2], workers=2)
    s = kg.ingest(articles, workers=2)
    assert (s.unchanged, s.written) == (2, len(articles) - 2)
    n = int(next(iter(kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }")))["n"].value)
    assert n == len(articles)
    assert all(kg.store.value(a, a, str(KG.contentHash)) for a in s.articles)
