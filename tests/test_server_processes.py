"""`kg serve --read-only --processes 2`: two processes accept on one port, each with its own read-only store,
and stopping the server stops them all."""
import os
import time

import requests

from web_support import start_server


def test_two_read_only_processes_share_the_port(tmp_path_factory):
    server = start_server(tmp_path_factory, "prefork", args=("--read-only", "--processes", "2", "--threads", "3"))
    try:
        # each process evaluates as many queries at once as it has request threads (KG_MAX_RUNNING_QUERIES unset)
        assert requests.get(server.url + "/health", timeout=5).json()["query_slots"]["size"] == 3
        pids = set()
        deadline = time.monotonic() + 20
        while len(pids) < 2 and time.monotonic() < deadline:
            with requests.Session() as s:  # a new connection each time: the kernel hands it to either process
                pids.add(s.get(server.url + "/health", timeout=5).json()["pid"])
        assert len(pids) == 2, pids
        q = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }"}
        counts = {requests.get(server.url + "/sparql", params=q, headers={"Accept": "text/csv"}).text
                  for _ in range(10)}
        assert counts == {"n\r\n4\r\n"} or counts == {"n\n4\n"}, counts
    finally:
        server.stop()
    time.sleep(0.5)
    for pid in pids:
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        assert not alive, f"server process {pid} outlived the server"


def test_processes_need_read_only(tmp_path):
    from conftest import run_kg

    r = run_kg("serve", "--store", str(tmp_path / "s"), "--processes", "2")
    assert r.returncode != 0 and "--read-only" in r.stderr.decode()
