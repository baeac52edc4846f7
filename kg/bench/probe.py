"""Ingest a corpus in batches in a fresh process, printing one JSON line per batch: articles so far, seconds
of the batch, peak RSS so far and store size on disk. Run by the benchmark as a subprocess, so the peak RSS is
that of an ingest alone.

    python -m kg.bench.probe CORPUS.jsonl STORE_DIR --limit 2225 --batch 25
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from itertools import islice
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak RSS. /proc's VmHWM belongs to the process image; getrusage's ru_maxrss survives
    exec, so a probe started by a big benchmark process would report its parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_bytes(path: Path) -> int:
    """Space used on disk (allocated blocks: RocksDB preallocates its log files sparsely)."""
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("store")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--batch", type=int, default=25)
    args = parser.parse_args(argv)

    from ..graph import KnowledgeGraph
    from ..ingest.pool import chunks
    from ..readers.files import read_paths

    articles = islice((a for a in read_paths([args.corpus]) if hasattr(a, "text")), args.limit)
    kg = KnowledgeGraph(args.store)
    kg.nlp  # noqa: B018  (load the pipeline before the first batch is timed)
    done = 0
    for batch in chunks(articles, args.batch):
        t = time.perf_counter()
        words = sum(len(a.text.split()) for a in batch)
        s = kg.ingest(batch)
        done += s.written
        print(json.dumps({"articles": done, "seconds": time.perf_counter() - t, "triples": s.triples, "words": words,
                          "peak_rss_mb": peak_rss_mb(),
                          "store_mb": disk_bytes(Path(args.store)) / 2**20}), flush=True)
    kg.close()
    print(json.dumps({"articles": done, "closed": True, "store_mb": disk_bytes(Path(args.store)) / 2**20}),
          flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
