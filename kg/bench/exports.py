"""Bench rows for `kg export`: our sorted, prefixed Turtle/TriG and compact JSON-LD beside pyoxigraph's own
serialization of the same store in the same format (what `kg export` wrote before; unsorted, full IRIs)."""
from __future__ import annotations

import io
from pathlib import Path

FORMATS = ("turtle", "trig", "jsonld")


def exports(plan, store: Path) -> list:
    from ..store.formats import rdf_format
    from ..graph import KnowledgeGraph
    from .common import Row, median_time

    rows = []
    with KnowledgeGraph(str(store), read_only=True) as kg:
        for fmt in FORMATS:
            sizes = {}

            def ours(fmt=fmt):
                out = io.BytesIO()
                kg.export(out, fmt)
                sizes["ours"] = len(out.getvalue())

            def anchor(fmt=fmt):
                out = io.BytesIO()
                kg.store.dump(out, rdf_format(fmt))
                sizes["anchor"] = len(out.getvalue())

            t_ours, t_ox = median_time(ours, plan.runs), median_time(anchor, plan.runs)
            rows.append(Row("export", f"whole-store {fmt} of wikinews: seconds (MB)",
                            f"{t_ours:.2f} ({sizes['ours'] / 1e6:.1f})",
                            f"pyoxigraph {t_ox:.2f} ({sizes['anchor'] / 1e6:.1f})", t_ox / t_ours, ">= 0.25x",
                            "ours sorted, grouped and prefixed (docs/exports.md); pyoxigraph unsorted, full IRIs"))
    return rows
