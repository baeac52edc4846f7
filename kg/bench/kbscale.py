"""The KB at the scale of the full Wikidata dump: `kg kb build` on a synthetic dump of a million items in the
dump's exact JSON shape (kg.bench.wikidump), then the linker's speed on a KB that holds those items beside the
real subset. The build runs in a fresh process so its peak RSS is its own.

    python -m kg.bench.kbscale DUMP.json.gz KB.sqlite [MORE_SOURCES...]   (prints one JSON line)
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

FULL_DUMP_ITEMS = 115_000_000  # items in latest-all.json (2025)
CACHE = Path(__file__).resolve().parents[2] / "bench" / ".cache"


def synthetic_dump(items: int, namesakes_kb: Path | None = None) -> tuple[Path, int]:
    """The synthetic dump of ``items`` items and its bytes of JSON, generated once and kept in bench/.cache
    (not tracked); with ``namesakes_kb``, half of its people, places and organisations bear that KB's names."""
    from .wikidump import Namesakes, write_dump

    path = CACHE / f"wikidump-{items}-s1{'-namesakes' if namesakes_kb else ''}.json.gz"
    size_file = path.with_name(path.name + ".bytes")
    if not (path.exists() and size_file.exists()):
        CACHE.mkdir(parents=True, exist_ok=True)
        part = path.with_name("part-" + path.name)
        size_file.write_text(str(write_dump(part, items, namesakes=Namesakes.from_kb(namesakes_kb)
                                            if namesakes_kb else None)))
        part.replace(path)
    return path, int(size_file.read_text())


def probe(output: Path, sources: list[Path]) -> dict:
    """Build a KB in a fresh process; its CPU seconds, wall seconds, peak RSS and the build's meta."""
    out = subprocess.run([sys.executable, "-m", "kg.bench.kbscale", str(output), *map(str, sources)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.splitlines()[-1])


def kb_scale(items: int, work: Path, shared_kb: Path, wikinews: Path, runs: int) -> list:
    from .common import Row

    dump, size = synthetic_dump(items)
    kb = work / "kb-synthetic.sqlite"
    m = probe(kb, [dump])
    src = m["meta"]["sources"][0]
    kb_mb = kb.stat().st_size / 1e6
    cpu_rate, wall_rate = items / m["cpu"], items / m["wall"]
    rows = [
        Row("kb scale", f"KB build from a synthetic JSON dump ({items:,} items, {size / items / 1024:.1f} KB "
            "each): items/s on one core (CPU time of the builder)", f"{cpu_rate:,.0f}", "", cpu_rate / 10_000,
            ">= 1.0x", "target 10,000 items/s; decompression runs beside it (pigz/lbzip2 or a thread)"),
        Row("kb scale", "same build: items/s, wall clock", f"{wall_rate:,.0f}", "", None, "",
            f"kept {src['items_kept']:,} of {items:,} items (possible people, places, organisations, events)"),
        Row("kb scale", "peak RSS of the build (MB)", f"{m['rss_mb']:.0f}", "", 2048 / m["rss_mb"], ">= 1.0x",
            "target < 2 GB"),
        Row("kb scale", "KB size per million dump items (MB)", f"{kb_mb / items * 1e6:,.0f}", "", None, "",
            f"{m['meta']['counts']['items']:,} items, {m['meta']['counts']['names']:,} names"),
        Row("kb scale", f"extrapolated build of the full dump ({FULL_DUMP_ITEMS / 1e6:.0f}M items), hours",
            f"{FULL_DUMP_ITEMS / wall_rate / 3600:.1f}", "", None, "",
            f"at this machine's wall-clock rate; KB ~{kb_mb / items * FULL_DUMP_ITEMS / 1e3:.1f} GB"),
    ]
    if shared_kb.exists():
        rows += _linking_on_big_kb(dump, shared_kb, wikinews, work, runs)
    return rows


def _linking_on_big_kb(dump: Path, shared_kb: Path, wikinews: Path, work: Path, runs: int) -> list:
    """Words/s of the linker with the subset alone vs the subset plus the synthetic million items."""
    from ..extract import extract_graphs
    from ..iris import Minter
    from ..nlp import build_pipeline
    from .common import Row, articles, median_time

    small, big = work / "kb-subset.sqlite", work / "kb-big.sqlite"
    probe(small, [shared_kb])
    probe(big, [shared_kb, dump])
    docs = articles(wikinews, 100)
    jobs, words, minter = [(a, "") for a in docs], sum(len(a.text.split()) for a in docs), Minter("http://x/")
    times = {}
    for name, kb in (("subset", small), ("big", big)):
        nlp = build_pipeline(None, linking=(("kb", str(kb)),))
        times[name] = median_time(lambda: list(extract_graphs(nlp, jobs, minter, "urn:run")), runs)
    return [Row("kb scale", f"words/s with the linker on subset + 1M synthetic items, wikinews ({len(docs)} articles)",
                f"{words / times['big']:,.0f}", f"subset KB {words / times['subset']:,.0f}",
                times["subset"] / times["big"], ">= 0.9x", "the linker's speed unchanged on a KB of that size")]


def main(argv: list[str] | None = None) -> None:
    from ..kb.build import build
    from .probe import peak_rss_mb

    args = argv if argv is not None else sys.argv[1:]
    output, sources = Path(args[0]), [Path(a) for a in args[1:]]
    cpu, wall = time.process_time(), time.perf_counter()
    meta = build(output, [(s, None) for s in sources])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({"cpu": cpu, "wall": wall, "rss_mb": peak_rss_mb(), "meta": meta}))


if __name__ == "__main__":
    main()
