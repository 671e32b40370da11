"""Cost of the time stages: the pipeline with and without `dates` + `events`.

Generates N fictional articles (benchmarks/corpus.py) and runs the full pipeline over
them once, timing every stage: the time `dates` + `events` add over all the other
stages is the main figure (target: at most 30%). It also runs the pipeline without the
two stages and with them over the same texts (A/B wall clock; noisier, since the parse
dominates and varies with machine load). Finally it stores the analysed articles in a
fresh ledger with and without their events, to show what the event-clustering save
hook adds to the writes.

    .venv/bin/python benchmarks/timeline.py --n 300
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from storyline.model import Article  # noqa: E402
from storyline.pipeline import REGISTRY, Pipeline, available_stages  # noqa: E402
from storyline.readers import InputFailure, iter_inputs  # noqa: E402
from storyline.settings import Options  # noqa: E402
from storyline.ledger.store import Store  # noqa: E402

TIME_STAGES = ("dates", "events")


def read_articles(folder: Path, options: Options) -> list[Article]:
    return [Article.from_raw(r) for r in iter_inputs([str(folder)], options) if not isinstance(r, InputFailure)]


def run(stages: list[str], folder: Path, options: Options, batch: int) -> tuple[float, list[Article]]:
    pipeline = Pipeline(stages, options)
    pipeline.context.nlp  # noqa: B018 - load the model before timing
    articles = read_articles(folder, options)
    start = time.perf_counter()
    done = []
    for article in pipeline.pipe(articles, batch_size=batch):
        article.docs = []
        done.append(article)
    return time.perf_counter() - start, done


def stage_times(stages: list[str], folder: Path, options: Options, batch: int) -> dict[str, float]:
    """Seconds spent in each stage over one full pipeline run."""
    times = dict.fromkeys(stages, 0.0)
    originals = {name: REGISTRY[name].func for name in stages}

    def timed(name, func):
        def run_stage(articles, ctx):
            start = time.perf_counter()
            func(articles, ctx)
            times[name] += time.perf_counter() - start
        return run_stage

    try:
        for name in stages:
            REGISTRY[name].func = timed(name, originals[name])
        run(stages, folder, options, batch)
    finally:
        for name, func in originals.items():
            REGISTRY[name].func = func
    return times


def store_all(path: Path, articles: list[Article]) -> float:
    start = time.perf_counter()
    with Store(path) as store:
        for i in range(0, len(articles), 50):
            with store.transaction():
                for article in articles[i:i + 50]:
                    store.save_article(article)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="articles to generate (default 300)")
    parser.add_argument("--batch", type=int, default=32, help="articles per pipeline batch (default 32)")
    args = parser.parse_args()
    options = Options()
    stages = available_stages()
    missing = [s for s in TIME_STAGES if s not in stages]
    if missing:
        sys.exit(f"stages {missing} are not available in this build")
    base = [s for s in stages if s not in TIME_STAGES]

    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        corpus.write_corpus(folder, args.n)
        run(base, folder, options, args.batch)  # warm-up (model, caches)
        per_stage = stage_times(stages, folder, options, args.batch)
        without, _ = run(base, folder, options, args.batch)
        with_time, analysed = run(stages, folder, options, args.batch)
        events = sum(len(a.events) for a in analysed)
        statements = sum(len(a.statements) for a in analysed)
        bare = [copy.copy(a) for a in analysed]
        for a in bare:
            a.events = []
        write_without = store_all(Path(tmp) / "without.db", bare)
        write_with = store_all(Path(tmp) / "with.db", analysed)
        with Store(Path(tmp) / "with.db") as store:
            clusters = store.conn.execute("SELECT COUNT(DISTINCT cluster_id) FROM events").fetchone()[0]

    n = len(analysed)
    ours = sum(per_stage[s] for s in TIME_STAGES)
    others = sum(v for k, v in per_stage.items() if k not in TIME_STAGES)
    added = (with_time - without) / without * 100
    print(f"articles: {n}, statements: {statements}, events: {events}, event clusters: {clusters}")
    print("time per stage (one full run): " + ", ".join(f"{k} {v:.2f} s" for k, v in per_stage.items()))
    print(f"added by dates+events (stage time): {ours / others * 100:6.1f} %  (target <= 30 %)")
    print(f"pipeline without dates+events: {without:7.2f} s  ({', '.join(base)})")
    print(f"pipeline with dates+events   : {with_time:7.2f} s")
    print(f"added by dates+events (A/B)  : {added:6.1f} %")
    print(f"store writes without events  : {write_without:7.2f} s")
    print(f"store writes with events     : {write_with:7.2f} s  (clustering save hook included, "
          f"+{(write_with - write_without) / max(write_without, 1e-9) * 100:.0f} %)")


if __name__ == "__main__":
    main()
