"""The ontology is the single source of our terms: every kg: term the code uses is declared, labelled and
commented; the four classes sit under schema.org (and SEM for events)."""
import re

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conftest import ROOT
from kg.namespaces import KG, SCHEMA, SEM

ONTOLOGY = Graph().parse(ROOT / "ontology" / "kg.ttl")


def test_every_kg_term_used_in_code_is_declared_with_label_and_comment():
    used = set()
    for path in (ROOT / "kg").rglob("*.py"):
        used |= set(re.findall(r"\bKG\.([A-Za-z_]+)", path.read_text(encoding="utf-8")))
    sparql = [*(ROOT / "queries").glob("*.rq"), *(ROOT / "kg").rglob("*.py")]  # SPARQL text in code, too
    for path in sparql:
        used |= set(re.findall(r"(?<![\w:])kg:([A-Za-z_]+)", path.read_text(encoding="utf-8")))
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    own = set(shapes.subjects())  # the shapes themselves and their prefix declarations
    used |= {str(t)[len(str(KG)):] for _, p, o in shapes for t in (p, o)
             if isinstance(t, URIRef) and str(t).startswith(str(KG)) and t not in own}
    assert used, "no kg: terms found in the code"
    missing = [t for t in sorted(used) if (KG[t], RDF.type, None) not in ONTOLOGY]
    assert not missing, f"used but not declared in ontology/kg.ttl: {missing}"
    for term in ONTOLOGY.subjects(RDF.type, None):
        if str(term).startswith(str(KG)) and (term, RDF.type, OWL.Ontology) not in ONTOLOGY:
            assert ONTOLOGY.value(term, RDFS.label) is not None, f"{term} has no rdfs:label"
            assert ONTOLOGY.value(term, RDFS.comment) is not None, f"{term} has no rdfs:comment"


def test_classes_align_with_schema_org_and_sem():
    for ours, theirs in [("Person", SCHEMA.Person), ("Place", SCHEMA.Place), ("Organisation", SCHEMA.Organization),
                         ("Event", SCHEMA.Event), ("Event", SEM.Event), ("Article", SCHEMA.NewsArticle)]:
        assert (KG[ours], RDFS.subClassOf, theirs) in ONTOLOGY


def test_properties_have_domain_or_range():
    for prop in set(ONTOLOGY.subjects(RDF.type, OWL.ObjectProperty)) | set(ONTOLOGY.subjects(RDF.type, OWL.DatatypeProperty)):
        assert (prop, RDFS.domain, None) in ONTOLOGY or (prop, RDFS.range, None) in ONTOLOGY, prop


def test_shapes_parse():
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    assert (None, RDF.type, URIRef("http://www.w3.org/ns/shacl#NodeShape")) in shapes
