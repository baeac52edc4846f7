"""Replicate an ingested store under new article and entity IRIs, keeping its shape: the stand-in for a store
of real news at a size we cannot ingest on this machine (the `tenm` bench section, 10 million quads).

Replica k renames every IRI minted under the base but the registry graph, the run IRIs and the linked
entities: ``{base}article/slug-hash`` -> ``{base}article/slug-hash-rk`` (its ``#char=…`` and ``#entity=…``
fragments follow), ``{base}entity/person/jane-doe`` -> ``{base}entity/person/jane-doe-rk``; blank nodes get the
same suffix. A linked entity's IRI is its Wikidata item (``{base}entity/Q183``), so it is kept: every replica's
articles mention the same Germany, which gathers their mentions as a popular item does in real news, while the
long tail of unlinked names grows with the store. Literals are kept. The registry graph stays exactly what
kg.ingest.registry computes from the replicated articles: a kept entity's tallies are all multiplied by the number of
copies (same label, class, names and mean confidence; kg:mentionCount and kg:articleCount times the copies), a
renamed one's are its source's. Replica 0 is the source.
"""
from __future__ import annotations

import io

import pyoxigraph as ox

from ..mapping.iris import Minter
from ..namespaces import KG, XSD

MARKER = "-rREPLICAMARKER"  # an IRI-safe token no real store holds (checked on the source)


def _renamer(base: str):
    """IRI -> IRI with the marker where the replica suffix goes (None: kept as is)."""
    keep, minter = (f"{base}graph/", f"{base}run/"), Minter(base)

    def rename(iri: str) -> str | None:
        if not iri.startswith(base) or iri.startswith(keep) or minter.qid(iri):
            return None
        path, hash_, fragment = iri.partition("#")
        if fragment.startswith("entity=") and not minter.qid(f"{base}entity/{fragment[7:]}"):
            fragment += MARKER
        return f"{path}{MARKER}{hash_}{fragment}"
    return rename


COUNTS = {ox.NamedNode(str(KG.mentionCount)), ox.NamedNode(str(KG.articleCount))}


def template(store, base: str, copies: int = 1) -> bytes:
    """The store's quads as N-Quads, minted IRIs marked for renaming (see the module docstring); the registry
    counts of the entities every replica shares are those of ``copies`` replicas."""
    rename, cache, placed = _renamer(base), {}, [0]
    registry, integer = ox.NamedNode(Minter(base).entities_graph), ox.NamedNode(str(XSD.integer))

    def counted(q):
        if q.graph_name == registry and q.predicate in COUNTS and rename(q.subject.value) is None:
            return ox.Literal(str(int(q.object.value) * copies), datatype=integer)
        return q.object

    def term(t):
        if isinstance(t, ox.BlankNode):  # bulk loads share blank node labels: each replica needs its own
            placed[0] += 1
            return ox.BlankNode(t.value + MARKER)
        if not isinstance(t, ox.NamedNode):
            return t
        new = cache.get(t.value)
        if new is None:
            value = rename(t.value)
            new = cache[t.value] = ox.NamedNode(value) if value else t
        if new is not t:
            placed[0] += new.value.count(MARKER)
        return new

    out = io.BytesIO()
    quads = (ox.Quad(term(q.subject), q.predicate, term(counted(q)), term(q.graph_name))
             for q in store.quads_for_pattern(None, None, None, None))
    ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    data = out.getvalue()
    if data.count(MARKER.encode()) != placed[0]:  # the marker was in the source: renaming would corrupt it
        raise ValueError(f"the source store already contains {MARKER!r}; cannot replicate it")
    return data


def replica(data: bytes, k: int) -> bytes:
    """Replica k of a template: k = 0 is the source itself."""
    return data.replace(MARKER.encode(), f"-r{k}".encode() if k else b"")


def replicate(source, target, base: str, copies: int, progress=lambda k: None) -> int:
    """Bulk-load ``copies`` replicas of the pyoxigraph Store ``source`` into the pyoxigraph Store ``target``;
    returns the number of quads written."""
    data = template(source, base, copies)
    for k in range(copies):
        target.bulk_load(replica(data, k), ox.RdfFormat.N_QUADS)
        progress(k)
    target.flush()
    return len(target)
