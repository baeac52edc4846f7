"""Errors users see; each message says what is wrong, where, and what to do."""


class KGError(Exception):
    """Base class: the CLI prints the message and exits non-zero, the server answers 4xx/5xx with it."""


class InputError(KGError):
    """An input (file, JSONL line, request body) that cannot be read as an article."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.reason = message


class ModelError(KGError):
    """No usable spaCy model."""


class StoreError(KGError):
    """The store cannot be opened or written."""
