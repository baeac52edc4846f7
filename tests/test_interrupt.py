"""kill -9 in the middle of an ingest: every finished article is intact, none is half-written, and running
the same command again finishes the rest to the same result as an uninterrupted run."""
import json
import os
import signal
import subprocess
import sys
from pathlib import Path


from kg import KnowledgeGraph

CITIES = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Warsaw", "Prague", "Lisbon", "Athens", "Dublin"]
PEOPLE = ["Angela Merkel", "Emmanuel Macron", "Pedro Sanchez", "Mario Draghi", "Olaf Scholz"]


def corpus(path: Path, n: int = 60) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            city, person = CITIES[i % len(CITIES)], PEOPLE[i % len(PEOPLE)]
            text = " ".join(f"{person} met officials of the European Commission in {city} on day {i}-{k}."
                            for k in range(25))
            f.write(json.dumps({"id": f"art-{i:03d}", "text": text, "title": f"Talks {i}"}) + "\n")


def article_state(store: str):
    with KnowledgeGraph(store) as kg:
        rows = kg.query("""SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a kg:Article } GRAPH ?g { ?s ?p ?o } }
                           GROUP BY ?g""")
        complete = kg.query("""SELECT ?g WHERE { GRAPH ?g { ?a a kg:Article ; kg:contentHash ?h ; kg:hasContext ?c .
                               ?c nif:isString ?t . FILTER EXISTS { ?m itsrdf:taIdentRef ?e } } }""")
        return {r["g"].value: int(r["n"].value) for r in rows}, {r["g"].value for r in complete}


def test_kill_mid_ingest_then_resume(tmp_path):
    data = tmp_path / "corpus.jsonl"
    corpus(data)
    kg_exe = str(Path(sys.executable).with_name("kg"))
    ref, store = str(tmp_path / "reference"), str(tmp_path / "killed")
    subprocess.run([kg_exe, "ingest", "-q", "--store", ref, str(data)], check=True, capture_output=True, cwd=tmp_path)
    proc = subprocess.Popen([kg_exe, "ingest", "-q", "-v", "--store", store, str(data)], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, cwd=tmp_path)
    stored = 0
    for line in proc.stderr:
        stored += line.startswith(b"stored ")
        if stored == 10:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    counts, complete = article_state(store)
    assert 10 <= len(counts) < 60, "the kill should land mid-run"
    assert set(counts) == complete, "an article graph is missing part of its content"
    with KnowledgeGraph(store) as kg:  # the run graph was written with the first article, never alone
        assert kg.query("""ASK { GRAPH ?r { ?r a kg:IngestRun } GRAPH ?g { ?a prov:wasGeneratedBy ?r } }""")
        assert not kg.query("""ASK { GRAPH ?r { ?r a kg:IngestRun }
                                     FILTER NOT EXISTS { GRAPH ?g { ?a prov:wasGeneratedBy ?r } } }""")
    reference, _ = article_state(ref)
    assert all(counts[g] == reference[g] for g in counts), "a stored article differs from an uninterrupted run"
    again = subprocess.run([kg_exe, "ingest", "-q", "--store", store, str(data)], capture_output=True, cwd=tmp_path)
    assert again.returncode == 0
    assert f"unchanged {len(counts)}" in again.stdout.decode()
    final, _ = article_state(store)
    assert final == reference
