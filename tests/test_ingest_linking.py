"""Linking through the whole ingest: owl:sameAs in the stored graph, KB version in provenance and fingerprint."""
from conftest import need_shared, run_kg


def test_seed_ingest_links_to_wikidata(make_kg, kb_path):
    seed = need_shared("corpus", "seed")
    kg = make_kg(kb=str(kb_path))
    assert kg.ingest_files([str(seed)]).written == 1
    links = {r["q"].value.rsplit("/", 1)[-1] for r in kg.query("SELECT ?q WHERE { ?e owl:sameAs ?q }")}
    assert {"Q7747", "Q22686", "Q159", "Q212", "Q30", "Q649", "Q851", "Q3178", "Q423"} <= links
    # "North Korean" is a nationality link to the country, not a person or organisation
    rows = list(kg.query("""SELECT ?t WHERE { ?n a kg:NationalityMention ; nif:anchorOf "North Korean" ;
                                               kg:nationality ?c . ?c owl:sameAs wd:Q423 ; a ?t }"""))
    assert rows and {r["t"].value.rsplit("#", 1)[-1] for r in rows} == {"Place"}
    kb = [r["v"].value for r in kg.query("SELECT ?v WHERE { ?r a kg:IngestRun ; kg:knowledgeBase ?v }")]
    assert kb and kb[0].startswith("kg-kb/")
    # a linked entity's IRI is minted from its QID, the same in every article
    assert any(r["e"].value.endswith("/entity/Q7747") for r in kg.query("SELECT ?e WHERE { ?e owl:sameAs wd:Q7747 }"))


def test_linker_none_and_cli_kb_option(tmp_path, kb_path):
    text = b"Vladimir Putin spoke in Moscow on Monday."
    r = run_kg("ingest", "-q", "--store", str(tmp_path / "a"), "--linker", "none", "-", input=text)
    assert r.returncode == 0
    q = "ASK { ?e owl:sameAs ?w }"
    assert run_kg("query", q, "--store", str(tmp_path / "a")).stdout.strip() == b"false"
    r = run_kg("ingest", "-q", "--store", str(tmp_path / "b"), "--kb", str(kb_path), "-", input=text)
    assert r.returncode == 0, r.stderr
    assert run_kg("query", q, "--store", str(tmp_path / "b")).stdout.strip() == b"true"
    bad = run_kg("ingest", "-q", "--store", str(tmp_path / "c"), "--kb", str(tmp_path / "nope.sqlite"), "-", input=text)
    assert bad.returncode != 0 and "nope.sqlite" in bad.stderr.decode() and "kg kb build" in bad.stderr.decode()
