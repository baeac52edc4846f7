"""`ingest(dask=...)`: extraction on a real distributed.LocalCluster (worker processes), article graphs written
by the client one transaction each, equals a local ingest of the same articles (modulo the run node)."""
import pytest

from conftest import ROOT
from kg.bench import servers
from kg.bench.compare import canonical_quads
from kg.readers.files import read_paths

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed (pip install -e '.[dask]')")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def articles():
    return [a for a in read_paths([str(ROOT / "examples")]) if hasattr(a, "text")]


def test_dask_ingest_equals_local_ingest(cluster, make_kg, articles, tmp_path):
    local, remote_port = make_kg("local"), servers.free_port()
    s_local = local.ingest(articles)
    on_dask = make_kg("dask")
    s = on_dask.ingest(articles, dask=cluster.scheduler_address)
    assert s.written == len(articles) and (s.triples, s.mentions, s.entities) == (
        s_local.triples, s_local.mentions, s_local.entities)
    assert canonical_quads(on_dask.store) == canonical_quads(local.store)
    assert on_dask.ingest(articles, dask=cluster.scheduler_address).unchanged == len(articles)
    # changed article: its old graph is replaced
    changed = [articles[0].__class__(**{**vars(articles[0]), "title": "A new title"})]
    assert on_dask.ingest(changed, dask=cluster.scheduler_address).written == 1
    titles = {r["t"].value for r in on_dask.query(f"SELECT ?t WHERE {{ GRAPH <{s.articles[0]}> {{ ?a schema:headline ?t }} }}")}
    assert "A new title" in titles and len(titles) == 1
    # the same into a remote store
    from kg import KnowledgeGraph

    with servers.oxigraph(str(tmp_path / "ox"), remote_port):
        remote = KnowledgeGraph(f"sparql+http://127.0.0.1:{remote_port}")
        remote.ingest(articles, dask=cluster.scheduler_address)
        assert canonical_quads(remote.store) == canonical_quads(local.store)
        remote.close()
