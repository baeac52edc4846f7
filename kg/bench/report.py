"""The benchmark table: printed to the terminal and written to bench/results.md with the machine description."""
from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version

from .common import Row

HEADER = ("section", "metric", "ours", "anchor (same run)", "ratio", "target", "verdict", "note")


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor()) if os.path.exists("/proc/cpuinfo") else platform.processor()
    mem = next((int(line.split()[1]) / 2**20 for line in open("/proc/meminfo") if line.startswith("MemTotal")),
               0.0) if os.path.exists("/proc/meminfo") else 0.0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    return [f"- CPU: {cpu}, {os.cpu_count()} logical cores; RAM {mem:.1f} GiB; load average at start {load}",
            f"- {platform.system()} {platform.release()}, Python {platform.python_version()}",
            f"- spaCy {v('spacy')}, pyoxigraph {v('pyoxigraph')}, oxigraph (server) {v('oxigraph')}, "
            f"rdflib {v('rdflib')}, rdflib-endpoint {v('rdflib-endpoint')}, dask {v('dask')}",
            f"- kg-news at commit {commit or '?'}, {dt.datetime.now().isoformat(timespec='minutes')}"]


def cells(row: Row) -> tuple[str, ...]:
    ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
    return (row.section, row.metric, row.ours, row.anchor, ratio, row.target, row.verdict, row.note)


def text_table(rows: list[Row]) -> str:
    table = [HEADER] + [cells(r) for r in rows]
    widths = [min(max(len(r[i]) for r in table), 60) for i in range(len(HEADER))]
    return "\n".join("  ".join(c[:60].ljust(w) for c, w in zip(r, widths)).rstrip() for r in table)


def markdown(rows: list[Row], plan_text: str, seconds: float, machine_lines: list[str]) -> str:
    out = ["# Benchmark results", "", "Written by `kg bench` (`make bench`); each figure is a median of several runs, "
           "each ratio is against an anchor measured in the same run on the same data. See docs/performance.md.",
           "", "## Machine", "", *machine_lines, "", f"Plan: {plan_text}; whole run {seconds / 60:.1f} min.", "",
           "## Results", "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in cells(r)) + " |" for r in rows]
    return "\n".join(out) + "\n"
