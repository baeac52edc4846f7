"""Feeds, pages and watched folders against a real HTTP server on 127.0.0.1 (tests/feed_server.py)."""
from __future__ import annotations

import time
from contextlib import nullcontext

import pytest
from conftest import run_kg
from feed_server import ARTICLES, FeedServer, Route, atom, page, rss

from kg.feeds.fetch import FetchConfig, FetchError, Fetcher
from kg.feeds.run import ingest_streams, last_updates, sources_graph
from kg.feeds.sources import SourceReader
from kg.feeds.state import WatchState
from kg.feeds.watch import Watcher

FAST = dict(delay=0.0, retries=1, backoff=0.05, timeout=2.0, deadline=2.0)


@pytest.fixture
def server():
    with FeedServer() as srv:
        srv.site()
        yield srv


def fetcher(**overrides) -> Fetcher:
    return Fetcher(FetchConfig(**{**FAST, **overrides}))


def ingest(kg, *sources, **config):
    reader = SourceReader(fetcher(**config))
    return ingest_streams(kg, [(s, item) for s in sources for item in reader.read(s, [])])


def articles(kg) -> dict[str, dict]:
    """article IRI -> {headline, date, urls, source, text}"""
    out = {}
    for row in kg.query("""SELECT ?a ?h ?d ?u ?s ?t WHERE { GRAPH ?a { ?a a kg:Article ; kg:hasContext ?c .
            ?c nif:isString ?t OPTIONAL { ?a schema:headline ?h } OPTIONAL { ?a schema:datePublished ?d }
            OPTIONAL { ?a schema:url ?u } OPTIONAL { ?a kg:source ?s } } }"""):
        a = out.setdefault(row["a"].value, {"urls": set()})
        a.update(headline=row["h"] and row["h"].value, date=row["d"] and row["d"].value,
                 source=row["s"] and row["s"].value, text=row["t"].value)
        if row["u"] is not None:
            a["urls"].add(row["u"].value)
    return out


# ---------------------------------------------------------------- the polite client (no spaCy)

def test_fetcher_names_itself_and_obeys_robots(server):
    f = fetcher()
    f.get(server.base + "/news/harbour.html")
    assert server.requests_to("/robots.txt"), "robots.txt is read before the first page"
    assert server.requests_to("/news/harbour.html")[0]["User-Agent"].startswith("kg-news/")
    with pytest.raises(FetchError, match="robots.txt .* disallows"):
        f.get(server.base + "/private/secret.html")
    assert not server.requests_to("/private/secret.html")
    assert fetcher(robots=False).get(server.base + "/private/secret.html").status == 200


def test_conditional_requests(server):
    f = fetcher()
    first = f.get(server.base + "/feed.xml")
    assert first.status == 200 and first.etag and first.last_modified
    assert f.get(server.base + "/feed.xml", etag=first.etag).not_modified
    assert f.get(server.base + "/feed.xml", last_modified=first.last_modified).not_modified
    assert server.requests_to("/feed.xml")[-1]["If-Modified-Since"] == first.last_modified
    server.routes["/feed.xml"].body += b"\n"
    assert f.get(server.base + "/feed.xml", etag=first.etag).status == 200


@pytest.mark.parametrize("route, config, message", [
    (Route(b"x" * 5000), {"max_bytes": 1000}, "larger than the limit of 1000"),
    (Route(b"<html>" + b"x" * 200, slow=0.05), {"deadline": 0.5}, "longer than 0.5 s"),
    (Route(b"<html><p>cut</p>", broken=True), {}, "broke off"),
    (Route(b"", status=500), {}, r"HTTP 500 .*\(after 2 attempts\)"),
])
def test_limits_stop_bad_responses(server, route, config, message):
    server.routes["/bad"] = route
    started = time.monotonic()
    with pytest.raises(FetchError, match=message):
        fetcher(**config).get(server.base + "/bad")
    assert time.monotonic() - started < 5


