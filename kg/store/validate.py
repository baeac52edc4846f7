"""SHACL validation of the store or an RDF file against ontology/shapes.ttl (+ ontology/kg.ttl for classes).

Core constraints (counts, datatypes, classes, patterns) run in pyshacl, one article graph at a time (each is
self-contained by contract). SHACL-SPARQL constraints (sh:sparql) run set-at-a-time on Oxigraph: the shape's
SELECT with $this left free and joined with the shape's targets, once per graph. pyshacl evaluates them node by
node and re-parses the query for every focus node (~50 ms each), which took >10 min for 300 articles; the
set-at-a-time form returns the same (focus node, value) pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph

from ..data import shipped
from ..errors import KGError
from ..namespaces import RDFS, SH
from .terms import from_ox, to_ox



@dataclass
class Report:
    checked: int = 0
    results: list[tuple[str, str, str, str]] = field(default_factory=list)  # graph, focus, path, message

    @property
    def violations(self) -> int:
        return len(self.results)

    def lines(self):
        for graph, focus, path, message in self.results:
            yield f"{graph}: {focus} {path}: {message}"


@dataclass
class SparqlConstraint:
    query: str     # the SELECT, with $this as ?this and the target pattern joined in
    message: str


@lru_cache(maxsize=1)
def load_shapes() -> tuple[Graph, Graph, tuple[SparqlConstraint, ...], tuple[ox.Triple, ...]]:
    """(core shapes for pyshacl, ontology, SPARQL constraints for Oxigraph, the ontology's rdfs:subClassOf triples
    for Oxigraph)."""
    try:
        folder = shipped("ontology")
        shapes, ontology = Graph().parse(folder / "shapes.ttl"), Graph().parse(folder / "kg.ttl")
    except FileNotFoundError as exc:
        raise KGError(f"ontology file missing: {exc.filename}") from None
    constraints = []
    for shape, node in list(shapes.subject_objects(SH.sparql)):
        constraints.append(SparqlConstraint(_set_query(shapes, shape, node), str(shapes.value(node, SH.message))))
        shapes.remove((shape, SH.sparql, node))
    subclasses = tuple(ox.Triple(to_ox(s), to_ox(p), to_ox(o))
                       for s, p, o in ontology.triples((None, RDFS.subClassOf, None)))
    return shapes, ontology, tuple(constraints), subclasses


def _set_query(shapes: Graph, shape, node) -> str:
    select = str(shapes.value(node, SH.select)).replace("$this", "?this")
    prefixes = "".join(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                       for decl in shapes.objects(node, SH.prefixes) for d in shapes.objects(decl, SH.declare))
    targets = [f"?this a/<{RDFS.subClassOf}>* <{c}> ." for c in shapes.objects(shape, SH.targetClass)]
    targets += [f"?any <{p}> ?this ." for p in shapes.objects(shape, SH.targetObjectsOf)]
    targets += [f"?this <{p}> ?any ." for p in shapes.objects(shape, SH.targetSubjectsOf)]
    if not targets:
        raise KGError(f"shapes.ttl: SPARQL constraint of {shape} has no target this validator supports")
    union = " UNION ".join(f"{{ {t} }}" for t in targets)
    return f"{prefixes}SELECT DISTINCT ?this ?value WHERE {{ {{ SELECT DISTINCT ?this {{ {union} }} }} {{ {select} }} }}"


def check(data: Graph, name: str, report: Report, triples: list[ox.Triple] | None = None) -> None:
    """Validate one graph with pyshacl's core constraints (on ``data``) and the SPARQL constraints on Oxigraph (on
    ``triples``, the same graph as pyoxigraph triples when the caller has them: else converted from ``data``)."""
    from pyshacl import validate

    shapes, ontology, constraints, subclasses = load_shapes()
    conforms, results, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                    allow_warnings=True)
    report.checked += 1
    if not conforms:
        for r in results.subjects(SH.resultSeverity, SH.Violation):
            report.results.append((name, str(results.value(r, SH.focusNode)),
                                   str(results.value(r, SH.resultPath) or ""), str(results.value(r, SH.resultMessage))))
    store = ox.Store()
    if triples is None:
        triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in data]
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in (*triples, *subclasses))
    for c in constraints:
        for row in store.query(c.query):
            report.results.append((name, row["this"].value, "", c.message))


def validate_file(path: str) -> Report:
    from rdflib import Dataset

    ds = Dataset()
    try:
        ds.parse(path)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise KGError(f"{path}: cannot parse as RDF ({exc})") from None
    report = Report()
    merged = Graph()
    for quad in ds.quads((None, None, None, None)):
        merged.add(quad[:3])
    check(merged, path, report)
    return report


REGISTRY_FACTS = """CONSTRUCT {{ ?e ?p ?o }} WHERE {{
  {{ SELECT DISTINCT ?e {{ GRAPH <{graph}> {{ {{ ?x itsrdf:taIdentRef ?e }} UNION {{ ?x kg:refersTo ?e }} }} }} }}
  GRAPH <{registry}> {{ ?e ?p ?o }} }}"""


def validate_store(kg) -> Report:
    """Each named graph on its own, with the entity registry's facts about the entities it refers to: an
    article graph plus those facts is self-contained by contract."""
    report, registry = Report(), kg.minter.entities_graph
    for name in kg.store.named_graphs():
        g = Graph()
        triples = list(kg.store.graph_triples(name))
        if name != registry:
            triples += kg.store.query(REGISTRY_FACTS.format(graph=name, registry=registry), union=False)
        for t in triples:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        check(g, name, report, triples)
    return report
