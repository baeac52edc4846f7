"""The store layer: the one Store interface (api), the embedded Oxigraph store, remote SPARQL
servers and their dialects, the format table, query reading (scan), named queries, the search index."""
