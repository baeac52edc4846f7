"""KnowledgeGraph: the library API the CLI, the server and users' scripts share."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, TYPE_CHECKING, Callable, Iterable

from .ingest import identity, registry
from .readers.article import Article
from .config import Settings
from .errors import InputError, KGError, StoreError
from .mapping.iris import Minter
from .namespaces import CLASSES, KG
from .mapping.provenance import Run, installed_model_id, software_version
from .store.embedded import open_store
from .store.terms import nt_terms

if TYPE_CHECKING:
    from .ingest.writes import ArticleWrite

LINKERS = ("kb", "wikidata-online", "none")


@dataclass
class Summary:
    """What an ingest did; printed by the CLI, returned by the API and the HTTP ingest."""
    read: int = 0
    written: int = 0
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    entities: int = 0
    mentions: int = 0
    triples: int = 0
    seconds: float = 0.0
    articles: list[str] = field(default_factory=list)  # IRIs of the articles written or unchanged

    def as_dict(self) -> dict:
        return {"read": self.read, "written": self.written, "unchanged": self.unchanged,
                "skipped": [{"where": w, "reason": r} for w, r in self.skipped], "entities": self.entities,
                "mentions": self.mentions, "triples": self.triples, "seconds": round(self.seconds, 3),
                "articles": self.articles}


class KnowledgeGraph:
    """A knowledge graph on disk: ingest articles, query, export, validate."""

    def __init__(self, path: str | None = None, *, base_iri: str | None = None, model: str | None = None,
                 kb: str | None = None, linker: str = "kb", endpoint: str | None = None, read_only: bool = False,
                 settings: Settings | None = None):
        self.settings = settings or Settings()
        if base_iri:
            self.settings.base_iri = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
        if model:
            self.settings.model = model
        if linker not in LINKERS:
            raise KGError(f"unknown linker {linker!r}; use one of: {', '.join(LINKERS)}")
        # kg_linker config: kb=None means $KG_KB or ./kg-kb.sqlite when that file exists (else no links)
        self.linking = None if linker == "none" else (("kb", kb), ("online", linker == "wikidata-online"),
                                                        ("endpoint", endpoint))
        self.minter = Minter(self.settings.base_iri)
        self.store = open_store(path if path is not None else self.settings.store, read_only=read_only)
        self._nlp = None
        self._search = None
        found, where = registry.store_format(self.store), self.store.path
        refusal = None
        if found == "2" and read_only:
            refusal = (f"the store at {where} is in format 2 (its entity registry has no mention counts, which the "
                       f"named queries and pages read); upgrade it once, in place: `kg upgrade --store {where}` (any "
                       f"kg command that opens it for writing, e.g. `kg ingest`, upgrades it too)")
        elif found not in (None, "2", registry.FORMAT):
            refusal = (f"the store at {where} was written by an earlier kg (its entity facts are repeated in every "
                       f"article graph, without the entity registry); rebuild it: remove it (or use a new --store) "
                       f"and run `kg ingest` on your sources again (`kg enrich` too if you used it)")
        if refusal:
            self.store.close()
            raise StoreError(refusal)
        if found == "2":
            self.upgrade()

    def upgrade(self) -> int:
        """Bring a format-2 store to the current format in place (kg.ingest.registry.upgrade): every entity's
        counts, one update per 500 entities, progress on stderr. Returns the number of entities."""
        import sys

        def progress(done: int, total: int) -> None:
            if done == total or done % 10_000 == 0:
                print(f"kg: upgrading the store to format {registry.FORMAT} (entity counts): {done:,}/{total:,} "
                      "entities", file=sys.stderr)
        return registry.upgrade(self.minter, self.store, progress)

    # --- extraction
    @property
    def nlp(self):
        """The spaCy pipeline, loaded on first use (queries never pay for it, nor an ingest in worker processes)."""
        if self._nlp is None:
            from .pipeline.nlp import shared_pipeline

            self._nlp = shared_pipeline(self.settings.model, self.linking)
        return self._nlp

    @property
    def pipeline_args(self) -> tuple:
        """What a worker process needs to build the same pipeline: shared_pipeline(*pipeline_args)."""
        return (self.settings.model, self.linking)

    @cached_property
    def model_id(self) -> str:
        """'en_core_web_sm 3.8.0': the model's id from its package metadata (the pipeline is not loaded for it)."""
        if self._nlp is None and (found := installed_model_id(self.settings.model)):
            return found
        from .pipeline.nlp import model_id

        return model_id(self.nlp)

    @cached_property
    def kb_version(self) -> str | None:
        """The version of the KB (or endpoint) entities are linked against; None without linking."""
        if self._nlp is not None:
            from .pipeline.nlp import linker_version

            return linker_version(self._nlp)
        if self.linking is None:
            return None
        from .kb import make_source

        return make_source(**dict(self.linking))[1]

    def article_iri(self, article: Article) -> str:
        """The IRI of an article: from its identity key (kg.readers.article.Article.key), never from a path."""
        return self.minter.article(article.key(), article.readable())

    def _fingerprint(self, article: Article) -> str:
        """Content hash plus what produced the graph: unchanged input and software mean nothing to do."""
        return f"{article.content_hash()}:{software_version()}:{self.model_id}:{self.kb_version or ''}"

    def ingest(self, items: Iterable[Article | InputError], *, force: bool = False, progress: bool | int = False,
               on_stored: Callable[[str], None] | None = None, workers: int = 1,
               dask: str | None = None) -> Summary:
        """Extract and store articles, one transaction each; unchanged articles are skipped.

        ``on_stored(article_iri)`` is called after each article's transaction has committed. ``progress``: a
        progress bar on stderr; an int is the number of input items (the bar then shows percentage and ETA).
        Where extraction runs (kg.ingest.executors): in this process; ``workers`` > 1 in that many warm processes
        (kg.ingest.pool); ``dask`` (a scheduler address or 'local') on a Dask cluster (kg.ingest.cluster). Whichever
        runs it, this loop writes each article in its own transaction, and keeps the run and the summary.
        """
        from .ingest.executors import executor

        summary, started = Summary(), time.perf_counter()
        self.search_index.sync()  # in step before the writes below refresh it article by article
        run = Run(self.minter, self.model_id, self.kb_version)
        entities: set[str] = set()
        plans: dict[str, tuple[list[str], list[str]]] = {}  # article IRI -> (graphs to drop, extra steps)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=None if progress is True else progress, unit=" articles", desc="ingest",
                       dynamic_ncols=True)

        def jobs():
            for item in items:
                if isinstance(item, InputError):
                    summary.skipped.append((item.where, item.reason))
                    if bar is not None:
                        bar.update(1)
                    continue
                summary.read += 1
                iri, fingerprint = self.article_iri(item), self._fingerprint(item)
                stored = self.store.value(iri, iri, str(KG.contentHash))
                if not force and stored == fingerprint:
                    summary.unchanged += 1
                    summary.articles.append(iri)
                    if item.keyed_by_content and item.path and item.path not in identity.sources(self.store, iri):
                        identity.add_path(self.store, self.minter, item, iri)
                    if bar is not None:
                        bar.update(1)
                    continue
                plans[iri] = identity.plan(self.store, item, iri, stored is not None)
                yield item, fingerprint

        results = executor(self, workers, dask).extract(jobs(), base_iri=self.minter.base, run_iri=str(run.iri))
        try:
            for result in results:
                drop, steps = plans.pop(result.article_iri, ([], []))
                if not run.written:  # the run graph goes in the same transaction as its first article, never alone
                    steps = [*steps, f"INSERT DATA {{ GRAPH <{run.iri}> {{\n{nt_terms(run.start_triples())}\n}} }}"]
                before = self.search_index.entities_in(drop)  # mentions the replaced graph(s) take away
                self.write_article(result, drop, steps)
                run.written = True
                self.search_index.refresh_article(result.article_iri, before, drop)
                summary.written += 1
                summary.articles.append(result.article_iri)
                summary.triples += result.triples
                summary.mentions += result.mentions
                entities.update(result.entities)
                if on_stored is not None:
                    on_stored(result.article_iri)
                if bar is not None:
                    bar.update(1)
        finally:
            results.close()  # an executor stops its work (pending chunks, a Dask client) when its results are closed
            if bar is not None:
                bar.close()
        if run.written:
            self.store.add_to_graph(run.iri, run.end_triples())
        self.search_index.mark_in_step()
        summary.entities = len(entities)
        summary.seconds = time.perf_counter() - started
        return summary

    def write_article(self, graph: ArticleWrite, drop: list[str] = (), steps: list[str] = ()) -> None:
        """Store one article graph in one atomic update: drop its old graph(s) and replace the registry facts
        of every entity the old and new graphs refer to (kg.ingest.registry)."""
        touched = registry.entities_of(self.store, drop)
        update = registry.write_update(self.minter, self.store, drop=drop, article=graph.article_iri, nt=graph.nt,
                                       tallies=graph.tallies, touched=touched)
        self.store.update(" ;\n".join([*steps, update]))

    def delete_graphs(self, iris: Iterable[str]) -> int:
        """Remove named graphs (article graphs: with the registry facts only they supported), atomically;
        returns how many existed."""
        found = [iri for iri in iris if self.store.has_graph(iri)]
        if found:
            self.search_index.sync()
            before = self.search_index.entities_in(found)
            touched = registry.entities_of(self.store, found)
            self.store.update(registry.write_update(self.minter, self.store, drop=found, touched=touched))
            self.search_index.refresh(before, found)  # the index follows: counts drop, entities left with none go
            self.search_index.mark_in_step()
        return len(found)

    def ingest_text(self, text: str, *, title: str | None = None, date: str | None = None, id: str | None = None,
                    url: str | None = None, source: str | None = None) -> Summary:
        article = Article(identifier=id, text=text, title=title, date=date, url=url, source=source)
        if not text.strip():
            return self.ingest([InputError(id or "text", "empty document (no text); skipped")])
        return self.ingest([article])

    def ingest_files(self, paths: Iterable[str], *, encoding: str | None = None, **options) -> Summary:
        from .readers.files import read_paths

        return self.ingest(read_paths(paths, encoding), **options)

    # --- reading
    def query(self, sparql: str, **kwargs):
        """SPARQL on Oxigraph's engine; the default graph is the union of all graphs unless the query names
        its own dataset (FROM / FROM NAMED) or ``default_graph`` is given (see README)."""
        if "union" not in kwargs:
            from .store.scan import scan

            kwargs["union"] = not scan(sparql).dataset
        return self.store.query(sparql, **kwargs)

    @property
    def search_index(self):
        """The entity name index (kg.store.search) beside the store, opened on first use."""
        if self._search is None:
            from .store.search import EntityIndex

            self._search = EntityIndex(self.store)
        return self._search

    def entity_index(self, generation=None):
        """The entity index, rebuilt first when the store changed behind it (checked once per `generation`)."""
        self.search_index.ensure_fresh(generation)
        return self.search_index

    def search_entities(self, text: str, limit: int = 20, generation=None) -> list[dict]:
        """Entities by name or alias (token prefixes), most mentioned first; the index is rebuilt when stale."""
        return self.entity_index(generation).search(text, limit)

    def export(self, output: IO[bytes], fmt: str = "turtle", graph: str | None = None,
               query: str | None = None) -> None:
        """The store, one named graph, or a CONSTRUCT/DESCRIBE result as RDF (kg.export)."""
        from .export import export_rdf

        export_rdf(self, output, fmt, graph=graph, query=query)

    def stats(self) -> dict:
        rows = {"articles": "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }",
                "triples": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                "named graphs": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                "mentions": "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a kg:Mention }",
                "entities": f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{self.minter.entities_graph}> "
                            f"{{ ?e a ?c }} }}",
                "events reported": "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?a kg:reportsEvent ?e }"}
        out = {name: int(next(iter(self.query(q)))["n"].value) for name, q in rows.items()}
        for name, cls in CLASSES.items():  # entities are what the registry describes (not event reports)
            q = f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{self.minter.entities_graph}> {{ ?e a <{cls}> }} }}"
            out[f"entities: {name}"] = int(next(iter(self.query(q)))["n"].value)
        return out

    def close(self) -> None:
        if self._search is not None:
            self._search.close()
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

