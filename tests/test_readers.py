"""Readers: every input kind, and every kind of bad input becomes one clear InputError naming file and line."""
import io
import json
import sys

from kg.readers.article import Article
from kg.errors import InputError
from kg.readers.files import read_paths, read_stdin, split_title


def items(*paths, encoding=None):
    return list(read_paths([str(p) for p in paths], encoding))


def test_txt_title_is_first_line_only_when_a_blank_line_follows(tmp_path):
    (tmp_path / "a.txt").write_text("A headline\n\nBody text about Paris.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("No title here\nstill the body.\n", encoding="utf-8")
    a, b = items(tmp_path / "a.txt", tmp_path / "b.txt")
    assert a.title == "A headline" and a.text.startswith("A headline\n\n")  # offsets index the whole file
    assert b.title is None
    assert split_title("x") is None


def test_html_main_text_without_boilerplate(tmp_path):
    page = ("<html><head><title>Rome summit ends</title></head><body><nav>Home | Sport | Weather</nav>"
            "<article><h1>Rome summit ends</h1><p>" + "Leaders met in Rome on Tuesday to discuss trade. " * 6 +
            "</p><p>The talks were chaired by the Italian prime minister and ended with a joint statement.</p>"
            "</article><footer>Privacy policy. Cookie settings.</footer></body></html>")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    [art] = items(tmp_path / "p.html")
    assert isinstance(art, Article)
    assert "Leaders met in Rome" in art.text and "Cookie settings" not in art.text
    assert art.title == "Rome summit ends"


def test_jsonl_good_and_bad_lines(tmp_path):
    lines = [json.dumps({"id": "a1", "text": "Hello Berlin.", "title": "T", "date": "2020-01-02", "url": "http://x"}),
             "{not json",
             json.dumps({"id": "a2", "title": "no text"}),
             "",
             json.dumps(["a", "list"]),
             json.dumps({"id": 7, "text": "Numbers as ids work."})]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = items(tmp_path / "c.jsonl")
    arts = [g for g in got if isinstance(g, Article)]
    errs = [g for g in got if isinstance(g, InputError)]
    assert [a.identifier for a in arts] == ["a1", "7"]
    assert arts[0].date == "2020-01-02" and arts[0].url == "http://x"
    assert [e.where for e in errs] == [f"{tmp_path / 'c.jsonl'}:2", f"{tmp_path / 'c.jsonl'}:3",
                                      f"{tmp_path / 'c.jsonl'}:5"]
    assert "not JSON" in errs[0].reason and "'text'" in errs[1].reason


def test_bad_files_each_get_one_clear_error(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x7fELF\x00\x00\x01binary")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 in Paris".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    got = {e.where.rsplit("/", 1)[-1]: e.reason for e in items(tmp_path)}
    assert "binary" in got["bin.txt"]
    assert "byte offset 3" in got["latin.txt"] and "--encoding" in got["latin.txt"]
    assert "empty" in got["empty.txt"]
    assert "unknown extension '.csv'" in got["data.csv"]
    assert "no such file" in items(tmp_path / "missing.txt")[0].reason


def test_encoding_option_reads_other_encodings(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 in Paris".encode("latin-1"))
    [art] = items(tmp_path / "latin.txt", encoding="latin-1")
    assert art.text == "Café in Paris"


def test_directories_are_recursive_and_sorted_hidden_skipped(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "z.txt").write_text("Zed in Oslo.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Ay in Rome.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    got = items(tmp_path)
    assert [a.text for a in got] == ["Ay in Rome.", "Zed in Oslo."]


def test_stdin_plain_text_and_jsonl(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Title\n\nSome text in Madrid.")))
    [art] = list(read_stdin())
    assert art.title == "Title" and art.identifier is None and art.key().startswith("sha256:")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"id": "s1", "text": "Hi Rome"}\n')))
    [art] = list(read_stdin())
    assert art.identifier == "s1"
