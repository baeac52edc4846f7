"""Only http(s) article URLs become links (schema:url, xsd:anyURI); any other value is kept as plain text
(kg:urlText), so a javascript: URL can never be rendered as a link (issue 9, finding 5)."""
from __future__ import annotations

import json

import pytest

from kg.mapping.iris import is_web_url

URLS = {"https://news.example/a?x=1#top": True, "HTTP://News.Example/b": True, "javascript:alert(1)": False,
        "JavaScript:alert(1)": False, " javascript:alert(1)": False, "data:text/html,<b>x</b>": False,
        "file:///etc/passwd": False, "/relative/path": False, "//news.example/c": False, "https://": False,
        "https://news.example/a b": False, "https://news.example/\nx": False, "http://[::1": False}


@pytest.mark.parametrize("url,web", URLS.items())
def test_is_web_url(url, web):
    assert is_web_url(url) is web


def test_jsonl_urls_stored_as_link_or_text(make_kg, tmp_path):
    lines = [{"id": "js", "url": "javascript:alert(1)", "text": "Angela Merkel visited Paris on Monday."},
             {"id": "web", "url": "https://news.example/merkel", "text": "Emmanuel Macron visited Berlin."}]
    data = tmp_path / "urls.jsonl"
    data.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    kg = make_kg()
    assert kg.ingest_files([str(data)]).written == 2
    rows = kg.query("""SELECT ?id ?p ?v WHERE { ?a dcterms:identifier ?id ; ?p ?v
                       FILTER(?p IN (schema:url, kg:urlText)) }""")
    got = {(r["id"].value, r["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], r["v"].value,
            r["v"].datatype.value) for r in rows}
    assert got == {("js", "urlText", "javascript:alert(1)", "http://www.w3.org/2001/XMLSchema#string"),
                   ("web", "url", "https://news.example/merkel", "http://www.w3.org/2001/XMLSchema#anyURI")}
