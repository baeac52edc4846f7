"""Generated SPARQL queries and updates that try to smuggle SERVICE or LOAD past the server's check: comments
ending in \\r, \\r\\n or \\n, string and comment decoys, escapes in names (\\#), \\u escapes in keywords and IRIs,
BASE and PREFIX tricks (redefined and empty prefixes, relative IRIs), variables named like keywords and
nested groups. Deterministic (seeded)."""
from __future__ import annotations

import random

KEYWORDS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE", "\\U00000053ervice", "S\\u0045RVICE"]
LOADS = ["LOAD", "load", "\\u004cOAD", "Lo\\u0061d"]
COMMENTS = ["", "#c\r", "#c\r\n", "#c\n", "# SERVICE <http://decoy/> {}\n", "#\r", "#x\\\r", "#'\r", '#"\n']
DECOYS = ['BIND("}" AS ?d1)', "BIND('\\'' AS ?d2)", 'BIND("""a " SERVICE <{url}> b""" AS ?d3)',
          "FILTER(?d4 < ?d5)", "BIND(e:x\\# AS ?d6)", 'BIND("#" AS ?d7)', "?service ?load $from .",
          "BIND(<http://decoy/#> AS ?d8)", "BIND('''LOAD <{url}>''' AS ?d9)", "VALUES ?d10 { 1 2 }", ""]
WRAPPERS = ["{{ {} }}", "OPTIONAL {{ {} }}", "MINUS {{ {} }}", "FILTER EXISTS {{ {} }}", "{{ {} }} UNION {{ }}",
            "{{ SELECT * WHERE {{ {} }} }}", "GRAPH ?g {{ {} }}"]


def _target(rng: random.Random, url: str) -> tuple[str, str]:
    """(prologue, endpoint term) naming the listener in one of several spellings."""
    return rng.choice([
        ("", f"<{url}x>"),
        ("", "<" + url.replace("h", "\\u0068", 1) + "x>"),
        (f"PREFIX p: <{url}>\n", "p:x"),
        (f"PREFIX p: <http://decoy/>\nPREFIX p: <{url}>\n", "p:x"),
        (f"PREFIX : <{url}>\n", ":x"),
        (f"BASE <{url}>\n", "<x>"),
        (f"BASE <http://decoy/>\nBASE <{url}>\n", "<y>"),
        (f"PREFIX p: <{url}>\n", "p:a\\#b"),
        ("", "?endpoint"),
    ])


def queries(n: int, url: str, seed: int = 9) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        prologue, target = _target(rng, url)
        prologue = "PREFIX e: <http://e/>\n" + prologue
        inner = f"{rng.choice(KEYWORDS)} {rng.choice(['', 'SILENT '])}{target} {{ ?s ?p ?o }}"
        if rng.random() < 0.25:  # the clause hidden where it is not code (a string or a comment)
            inner = rng.choice([f'BIND("{inner}" AS ?z)', f"# {inner}\n", f"BIND('''{inner}''' AS ?z)"])
        for _ in range(rng.randrange(4)):
            inner = rng.choice(WRAPPERS).format(inner)
        decoy = rng.choice(DECOYS).replace("{url}", url)
        out.append(f"{prologue}SELECT * WHERE {{ {decoy} {rng.choice(COMMENTS)} {inner} }}")
    return out


def updates(n: int, url: str, seed: int = 10) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        prologue, target = _target(rng, url)
        if target.startswith("?"):
            target = f"<{url}v>"
        op = f"{rng.choice(LOADS)} {rng.choice(['', 'SILENT '])}{target}{rng.choice(['', ' INTO GRAPH <http://g/>'])}"
        out.append(f"{prologue}{rng.choice(COMMENTS)}{op}")
    return out


def check_chunk(texts: list[str], kind: str = "query") -> dict:
    """Run each text through the server's decision (kg.store.scan, empty allow-list) and through Oxigraph itself
    (in memory) with a loopback listener as the endpoint: counts of texts the engine sends to the network
    ('reached'), texts the decision lets through ('accepted'), and the two together ('leaked', must be 0).
    The texts name the listener as http://127.0.0.1:{PORT}/."""
    import pyoxigraph as ox

    from kg.store.scan import QueryRefused, check_federation, scan
    from kg.store.embedded import PREFIX_MAP
    from web_support import Listener

    listener = Listener()
    base = "http://127.0.0.1:1/sparql"
    counts = {"reached": 0, "accepted": 0, "leaked": 0, "total": len(texts)}
    try:
        for template in texts:
            text = template.replace("{PORT}", str(listener.port))
            try:
                check_federation(scan(text, PREFIX_MAP, kind=kind, base=base), ())
                accepted = True
            except QueryRefused:
                accepted = False
            before = listener.connections
            try:
                store = ox.Store()
                if kind == "update":
                    store.update(text, base_iri=base, prefixes=PREFIX_MAP)
                else:
                    result = store.query(text, base_iri=base, prefixes=PREFIX_MAP)
                    if not isinstance(result, ox.QueryBoolean):
                        list(result)
            except (SyntaxError, RuntimeError, OSError, ValueError):
                pass
            reached = listener.connections > before  # counted before the listener closed it: no race
            counts["reached"] += reached
            counts["accepted"] += accepted
            counts["leaked"] += reached and accepted
    finally:
        listener.close()
    return counts