def test_retry_redirects_and_rate_limit(server):
    server.routes["/flaky"] = Route(page("storm"), fail_first=1)
    assert fetcher().get(server.base + "/flaky").status == 200
    server.routes["/moved"] = Route(status=301, headers={"Location": "/news/storm.html"}, validators=False)
    assert fetcher().get(server.base + "/moved").url == server.base + "/news/storm.html"
    server.routes["/loop-a"] = Route(status=302, headers={"Location": "/loop-b"}, validators=False)
    server.routes["/loop-b"] = Route(status=302, headers={"Location": "/loop-a"}, validators=False)
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher().get(server.base + "/loop-a")
    f, started = fetcher(delay=0.2), time.monotonic()
    for key in ("harbour", "vaccine", "election"):
        f.get(f"{server.base}/news/{key}.html")
    assert time.monotonic() - started >= 0.6  # robots.txt + 3 pages, 0.2 s apart


def test_unreachable_host():
    with FeedServer() as closed:
        url = closed.base + "/feed.xml"
    with pytest.raises(FetchError, match="cannot connect to 127.0.0.1"):
        fetcher().get(url)


# ---------------------------------------------------------------- feeds and pages into the graph

def test_rss_and_atom_feeds_become_articles(server, make_kg):
    kg = make_kg()
    report = ingest(kg, server.base + "/feed.xml")
    assert (report.summary.written, report.summary.skipped) == (3, [])
    got = articles(kg)
    harbour = next(a for a in got.values() if a["headline"] == ARTICLES["harbour"][0])
    assert harbour["urls"] == {server.base + "/news/harbour.html"}
    assert harbour["source"] == server.base + "/feed.xml"
    assert harbour["date"] == "2025-07-01"  # the feed's pubDate
    assert "Mayor Helen Ortiz" in harbour["text"] and "Copyright" not in harbour["text"]
    # the Atom feed (no dates) lists the same pages: same URL and text -> unchanged
    report = ingest(kg, server.base + "/atom.xml")
    assert (report.summary.written, report.summary.unchanged) == (0, 3)
    modified, sources = last_updates(kg.store, kg.minter.base)
    assert modified and {s for _, s in sources} == {server.base + "/feed.xml"}
    assert sources_graph(kg.minter.base) in kg.store.named_graphs()


def test_identity_changed_text_and_syndication(server, make_kg):
    kg = make_kg()
    url = server.base + "/news/storm.html"
    assert ingest(kg, url).summary.written == 1
    assert ingest(kg, url).summary.unchanged == 1
    server.routes["/news/storm.html"] = Route(page("storm", ARTICLES["storm"][1].replace("forty", "sixty")))
    assert ingest(kg, url).summary.written == 1
    got = articles(kg)
    assert len(got) == 1 and "sixty schools" in next(iter(got.values()))["text"]
    # the same text under a second URL: one article, both URLs
    server.routes["/wire/storm-copy.html"] = Route(page("storm", ARTICLES["storm"][1].replace("forty", "sixty")))
    report = ingest(kg, server.base + "/wire/storm-copy.html")
    assert report.summary.written == 0 and len(report.syndicated) == 1
    got = articles(kg)
    assert len(got) == 1 and next(iter(got.values()))["urls"] == {url, server.base + "/wire/storm-copy.html"}
    # two copies inside one run: the second one's URL is added once the first is stored
    server.routes["/a.html"] = Route(page("vaccine"))
    server.routes["/b.html"] = Route(page("vaccine"))
    report = ingest(kg, server.base + "/a.html", server.base + "/b.html")
    assert report.summary.written == 1 and len(report.syndicated) == 1
    vaccine = [a for a in articles(kg).values() if "Eastfield" in a["text"]]
    assert len(vaccine) == 1 and vaccine[0]["urls"] == {server.base + "/a.html", server.base + "/b.html"}


def test_remote_store_identity_and_sources(server, tmp_path, nlp):
    """The same lookups and writes through the SPARQL protocol (`oxigraph serve` as the store)."""
    from kg import KnowledgeGraph
    from kg.bench import servers

    port = servers.free_port()
    with servers.oxigraph(str(tmp_path / "oxigraph"), port):
        kg = KnowledgeGraph(f"sparql+http://127.0.0.1:{port}")
        try:
            server.routes["/copy.html"] = Route(page("harbour"))
            assert ingest(kg, server.base + "/news/harbour.html").summary.written == 1
            assert ingest(kg, server.base + "/news/harbour.html").summary.unchanged == 1
            assert len(ingest(kg, server.base + "/copy.html").syndicated) == 1
            got = articles(kg)
            assert len(got) == 1 and len(next(iter(got.values()))["urls"]) == 2
            assert last_updates(kg.store, kg.minter.base)[1][0][1] == server.base + "/copy.html"
        finally:
            kg.close()


