"""Shared fixtures: the real spaCy pipeline (loaded once), real on-disk stores in temporary directories,
and the read-only ../shared data (tests that need it skip with a reason when it is absent)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared"))
DATA = Path(__file__).resolve().parent / "data"


def pytest_collection_modifyitems(items):
    """Modules with slow or browser tests first (stable otherwise): with `-n 2 --dist loadfile` the long modules
    start at once instead of ending the run alone on one worker."""
    def slow(item) -> bool:
        return any(item.get_closest_marker(m) for m in ("slow", "browser"))

    slow_modules = {item.module.__name__ for item in items if slow(item)}
    items.sort(key=lambda item: item.module.__name__ not in slow_modules)


def need_shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside the repository)")
    return path


@pytest.fixture(scope="session", autouse=True)
def neutral_cwd(tmp_path_factory):
    """Run every test from an empty directory, so files a developer keeps in the checkout (./kg-data,
    ./kg-kb.sqlite, which turns linking on by default) never change what a test sees."""
    old = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    yield
    os.chdir(old)


@pytest.fixture(scope="session")
def nlp():
    from kg.pipeline.nlp import shared_pipeline

    return shared_pipeline(None)


@pytest.fixture
def make_kg(tmp_path, nlp):
    """KnowledgeGraph factory over a fresh on-disk store; closes what it opened."""
    from kg import KnowledgeGraph

    opened = []

    def factory(name: str = "store", **kwargs):
        kg = KnowledgeGraph(str(tmp_path / name), **kwargs)
        opened.append(kg)
        return kg

    yield factory
    for kg in opened:
        try:
            kg.close()
        except AttributeError:
            pass  # already closed by the test


def run_kg(*args: str, input: bytes | None = None, env: dict | None = None, cwd: Path | None = None):
    """The real `kg` console script in a subprocess."""
    exe = Path(sys.executable).with_name("kg")
    return subprocess.run([str(exe), *args], input=input, capture_output=True, cwd=cwd or os.getcwd(),
                          env={**os.environ, **(env or {})}, timeout=600)  # cwd: the neutral one


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory) -> Path:
    """The KB built once per session from ../shared/kb/wikidata-subset.nt.gz (about 10 s)."""
    from kg.kb.build import build

    source = need_shared("kb", "wikidata-subset.nt.gz")
    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    build(path, [(source, None)])
    return path


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """One Virtuoso Open Source for the session (`virtuoso-t`, Debian package virtuoso-opensource); yields its
    remote store location. Modules empty it with `empty_virtuoso` before they use it."""
    import shutil

    from kg.bench import servers

    if not shutil.which("virtuoso-t") or not shutil.which("isql-vt"):
        pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource; .ci/run tries)")
    with servers.virtuoso(tmp_path_factory.mktemp("virtuoso"), servers.free_port(), servers.free_port(),
                          timeout=240) as location:  # 10-25 s alone; far longer on a loaded machine
        yield location


def empty_virtuoso(location: str) -> str:
    """Drop every graph of ours (Virtuoso's system graphs stay); returns the location."""
    from kg.store.remote import RemoteStore

    store = RemoteStore(location)
    graphs = store.named_graphs()
    if graphs:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    assert not store.named_graphs()
    store.close()
    return location
