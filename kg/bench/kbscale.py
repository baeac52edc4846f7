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

from .common import CACHE

FULL_DUMP_ITEMS = 115_000_000  # items in latest-all.json (2025)


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


def kb_scale(items: int, work: Path, shared_kb: Path, wikinews: Path, runs: int, gold: Path | None = None) -> list:
    from .common import Row

    small = work / "kb-subset.sqlite"
    if shared_kb.exists():  # the real subset lends its names to the synthetic namesakes
        probe(small, [shared_kb])
    dump, size = synthetic_dump(items, small if shared_kb.exists() else None)
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
            f"{FULL_DUMP_ITEMS / cpu_rate / 3600:.1f}", f"wall clock here {FULL_DUMP_ITEMS / wall_rate / 3600:.1f}",
            None, "", f"one core of the builder, decompression on another; KB "
            f"~{kb_mb / items * FULL_DUMP_ITEMS / 1e3:.1f} GB"),
    ]
    if shared_kb.exists():
        big = work / "kb-big.sqlite"
        probe(big, [shared_kb, dump])
        rows += _linking_on_big_kb(small, big, wikinews, runs)
        if gold is not None and gold.exists():
            rows += _accuracy_on_big_kb(small, big, gold)
    return rows


def _linking_on_big_kb(small: Path, big: Path, wikinews: Path, runs: int) -> list:
    """Words/s of the linker with the subset alone vs the subset plus the synthetic million items."""
    from ..mapping.extract import extract_graphs
    from ..mapping.iris import Minter
    from ..pipeline.nlp import build_pipeline
    from .common import Row, articles, median_time

    docs = articles(wikinews, 100)
    jobs, words, minter = [(a, "") for a in docs], sum(len(a.text.split()) for a in docs), Minter("http://x/")
    times = {}
    for name, kb in (("subset", small), ("big", big)):
        nlp = build_pipeline(None, linking=(("kb", str(kb)),))
        times[name] = median_time(lambda: list(extract_graphs(nlp, jobs, minter, "urn:run")), runs)
    return [Row("kb scale", f"words/s with the linker on subset + synthetic items, wikinews ({len(docs)} articles)",
                f"{words / times['big']:,.0f}", f"subset KB {words / times['subset']:,.0f}",
                times["subset"] / times["big"], ">= 0.9x", "the linker's speed unchanged on a KB of that size")]


def _accuracy_on_big_kb(small: Path, big: Path, gold: Path) -> list:
    """In-KB linking accuracy on the dev gold with the subset alone vs the subset plus the synthetic items, half of
    whose people, places and organisations bear a real name: the ambiguity of the full dump. Both KBs hold the
    same gold QIDs (synthetic QIDs are above every real one), so the two figures count the same mentions."""
    from ..evaluation.run import read_gold, run_eval
    from ..kb.store import KB
    from ..pipeline.nlp import build_pipeline
    from .common import Row
    from .wikidump import FIRST_QID

    records, scores = read_gold(str(gold)), {}
    for name, path in (("subset", small), ("big", big)):
        kb = KB(path)
        nlp = build_pipeline(None, linking=(("kb", str(path)),))
        scores[name] = run_eval(nlp, records, kb.qids(), baseline=False)[-1][1]
        kb.close()
    sub, big_scores = scores["subset"], scores["big"]
    acc = {name: s.linking()[1] or 0.0 for name, s in scores.items()}
    halves = " / ".join(f"{part} {s.linking()[1] or 0:.3f} vs {sub.parts[part].linking()[1] or 0:.3f}"
                        for part, s in sorted(big_scores.parts.items()) if part in sub.parts)
    to_synthetic = sum(int(e[4][1:]) > FIRST_QID for e in big_scores.link_errors if e[4])
    return [
        Row("kb scale", f"in-KB linking accuracy, dev gold ({gold.name}, {big_scores.in_kb} mentions in the KB), "
            "subset + synthetic items (half their people, places, organisations namesakes of real ones)",
            f"{acc['big']:.3f}", f"subset KB {acc['subset']:.3f}", acc["big"] / acc["subset"] if acc["subset"] else None,
            ">= 0.95x", f"halves A / B: {halves}"),
        Row("kb scale", "wrong links to a synthetic namesake, dev gold", f"{to_synthetic}",
            f"{len(big_scores.link_errors)} wrong links in all", None, "",
            "the stored priors (sitelinks, classes, country) and the article's context must beat a namesake"),
    ]


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
