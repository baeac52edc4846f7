"""The research workbench in real headless Chromium (Debian `chromium`, driven by Playwright): the CodeMirror query
editor marks syntax errors, results are paged, sortable and shortened, shared URLs reproduce results, the timeline,
map and network draw one element per fact, the search box finds entities by alias; nothing is fetched from anywhere
but our server (the UI works offline). SCREENSHOTS=docs/screenshots saves a picture of each view."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import requests

from web_support import BASE, MERKEL, PARIS, start_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Coordinates as `kg enrich` writes them (wdt:P625 on the Wikidata item the entity is owl:sameAs), and an alias
# the extraction never saw: written after the search index was built, so the server must find the index stale.
EXTRA = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/> PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {{
  GRAPH <{BASE}graph/test-links> {{
    <{BASE}entity/place/paris> owl:sameAs wd:Q90 . <{BASE}entity/place/berlin> owl:sameAs wd:Q64 .
    <{BASE}entity/place/lisbon> owl:sameAs wd:Q597 . <{BASE}entity/place/brussels> owl:sameAs wd:Q239 .
    <{MERKEL}> skos:altLabel "Mutti" . }}
  GRAPH <{BASE}graph/wikidata-enrichment> {{
    wd:Q90 wdt:P625 "Point(2.35 48.86)"^^geo:wktLiteral . wd:Q64 wdt:P625 "Point(13.40 52.52)"^^geo:wktLiteral .
    wd:Q597 wdt:P625 "Point(-9.14 38.72)"^^geo:wktLiteral . wd:Q239 wdt:P625 "Point(4.35 50.85)"^^geo:wktLiteral . }}
}}"""
PLACES_QUERY = """SELECT DISTINCT ?place ?label ?coord WHERE {
  ?place a kg:Place ; rdfs:label ?label ; owl:sameAs ?wd . ?wd wdt:P625 ?coord }"""
DATES_QUERY = """SELECT DISTINCT ?article ?headline ?date WHERE {
  ?article a kg:Article ; schema:headline ?headline ; schema:datePublished ?date }"""
PAIRS_QUERY = """SELECT ?a ?a_label ?b ?b_label (COUNT(DISTINCT ?doc) AS ?shared) WHERE {
  ?doc schema:mentions ?a, ?b . FILTER(STR(?a) < STR(?b)) ?a rdfs:label ?a_label . ?b rdfs:label ?b_label
} GROUP BY ?a ?a_label ?b ?b_label"""


def add_extra(store: Path) -> None:
    from kg.graph import KnowledgeGraph

    with KnowledgeGraph(str(store), base_iri=BASE) as kg:
        kg.search_index.ensure_fresh()
        kg.store.update(EXTRA)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory, "ui", prepare=add_extra)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser(server):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    pg.requested, pg.errors = [], []
    pg.on("request", lambda r: pg.requested.append(r.url))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    assert not pg.errors, pg.errors
    assert all(u.startswith((server.url, "data:")) for u in pg.requested), "fetched from elsewhere"
    context.close()


