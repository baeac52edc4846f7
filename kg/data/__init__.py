"""Rule tables (type maps, titles, triggers, demonyms) as data files, loaded once."""
import json
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=None)
def load_json(name: str):
    """A JSON rule table from this folder; keys starting with '_' are comments and dropped."""
    data = json.loads(files(__package__).joinpath(name).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if not k.startswith("_")}
    return data
