"""Ingest benchmark: the per-stretch curve as the ledger grows, peak memory of every
process, and workers against bare `nlp.pipe`.

1. The curve: generates N articles from examples/ (benchmarks/corpus.py), all
   published within the same three weeks (one story: the hard case for every
   cross-article step), ingests them into a fresh ledger with every stage and
   `--workers W`, and prints articles/s for each stretch of `--stretch` articles and the
   peak RSS of the ingesting process and of each worker. The last stretch's speed over
   the first's is the flatness ratio (target >= 0.9).
2. The comparison (`--compare M`, 0 to skip): the first M articles' analysed texts
   through bare `nlp.pipe(n_process=1)` and `nlp.pipe(n_process=2)`, and the same M
   articles ingested end to end with `--workers 1` and `--workers 2`.

    .venv/bin/python benchmarks/ingest.py --n 20000 --stretch 2000 --compare 600

The machine is usually shared: the load average is printed with the figures.
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


def children_peak_rss_mb(pid: int | None = None) -> dict[int, float]:
    """Peak RSS (VmHWM) of each live child process, from /proc (Linux; empty elsewhere)."""
    pid = pid or os.getpid()
    found: dict[int, float] = {}
    try:
        kids = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids.extend(int(x) for x in fh.read().split())
        for kid in kids:
            with open(f"/proc/{kid}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        found[kid] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return found


def curve(args, work: Path, stages: list[str]) -> None:
    data, db = work / "corpus", work / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    _, words = corpus.write_corpus(data, args.n, args.format, window_days=args.window_days)
    print(f"corpus: {args.n:,} articles, {words:,} words, all published within {args.window_days} days, "
          f"generated in {time.perf_counter() - started:.1f}s")
    options = Options(db=str(db), workers=args.workers)
    print(f"stages: {', '.join(stages) or 'none'}; commit every {options.commit_every} articles; "
          f"workers {args.workers}")
    marks: list[tuple[int, float]] = []
    workers_peak: dict[int, float] = {}
    state = {"begun": 0.0, "next": args.stretch}

    def progress(report, label):
        if not state["begun"]:
            state["begun"] = time.perf_counter()
            marks.append((0, state["begun"]))
        if label != "committed":
            return
        for pid, rss in children_peak_rss_mb().items():
            workers_peak[pid] = max(rss, workers_peak.get(pid, 0.0))
        done = report.processed
        if done >= state["next"] or done >= args.n:
            now = time.perf_counter()
            prev_n, prev_t = marks[-1]
            marks.append((done, now))
            rate = (done - prev_n) / (now - prev_t) if now > prev_t else 0.0
            print(f"  {prev_n:>7,}–{done:<7,} {rate:6.2f} articles/s   (elapsed {now - state['begun']:7.1f}s, "
                  f"writer peak RSS {peak_rss_mb():6.0f} MB, children "
                  f"{', '.join(f'{v:.0f}' for v in workers_peak.values()) or '-'} MB, "
                  f"load {os.getloadavg()[0]:.1f})", flush=True)
            state["next"] = (done // args.stretch + 1) * args.stretch

    report = ingest([str(data)], options, progress, stages=stages)
    rates = [(b[0] - a[0]) / (b[1] - a[1]) for a, b in zip(marks, marks[1:]) if b[1] > a[1]]
    print(f"ingest: {report.read:,} documents in {report.elapsed:.1f}s = {report.articles_per_second:.2f} articles/s; "
          f"stored {report.stored:,}, exact duplicates {report.exact_duplicates:,}, near-duplicates "
          f"{report.near_duplicates:,}, failed {report.failed:,}")
    if len(rates) >= 2:
        print(f"flatness: last stretch / first stretch = {rates[-1] / rates[0]:.2f} (target >= 0.9)")
    total = peak_rss_mb() + sum(workers_peak.values())
    print(f"memory: writer peak RSS {peak_rss_mb():.0f} MB; child processes (workers, multiprocessing's resource "
          f"tracker) {', '.join(f'{v:.0f}' for v in workers_peak.values()) or '-'} MB; "
          f"sum of peaks {total:.0f} MB (target < 1,500)")


def compare(args, work: Path, stages: list[str]) -> None:
    from storyline import nlp as nlp_module
    from storyline.model import Article
    from storyline.readers import InputFailure, iter_inputs

    data = work / "compare"
    corpus.write_corpus(data, args.compare, "txt", seed=11, window_days=args.window_days)
    articles = [Article.from_raw(r) for r in iter_inputs([str(data)], Options()) if not isinstance(r, InputFailure)]
    texts = [p for a in articles for p in a.text.split("\n\n") if p.strip()]
    nlp = nlp_module.load(None)
    results = {}
    for n_process in (1, 2):
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=Options().batch_size, n_process=n_process):
            pass
        results[f"nlp.pipe(n_process={n_process})"] = len(articles) / (time.perf_counter() - started)
    steady = {}
    for workers in (1, 2):
        db = work / f"compare-{workers}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        first: list[tuple[float, int]] = []

        def progress(report, label, first=first):
            if label == "committed" and not first:
                first.append((time.perf_counter(), report.processed))

        cpu0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        report = ingest([str(data)], Options(db=str(db), workers=workers), progress, stages=stages)
        cpu1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        writer, kids = ((b.ru_utime + b.ru_stime) - (a.ru_utime + a.ru_stime) for a, b in zip(cpu0, cpu1))
        print(f"  ingest --workers {workers}: CPU per article: ingesting process {writer / report.read * 1000:.0f} ms, "
              f"workers {kids / report.read * 1000:.0f} ms")
        results[f"ingest --workers {workers}"] = report.read / report.elapsed
        if first:  # after the first commit: the workers' start-up (spawn, model load) left out
            steady[workers] = (report.read - first[0][1]) / (time.perf_counter() - first[0][0])
    print(f"comparison on {len(articles)} articles ({len(texts)} paragraphs), load {os.getloadavg()[0]:.1f}:")
    for name, rate in results.items():
        print(f"  {name:<26} {rate:6.2f} articles/s")
    print(f"  ingest --workers 2 / nlp.pipe(n_process=2) = "
          f"{results['ingest --workers 2'] / results['nlp.pipe(n_process=2)']:.2f} (target >= 0.8)")
    print(f"  ingest --workers 2 / ingest --workers 1    = "
          f"{results['ingest --workers 2'] / results['ingest --workers 1']:.2f} (target >= 1.6)")
    if len(steady) == 2:
        print(f"  after the first commit (start-up left out): --workers 1 {steady[1]:.2f}, --workers 2 "
              f"{steady[2]:.2f} articles/s; ratio to nlp.pipe(n_process=2) "
              f"{steady[2] / results['nlp.pipe(n_process=2)']:.2f}, to --workers 1 {steady[2] / steady[1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000, help="articles to generate and ingest (default 20,000)")
    parser.add_argument("--stretch", type=int, default=2_000, help="report speed per this many articles")
    parser.add_argument("--window-days", type=int, default=21, help="publish every article within this many days")
    parser.add_argument("--workers", type=int, default=2, help="worker processes for the curve (default 2)")
    parser.add_argument("--compare", type=int, default=600, help="articles for the workers vs nlp.pipe comparison "
                        "(0 to skip)")
    parser.add_argument("--format", choices=("txt", "jsonl"), default="txt", help="one file per article, or one JSONL")
    parser.add_argument("--stages", help="comma-separated stages to run, or 'none' to measure reading, "
                        "dedup and storing alone (default: every stage this build has)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus and ledger here (default: a temp dir, removed)")
    args = parser.parse_args()
    if args.stages:
        stages = [] if args.stages == "none" else [x.strip() for x in args.stages.split(",") if x.strip()]
    else:
        stages = runnable_stages()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other processes slow this down)")
    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.compare:
            compare(args, work, stages)
        if args.n:
            curve(args, work, stages)


if __name__ == "__main__":
    main()
