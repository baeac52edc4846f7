"""SPARQL sources against a real `oxigraph serve` loaded with a slice of the shared subset: building a KB with
paged CONSTRUCT queries, online linking with its cache, and a clean fallback when the endpoint is unreachable."""
import gzip
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from kg.kb import KB, KBError
from kg.kb.build import build
from kg.kb.online import OnlineSource
from kg.kb.sparql import Endpoint
from kg.linking.link import Linker

from conftest import need_shared

SLICE = {"Q159", "Q212", "Q649", "Q3178", "Q423", "Q7747", "Q22686", "Q30", "Q851", "Q1899"}
CONSTRUCT = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?item rdfs:label ?label ; wdt:P31 ?class ; wdt:P17 ?country }
WHERE { ?item rdfs:label ?label ; wdt:P31 ?class . OPTIONAL { ?item wdt:P17 ?country } }
ORDER BY ?item"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A real Oxigraph SPARQL server over the triples of a few items of the shared subset."""
    source = need_shared("kb", "wikidata-subset.nt.gz")
    exe = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if exe is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    tmp = tmp_path_factory.mktemp("oxigraph")
    slice_file = tmp / "slice.nt"
    with gzip.open(source, "rt", encoding="utf-8") as f, open(slice_file, "w", encoding="utf-8") as out:
        out.writelines(line for line in f if line[32:line.index(">")] in SLICE)
    subprocess.run([exe, "load", "--location", str(tmp / "db"), "--file", str(slice_file)], check=True,
                   capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen([exe, "serve-read-only", "--location", str(tmp / "db"), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_build_from_sparql_pages(endpoint, tmp_path):
    ep = Endpoint(endpoint, timeout=10)
    meta = build(tmp_path / "kb.sqlite", sparql=(ep, CONSTRUCT, 3))
    kb = KB(tmp_path / "kb.sqlite")
    assert meta["counts"]["items"] == len(SLICE)          # pages of 3 solutions, all of them read
    assert kb.item("Q649").label == "Moscow" and kb.item("Q649").values("P17") == ["Q159"]


def test_online_linking_asks_each_name_once(endpoint, tmp_path):
    source = OnlineSource(endpoint, cache=tmp_path / "cache.sqlite", min_interval=0)
    assert ("Q3178", "label") in source.lookup("kursk")
    assert source.item("Q3178").values("P17") == ["Q159"]
    assert ("Q423", "demonym") in source.lookup("North Korean")
    offline = OnlineSource("http://127.0.0.1:9/none", cache=tmp_path / "cache.sqlite", retries=0)
    assert ("Q3178", "label") in offline.lookup("Kursk")   # answered from the cache, no request made
    assert offline.failures == 0


def test_online_linker_links_a_doc(endpoint, tmp_path):
    import spacy

    from kg.pipeline.mentions import add_mention, reset
    from kg.pipeline.tables import load_cues
    nlp = spacy.blank("en")
    doc = nlp("Vladimir Putin visited Moscow.")
    reset(doc)
    add_mention(doc, doc[0:2], "Person", load_cues())
    add_mention(doc, doc[3:4], "Place", load_cues())
    Linker(OnlineSource(endpoint, cache=tmp_path / "c.sqlite", min_interval=0)).link_doc(doc)
    assert {k: e["qid"] for k, e in doc._.kg_entities.items()} == {"Person:vladimir putin": "Q7747",
                                                                   "Place:moscow": "Q649"}


def test_unreachable_endpoint_falls_back_without_hanging(tmp_path, kb_path):
    dead = f"http://127.0.0.1:{free_port()}/sparql"
    started = time.monotonic()
    with pytest.raises(KBError, match="no answer after 2 attempts"):
        Endpoint(dead, timeout=2, retries=1, backoff=0.1).select("ASK {}")
    source = OnlineSource(dead, cache=tmp_path / "c.sqlite", fallback=KB(kb_path), retries=1, timeout=2)
    assert ("Q649", "label") in source.lookup("Moscow")      # from the offline KB
    assert source.failures == 1 and source.lookup("Kursk")  # the endpoint is not asked again for a while
    assert source.failures == 1
    assert time.monotonic() - started < 15
    assert OnlineSource(dead, cache=tmp_path / "d.sqlite", retries=0).lookup("Moscow") == []  # no KB: NIL
