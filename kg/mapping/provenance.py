"""The PROV-O activity of one ingest run, stored in its own named graph and linked from every article graph."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import uuid
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from rdflib import Literal, URIRef

from ..config import DEFAULT_MODELS
from ..namespaces import KG, PROV, RDF, RDFS, XSD


def software_version() -> str:
    try:
        return version("kg-news")
    except PackageNotFoundError:
        return "0+unknown"


def installed_model_id(model: str | None) -> str | None:
    """'en_core_web_sm 3.8.0' for the spaCy model kg.pipeline.nlp.load_model loads (``model``, else the first of
    DEFAULT_MODELS installed), read from its meta.json without importing spaCy; None when it cannot be told so."""
    for name in [model] if model else DEFAULT_MODELS:
        folder = Path(name)
        if not (folder / "meta.json").is_file():
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            if spec is None or not spec.submodule_search_locations:
                continue
            folder = Path(spec.submodule_search_locations[0])
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            return f"{meta['lang']}_{meta['name']} {meta['version']}"
        except (OSError, ValueError, KeyError):
            return None
    return None


def now() -> Literal:
    return Literal(dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), datatype=XSD.dateTime)


class Run:
    """One ingest run: written when its first article is stored; its end time when it finishes."""

    def __init__(self, minter, model: str, kb: str | None = None):
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.iri = URIRef(minter.run(f"{stamp}-{uuid.uuid4().hex[:8]}"))
        self.started = now()
        self.model = model
        self.kb = kb
        self.written = False

    def start_triples(self) -> list[tuple]:
        r = self.iri
        triples = [(r, RDF.type, KG.IngestRun), (r, RDF.type, PROV.Activity),
                   (r, RDFS.label, Literal(f"kg ingest run {r.rsplit('/', 1)[-1]}")),
                   (r, PROV.startedAtTime, self.started),
                   (r, KG.softwareVersion, Literal(f"kg-news {software_version()}")),
                   (r, KG.spacyModel, Literal(self.model))]
        if self.kb:
            triples.append((r, KG.knowledgeBase, Literal(self.kb)))
        return triples

    def end_triples(self) -> list[tuple]:
        return [(self.iri, PROV.endedAtTime, now())]
