"""kg_linker: link extracted entities to Wikidata items (added after the extraction components).

Config keys:
- ``kb``: path of the KB file (kg kb build); None means $KG_KB or ./kg-kb.sqlite. No file there and no ``online``:
  the component does nothing (no links), so everything else works without a KB.
- ``online``: also ask a SPARQL endpoint for names (``--linker wikidata-online``); cached on disk.
- ``endpoint``: the SPARQL endpoint for ``online`` (default: the Wikidata Query Service).
- ``cache``: SQLite file caching online answers (default: ~/.cache/kg/wikidata-online.sqlite).
- ``threshold``: NIL threshold in 0..1 (None: the ``linking`` table's).
- ``tables``: the rule tables' files (kg.linking.rules.LINK_FILES: linking, classes, news_aliases, event_triggers,
  titles), each a kg/data name or a path; saved with the component by ``nlp.to_disk``.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..kb import make_source
from ..linking import Linker
from ..linking.rules import LINK_FILES, Rules, link_tables
from .tables import SavedTables


class KGLinker(SavedTables):
    def __init__(self, name: str, source, version: str | None, threshold: float | None, tables: dict):
        self.name = name
        self.version = version
        self.source, self.threshold = source, threshold
        self.use_tables(link_tables(tables))

    def use_tables(self, tables: dict) -> None:
        self.tables = tables
        rules = Rules.from_tables(tables)
        self.linker = Linker(self.source, self.threshold, rules) if self.source is not None else None

    def __call__(self, doc: Doc) -> Doc:
        if self.linker is not None:
            self.linker.link_doc(doc)
        return doc


@Language.factory("kg_linker", assigns=["doc._.kg_entities", "doc._.kg_nationalities", "doc.spans"],
                  default_config={"kb": None, "online": False, "endpoint": None, "cache": None, "threshold": None,
                                  "tables": LINK_FILES})
def make_kg_linker(nlp: Language, name: str, kb: str | None, online: bool, endpoint: str | None, cache: str | None,
                   threshold: float | None, tables: dict) -> KGLinker:
    source, version = make_source(kb, online, endpoint, cache)
    return KGLinker(name, source, version, threshold, tables)
