"""Re-running analysis on stored articles: `reanalyse(options, stale_only=...)`.

Every article records the version of each stage that made its results
(`articles.stage_versions`, see `pipeline.stage_version`). Reanalysis reads the stored
text (sources are never read again), re-runs the stages whose version differs from
this build's (all stages without `stale_only`) and writes the results back in
transactions of `Options.commit_every` articles, as an ingest does:

- stages before the first one to re-run keep their stored results (segments, outlet,
  dates, language); from the first one on everything re-runs, since each stage reads
  what the earlier ones made (a stale stage after `parse` re-runs from `parse`, which
  stores nothing). An article stored before versions were recorded re-runs in full.
- the actor registry is rebuilt by the same save hook as an ingest, which never
  renames, re-points or drops what a user did (merges, splits, aliases, imports): those
  edits survive reanalysis as they survive re-ingest.
- the article's near-duplicate cluster, MinHash signature, sources and ingest time are
  kept; an article whose analysis fails keeps its old results and is reported.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from storyline import pipeline
from storyline.errors import SetupError
from storyline.ledger.store import Store
from storyline.model import Article, Segment
from storyline.settings import Options

# What a stage assigns that is never stored: it has to re-run whenever a later one does.
NOT_STORED = frozenset({"docs"})


@dataclass
class ReanalyseReport:
    articles: int = 0  # articles in the ledger
    reanalysed: int = 0
    up_to_date: int = 0
    failed: list[dict] = field(default_factory=list)  # {"id", "error"}
    stages: Counter = field(default_factory=Counter)  # stage → articles it re-ran on
    elapsed: float = 0.0

    def to_dict(self) -> dict:
        return {"articles": self.articles, "reanalysed": self.reanalysed, "up_to_date": self.up_to_date,
                "failed": self.failed, "stages": dict(self.stages), "elapsed": round(self.elapsed, 3)}


def stale_stages(names: list[str], stored: dict, current: dict, analysed: bool) -> list[str]:
    """The stages of `names` whose stored version is not this build's (stages that do
    not run on unanalysed articles do not count for those)."""
    return [n for n in names if (analysed or not pipeline.REGISTRY[n].analysed_only) and stored.get(n) != current[n]]


def rerun_plan(names: list[str], stale: list[str]) -> list[str]:
    """The stages to run so that every stale stage re-runs on fresh inputs."""
    if not stale:
        return []
    first = min(names.index(n) for n in stale)
    later = names[first:]
    needed = {r for n in later for r in pipeline.REGISTRY[n].requires}
    earlier = [n for n in names[:first] if set(pipeline.REGISTRY[n].assigns) & NOT_STORED & needed]
    if earlier:  # e.g. parse, whose spaCy docs are not stored: re-run from there
        later = names[names.index(earlier[0]):]
    return later


def article_from_row(conn: sqlite3.Connection, row: sqlite3.Row) -> Article:
    """The stored article as the pipeline left it, minus what is not stored (docs)."""
    article = Article(
        id=row["id"], text=row["text"], source=row["source"], doc=row["doc"], format=row["format"] or "text",
        url=row["url"], outlet=row["outlet"], outlet_method=row["outlet_method"], title=row["title"],
        authors=json.loads(row["authors"] or "[]"), published=row["published"],
        published_precision=row["published_precision"], published_method=row["published_method"],
        updated=row["updated"], language=row["language"], language_score=row["language_score"],
        analysed=bool(row["analysed"]), not_analysed_reason=row["not_analysed_reason"],
        meta=json.loads(row["meta"] or "{}"), done=set(json.loads(row["stages"] or "[]")),
        versions=json.loads(row["stage_versions"] or "{}"),
    )
    article.sources = [r[0] for r in conn.execute(
        "SELECT source FROM article_sources WHERE article_id=? ORDER BY first_seen, source", (article.id,))]
    article.segments = [Segment(r["start"], r["end"], r["kind"], bool(r["boilerplate"]), r["reason"], r["section_date"])
                        for r in conn.execute('SELECT start, "end", kind, boilerplate, reason, section_date '
                                              "FROM segments WHERE article_id=? ORDER BY idx", (article.id,))]
    return article


def _reset(article: Article, plan: list[str]) -> None:
    """Forget what the stages of `plan` made, so they start from what came before them."""
    for name in plan:
        article.done.discard(name)
        article.versions.pop(name, None)
    if "segment" in plan:
        article.segments = []
    article.statements, article.timexes, article.events = [], [], []


def reanalyse(options: Options | None = None, *, stale_only: bool = False, store: Store | None = None,
              progress: Callable[[ReanalyseReport], None] | None = None) -> ReanalyseReport:
    """Re-run the stages whose version changed (`stale_only`) or every stage, on every
    stored article of `options.db`; see the module's docstring."""
    from storyline.ingest import runnable_stages

    options = options or Options()
    names = runnable_stages()
    current = pipeline.stage_versions(names, options)
    report = ReanalyseReport()
    started = time.perf_counter()
    own = store is None
    store = store or Store(options.db)
    # Analysed as ingest analyses (storyline.workers): each article alone, without the
    # ledger, so a re-run of unchanged stages gives the rows the ingest wrote.
    context = pipeline.Context(options, store=None)
    try:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY rowid")]
        report.articles = len(ids)
        for i in range(0, len(ids), max(1, options.commit_every)):
            _batch(store, context, names, current, ids[i:i + options.commit_every], stale_only, report)
            if progress:
                progress(report)
    finally:
        report.elapsed = time.perf_counter() - started
        if own:
            store.close()
    return report