def test_bad_sources_are_one_line_each_and_change_nothing(server, tmp_path):
    server.routes["/broken-feed.xml"] = Route(b"<rss version='2.0'><channel><item><title>x</title>",
                                              content_type="application/rss+xml")
    server.routes["/empty.html"] = Route(b"<html><head><title>Gallery</title></head><body><div><img src='a.jpg'></div></body></html>")
    server.routes["/photo.png"] = Route(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, content_type="image/png")
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"}, validators=False)
    with FeedServer() as closed:
        unreachable = closed.base + "/feed.xml"
    bad = [unreachable, server.base + "/nothing-here", server.base + "/broken-feed.xml", server.base + "/empty.html",
           server.base + "/photo.png", server.base + "/loop"]
    store = str(tmp_path / "store")
    env = {"KG_FETCH_DELAY": "0", "KG_FETCH_RETRIES": "0"}
    r = run_kg("ingest", "-q", "--store", store, *bad, server.base + "/news/harbour.html", env=env)
    err = r.stderr.decode()
    assert r.returncode == 1, err
    lines = [line for line in err.splitlines() if line.startswith("skipped ")]
    assert len(lines) == len(bad), err
    for url, expected in zip(bad, ["cannot connect", "HTTP 404", "not a well-formed RSS or Atom feed",
                                   "no main text", "neither HTML nor an RSS/Atom feed", "redirect loop"]):
        assert any(line.startswith(f"skipped {url}: ") and expected in line for line in lines), (url, err)
    assert "written 1" in r.stdout.decode()


# ---------------------------------------------------------------- watching

def test_watch_feed_and_folder_only_new_or_changed(server, make_kg, tmp_path):
    kg = make_kg()
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "one.txt").write_text("Quarry closes\n\nThe Stonegate quarry closed on Monday after ninety years.\n")
    state_path = str(tmp_path / "watch.sqlite")
    sources = [server.base + "/feed.xml", str(folder)]
    watcher = Watcher(sources, WatchState(state_path), fetcher())
    first = watcher.poll(lambda: nullcontext(kg))
    assert (first.summary.written, first.summary.skipped) == (4, [])
    watcher.state.close()
    # a restart: the state is read back; the feed answers 304 to the conditional request
    watcher = Watcher(sources, WatchState(state_path), fetcher())
    pages_before = len(server.requests_to("/news/harbour.html"))
    assert watcher.poll(lambda: nullcontext(kg)).summary.read == 0
    assert server.requests_to("/feed.xml")[-1].get("If-None-Match")
    assert len(server.requests_to("/news/harbour.html")) == pages_before
    # a new item, a new file and a changed file
    gone = f"<item><title>Gone</title><link>{server.base}/news/gone.html</link></item></channel>".encode()
    server.routes["/feed.xml"].body = rss(server.base, ["harbour", "vaccine", "election", "storm"]).replace(
        b"</channel>", gone)
    (folder / "two.txt").write_text("Library opens\n\nA public library opened in Ashford on Saturday morning.\n")
    (folder / "one.txt").write_text("Quarry closes\n\nThe Stonegate quarry closed on Tuesday after ninety years.\n")
    third = watcher.poll(lambda: nullcontext(kg))
    assert (third.summary.read, third.summary.written) == (3, 3)
    assert [w for w, _ in third.summary.skipped] == [server.base + "/news/gone.html"]
    assert any(a["headline"] == ARTICLES["storm"][0] for a in articles(kg).values())
    # the 404 is reported once: the next poll gets 304 for the feed and does not ask for the item again
    assert watcher.poll(lambda: nullcontext(kg)).summary.skipped == []
    assert len(server.requests_to("/news/gone.html")) == 1
    assert watcher.state.polled(server.base + "/feed.xml")
    watcher.state.close()


