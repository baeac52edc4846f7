"""The Wikidata JSON dump at scale: the item filter, values of unexpected types, parallel decompression."""
import bz2
import gzip
import json
import shutil

import pytest
from click.testing import CliRunner

from kg.bench.wikidump import FIRST_QID, Namesakes, write_dump
from kg.cli.main import main
from kg.data import load_json
from kg.kb import KBError
from kg.kb.build import build
from kg.kb.rdf import open_binary
from kg.kb.store import KB


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    path = tmp_path_factory.mktemp("dump") / "dump.json"
    write_dump(path, 400, seed=7)
    return path


def _items(path):
    return [json.loads(line.rstrip(",\n")) for line in path.read_text().splitlines()[1:-1]]


def _p31(entity):
    return {c["mainsnak"]["datavalue"]["value"]["id"] for c in entity["claims"].get("P31", [])}


def test_filter_keeps_news_entities_and_drops_the_rest(dump, tmp_path):
    meta = build(tmp_path / "kb.sqlite", [(dump, None)])
    src = meta["sources"][0]
    assert src["items_kept"] + src["items_dropped"] == 400 and src["items_kept"] > 0 and src["items_dropped"] > 0
    kb = KB(tmp_path / "kb.sqlite")
    mapped, excluded = set(load_json("p31_class_map.json")["classes"]), set(load_json("kb_filter.json")["excluded"])
    kept = {q for q in kb.qids()}
    checked = {"mapped": 0, "excluded": 0, "unlabelled": 0}
    for entity in _items(dump):
        named = bool({"en", "mul"} & set(entity["labels"]))
        classes = _p31(entity)
        if named and classes & mapped:
            assert entity["id"] in kept, entity["id"]
            checked["mapped"] += 1
        elif classes & excluded:
            assert entity["id"] not in kept, entity["id"]        # scholarly articles, categories (with sitelinks)...
            checked["excluded"] += 1
        elif not named:
            assert entity["id"] not in kept, entity["id"]
            checked["unlabelled"] += 1
    assert all(checked.values()), checked


def test_all_items_flag_keeps_everything(dump, tmp_path):
    out = tmp_path / "kb.sqlite"
    result = CliRunner().invoke(main, ["kb", "build", str(dump), "--format", "json", "--all-items", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(KB(out).qids()) == 400


def test_values_of_unexpected_type_are_skipped_and_counted(tmp_path):
    good = {"type": "item", "id": "Q77", "labels": {"en": {"language": "en", "value": "Gammaburg"}},
            "claims": {"P31": [{"mainsnak": {"snaktype": "value", "datavalue": {"value": {"id": "Q515"}}},
                                "rank": "normal"}]}}
    odd = json.loads(json.dumps(good))
    odd["id"] = "Q78"
    odd["aliases"] = {"en": [{"language": "en", "value": {"id": "Q5"}}]}        # an item where a string belongs
    odd["claims"]["P17"] = [{"mainsnak": {"snaktype": "value", "datavalue": {"value": "Q183"}}, "rank": "normal"}]
    odd["claims"]["P1082"] = [{"mainsnak": {"snaktype": "value", "datavalue": {"value": {"amount": "many"}}},
                               "rank": "normal"}]
    path = tmp_path / "odd.json"
    path.write_text("[\n" + json.dumps(good) + ",\n" + json.dumps(odd) + "\n]\n")
    out = tmp_path / "kb.sqlite"
    result = CliRunner().invoke(main, ["kb", "build", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 values of an unexpected type skipped (P1082: 1, P17: 1, alias: 1)" in result.output
    kb = KB(out)
    assert kb.item("Q78").label == "Gammaburg" and kb.item("Q78").values("P17") == []   # the rest of Q78 is kept
    assert kb.item("Q77").values("P31") == ["Q515"]


@pytest.mark.parametrize("tools", [True, False], ids=["external", "thread"])
@pytest.mark.parametrize("pack", [gzip.compress, bz2.compress], ids=["gz", "bz2"])
def test_compressed_dumps_read_the_same_with_and_without_a_decompressor(dump, tmp_path, tools, pack):
    if tools and not (shutil.which("pigz") or shutil.which("gzip")):
        pytest.skip("no external decompressor on PATH")
    packed = tmp_path / "dump.json.z"
    packed.write_bytes(pack(dump.read_bytes()))
    with open_binary(packed, tools=tools) as f:
        assert f.read() == dump.read_bytes()


def test_truncated_dump_is_an_error_and_leaves_no_kb(dump, tmp_path):
    packed = tmp_path / "dump.json.gz"
    data = gzip.compress(dump.read_bytes())
    packed.write_bytes(data[: len(data) // 2])
    with pytest.raises(KBError, match=r"dump\.json\.gz: cannot read the dump to its end"):
        build(tmp_path / "kb.sqlite", [(packed, None)])
    assert not (tmp_path / "kb.sqlite").exists()


def test_synthetic_namesakes_bear_real_names_above_every_real_qid(dump, tmp_path):
    kb_file = tmp_path / "real.sqlite"
    build(kb_file, [(dump, None)])
    real = Namesakes.from_kb(kb_file, share=1.0)           # the kept people, places and organisations lend names
    assert real.names["human"] and real.names["place"]
    namesakes = tmp_path / "namesakes.json"
    write_dump(namesakes, 200, seed=3, namesakes=Namesakes(real.names, ["Q183"], share=1.0))
    people = [e for e in _items(namesakes) if _p31(e) == {"Q5"}]
    assert people and all(int(e["id"][1:]) > FIRST_QID for e in _items(namesakes))
    assert {e["labels"]["en"]["value"] for e in people if "en" in e["labels"]} <= set(real.names["human"])
    assert all(e["claims"]["P27"][0]["mainsnak"]["datavalue"]["value"]["id"] == "Q183" for e in people)
