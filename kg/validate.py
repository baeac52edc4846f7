"""SHACL validation (pyshacl) of the store or an RDF file against ontology/shapes.ttl + ontology/kg.ttl."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from .errors import KGError
from .namespaces import SH

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"


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


@lru_cache(maxsize=1)
def shapes_and_ontology() -> tuple[Graph, Graph]:
    try:
        return (Graph().parse(ONTOLOGY_DIR / "shapes.ttl"), Graph().parse(ONTOLOGY_DIR / "kg.ttl"))
    except FileNotFoundError as exc:
        raise KGError(f"ontology file missing: {exc.filename}") from None


def check(data: Graph, name: str, report: Report) -> None:
    """Validate one graph and add its violations to the report."""
    from pyshacl import validate

    shapes, ontology = shapes_and_ontology()
    conforms, results, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                    advanced=True, allow_warnings=True)
    report.checked += 1
    if conforms:
        return
    for r in results.subjects(SH.resultSeverity, SH.Violation):
        report.results.append((name, str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath) or ""),
                               str(results.value(r, SH.resultMessage))))


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


def validate_store(kg) -> Report:
    """Each named graph on its own: an article graph is self-contained by contract."""
    import pyoxigraph as ox
    from oxrdflib._converter import from_ox

    report = Report()
    for name in kg.store.named_graphs():
        g = Graph()
        for q in kg.store.ox.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
        check(g, name, report)
    return report


def validate(kg, data_file: str | None = None) -> Report:
    return validate_file(data_file) if data_file else validate_store(kg)
