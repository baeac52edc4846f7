"""Building and opening KB files: every source format, bad input, the CLI, and the shared subset."""
import sqlite3

import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.kb import KBError, open_kb
from kg.kb.build import build
from kg.kb.store import KB, Writer

from conftest import DATA

KB_DATA = DATA / "kb"


def test_ntriples_statements_and_malformed_lines(tmp_path):
    meta = build(tmp_path / "kb.sqlite", [(KB_DATA / "sample.nt", None)])
    src = meta["sources"][0]
    assert (src["format"], src["malformed"], src["malformed_lines"]) == ("ntriples", 2, [9, 11])
    kb = KB(tmp_path / "kb.sqlite")
    alpha = kb.item("Q1001")
    assert (alpha.label, alpha.population, alpha.lon, alpha.lat) == ("Alphaville", 250000.0, 12.5, 41.9)
    assert alpha.values("P31") == ["Q515"] and alpha.values("P17") == ["Q1002"]
    assert ("Q1001", "alias") in kb.lookup('alpha "city"')          # escapes decoded, names normalised
    assert ("Q1002", "demonym") in kb.lookup("Betan")
    assert kb.item("Q1002").sitelinks == 120
    assert kb.lookup("Betalandish") == []                           # the malformed line was skipped
    assert ("Q1003", "surname") in kb.lookup("person")              # derived: a human's last name
    assert kb.info()["counts"]["items"] == 3


def test_turtle_and_gzip_detected_by_content(tmp_path):
    import gzip
    packed = tmp_path / "sample.ttl.gz"
    packed.write_bytes(gzip.compress((KB_DATA / "sample.ttl").read_bytes()))
    build(tmp_path / "kb.sqlite", [(packed, None)])
    kb = KB(tmp_path / "kb.sqlite")
    assert kb.item("Q2001").description == "a region"
    assert ("Q2001", "alias") in kb.lookup("Δelta")
    assert kb.lookup("EPU") == [("Q2002", "short")]
    assert kb.lookup("E.U.") == [("Q2002", "acronym")]               # initials of a label of several words


def test_json_dump_streamed_best_rank_and_bad_line(tmp_path):
    meta = build(tmp_path / "kb.sqlite", [(KB_DATA / "sample.json", None)])
    assert (meta["sources"][0]["malformed"], meta["sources"][0]["malformed_lines"]) == (1, [4])
    kb = KB(tmp_path / "kb.sqlite")
    zeta = kb.item("Q3001")
    assert (zeta.label, zeta.population, zeta.lat, zeta.lon, zeta.sitelinks) == ("Zetaton", 12000.0, 48.1, 11.5, 2)
    assert zeta.values("P17") == ["Q1005"]                          # the deprecated statement is not truthy
    assert kb.item("Q3002").label == "Etaville"                     # a 'mul' label when there is no English one
    assert kb.item("P31") is None


def test_missing_corrupt_and_incompatible_kb_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(KBError, match=r"nothere\.sqlite.*kg kb build"):
        KB(tmp_path / "nothere.sqlite")
    with pytest.raises(KBError, match=r"corrupt\.sqlite.*kg kb build"):
        KB(KB_DATA / "corrupt.sqlite")
    path = tmp_path / "old.sqlite"
    build(path, [(KB_DATA / "sample.ttl", None)])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(KBError, match=r"old\.sqlite: KB schema version '0'.*kg kb build"):
        KB(path)


def test_failed_build_leaves_no_file(tmp_path):
    with pytest.raises(KBError, match="cannot tell the format"):
        build(tmp_path / "kb.sqlite", [(KB_DATA / "sample.ttl", None), (KB_DATA / "corrupt.sqlite", None)])
    assert list(tmp_path.iterdir()) == []


def test_cli_build_and_info(tmp_path):
    out = tmp_path / "kb.sqlite"
    runner = CliRunner()
    result = runner.invoke(main, ["kb", "build", str(KB_DATA / "sample.nt"), str(KB_DATA / "sample.json"),
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 malformed lines skipped (first: [9, 11])" in result.output
    result = runner.invoke(main, ["kb", "info", "--kb", str(out)])
    assert result.exit_code == 0, result.output
    assert "Q515" in result.output and "-> Place" in result.output and "sample.json (json)" in result.output
    result = runner.invoke(main, ["kb", "info", "--kb", str(tmp_path / "none.sqlite")])
    assert result.exit_code != 0 and "kg kb build" in result.output


def test_shared_subset(kb_path):
    kb = open_kb(kb_path)
    counts = kb.info()["counts"]
    assert counts["items"] > 180_000 and counts["p31"]["Q5"] > 100_000
    assert kb.item("Q649").label == "Moscow" and kb.item("Q649").values("P17") == ["Q159"]
    assert ("Q423", "demonym") in kb.lookup("North Korean")


@pytest.mark.parametrize("order", ["forward", "reversed"])
def test_writer_upserts_in_any_order_across_batches(tmp_path, order):
    statements = [("Q9", "mullabel", "Ortschaft"), ("Q9", "label", "Town of Ville"), ("Q9", "P1082", 5000.0),
                  ("Q9", "P625", (11.5, 48.1)), ("Q9", "sitelinks", 3), ("Q9", "description", "a town"),
                  ("Q9", "P31", "Q515"), ("Q9", "alias", "Town Ville")]
    writer = Writer(tmp_path / "kb.sqlite", batch=1)        # every statement in its own batch
    for st in statements if order == "forward" else statements[::-1]:
        writer.add(*st)
    writer.finish({})
    kb = KB(tmp_path / "kb.sqlite")
    item = kb.item("Q9")
    assert (item.label, item.description, item.population, item.lon, item.lat, item.sitelinks) == (
        "Town of Ville", "a town", 5000.0, 11.5, 48.1, 3)             # the English label wins over the 'mul' one
    assert ("Q9", "alias") in kb.lookup("Ortschaft") and ("Q9", "acronym") in kb.lookup("TV")
    assert kb.item("Q9").values("P31") == ["Q515"]
