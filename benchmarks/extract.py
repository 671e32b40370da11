"""Extraction benchmark: the full analysis pipeline against bare spaCy over the same texts.

Generates N fictional articles (benchmarks/corpus.py), then times
  1. bare `nlp.pipe` over the analysed segments of every article, and
  2. the full pipeline (segment, metadata, language, parse, statements, speakers and
     every later stage this build has) over the same articles, nothing stored,
and prints both throughputs and their ratio (target: full >= 0.5 x bare).

    .venv/bin/python benchmarks/extract.py --n 300
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

from storyline.model import Article  # noqa: E402
from storyline.pipeline import Pipeline, available_stages  # noqa: E402
from storyline.readers import InputFailure, iter_inputs  # noqa: E402
from storyline.settings import Options  # noqa: E402


def read_articles(folder: Path, options: Options) -> list[Article]:
    return [Article.from_raw(r) for r in iter_inputs([str(folder)], options) if not isinstance(r, InputFailure)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="articles to generate (default 300)")
    parser.add_argument("--batch", type=int, default=32, help="articles per pipeline batch (default 32)")
    args = parser.parse_args()
    options = Options()

    with tempfile.TemporaryDirectory(prefix="storyline-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        corpus.write_corpus(folder, args.n)
        articles = read_articles(folder, options)
        # The texts bare spaCy sees: the analysed segments, found by the cheap stages (untimed).
        stages = available_stages()
        pre = [s for s in ("segment", "metadata", "language") if s in stages]
        Pipeline(pre, options)(articles)
        texts = [a.text[s.start:s.end] for a in articles if a.analysed for s in a.analysed_segments()]
        chars = sum(len(t) for t in texts)

        pipeline = Pipeline(stages, options)
        nlp = pipeline.context.nlp
        list(nlp.pipe(texts[:50], batch_size=options.batch_size))  # warm-up

        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=options.batch_size):
            pass
        bare = time.perf_counter() - start

        fresh = read_articles(folder, options)
        start = time.perf_counter()
        statements = 0
        for article in pipeline.pipe(fresh, batch_size=args.batch):
            statements += len(article.statements)
            article.docs = []  # as ingest does once an article is stored: keep memory flat
        full = time.perf_counter() - start

    n = len(articles)
    print(f"articles: {n}, analysed segments: {len(texts)}, characters: {chars:,}")
    print(f"stages: {', '.join(stages)}")
    print(f"bare nlp.pipe : {bare:7.2f} s  {n / bare:8.1f} articles/s  {chars / bare:10,.0f} chars/s")
    print(f"full pipeline : {full:7.2f} s  {n / full:8.1f} articles/s  {chars / full:10,.0f} chars/s "
          f"({statements} statements)")
    print(f"ratio full/bare throughput: {bare / full:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
