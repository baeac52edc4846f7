"""The `kg` command in real subprocesses: ingest summary and bad input, export, query formats, stats, validate."""
import json
import subprocess
import sys

from rdflib import Graph

from conftest import DATA, ROOT, run_kg


def test_ingest_reports_and_continues_past_bad_input(tmp_path):
    store = tmp_path / "store"
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    (tmp_path / "good.txt").write_text("Rome talks\n\nItalian Prime Minister Mario Draghi met Olaf Scholz in Rome.",
                                       encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"ok then \xff\xfe broken")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "x.docx").write_bytes(b"PK")
    (tmp_path / "lines.jsonl").write_text('{"id": "j1", "text": "Joe Biden spoke in Ohio."}\nnot json\n'
                                          '{"id": "j2"}\n', encoding="utf-8")
    r = run_kg("ingest", "-q", "--store", str(store), str(tmp_path))
    err = r.stderr.decode()
    assert r.returncode == 1, err
    assert "bad.txt: invalid utf-8 at byte offset 8" in err
    assert "blob.txt: binary file" in err
    assert "x.docx: unknown extension '.docx'" in err
    assert "lines.jsonl:2: not JSON" in err and "lines.jsonl:3: no 'text'" in err
    out = r.stdout.decode()
    assert "articles read 2, written 2" in out and "skipped 5" in out
    # nothing stored changes on a second run with the same bad inputs
    before = run_kg("export", "--store", str(store), "-f", "nq").stdout
    r2 = run_kg("ingest", "-q", "--store", str(store), str(tmp_path))
    assert "written 0, unchanged 2" in r2.stdout.decode()
    assert run_kg("export", "--store", str(store), "-f", "nq").stdout == before


def test_stdin_export_query_stats_validate(tmp_path):
    store = str(tmp_path / "store")
    r = run_kg("ingest", "-q", "--store", store, "-", input=b"Angela Merkel visited Paris on Monday.")
    assert r.returncode == 0, r.stderr.decode()
    out = tmp_path / "out.ttl"
    assert run_kg("export", "--store", store, "-o", str(out)).returncode == 0
    g = Graph().parse(out)
    assert len(g) > 10
    q = "SELECT ?l WHERE { ?e a kg:Person ; rdfs:label ?l }"
    table = run_kg("query", q, "--store", store).stdout.decode()
    assert "Angela Merkel" in table and "(1 row)" in table
    js = json.loads(run_kg("query", q, "--store", store, "-f", "json").stdout)
    assert js["results"]["bindings"][0]["l"]["value"] == "Angela Merkel"
    csv = run_kg("query", q, "--store", store, "-f", "csv").stdout.decode()
    assert csv.splitlines() == ["l", "Angela Merkel"]
    bad = run_kg("query", "SELEC nonsense", "--store", store)
    assert bad.returncode != 0 and "malformed SPARQL" in bad.stderr.decode()
    rq = tmp_path / "q.rq"
    rq.write_text("ASK { ?e a kg:Place }", encoding="utf-8")
    assert run_kg("query", str(rq), "--store", store).stdout.decode().strip() == "true"
    stats = run_kg("stats", "--store", store).stdout.decode()
    assert "articles" in stats and "entities: Person" in stats
    v = run_kg("validate", "--store", store)
    assert v.returncode == 0 and "0 violation(s)" in v.stdout.decode()
    assert run_kg("validate", str(out)).returncode == 0
    # the verbs that only read never import spaCy (it is the verbs that extract that pay for it)
    probe = ("import sys\nfrom click.testing import CliRunner\nimport kg\nfrom kg.cli.main import main\n"
             "from kg.web import create_app\ncreate_app()\n"
             f"for verb in (['query', 'ASK {{ ?s ?p ?o }}', '--store', {store!r}], ['stats', '--store', {store!r}],"
             f" ['export', '--store', {store!r}, '-f', 'nt'], ['query', '--list']):\n"
             "    result = CliRunner().invoke(main, verb)\n"
             "    assert result.exit_code == 0, (verb, result.output)\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode().strip() == "[]"


def test_validate_reports_violations_in_a_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text((DATA / "invalid-article.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    r = run_kg("validate", str(bad))
    out = r.stdout.decode()
    assert r.returncode == 1
    assert "anchorOf differs" in out and "exactly one of kg:Person" in out


def test_unknown_export_format_is_a_clear_error(tmp_path):
    r = run_kg("export", "--store", str(tmp_path / "s"), "-f", "yaml")
    assert r.returncode != 0 and "unknown RDF format 'yaml'" in r.stderr.decode()


def test_make_run_entry_points_exist():
    assert (ROOT / "examples").is_dir() and len(list((ROOT / "examples").iterdir())) >= 4


def test_reads_work_while_another_process_holds_the_store(tmp_path, make_kg):
    kg = make_kg()  # this process holds the store read-write, as `kg serve` would
    kg.ingest_text("Angela Merkel visited Paris on Monday.", id="m1")
    store = str(tmp_path / "store")
    out = run_kg("query", "-f", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }", "--store", store)
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().split() == ["n", "1"]
    for verb in (("stats",), ("export", "-f", "nq"), ("validate",)):
        assert run_kg(*verb, "--store", store).returncode == 0, verb
    locked = run_kg("ingest", "-q", "--store", store, "-", input=b"Olaf Scholz spoke in Berlin.")
    assert locked.returncode != 0 and "another process" in locked.stderr.decode()
