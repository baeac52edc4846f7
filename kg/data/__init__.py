"""Data shipped in the package: rule tables (type maps, titles, triggers, demonyms) as JSON files, loaded once;
the ontology and the named queries (``ontology`` and ``queries`` here link to the repository's top-level
folders, their one source; a wheel carries copies)."""
import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from ..errors import KGError


@lru_cache(maxsize=None)
def load_json(name: str):
    """A JSON rule table: a file name in this folder, or a path of one's own (absolute, or with a folder in it, as
    components' configs may name); keys starting with '_' are comments and dropped."""
    path = Path(name)
    source = path if path.is_absolute() or len(path.parts) > 1 else files(__package__).joinpath(name)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KGError(f"rule table {name}: {exc}") from exc
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not k.startswith("_")}
    return data


def load_tables(files: dict[str, str] | None, defaults: dict[str, str], what: str) -> dict:
    """Contents of a component's rule tables by config key: the ``defaults`` files, any of them overridden by
    ``files`` (a name here or a path); a key ``defaults`` lacks is refused, naming ``what`` config it is in."""
    unknown = set(files or {}) - set(defaults)
    if unknown:
        raise KGError(f"{what}: unknown table(s) {sorted(unknown)}; known: {sorted(defaults)}")
    return {key: load_json(name) for key, name in {**defaults, **(files or {})}.items()}


def shipped(folder: str) -> Path:
    """A folder of data shipped with kg: "ontology" (kg.ttl, shapes.ttl) or "queries" (*.rq)."""
    return Path(str(files(__package__).joinpath(folder)))
