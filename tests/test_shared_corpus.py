"""End to end over ../shared: the seed article and the Wikinews corpus build a graph that satisfies the
contract as our evaluation reads it (../shared/tools/check_contract.py) and the SHACL shapes."""
import subprocess
import sys

import pytest
from rdflib import Graph

from conftest import ROOT, need_shared, run_kg
from kg.namespaces import CLASSES, ITSRDF, NIF, RDF

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    seed, wikinews = need_shared("corpus", "seed"), need_shared("corpus", "wikinews", "articles.jsonl")
    tmp = tmp_path_factory.mktemp("shared")
    store = str(tmp / "store")
    r = run_kg("ingest", "-q", "--workers", "2", "--store", store, str(wikinews))  # the pool path, and faster
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert "articles read 293, written 293" in r.stdout.decode()
    for fmt in ("nq", "ttl"):
        assert run_kg("export", "--store", store, "-o", str(tmp / f"out.{fmt}")).returncode == 0
    seed_store = str(tmp / "seed-store")
    assert run_kg("ingest", "-q", "--store", seed_store, str(seed)).returncode == 0
    assert run_kg("export", "--store", seed_store, "-o", str(tmp / "seed.nq")).returncode == 0
    return tmp, store, wikinews


@pytest.mark.parametrize("export,with_texts", [("out.nq", True), ("seed.nq", False)])
def test_contract_checker_accepts_the_export(built, export, with_texts):
    tmp, _, wikinews = built
    checker = need_shared("tools", "check_contract.py")
    args = [sys.executable, str(checker), str(tmp / export), str(ROOT / "ontology")] + ([str(wikinews)] if with_texts else [])
    r = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "contract holds" in r.stdout


def test_turtle_export_entities_and_offsets(built):
    tmp, _, _ = built
    g = Graph().parse(tmp / "out.ttl")
    texts = {c: str(t) for c, t in g.subject_objects(NIF.isString)}
    mentions = list(g.subjects(ITSRDF.taIdentRef, None))
    assert len(mentions) > 5000
    for m in mentions:
        ctx = g.value(m, NIF.referenceContext)
        b, e = int(g.value(m, NIF.beginIndex)), int(g.value(m, NIF.endIndex))
        assert texts[ctx][b:e] == str(g.value(m, NIF.anchorOf))
    for ent in set(g.objects(None, ITSRDF.taIdentRef)):
        assert len([t for t in g.objects(ent, RDF.type) if t in CLASSES.values()]) == 1, ent


def test_store_validates_against_the_shapes(built):
    _, store, _ = built
    r = run_kg("validate", "--store", store)
    assert r.returncode == 0, r.stdout.decode()[-3000:]
    assert "0 violation(s) in 296 graph(s)" in r.stdout.decode()
