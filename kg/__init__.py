"""kg: a knowledge-graph builder for news articles, with a SPARQL endpoint.

    from kg import KnowledgeGraph
    kg = KnowledgeGraph("./kg-data")
    kg.ingest_text("...", title="...", date="2025-03-13", id="a1")
    kg.query("SELECT ...")
"""
from .graph import KnowledgeGraph

__all__ = ["KnowledgeGraph"]
