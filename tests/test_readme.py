"""The README's usage block runs as written: every `kg …` line, in order, in a fresh folder holding examples/ (and
../shared when it exists), so the examples stay true. Lines that read ../shared or need what it builds (the KB,
the entities it links) are skipped when it is absent; lines that fetch from the internet are always skipped.
Each `kg serve` line is started on a free port, must answer
/health, and is stopped."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import ROOT, SHARED
from web_support import free_port

USAGE = re.compile(r"## Using it\s+```sh\n(.*?)```", re.S)
NEEDS_SHARED = ("../shared", "kg-kb.sqlite", "/entity/Q")
NETWORK = re.compile(r"https?://(?!localhost[:/]|127\.0\.0\.1)")  # tests never touch the internet
LISTING_VERBS = ("query", "search", "links")


def usage_lines() -> list[str]:
    block = USAGE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block, "README.md has no '## Using it' sh block"
    return [line for line in block.group(1).splitlines() if line.startswith("kg ")]


KG = Path(sys.executable).with_name("kg")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}  # the README's defaults, not the caller's


def serve(args: list[str], cwd: Path) -> str:
    """Start `kg serve` on a free port, return its /health status, stop it."""
    port = free_port()
    args = [a for i, a in enumerate(args) if a != "--port" and (i == 0 or args[i - 1] != "--port")]
    proc = subprocess.Popen([str(KG), *args, "--port", str(port)], cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                return requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json()["status"]
            except requests.ConnectionError:
                time.sleep(0.2)
        return f"no answer (exit {proc.poll()})"
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.mark.slow
def test_every_usage_line_of_the_readme_runs(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    have_shared = SHARED.exists()
    if have_shared:
        (tmp_path / "shared").symlink_to(SHARED)
    ran, skipped = [], []
    for line in usage_lines():
        args = shlex.split(line, comments=True)[1:]
        if NETWORK.search(line):
            skipped.append(line)
            continue
        if not have_shared and any(s in line for s in NEEDS_SHARED):
            skipped.append(line)
            continue
        if args[0] == "serve":
            assert serve(args, work) == "ok", line
            ran.append(line)
            continue
        r = subprocess.run([str(KG), *args], cwd=work, env=ENV, capture_output=True, timeout=900)
        out = r.stdout.decode()
        assert r.returncode == 0, f"{line}\n{r.stderr.decode()[-2000:]}"
        if args[0] in LISTING_VERBS:
            assert out.strip() and "(0 rows)" not in out and "(0 entities)" not in out, f"{line} listed nothing"
            assert len(out.strip().splitlines()) >= (1 if args[0] == "search" else 2), line
        ran.append(line)
    assert len(ran) >= 10, ran
    if skipped:
        print(f"skipped (no ../shared): {skipped}")
