"""Rule tables reach the components through their config, and travel with a saved pipeline (nlp.to_disk,
spacy.load)."""
import json

import pytest
import spacy

from kg.data import load_json
from kg.pipeline import MENTIONS

from conftest import need_shared

TEXT = "Houston glorpmaster Ivan Petrov said the plan was dead."


def found(doc) -> tuple[list, list]:
    return [(s.text, s.label_) for s in doc.spans[MENTIONS]], [(r["title"], r["org"]) for r in doc._.kg_roles]


@pytest.fixture(scope="module")
def titles_file(tmp_path_factory):
    """titles.json with one made-up role word."""
    table = dict(load_json("titles.json"))
    table["roles"] = [*table["roles"], "glorpmaster"]
    table["head_roles"] = [*table["head_roles"], "glorpmaster"]
    path = tmp_path_factory.mktemp("tables") / "titles.json"
    path.write_text(json.dumps(table), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def custom(titles_file):
    from kg.pipeline.nlp import build_pipeline

    cues = {"cues": {"titles": str(titles_file)}}
    return build_pipeline(config={"kg_mentions": cues, "kg_aliases": cues, "kg_roles": cues})


def test_a_table_named_in_the_config_changes_what_the_components_find(nlp, custom):
    mentions, roles = found(nlp(TEXT))
    assert ("Houston", "Place") in mentions and roles == []
    mentions, roles = found(custom(TEXT))  # a role word after a name makes it the role's body
    assert ("Houston", "Organisation") in mentions and roles == [("glorpmaster", "Organisation:houston")]
    assert custom.config["components"]["kg_roles"]["cues"]["titles"].endswith("titles.json")


def test_an_unknown_table_or_file_is_refused_by_name(tmp_path):
    from kg.errors import KGError
    from kg.pipeline.tables import cue_tables

    with pytest.raises(KGError, match="titels"):
        cue_tables({"titels": "titles.json"})
    with pytest.raises(KGError, match="missing.json"):
        cue_tables({"titles": str(tmp_path / "missing.json")})


def test_a_saved_pipeline_keeps_its_tables(custom, titles_file, tmp_path):
    """spacy.load restores the tables the components were saved with, not what the named file says now."""
    seed = next(need_shared("corpus", "seed").glob("*.txt")).read_text(encoding="utf-8")
    custom.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "kg_mentions" / "tables.json").exists()
    titles_file.write_text(json.dumps(load_json("titles.json")), encoding="utf-8")  # the file no longer has the word
    load_json.cache_clear()  # as a new process would read it
    loaded = spacy.load(tmp_path / "pipeline")
    assert found(loaded(TEXT)) == found(custom(TEXT))
    assert found(loaded(seed)) == found(custom(seed))
