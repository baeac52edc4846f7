"""Template helpers: IRIs under the base link to this server's pages, http(s) IRIs link out, any other IRI
(javascript:, data:, file: ...) links to its /resource page here, never to itself; short labels."""
from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import current_app, request
from markupsafe import Markup, escape

from ..mapping.iris import is_web_url
from ..namespaces import PREFIXES

PAGES = ("entity/", "article/", "run/")


def local(iri: str) -> str:
    """The href for an IRI: its page on this server when under the base, the IRI itself when http(s), else
    this server's /resource page for it (a javascript: or data: IRI from the data never becomes a link)."""
    base = current_app.config["KG_BASE_IRI"]
    if iri.startswith(base) and iri[len(base):].startswith(PAGES):
        return request.script_root + "/" + iri[len(base):]
    if is_web_url(iri):
        return iri
    return request.script_root + "/resource?" + urlencode({"iri": iri})


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def show(term, label=None) -> Markup:
    """HTML for a term: a link for an IRI (with its label or CURIE), the text of a literal."""
    if term is None:
        return Markup("")
    if isinstance(term, ox.NamedNode):
        text = label.value if isinstance(label, ox.Literal) else (label or curie(term.value))
        target = local(term.value)
        if not target.startswith(("/", "http://", "https://")):  # only our pages and http(s) IRIs become links
            return Markup('<span title="{}">{}</span>').format(term.value, text)
        return Markup('<a href="{}" title="{}">{}</a>').format(target, term.value, text)
    if isinstance(term, ox.Literal):
        return Markup("{}").format(term.value)
    return escape(str(term))


def init_app(app) -> None:
    app.jinja_env.filters.update(local=local, curie=curie, show=show)
    app.jinja_env.tests["web"] = is_web_url
    app.jinja_env.globals["base_iri"] = lambda: current_app.config["KG_BASE_IRI"]
    app.jinja_env.globals["prefix_map"] = lambda: {p: str(ns) for p, ns in PREFIXES.items()}