def _batch(store: Store, context: pipeline.Context, names: list[str], current: dict, ids: list[str],
           stale_only: bool, report: ReanalyseReport) -> None:
    conn = store.conn
    plans: dict[tuple[str, ...], list[Article]] = {}
    for article_id in ids:
        row = conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        article = article_from_row(conn, row)
        applicable = [n for n in names if article.analysed or not pipeline.REGISTRY[n].analysed_only]
        stale = stale_stages(names, article.versions, current, article.analysed) if stale_only else applicable
        plan = rerun_plan(names, stale)
        if not plan:
            report.up_to_date += 1
            continue
        _reset(article, plan)
        plans.setdefault(tuple(plan), []).append(article)
    done: list[Article] = []
    for plan, articles in plans.items():
        given = {a for n in names if n not in plan for a in pipeline.REGISTRY[n].assigns} - NOT_STORED
        runner = pipeline.Pipeline(list(plan), context.options, context=context, given=sorted(given),
                                   independent=True)
        try:
            runner(articles)  # one batch: nlp.pipe over all their segments
            ok = articles
        except SetupError:
            raise
        except Exception:  # noqa: BLE001 - find the article that fails; the others go on
            ok = []
            for article in articles:
                _reset(article, list(plan))
                try:
                    runner([article])
                except SetupError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    report.failed.append({"id": article.id, "error": f"{type(exc).__name__}: {exc}"})
                    continue
                ok.append(article)
        for article in ok:
            report.stages.update(n for n in plan if article.analysed or not pipeline.REGISTRY[n].analysed_only)
        done += ok
    with store.transaction():
        for article in done:
            kept = conn.execute("SELECT cluster_id, cluster_similarity, ingested_at FROM articles WHERE id=?",
                                (article.id,)).fetchone()
            signature = conn.execute("SELECT signature FROM minhashes WHERE article_id=?", (article.id,)).fetchone()
            store.save_article(article)
            conn.execute("UPDATE articles SET cluster_id=?, cluster_similarity=?, ingested_at=? WHERE id=?",
                         (kept["cluster_id"], kept["cluster_similarity"], kept["ingested_at"], article.id))
            if signature is not None:
                conn.execute("INSERT OR REPLACE INTO minhashes(article_id, signature) VALUES (?, ?)",
                             (article.id, signature[0]))
    report.reanalysed += len(done)
