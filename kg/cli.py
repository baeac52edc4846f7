"""The `kg` command: one click group, one thin verb per job over the library (kg.graph)."""
from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="kg-news")
def main() -> None:
    """Build a knowledge graph from news articles, query it, serve it."""


# ---- verbs defined in other modules (one line each) ----
