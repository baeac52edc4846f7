"""The web UI in real headless Chromium (Debian `chromium`, driven by Playwright): the query page runs queries
and named queries, shows errors, links IRIs to entity pages, which link to highlighted articles; nothing is
fetched from anywhere but our server (the UI works offline)."""
from __future__ import annotations

import shutil

import pytest

from web_support import PARIS, start_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory, "ui")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def page(server):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page()
        pg.requested = []
        pg.on("request", lambda r: pg.requested.append(r.url))
        yield pg
        browser.close()


def test_query_page_runs_the_example_and_links_entities(server, page):
    page.goto(server.url + "/")
    assert "PREFIX kg:" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert "rows" in page.text_content("#status")
    assert page.locator("#downloads a.download").count() == 4
    link = page.locator("#results tbody tr td a").first
    assert link.get_attribute("href").startswith("/entity/person/")
    link.click()
    page.wait_for_selector("h1#label")
    assert page.text_content("#class").strip() == "Person"
    assert page.locator("#mentions li").count() >= 1
    assert page.locator("#mentions mark").count() >= 1
    page.locator("#mentions li a").first.click()
    page.wait_for_selector("article#text mark.mention")
    assert page.locator("article#text mark.person").count() >= 1
    assert page.locator("#entities li").count() >= 3


def test_named_query_with_parameter(server, page):
    page.goto(server.url + "/")
    page.select_option("#named", "articles_mentioning")
    assert "schema:mentions" in page.input_value("#query")
    page.fill("input[data-param=entity]", PARIS)
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert "Leaders meet in Paris" in page.text_content("#results")
    hrefs = [a.get_attribute("href") for a in page.locator("#downloads a.download").all()]
    assert any("/queries/articles_mentioning?" in h and "format=csv" in h for h in hrefs)


def test_construct_and_errors_are_shown(server, page):
    page.goto(server.url + "/")
    page.fill("#query", "CONSTRUCT { ?p a kg:Person } WHERE { ?p a kg:Person }")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#graph:not([hidden])")
    assert "kg:Person" in page.text_content("#graph")
    page.fill("#query", "SELECT ?x WHERE { ?x ?y }")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert "malformed SPARQL" in page.text_content("#error")


def test_named_query_list_and_offline(server, page):
    page.goto(server.url + "/queries")
    assert page.locator("#named-list tbody tr").count() >= 10
    page.locator("#named-list a", has_text="Open").first.click()
    page.wait_for_selector("#params")
    assert page.input_value("#named") != ""
    outside = [u for u in page.requested if not u.startswith(server.url)]
    assert outside == []  # no CDN, no fonts, nothing external
