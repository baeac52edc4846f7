"""Every namespace the graph uses, declared once; `kg:` terms are checked against ontology/kg.ttl by the tests."""
from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

KG = Namespace("https://w3id.org/kg-news/ns#")
SCHEMA = Namespace("http://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")
WDT = Namespace("http://www.wikidata.org/prop/direct/")  # Wikidata truthy facts (kg enrich)
GEO = Namespace("http://www.opengis.net/ont/geosparql#")  # geo:wktLiteral coordinates (kg enrich)

PREFIXES = {
    "kg": KG, "schema": SCHEMA, "sem": SEM, "nif": NIF, "itsrdf": ITSRDF, "wd": WD, "wdt": WDT, "geo": GEO,
    "prov": PROV, "dcterms": DCTERMS, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "xsd": XSD,
}

# The four entity classes: the name spaCy components put on mention spans -> the ontology class.
CLASSES = {"Person": KG.Person, "Place": KG.Place, "Organisation": KG.Organisation, "Event": KG.Event}


def sparql_prologue() -> str:
    """PREFIX lines for every namespace above, for queries and the web editor."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


__all__ = ["KG", "SCHEMA", "SEM", "NIF", "ITSRDF", "WD", "WDT", "GEO", "SH", "PROV", "DCTERMS", "OWL", "RDF", "RDFS",
           "SKOS", "XSD", "PREFIXES", "CLASSES", "sparql_prologue"]
