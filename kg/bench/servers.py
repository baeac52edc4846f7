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


VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"
VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""
# The test/development instance lets the anonymous /sparql endpoint update (loopback only); a public
# deployment keeps that off and writes through /sparql-auth with digest auth (docs/performance.md).
VIRTUOSO_GRANT = 'GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'


def virtuoso_location(http_port: int) -> str:
    """The remote store location of a `virtuoso(...)` instance."""
    return f"sparql+http://127.0.0.1:{http_port}/sparql?dialect=virtuoso"


@contextlib.contextmanager
def virtuoso(directory: str | Path, http_port: int, isql_port: int, timeout: float = 180.0):
    """Virtuoso Open Source (Debian `virtuoso-opensource`) with its database in ``directory``, HTTP on
    127.0.0.1:http_port (loopback only) and SPARQL update allowed on /sparql; a context manager yielding
    the store location."""
    exe = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if not exe or not isql:
        raise FileNotFoundError("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    d = Path(directory).resolve()
    d.mkdir(parents=True, exist_ok=True)
    ini = d / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=d, isql_port=isql_port, http_port=http_port, vsp=VIRTUOSO_VSP))
    with serving([exe, "+foreground", "+configfile", str(ini)], f"http://127.0.0.1:{http_port}/sparql",
                 timeout, cwd=d):
        subprocess.run([isql, str(isql_port), "dba", "dba", f"exec={VIRTUOSO_GRANT}"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
        yield virtuoso_location(http_port)


if __name__ == "__main__":  # `make virtuoso`: python -m kg.bench.servers virtuoso DIR HTTP_PORT ISQL_PORT
    if sys.argv[1:2] != ["virtuoso"] or len(sys.argv) != 5:
        sys.exit("usage: python -m kg.bench.servers virtuoso DIR HTTP_PORT ISQL_PORT")
    with virtuoso(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])) as where:
        print(f"Virtuoso is serving; store location:\n  {where}\nCtrl-C stops it.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
