"""The server's settings: defaults, the environment variables that override them, and their types."""
from __future__ import annotations

import os

from ..config import Settings

MB = 1024 * 1024


def _list(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.replace(",", " ").split() if v)


def _bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


# name -> (default, parser of the environment variable's text)
SETTINGS = {
    "KG_STORE": (None, str),               # None: the library's default (Settings().store)
    "KG_BASE_IRI": (None, str),
    "KG_READ_ONLY": (False, _bool),
    "KG_UPDATE_TOKEN": (None, str),        # None: /update, /store writes and /ingest answer 403
    "KG_QUERY_TIMEOUT": (30.0, float),     # seconds per query
    "KG_MAX_ROWS": (100_000, int),         # rows (or triples) per result
    "KG_MAX_BODY": (10 * MB, int),         # bytes per request body (413 beyond)
    "KG_MAX_RUNNING_QUERIES": (8, int),    # queries evaluated at once (worker processes); more wait, then 503
    "KG_QUERY_NICE": (10, int),            # niceness added to query workers: requests and pages go first
    "KG_MAX_QUERY_SIZE": (256 * 1024, int),  # characters per query (updates: KG_MAX_BODY)
    "KG_MAX_QUERY_DEPTH": (64, int),       # bracket nesting per query or update
    "KG_CORS_ORIGINS": (("*",), _list),    # origins allowed to read cross-site; empty: CORS off
    "KG_ALLOW_FEDERATION": ((), _list),    # SERVICE/LOAD endpoints allowed; empty: none
    "KG_QUERIES": (None, str),             # directory of named queries (default: queries/)
    "KG_GZIP_MIN": (1024, int),            # smallest body worth compressing
    "KG_INGEST_WORKERS": (1, int),         # POST /ingest and --watch extraction processes (warm pool); 1: in the server
}


def from_env(environ=os.environ) -> dict:
    """Defaults overridden by the environment."""
    out = {name: (parse(environ[name]) if name in environ else default) for name, (default, parse) in SETTINGS.items()}
    library = Settings()
    out["KG_STORE"] = out["KG_STORE"] or library.store
    out["KG_BASE_IRI"] = Settings(base_iri=out["KG_BASE_IRI"] or library.base_iri).base_iri
    return out


def normalise_config(config: dict) -> dict:
    """Accept list settings as strings too (e.g. from a test mapping) and keep the base IRI slash-terminated."""
    for name in ("KG_CORS_ORIGINS", "KG_ALLOW_FEDERATION"):
        if isinstance(config.get(name), str):
            config[name] = _list(config[name])
    config["KG_BASE_IRI"] = Settings(base_iri=config["KG_BASE_IRI"]).base_iri
    return config
