"""The entity registry: entity-level facts (rdf:type, rdfs:label, skos:altLabel, owl:sameAs, kg:linkConfidence)
stored once, in the named graph ``{base}graph/entities``, derived from what the article graphs say.

Article graphs hold, per entity they refer to, an article-local reference node (``kg:refersTo``,
``kg:nameInArticle``, ``kg:classInArticle``) and the mentions (``itsrdf:taIdentRef``, ``nif:anchorOf``,
``itsrdf:taConfidence``). Each article write recomputes the facts of the entities that article touches (before
and after) from the articles that remain, and applies them in the same SPARQL update as the article graph:

- label: the full name most articles use (``kg:nameInArticle``); ties: more words, longer, then alphabetical;
- altLabels: every other name (the articles' full names and the mentions' anchors);
- class: the class most articles give (``kg:classInArticle``); ties: Person, Organisation, Place, Event;
- owl:sameAs: the Wikidata item of a linked entity (its IRI is ``{base}entity/Q…``);
- kg:linkConfidence: the mean of its mentions' ``itsrdf:taConfidence`` (3 decimals);
- kg:mentionCount / kg:articleCount: its mentions (``itsrdf:taIdentRef`` to it) and the article graphs holding
  them, so that rankings read one figure per entity instead of counting mentions over the whole store;
- an entity no article refers to any more has no facts left.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from rdflib import Literal, URIRef

from ..mapping.iris import Minter
from ..namespaces import ITSRDF, KG, NIF, OWL, RDF, RDFS, SKOS, WD, XSD
from ..store.api import Store
from ..store.terms import nt_terms

FORMAT = "3"  # kg:storeFormat: "3" registry with counts; "2" registry without counts (upgraded); "1" no registry
CLASS_ORDER = [KG.Person, KG.Organisation, KG.Place, KG.Event]  # tie-break for disagreeing articles

CONTRIBUTIONS = """
SELECT ?e ?kind ?v (COUNT(*) AS ?n) (SUM(?c) AS ?sum) (COUNT(DISTINCT ?g) AS ?graphs) WHERE {
  VALUES ?e { %s }
  GRAPH ?g {
    { ?x kg:refersTo ?e ; kg:nameInArticle ?v . BIND("label" AS ?kind) BIND(0 AS ?c) }
    UNION { ?x kg:refersTo ?e ; kg:classInArticle ?v . BIND("class" AS ?kind) BIND(0 AS ?c) }
    UNION { ?m itsrdf:taIdentRef ?e ; nif:anchorOf ?v . BIND("name" AS ?kind) BIND(0 AS ?c) }
    UNION { ?m itsrdf:taIdentRef ?e ; itsrdf:taConfidence ?c . BIND("conf" AS ?kind) BIND("" AS ?v) }
    UNION { ?m itsrdf:taIdentRef ?e . BIND("mentions" AS ?kind) BIND("" AS ?v) BIND(0 AS ?c) }
  }
  %s
} GROUP BY ?e ?kind ?v"""


@dataclass
class Tally:
    """What the articles say about one entity, summed."""
    labels: Counter = field(default_factory=Counter)
    classes: Counter = field(default_factory=Counter)
    names: set = field(default_factory=set)
    conf_sum: float = 0.0
    conf_n: int = 0
    mentions: int = 0
    articles: int = 0  # the article graphs holding its mentions (each article is counted by one contribution)

    def add(self, kind: str, value, n: int = 1, total: float = 0.0, graphs: int = 0) -> None:
        if kind == "label":
            self.labels[str(value)] += n
        elif kind == "class":
            self.classes[str(value)] += n
        elif kind == "name":
            self.names.add(str(value))
        elif kind == "conf":
            self.conf_sum += total
            self.conf_n += n
        elif kind == "mentions":
            self.mentions += n
            self.articles += graphs


_LINKS = {str(KG.refersTo): "ref", str(ITSRDF.taIdentRef): "mention"}
_VALUES = {str(KG.nameInArticle): ("ref", "label"), str(KG.classInArticle): ("ref", "class"),
           str(NIF.anchorOf): ("mention", "name"), str(ITSRDF.taConfidence): ("mention", "conf")}


def article_tallies(triples: Iterable[tuple]) -> dict[str, Tally]:
    """The contributions of one article graph (rdflib triples), as CONTRIBUTIONS reads them from the store."""
    links, values = {"ref": {}, "mention": {}}, []
    for s, p, o in triples:  # one dict lookup per triple: this runs for every article written
        key = str(p)
        if key in _LINKS:
            links[_LINKS[key]][s] = str(o)
        elif key in _VALUES:
            values.append((_VALUES[key], s, o))
    out: dict[str, Tally] = {}
    for (node, kind), s, o in values:
        entity = links[node].get(s)
        if entity is not None:
            out.setdefault(entity, Tally()).add(kind, o, 1, float(o) if kind == "conf" else 0.0)
    for entity, n in Counter(links["mention"].values()).items():
        out.setdefault(entity, Tally()).add("mentions", "", n, graphs=1)  # this article: never a stored graph
    return out


def stored_tallies(store: Store, entities: Iterable[str], exclude: Iterable[str] = ()) -> dict[str, Tally]:
    """Contributions of the article graphs in the store (but the ``exclude``d graphs) to ``entities``."""
    wanted = sorted(set(entities))
    out: dict[str, Tally] = {}
    if not wanted:
        return out
    skip = sorted(set(exclude))
    where = f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in skip)}))" if skip else ""
    query = CONTRIBUTIONS % (" ".join(f"<{e}>" for e in wanted), where)
    for row in store.query(query, union=False):
        n = int(row["n"].value)
        total = float(row["sum"].value) if row["sum"] is not None else 0.0
        out.setdefault(row["e"].value, Tally()).add(row["kind"].value, row["v"].value, n, total,
                                                    int(row["graphs"].value))
    return out


def merge(into: dict[str, Tally], more: dict[str, Tally]) -> dict[str, Tally]:
    for e, t in more.items():
        mine = into.setdefault(e, Tally())
        mine.labels.update(t.labels)
        mine.classes.update(t.classes)
        mine.names |= t.names
        mine.conf_sum += t.conf_sum
        mine.conf_n += t.conf_n
        mine.mentions += t.mentions
        mine.articles += t.articles
    return into


def entity_facts(minter: Minter, entity: str, t: Tally) -> list[tuple]:
    """The registry triples of one entity from its tally (none when no article refers to it)."""
    if not t.labels:
        return []
    e = URIRef(entity)
    label = max(t.labels, key=lambda n: (t.labels[n], len(n.split()), len(n), n))
    rank = {str(c): i for i, c in enumerate(CLASS_ORDER)}
    cls = max(t.classes, key=lambda c: (t.classes[c], -rank.get(c, len(rank))))
    triples = [(e, RDF.type, URIRef(cls)), (e, RDFS.label, Literal(label))]
    triples += [(e, SKOS.altLabel, Literal(n)) for n in sorted((t.names | set(t.labels)) - {label})]
    qid = minter.qid(entity)
    if qid:
        triples.append((e, OWL.sameAs, WD[qid]))
    if t.conf_n:
        triples.append((e, KG.linkConfidence, Literal(round(t.conf_sum / t.conf_n, 3), datatype=XSD.decimal)))
    triples += [(e, KG.mentionCount, Literal(t.mentions)), (e, KG.articleCount, Literal(t.articles))]
    return triples


def write_update(minter: Minter, store: Store, *, drop: Iterable[str] = (), article: str | None = None,
                 nt: str = "", tallies: dict[str, Tally] | None = None, touched: Iterable[str] = (),
                 stamp: bool = True) -> str:
    """One SPARQL update that drops the graphs ``drop``, writes ``article``'s graph (when given: its N-Triples
    ``nt`` and their ``article_tallies``) and replaces the registry facts of every entity those graphs refer to:
    the store changes atomically, registry included.

    ``touched``: the entities of the dropped graphs (read before, by ``entities_of``). ``stamp``: mark the store
    as FORMAT (an upgrade stamps it only once every entity is done).
    """
    reg, drop = minter.entities_graph, sorted(set(drop) | ({article} if article else set()))
    new = (tallies or {}) if article else {}
    entities = set(touched) | set(new)
    tallies = merge(stored_tallies(store, entities, exclude=drop), new)
    facts = [t for e in sorted(entities) for t in entity_facts(minter, e, tallies.get(e, Tally()))]
    steps = []
    if stamp:
        facts.append((URIRef(reg), KG.storeFormat, Literal(FORMAT)))
        steps.append(f"DELETE WHERE {{ GRAPH <{reg}> {{ <{reg}> kg:storeFormat ?v }} }}")
    if entities:
        values = " ".join(f"<{e}>" for e in sorted(entities))
        steps.append(f"DELETE {{ GRAPH <{reg}> {{ ?e ?p ?o }} }} WHERE {{ GRAPH <{reg}> {{ VALUES ?e {{ {values} }} ?e ?p ?o }} }}")
    steps += [f"DROP SILENT GRAPH <{g}>" for g in drop]
    data = f"GRAPH <{reg}> {{\n{nt_terms(facts)}\n}}"
    if article:
        data = f"GRAPH <{article}> {{\n{nt}\n}}\n" + data
    steps.append(f"INSERT DATA {{\n{data}\n}}")
    return " ;\n".join(steps)


def entities_of(store: Store, graphs: Iterable[str]) -> set[str]:
    """The entities the stored article graphs ``graphs`` refer to."""
    graphs = sorted(set(graphs))
    if not graphs:
        return set()
    values = " ".join(f"<{g}>" for g in graphs)
    rows = store.query(f"SELECT DISTINCT ?e WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?x kg:refersTo ?e }} }}",
                       union=False)
    return {row["e"].value for row in rows}


def refresh(minter: Minter, store: Store, entities: Iterable[str], *, stamp: bool = True,
            progress=lambda done, total: None) -> None:
    """Recompute the registry facts of ``entities`` from the store as it is, 500 per update."""
    entities = sorted(set(entities))
    for n in range(0, len(entities), 500):
        store.update(write_update(minter, store, touched=entities[n:n + 500], stamp=stamp))
        progress(min(n + 500, len(entities)), len(entities))


def upgrade(minter: Minter, store: Store, progress=lambda done, total: None) -> int:
    """Format 2 -> FORMAT: recompute every registered entity's facts (adding its counts), then stamp the store.

    Each batch is one update, and the stamp comes last: an interrupted upgrade leaves a format-2 store that the
    next upgrade redoes from the start. Returns the number of entities."""
    rows = store.query(f"SELECT ?e WHERE {{ GRAPH <{minter.entities_graph}> {{ ?e rdfs:label ?l }} }}", union=False)
    entities = {row["e"].value for row in rows}
    refresh(minter, store, entities, stamp=False, progress=progress)
    store.update(write_update(minter, store))  # the stamp alone: no entity touched
    return len(entities)


def store_format(store: Store) -> str | None:
    """The store's format: FORMAT, None for an empty store, "1" for a store written before the registry."""
    for row in store.query("SELECT ?v WHERE { GRAPH ?g { ?g kg:storeFormat ?v } } LIMIT 1", union=False):
        return row["v"].value
    return "1" if bool(store.query("ASK { GRAPH ?g { ?a a kg:Article } }", union=False)) else None
