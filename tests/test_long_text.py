"""Articles longer than spaCy's max_length (1,000,000 characters) are processed in pieces with exact offsets,
and never stop the other articles of a run (issue 9, finding 4)."""
from __future__ import annotations

from conftest import run_kg
from kg import KnowledgeGraph
from kg.bench.compare import canonical_quads
from kg.pipeline.longtext import pieces

CITIES = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Warsaw"]


def news(n: int, filler: int = 0) -> str:
    """n distinct paragraphs (repeated ones would be skipped as boilerplate), each followed by ``filler``
    spaces: long texts that spaCy tokenises and parses fast."""
    return "".join(f"Angela Merkel met Emmanuel Macron in {CITIES[i % 6]} on day {i} of the talks.\n\n"
                   + " " * filler + ("\n\n" if filler else "") for i in range(n))


def mentions(kg: KnowledgeGraph) -> dict[str, list[tuple[int, int, str]]]:
    """Each article text -> its mentions (begin, end, anchor)."""
    rows = kg.query("""SELECT ?text ?b ?e ?anchor WHERE { ?m a kg:Mention ; nif:referenceContext ?c ;
                           nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor . ?c nif:isString ?text }""")
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r["text"].value, []).append((int(r["b"].value), int(r["e"].value), r["anchor"].value))
    return out


def test_pieces_cut_at_paragraphs_and_join_back():
    text = news(40)
    parts = pieces(text, 500)
    assert "".join(parts) == text and len(parts) > 5
    assert all(len(p) <= 500 for p in parts)
    assert all(p.endswith("\n\n") for p in parts[:-1])  # a paragraph break in every window
    no_breaks = "word " * 300
    assert "".join(pieces(no_breaks, 100)) == no_breaks and all(p.endswith(" ") for p in pieces(no_breaks, 100))
    assert pieces("x" * 250, 100) == ["x" * 100, "x" * 100, "x" * 50]


def test_text_in_pieces_gives_the_same_graph(make_kg):
    text = news(12)
    whole, cut = make_kg("whole"), make_kg("cut")
    whole.ingest_text(text, id="long")
    limit = cut.nlp.max_length
    cut.nlp.max_length = 300  # the shared pipeline: restored below
    try:
        cut.ingest_text(text, id="long")
    finally:
        cut.nlp.max_length = limit
    assert canonical_quads(cut.store) == canonical_quads(whole.store)
    found = mentions(cut)[text]
    assert len(found) >= 36 and max(b for b, *_ in found) > 300
    assert all(text[b:e] == anchor for b, e, anchor in found)


def test_cli_article_over_a_million_characters_and_the_others(tmp_path):
    big = news(250, filler=4000) + "Olaf Scholz visited Berlin.\n"
    assert len(big) > 1_000_000
    (tmp_path / "good1.txt").write_text("Pedro Sanchez spoke in Madrid on Tuesday.\n")
    (tmp_path / "big.txt").write_text(big)
    (tmp_path / "good2.txt").write_text("Mario Draghi arrived in Rome.\n")
    store = tmp_path / "store"
    r = run_kg("ingest", "-q", "--store", str(store), "good1.txt", "big.txt", "good2.txt", cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert "written 3" in r.stdout.decode()
    with KnowledgeGraph(str(store), read_only=True) as kg:
        found = mentions(kg)
    assert set(found) == {big, "Pedro Sanchez spoke in Madrid on Tuesday.\n", "Mario Draghi arrived in Rome.\n"}
    assert all(big[b:e] == anchor for b, e, anchor in found[big])  # offsets into the exact text
    assert any(anchor == "Olaf Scholz" and b > 1_000_000 for b, _, anchor in found[big])
    assert len(found[big]) >= 3 * 250