def test_watch_with_workers_keeps_one_warm_pool(server, make_kg, tmp_path):
    """`kg watch --workers 2`: the first poll that finds something starts the pool, later polls reuse it, and the
    article graphs are those a watch without workers stores."""
    from kg.bench.compare import canonical_quads
    from kg.ingest import pool

    feed = server.base + "/feed.xml"
    one, two = make_kg("one"), make_kg("two")
    plain = Watcher([feed], WatchState(str(tmp_path / "one.sqlite")), fetcher()).poll(lambda: nullcontext(one))
    watcher = Watcher([feed], WatchState(str(tmp_path / "two.sqlite")), fetcher())
    pool.stop_workers()
    try:
        first = watcher.poll(lambda: nullcontext(two), workers=2)
        started = pool._pool
        assert started is not None and started.workers == 2 and len(started.processes()) == 2
        assert first.summary.written == plain.summary.written == 3
        articles = set(first.summary.articles)
        assert ({q for q in canonical_quads(two.store) if q[0][1:-1] in articles}
                == {q for q in canonical_quads(one.store) if q[0][1:-1] in articles})
        server.routes["/feed.xml"].body = rss(server.base, ["harbour", "vaccine", "election", "storm"])
        second = watcher.poll(lambda: nullcontext(two), workers=2)
        assert second.summary.written == 1 and pool._pool is started  # the same warm processes
    finally:
        watcher.state.close()
        pool.stop_workers()


def test_watch_once_twice_ingests_once(server, tmp_path):
    """The issue's done-when: `kg watch URL --once` twice ingests the feed once; a new item comes next poll."""
    store, env = str(tmp_path / "store"), {"KG_FETCH_DELAY": "0"}
    feed = server.base + "/atom.xml"
    r1 = run_kg("watch", "--once", "--workers", "2", "--store", store, feed, env=env)  # a pool, and an exit after it
    assert r1.returncode == 0 and "written 3" in r1.stdout.decode(), r1.stderr.decode()
    r2 = run_kg("watch", "--once", "--store", store, feed, env=env)
    assert r2.returncode == 0 and "read 0, written 0" in r2.stdout.decode(), r2.stderr.decode()
    server.routes["/atom.xml"].body = atom(server.base, ["harbour", "vaccine", "election", "storm"])
    r3 = run_kg("watch", "--once", "--store", store, feed, env=env)
    assert "read 1, written 1" in r3.stdout.decode(), r3.stderr.decode()
    assert (tmp_path / "store.watch.sqlite").is_file()


def test_serve_watch_keeps_the_endpoint_current(server, tmp_path_factory):
    """`kg serve --watch FEED`: a background thread ingests through the server's store; VoID, the service
    description and the index page say when the graph was last updated and from which source."""
    import pyoxigraph as ox
    import requests
    from web_support import start_server

    feed = server.base + "/feed.xml"
    srv = start_server(tmp_path_factory, "watch", env={"KG_FETCH_DELAY": "0"},
                       args=("--watch", feed, "--watch-interval", "1"))

    def count() -> int:
        r = requests.get(srv.url + "/sparql", params={"query": "SELECT (COUNT(DISTINCT ?a) AS ?n) { ?a a kg:Article }"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=10)
        return int(r.json()["results"]["bindings"][0]["n"]["value"])

    def wait_for(n: int) -> None:
        deadline = time.monotonic() + 90
        while count() != n and time.monotonic() < deadline:
            time.sleep(0.5)
        assert count() == n, (srv.store.parent / "server.log").read_text()

    try:
        wait_for(4 + 3)  # the template store's four articles and the feed's three
        dcterms = "http://purl.org/dc/terms/"
        for path in ("/.well-known/void", "/sparql"):
            r = requests.get(srv.url + path, headers={"Accept": "application/n-triples"}, timeout=10)
            triples = list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))
            assert ox.NamedNode(feed) in {t.object for t in triples if t.predicate.value == dcterms + "source"}, path
            assert any(t.predicate.value == dcterms + "modified" for t in triples), path
        index = requests.get(srv.url + "/", timeout=10).text
        assert 'id="last-updated"' in index and feed in index
        server.routes["/feed.xml"].body = rss(server.base, ["harbour", "vaccine", "election", "storm"])
        wait_for(4 + 4)
    finally:
        srv.stop()
    assert srv.proc.returncode is not None
