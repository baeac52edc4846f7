"""Entity linking against the KB (kg.kb) or an online SPARQL endpoint; the spaCy component is kg.pipeline.linker."""
from .link import Linker, link_doc

__all__ = ["Linker", "link_doc"]
