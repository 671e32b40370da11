"""Ingest benchmark: articles per second and peak memory over a generated corpus.

Generates N articles from examples/ (benchmarks/corpus.py), ingests them into a fresh
ledger with every pipeline stage this build has, and prints the throughput and the
peak resident memory at checkpoints (by default 2,500 and 10,000 articles) so you can
see memory stays flat while the corpus grows.

    .venv/bin/python benchmarks/ingest.py --n 10000
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from storyline.ingest import ingest, runnable_stages  # noqa: E402
from storyline.settings import Options  # noqa: E402


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate and ingest (default 10,000)")
    parser.add_argument("--checkpoints", default="2500,10000",
                        help="report memory after this many articles (comma-separated)")
    parser.add_argument("--format", choices=("txt", "jsonl"), default="txt", help="one file per article, or one JSONL")
    parser.add_argument("--stages", help="comma-separated stages to run, or 'none' to measure reading, "
                        "dedup and storing alone (default: every stage this build has)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus and ledger here (default: a temp dir, removed)")
    args = parser.parse_args()
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",") if c.strip()} | {args.n})
    checkpoints = [c for c in checkpoints if c <= args.n]

    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        data, db = work / "corpus", work / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        _, words = corpus.write_corpus(data, args.n, args.format)
        print(f"corpus: {args.n:,} articles, {words:,} words, generated in {time.perf_counter() - started:.1f}s")

        if args.stages:
            stages = [] if args.stages == "none" else [x.strip() for x in args.stages.split(",") if x.strip()]
        else:
            stages = runnable_stages()
        options = Options(db=str(db))
        print(f"stages: {', '.join(stages) or 'none'}; commit every {options.commit_every} articles")
        baseline = peak_rss_mb()
        marks: list[tuple[int, float, float]] = []
        pending = list(checkpoints)
        begun = [0.0]

        def progress(report, label):
            done = report.processed
            if not begun[0]:
                begun[0] = time.perf_counter()
            while pending and done >= pending[0]:
                pending.pop(0)
                marks.append((done, time.perf_counter() - begun[0], peak_rss_mb()))
                print(f"  after {done:>6,} articles: {marks[-1][1]:7.1f}s, "
                      f"{done / marks[-1][1]:5.1f} articles/s, peak RSS {marks[-1][2]:7.1f} MB", flush=True)

        report = ingest([str(data)], options, progress, stages=stages)
        total = time.perf_counter() - started

    print(f"ingest: {report.read:,} documents in {report.elapsed:.1f}s = {report.articles_per_second:.1f} articles/s "
          f"({words / report.elapsed:,.0f} words/s); stored {report.stored:,}, exact duplicates "
          f"{report.exact_duplicates:,}, near-duplicates {report.near_duplicates:,}, failed {report.failed:,}")
    print(f"memory: peak RSS {peak_rss_mb():.1f} MB (before ingest {baseline:.1f} MB); "
          + ", ".join(f"after {n:,}: {rss:.1f} MB" for n, _, rss in marks))
    print(f"total with corpus generation: {total:.1f}s; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} (other processes slow this down)")


if __name__ == "__main__":
    main()
