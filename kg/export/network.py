"""The co-mention network (`kg export --network`) for Gephi or NetworkX: a node per entity an article mentions
(label, class, QID, number of articles), an undirected edge between two entities weighted by the number of
articles that name both.

Both counts come from SPARQL over the articles' ``schema:mentions`` with COUNT(DISTINCT ?article), so an article
counts once however many times it names an entity and however many graphs repeat a triple. networkx writes
GraphML and GEXF; CSV is two tables in the layout of Gephi's spreadsheet import: ``NAME.nodes.csv`` (Id, Label,
class, qid, articles) and ``NAME.edges.csv`` (Source, Target, Type, Weight).
"""
from __future__ import annotations

import csv
import io
from typing import IO, TYPE_CHECKING, Callable

from ..errors import KGError

if TYPE_CHECKING:  # networkx is imported when a network is built, not by every `kg export`
    import networkx as nx

FORMATS = ("graphml", "gexf", "csv")
PROLOGUE = """PREFIX kg: <https://w3id.org/kg-news/ns#>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX wd: <http://www.wikidata.org/entity/>
"""
NODES = PROLOGUE + """
SELECT ?entity ?articles (MIN(STR(?l)) AS ?label) (MIN(?c) AS ?class) (MIN(STRAFTER(STR(?same), STR(wd:))) AS ?qid)
WHERE {
  { SELECT ?entity (COUNT(DISTINCT ?article) AS ?articles)
    WHERE { ?article a kg:Article ; schema:mentions ?entity } GROUP BY ?entity }
  OPTIONAL { ?entity rdfs:label ?l }
  OPTIONAL { ?entity a ?c FILTER(?c IN (kg:Person, kg:Place, kg:Organisation, kg:Event)) }
  OPTIONAL { ?entity owl:sameAs ?same FILTER(STRSTARTS(STR(?same), STR(wd:))) }
} GROUP BY ?entity ?articles
"""
EDGES = PROLOGUE + """
SELECT ?source ?target (COUNT(DISTINCT ?article) AS ?weight) WHERE {
  ?article a kg:Article ; schema:mentions ?source, ?target .
  FILTER(STR(?source) < STR(?target))
} GROUP BY ?source ?target
"""


def network_format(fmt: str | None, output: str) -> str:
    """The network format: -f, else the output file's extension, else GraphML."""
    name = (fmt or (output.rsplit(".", 1)[-1] if "." in output.rsplit("/", 1)[-1] else "graphml")).lower()
    if name not in FORMATS:
        raise KGError(f"unknown network format {name!r}; use one of: {', '.join(FORMATS)}")
    return name


def co_mentions(store) -> nx.Graph:
    """The network as a networkx Graph: nodes keyed by entity IRI, edges with an integer ``weight``."""
    import networkx as nx

    g = nx.Graph()
    nodes = sorted(store.query(NODES), key=lambda r: r["entity"].value)
    for row in nodes:
        attrs = {"articles": int(row["articles"].value)}
        for key, term in (("label", row["label"]), ("class", row["class"]), ("qid", row["qid"])):
            if term is not None and term.value:
                attrs[key] = term.value.rsplit("#", 1)[-1] if key == "class" else term.value
        g.add_node(row["entity"].value, **attrs)
    edges = sorted(store.query(EDGES), key=lambda r: (r["source"].value, r["target"].value))
    for row in edges:
        g.add_edge(row["source"].value, row["target"].value, weight=int(row["weight"].value))
    return g


def _csv(rows: list[list], header: list[str]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def csv_tables(g: nx.Graph) -> dict[str, bytes]:
    """{'nodes': ..., 'edges': ...}: CSV tables in Gephi's import layout, heaviest edges first."""
    nodes = [[n, a.get("label", ""), a.get("class", ""), a.get("qid", ""), a["articles"]]
             for n, a in g.nodes(data=True)]
    edges = sorted(([s, t, "Undirected", a["weight"]] for s, t, a in g.edges(data=True)),
                   key=lambda e: (-e[3], e[0], e[1]))
    return {"nodes": _csv(nodes, ["Id", "Label", "class", "qid", "articles"]),
            "edges": _csv(edges, ["Source", "Target", "Type", "Weight"])}


def csv_paths(output: str) -> dict[str, str]:
    """Where the two CSV tables go for ``-o NAME`` or ``-o NAME.csv``."""
    stem = output[:-4] if output.lower().endswith(".csv") else output
    return {"nodes": f"{stem}.nodes.csv", "edges": f"{stem}.edges.csv"}


def write_network(store, fmt: str, output: str, opener: Callable[[str], IO[bytes]]) -> None:
    """Write the network to ``output`` ('-' for stdout; CSV needs a file name).
    ``opener(path)`` gives the binary file to write (the CLI's, which replaces the file only on success)."""
    if fmt == "csv" and output == "-":
        raise KGError("the CSV network is two files (nodes and edges): give -o NAME for NAME.nodes.csv and "
                      "NAME.edges.csv")
    g = co_mentions(store)
    if fmt == "csv":
        tables, paths = csv_tables(g), csv_paths(output)
        for part, path in paths.items():
            with opener(path) as out:
                out.write(tables[part])
        return
    import networkx as nx

    with opener(output) as out:
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(g, out)
