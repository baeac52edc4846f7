"""kg as a wheel (a non-editable install): the ontology and the named queries travel as package data, so an
ingest and a named query work from a fresh environment outside the repository."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "berlin-wall-opens.txt"


def run(*args, cwd=None, timeout=300):
    r = subprocess.run([str(a) for a in args], capture_output=True, cwd=cwd, timeout=timeout)
    assert r.returncode == 0, (args, r.stderr.decode()[-2000:])
    return r.stdout.decode()


def test_wheel_ships_ontology_and_queries_and_runs_from_a_fresh_venv(tmp_path):
    # from a clean copy of the sources (a build/ folder left in the checkout could carry stale modules); the build
    # backend pyproject.toml names (setuptools>=68) comes from pip's cache or index, as for `make install`
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "node_modules", ".cache", "kg-data", "*.sqlite", "__pycache__",
        ".pytest_cache"))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source)
    wheel = next((tmp_path / "dist").glob("kg_news-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"kg/data/ontology/kg.ttl", "kg/data/ontology/shapes.ttl", "kg/data/queries/articles_by_date.rq"} <= names
    # a fresh venv: kg from the wheel only; its dependencies (spaCy, the model, rdflib ...) from this environment's
    # site-packages through a .pth (their .pth files, the editable kg among them, are not run from there)
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    site = Path(run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    deps = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site / "deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", "--no-deps", wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = run(venv / "bin" / "python", "-c", "import kg; print(kg.__file__)", cwd=work)
    assert where.startswith(str(site)), where
    kg = venv / "bin" / "kg"
    run(kg, "ingest", "-q", "--store", "store", EXAMPLE, cwd=work)
    out = run(kg, "query", "--store", "store", "--named", "articles_by_date", "-f", "csv", cwd=work)
    header, *rows = out.splitlines()
    assert "article" in header and len(rows) == 1, out
    assert "0 violation(s)" in run(kg, "validate", "--store", "store", cwd=work)
