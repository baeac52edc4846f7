"""Data shipped in the package: rule tables (type maps, titles, triggers, demonyms) as JSON files, loaded once;
the ontology and the named queries (``ontology`` and ``queries`` here link to the repository's top-level
folders, their one source; a wheel carries copies)."""
import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path


@lru_cache(maxsize=None)
def load_json(name: str):
    """A JSON rule table from this folder; keys starting with '_' are comments and dropped."""
    data = json.loads(files(__package__).joinpath(name).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not k.startswith("_")}
    return data


def shipped(folder: str) -> Path:
    """A folder of data shipped with kg: "ontology" (kg.ttl, shapes.ttl) or "queries" (*.rq)."""
    return Path(str(files(__package__).joinpath(folder)))
