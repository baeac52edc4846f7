"""Start and stop SPARQL servers on free loopback ports (shared by the benchmark and the tests)."""
from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str:
    """An executable of this virtualenv (next to sys.executable), else from PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is not installed (pip install -e '.[bench]')")
    return found


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Poll until the server answers (any HTTP status); fail early if it exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}: {' '.join(proc.args)}")
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            requests.get(url, timeout=2)
            return
        time.sleep(0.1)
    raise TimeoutError(f"no answer from {url} after {timeout:.0f} s")


@contextlib.contextmanager
def serving(args: list[str], url: str, timeout: float = 60.0, **popen) -> Iterator[subprocess.Popen]:
    """Run a server process for the duration of the block, then terminate it."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen)
    try:
        wait_http(url, proc, timeout)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def oxigraph(location: str | None, port: int, *, read_only: bool = False, union: bool = False):
    """`oxigraph serve` (or serve-read-only) on 127.0.0.1:port; a context manager."""
    args = [tool("oxigraph"), "serve-read-only" if read_only else "serve", "--bind", f"127.0.0.1:{port}"]
    if location:
        args += ["--location", location]
    if union:
        args.append("--union-default-graph")
    return serving(args, f"http://127.0.0.1:{port}/query")