def shot(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sparql(server, query: str) -> list[dict]:
    r = requests.post(server.url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return r.json()["results"]["bindings"]


def set_query(page, text: str) -> None:
    page.evaluate("t => window.kgEditor.setValue(t)", text)


def test_syntax_error_is_marked_in_the_editor(server, page):
    page.goto(server.url + "/")
    page.click("#editor .cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text("SELECT ?x WHERE {\n?x a kg:Person .\n?x rdfs:label ?l ) }")  # as pasted
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#editor .cm-lintRange-error")
    message = page.text_content("#error")
    assert "line 3, column" in message and len(message) < 120 and "\\u{" not in message
    assert page.locator("#editor .cm-lint-marker-error").count() == 1
    shot(page, "query-error")


def test_results_are_paged_sorted_shortened_and_linked(server, page):
    page.goto(server.url + "/")
    page.keyboard.press("Control+Enter")  # the example query
    page.wait_for_selector("#results tbody tr")
    shot(page, "query-table")
    set_query(page, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 120")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    assert page.locator("#results tbody tr").count() == 50
    assert "page 1 of 3 (120 rows)" in page.text_content("#page-info")
    page.click("#page-last")
    assert page.locator("#results tbody tr").count() == 20
    page.select_option("#page-size", "20")
    assert "page 1 of 6" in page.text_content("#page-info")
    page.click("#results th[data-var=o]")
    first = page.locator("#results tbody tr td:nth-child(3)").all_text_contents()
    page.click("#results th[data-var=o]")
    assert page.get_attribute("#results th[data-var=o]", "aria-sort") == "descending"
    assert page.locator("#results tbody tr td:nth-child(3)").all_text_contents() != first
    set_query(page, f"SELECT ?who WHERE {{ BIND(<{MERKEL}> AS ?who) }}")
    page.click("#run")
    link = page.locator("#results tbody td a").first
    page.wait_for_selector("#results tbody td a")
    assert link.text_content() == "entity:person/angela-merkel"
    link.click()
    page.wait_for_selector("h1#label")
    assert "Angela Merkel" in page.text_content("h1#label")


def test_a_shared_url_reproduces_the_result(server, page, browser):
    page.goto(server.url + "/")
    set_query(page, "SELECT ?label WHERE { ?e a kg:Place ; rdfs:label ?label } ORDER BY ?label")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    rows, url = page.locator("#results tbody").text_content(), page.url
    assert "query=" in url
    other = browser.new_page()
    other.goto(url)
    other.wait_for_selector("#results tbody tr")
    assert other.locator("#results tbody").text_content() == rows
    # a named query opened in the browser: the page, with its parameter, runs it
    other.goto(f"{server.url}/queries/articles_mentioning?entity={requests.utils.quote(PARIS)}")
    other.wait_for_selector("#results tbody tr")
    assert other.input_value("input[data-param=entity]") == PARIS
    assert "Leaders meet in Paris" in other.text_content("#results")
    other.close()


def test_pictures_draw_one_element_per_fact(server, page):
    places, dated, pairs = (sparql(server, q) for q in (PLACES_QUERY, DATES_QUERY, PAIRS_QUERY))
    assert places and dated and pairs
    page.goto(server.url + "/?view=map&query=" + requests.utils.quote(PLACES_QUERY))
    page.wait_for_selector("#view-map svg")
    assert page.locator("#view-map .map-point").count() == len(places)
    assert page.locator("#view-map .country").count() > 150  # Natural Earth outlines, offline
    shot(page, "view-map")
    set_query(page, DATES_QUERY)
    page.click("#run")
    page.click("#views button[data-name=timeline]")
    assert page.locator("#view-timeline .tl-item").count() == len(dated)
    shot(page, "view-timeline")
    page.click("#views button[data-name=chart]")
    months = {r["date"]["value"][:7] for r in dated}
    assert page.locator("#view-chart .bar").count() == len(months)
    set_query(page, PAIRS_QUERY)
    page.click("#run")
    page.click("#views button[data-name=network]")
    page.wait_for_selector("#view-network canvas")
    nodes = {r[k]["value"] for r in pairs for k in ("a", "b")}
    assert int(page.get_attribute("#view-network", "data-nodes")) == len(nodes)
    assert int(page.get_attribute("#view-network", "data-edges")) == len(pairs)
    shot(page, "view-network")


def test_entity_page_pictures(server, page):
    page.goto(server.url + "/entity/person/angela-merkel")
    page.wait_for_selector("#entity-timeline svg")
    data = {k: json.loads(page.text_content(f"#data-{k}")) for k in ("timeline", "map", "network")}
    dated = [b for b in data["timeline"]["results"]["bindings"] if "date" in b]
    assert dated and page.locator("#entity-timeline .tl-item").count() == len(dated)
    places = {b["place"]["value"] for b in data["map"]["results"]["bindings"]}
    assert places and page.locator("#entity-map .map-point").count() == len(places)
    others = {b["other"]["value"] for b in data["network"]["results"]["bindings"]}
    assert int(page.get_attribute("#entity-network", "data-nodes")) == len(others) + 1
    shot(page, "entity")


def test_article_page_nests_entity_marks_inside_claims(server, page):
    page.goto(server.url + "/entity/person/angela-merkel")
    page.locator("#mentions li a", has_text="Leaders meet in Paris").first.click()
    page.wait_for_selector("article#text")
    inner = page.locator("article#text mark.claim mark.entity a")
    assert inner.count() >= 1  # e.g. Germany inside "Germany would send more aid to Ukraine"
    assert page.locator("#legend mark").count() >= 4
    assert page.locator("#claims li a[href^='#char=']").count() >= 1
    assert page.locator("#events tr").count() >= 2 and page.locator("#times li").count() >= 1
    shot(page, "article")


def test_search_box_finds_an_entity_by_alias(server, page):
    page.goto(server.url + "/")
    page.fill("#search", "mutt")
    page.wait_for_selector("#search-results li a")
    assert page.locator("#search-results li a").first.text_content() == "Angela Merkel"
    shot(page, "search")
    page.press("#search", "Enter")
    page.wait_for_selector("h1#label")
    assert page.url.endswith("/entity/person/angela-merkel")
