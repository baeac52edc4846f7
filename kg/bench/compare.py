"""Compare two stores' content modulo the ingest run: what "same output" means for workers, Dask and remote.

Run IRIs and times differ per run by design (PROV-O activity of each ingest), so the run graph is left out and
the run IRI inside article graphs is replaced by a placeholder.
"""
from __future__ import annotations

RUN = "urn:kg:run"


def canonical_quads(store) -> set[tuple[str, str, str, str]]:
    """(graph, s, p, o) in N-Triples syntax over the article graphs, with the run IRI normalised."""
    runs = {g for g in store.named_graphs() if "/run/" in g}
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", union=False)
    out = set()
    for row in rows:
        if row["g"].value in runs:
            continue
        quad = tuple(str(row[v]) for v in ("g", "s", "p", "o"))
        out.add(tuple(_unrun(t, runs) for t in quad))
    return out


def _unrun(term: str, runs: set[str]) -> str:
    return f"<{RUN}>" if term[1:-1] in runs else term
