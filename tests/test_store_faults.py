"""A store that cannot be written (a full disk, a file where the store should be) during `kg ingest`,
`POST /ingest` or a SPARQL update: one line naming the store and the cause, exit 1, nothing half-written, and no
run graph without the article it produced (issue 9, findings 7 and 10)."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import run_kg
from kg import KnowledgeGraph
from web_support import free_port

DISK = 1024 * 1024  # bytes: a store takes about 250 KB of it, and opening it again about 200 KB more
CAUSES = ("No space left on device", "File too large")
MARK = "http://example.org/disk-full"


def big_article(chars: int = 700_000) -> str:
    """An article bigger than what is left on the disk, that spaCy reads fast (mostly blank lines)."""
    para = "Olaf Scholz met Emmanuel Macron in Berlin on day {} of the talks.\n\n" + " " * 2000 + "\n\n"
    return "".join(para.format(i) for i in range(chars // len(para) + 1))


@pytest.fixture
def small_disk(tmp_path):
    """(directory, preexec_fn): a directory on a 1 MB tmpfs when this process may mount one (root), else an
    ordinary directory and a preexec_fn limiting the size of any file the subprocess writes (EFBIG)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(disk)],
                                            capture_output=True).returncode == 0:
        yield disk, None
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
        return

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (DISK, DISK))

    yield disk, limit_file_size


def store_state(store: Path, tmp_path: Path) -> tuple[set[str], set[str], set[str]]:
    """(article graphs, complete article graphs, run graphs without an article) of a copy of the store
    opened on an ordinary disk (opening for writing needs space: RocksDB replays its log)."""
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    with KnowledgeGraph(str(copy)) as kg:
        articles = {r["g"].value for r in kg.query("SELECT ?g WHERE { GRAPH ?g { ?a a kg:Article } }")}
        complete = {r["g"].value for r in kg.query("""SELECT ?g WHERE { GRAPH ?g { ?a a kg:Article ;
            kg:contentHash ?h ; prov:wasGeneratedBy ?r ; kg:hasContext ?c . ?c nif:isString ?t .
            ?m nif:referenceContext ?c ; itsrdf:taIdentRef ?e } }""")}
        lone = {r["r"].value for r in kg.query("""SELECT ?r WHERE { GRAPH ?r { ?r a kg:IngestRun }
            FILTER NOT EXISTS { GRAPH ?g { ?a prov:wasGeneratedBy ?r } } }""")}
    return articles, complete, lone


def one_error_line(stderr: str, store: Path) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert str(store) in lines[0] and any(cause in lines[0] for cause in CAUSES), lines[0]
    return lines[0]


def test_store_path_is_a_file(tmp_path):
    (tmp_path / "a.txt").write_text("Angela Merkel visited Paris.")
    (tmp_path / "kg-data").write_text("not a directory")
    r = run_kg("ingest", "--store", "kg-data", "a.txt", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.decode().strip() == "Error: the store kg-data is a file: give a directory (it is created when missing)"


def test_disk_full_during_cli_ingest(tmp_path, small_disk):
    disk, preexec = small_disk
    store = disk / "store"
    (tmp_path / "good1.txt").write_text("Angela Merkel met Emmanuel Macron in Paris on Monday.\n")
    (tmp_path / "big.txt").write_text(big_article())
    (tmp_path / "good2.txt").write_text("Mario Draghi arrived in Rome.\n")
    kg = [str(Path(sys.executable).with_name("kg")), "ingest", "-q", "--store", str(store)]
    first = subprocess.run([*kg, "good1.txt"], cwd=tmp_path, capture_output=True, preexec_fn=preexec)
    assert first.returncode == 0, first.stderr.decode()
    full = subprocess.run([*kg, "big.txt", "good2.txt"], cwd=tmp_path, capture_output=True, text=True,
                          preexec_fn=preexec, timeout=300)
    assert full.returncode == 1
    one_error_line(full.stderr, store)
    articles, complete, lone = store_state(store, tmp_path)
    assert len(articles) == 1 and articles == complete  # good1, whole; big not half-written
    assert not lone, "a run graph was stored without any article"


def test_disk_full_during_http_update_and_ingest(tmp_path, small_disk):
    disk, preexec = small_disk
    store, port = disk / "store", free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KG_")}, "KG_UPDATE_TOKEN": "t0ken"}
    log = tmp_path / "server.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([str(Path(sys.executable).with_name("kg")), "serve", "--port", str(port), "--store",
                                 str(store)], env=env, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=preexec)
    url, auth = f"http://127.0.0.1:{port}", {"Authorization": "Bearer t0ken"}
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            try:
                if requests.get(url + "/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.3)
        # a SPARQL update bigger than the disk: one line, the server answers on, nothing of it stored
        big = "x" * (3 * DISK)
        r = requests.post(url + "/update", data={"update": f'INSERT DATA {{ GRAPH <{MARK}> {{ <{MARK}> '
                                                            f'<{MARK}> "{big}" }} }}'}, headers=auth, timeout=300)
        assert r.status_code == 500
        one_error_line(r.text, store)
        r = requests.get(url + "/sparql", params={"query": f"ASK {{ GRAPH <{MARK}> {{ ?s ?p ?o }} }}"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert r.status_code == 200 and r.json()["boolean"] is False, (r.status_code, r.text, log.read_text())
        r = requests.post(url + "/ingest", json=[{"id": "big", "text": big_article()},
                                                 {"id": "good", "text": "Mario Draghi arrived in Rome."}],
                          headers=auth, timeout=300)
        assert r.status_code == 500
        one_error_line(r.text, store)
        assert requests.get(url + "/health", timeout=10).ok  # the failed write ended the request, not the server
    finally:
        proc.terminate()
        proc.wait(30)
    articles, _, lone = store_state(store, tmp_path)
    assert not articles and not lone, "the failed request left a run graph (or an article) behind"
    with KnowledgeGraph(str(tmp_path / "copy")) as kg:
        assert not kg.store.has_graph(MARK), "the failed update left its graph behind"
