"""Warm workers: one pool per process, reused by every ingest; workers die with their parent whatever signal
ends it (issue 9 finding 8, issue 15 item 5)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
import requests

from conftest import ROOT
from kg.ingest.pool import worker_pool
from kg.readers.files import read_paths
from test_interrupt import article_state, corpus


def test_pool_is_started_once_and_reused(make_kg):
    articles = [a for a in read_paths([str(ROOT / "examples")]) if hasattr(a, "text")]
    kg = make_kg()
    first = kg.ingest(articles[:2], workers=2)
    pool = worker_pool(2, kg.pipeline_args)
    pids = {p.pid for p in pool.processes()}
    second = kg.ingest(articles[2:], workers=2)
    assert (first.written, second.written) == (2, len(articles) - 2)
    assert worker_pool(2, kg.pipeline_args) is pool and {p.pid for p in pool.processes()} == pids
    assert len(pids) == 2 and all(psutil.Process(pid).ppid() != os.getpid() for pid in pids)  # the fork server's


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_workers_die_with_the_ingest(tmp_path, signum):
    data, store = tmp_path / "corpus.jsonl", str(tmp_path / "store")
    corpus(data, n=40)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("kg")), "ingest", "-q", "-v", "--workers", "2",
                             "--store", store, str(data)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            cwd=tmp_path)
    for line in proc.stderr:
        if line.startswith(b"stored "):  # the workers are extracting
            break
    children = psutil.Process(proc.pid).children(recursive=True)
    assert len(children) >= 3, children  # the fork server and two workers (and the resource tracker)
    proc.send_signal(signum)
    proc.stderr.close()
    assert proc.wait(timeout=60) in (-signum, 128 + signum)
    gone, alive = psutil.wait_procs(children, timeout=20)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"left running after {signal.Signals(signum).name}: {alive}"
    counts, complete = article_state(store)
    assert counts and set(counts) == complete  # what was stored is whole


def test_serve_ingests_with_warm_workers_that_die_with_it(tmp_path_factory):
    from web_support import TOKEN, start_server

    # one query worker beside the two ingest workers: all are children of the one fork server of the process
    server = start_server(tmp_path_factory, "workers", env={"KG_UPDATE_TOKEN": TOKEN, "KG_MAX_RUNNING_QUERIES": "1"},
                          args=("--ingest-workers", "2"))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        def workers() -> set[int]:  # the fork server's children
            return {p.pid for p in psutil.Process(server.proc.pid).children(recursive=True)
                    if p.ppid() != server.proc.pid}

        for i, city in enumerate(["Lisbon", "Athens"]):
            r = requests.post(server.url + "/ingest", headers=auth, timeout=300,
                              json=[{"id": f"w{i}-{k}", "text": f"Olaf Scholz met Pedro Sanchez in {city} on day {k}."}
                                    for k in range(3)])
            assert r.status_code == 200 and r.json()["written"] == 3, r.text
            if i == 0:
                started = workers()
        assert len(started) == 3 and workers() == started  # the same two ingest processes served both requests
        children = psutil.Process(server.proc.pid).children(recursive=True)
        server.proc.kill()
        server.proc.wait(30)
        gone, alive = psutil.wait_procs(children, timeout=20)
        assert not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    finally:
        if server.proc.poll() is None:
            server.stop()
