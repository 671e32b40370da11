"""Ingest: inputs in, analysed articles stored, exactly once each.

`ingest()` streams: readers yield one document at a time, articles are analysed and
written in batches of `Options.commit_every`, one transaction per batch. A kill at any
point loses at most the open batch; re-running skips the ids already stored (the id is
a hash of the stored text) and finishes the rest.

- An input that fails is a row in the `errors` table (one per source and code,
  attempts counted); the rest of the batch goes on. When it later succeeds its error
  rows are cleared.
- The same text arriving under another name (a copy, a feed entry and its page) is
  stored once and the extra source recorded.
- Near-duplicates (syndicated copies) are linked into clusters by `dedup`.
"""

from __future__ import annotations

import copy
import sqlite3
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline import pipeline, workers

from storyline.ledger import dedup
from storyline.errors import E, StorylineError
from storyline.model import Article, RawDocument
from storyline.settings import Options
from storyline.ledger.store import Store

# Keep at most this many error and near-duplicate details in the report; the counts
# stay exact and the full list is in the ledger (`storyline errors`).
REPORT_DETAIL_LIMIT = 1000


@dataclass
class Failure:
    source: str
    code: str
    message: str


@dataclass
class NearDuplicate:
    article_id: str
    doc: str
    outlet: str | None
    cluster_id: str
    similarity: float


@dataclass
class IngestReport:
    read: int = 0  # documents the readers produced (articles, records, feed entries)
    processed: int = 0  # inputs whose outcome is committed (stored, skipped or failed)
    analysed: int = 0  # new articles through the analysis stages so far (committed or not yet)
    stored: int = 0  # new articles written
    already_stored: int = 0  # documents whose article and source were already in the ledger
    exact_duplicates: int = 0  # documents whose text was already stored under another source
    near_duplicates: int = 0  # new articles linked to a near-duplicate cluster
    failed: int = 0  # inputs that failed (each one an `errors` row)
    warnings: int = 0  # stored articles with a warning such as SHORT_BODY (also `errors` rows)
    not_analysed: int = 0  # new articles stored but not analysed (another language)
    skipped: int = 0  # files a folder walk left out (hidden, not matching --include, excluded)
    skipped_files: list[str] = field(default_factory=list)  # the first of them
    languages_not_analysed: Counter = field(default_factory=Counter)
    outlets: Counter = field(default_factory=Counter)  # distinct articles seen in this run, per outlet
    first_published: str | None = None
    last_published: str | None = None
    errors: list[Failure] = field(default_factory=list)
    links: list[NearDuplicate] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    skipped_stages: list[str] = field(default_factory=list)  # present but missing what they need
    elapsed: float = 0.0
    interrupted: bool = False

    @property
    def articles_per_second(self) -> float:
        return self.read / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "processed": self.processed, "stored": self.stored, "already_stored": self.already_stored,
            "exact_duplicates": self.exact_duplicates, "near_duplicates": self.near_duplicates,
            "failed": self.failed, "warnings": self.warnings, "not_analysed": self.not_analysed,
            "skipped": self.skipped, "skipped_files": self.skipped_files,
            "languages_not_analysed": dict(self.languages_not_analysed),
            "outlets": dict(self.outlets),
            "first_published": self.first_published, "last_published": self.last_published,
            "errors": [f.__dict__ for f in self.errors], "near_duplicate_links": [n.__dict__ for n in self.links],
            "stages": self.stages, "skipped_stages": self.skipped_stages, "elapsed": round(self.elapsed, 3),
            "articles_per_second": round(self.articles_per_second, 2), "interrupted": self.interrupted,
        }

    def _seen(self, outlet: str | None, published: str | None) -> None:
        self.outlets[outlet or "(unknown outlet)"] += 1
        if published:
            day = published[:10]
            if self.first_published is None or day < self.first_published:
                self.first_published = day
            if self.last_published is None or day > self.last_published:
                self.last_published = day

    def _fail(self, source: str, code: str, message: str) -> None:
        self.failed += 1
        if len(self.errors) < REPORT_DETAIL_LIMIT:
            self.errors.append(Failure(source, code, message))


# Called as progress(report, label) after each input is read and after each batch is
# committed; `report.processed` counts the inputs finished so far.
Progress = Callable[[IngestReport, str], None]


@dataclass
class _Sealed:
    """A commit batch handed to the analyser: its chunks' results are committed in input order."""

    articles: list[Article]
    sources: list[tuple[str, str, str, str | None]]
    failures: list[tuple[str, str, str]]
    taken: int
    pending: list[Any]  # one analyser result per chunk


class _Run:
    """One ingest: the open batch, the batches being analysed, the report.

    Reading and writing happen here, in input order; analysis happens in the
    analyser (this process or worker processes). At most `max_inflight` batches wait
    for their analysis, so memory stays bounded."""

    def __init__(self, store: Store, options: Options, stages: Sequence[str], progress: Progress | None,
                 analyser=None):
        self.store = store
        self.options = options
        self.report = IngestReport(stages=list(stages))
        self.analyser = analyser if analyser is not None else workers.make_analyser(stages, options)
        self.max_inflight = getattr(self.analyser, "lookahead", 0)
        self.progress = progress
        self.batch: dict[str, Article] = {}  # new articles by id, in arrival order
        self.held: dict[str, Article] = {}  # every new article not yet committed (open batch or in flight)
        self.sources: list[tuple[str, str, str, str | None]] = []  # extra sources of stored articles
        self.failures: list[tuple[str, str, str]] = []
        self.inflight: deque[_Sealed] = deque()
        self.seen: set[str] = set()  # ids met in this run, for the per-outlet counts
        self.taken = 0  # inputs taken since the last seal

    def pending(self) -> int:
        return len(self.batch) + len(self.sources) + len(self.failures)

    def take(self, item) -> None:
        report = self.report
        self.taken += 1
        if isinstance(item, RawDocument):
            report.read += 1
            source = item.source
            try:
                self.take_document(item)
            except Exception as exc:  # noqa: BLE001 - one odd document must not end the batch
                message = StorylineError(E.UNREADABLE, source=source, detail=f"{type(exc).__name__}: {exc}").message
                self.failures.append((source, E.UNREADABLE.code, message))
                report._fail(source, E.UNREADABLE.code, message)
        else:
            code = getattr(item.error, "code", "UNREADABLE")
            message = getattr(item.error, "message", str(item.error))
            self.failures.append((item.source, code, message))
            report._fail(item.source, code, message)
            source = item.source
        if self.pending() >= self.options.commit_every:
            self.seal()
        if self.progress:
            self.progress(report, source)

    def take_document(self, raw: RawDocument) -> None:
        article = Article.from_raw(raw)
        report = self.report
        if article.id in self.held:  # the same text twice before it is stored
            held = self.held[article.id]
            if raw.source in held.sources:
                report.already_stored += 1
            else:
                held.sources.append(raw.source)
                report.exact_duplicates += 1
            return
        row = self.store.conn.execute(
            "SELECT outlet, published FROM articles WHERE id=?", (article.id,)
        ).fetchone()
        if row is None:
            self.batch[article.id] = article
            self.held[article.id] = article
            return
        known = self.store.conn.execute(
            "SELECT 1 FROM article_sources WHERE article_id=? AND source=?", (article.id, raw.source)
        ).fetchone()
        if known:
            report.already_stored += 1
        else:
            report.exact_duplicates += 1
        self.sources.append((article.id, raw.source, raw.doc, raw.outlet or row["outlet"]))
        if article.id not in self.seen:
            self.seen.add(article.id)
            report._seen(row["outlet"], row["published"])

    def _analysed(self, n: int) -> None:
        self.report.analysed += n
        if self.progress:
            self.progress(self.report, f"analysed {self.report.analysed} articles")

    def seal(self) -> None:
        """Hand the open batch to the analyser; commit the batches whose analysis is done."""
        if not (self.batch or self.sources or self.failures or self.taken):
            return
        if self.progress and self.batch:
            self.progress(self.report, f"analysing {len(self.batch)} articles")
        articles = list(self.batch.values())
        # The analyser gets copies: sources found while a batch is in flight go on `held`.
        pending = []
        for chunk in workers.chunks(articles):
            pending.append(self.analyser.submit([copy.copy(a) for a in chunk]))
            if getattr(pending[-1], "ready", False):  # analysed here and now (one worker): say so chunk by chunk
                self._analysed(len(chunk))
        self.inflight.append(_Sealed(articles, list(self.sources), list(self.failures), self.taken, pending))
        self.batch.clear()
        self.sources.clear()
        self.failures.clear()
        self.taken = 0
        while len(self.inflight) > self.max_inflight:
            self.commit(self.inflight.popleft())

    def finish(self) -> None:
        self.seal()
        while self.inflight:
            self.commit(self.inflight.popleft())

    def commit(self, sealed: _Sealed) -> None:
        results = []
        for pending in sealed.pending:
            chunk = pending.result()
            results += chunk
            if not getattr(pending, "ready", False):  # analysed by a worker process: counted as its chunk comes back
                self._analysed(len(chunk))
        report, store = self.report, self.store
        failures = list(sealed.failures)
        analysed: list[Article] = []
        for item in results:
            held = self.held.pop(item.article_id if isinstance(item, workers.AnalysisFailure) else item.id, None)
            if isinstance(item, workers.AnalysisFailure):
                message = workers.failure_message(item)
                for source in (held.sources if held else item.sources):
                    failures.append((source, E.ANALYSIS_FAILED.code, message))
                    report._fail(source, E.ANALYSIS_FAILED.code, message)
                continue
            if held is not None:
                item.sources = list(held.sources)
            analysed.append(item)
        stored: list[Article] = []
        with store.transaction():
            near = dedup.NearDuplicates.for_store(store, self.options)  # fresh if another writer wrote
            for article in analysed:
                row = store.conn.execute("SELECT outlet FROM articles WHERE id=?", (article.id,)).fetchone()
                if row is not None:  # another writer stored it while it was analysed here
                    for source in article.sources:
                        store.add_source(article.id, source, article.doc if source == article.source else source,
                                         article.outlet or row["outlet"])
                        store.clear_errors(source)
                    report.exact_duplicates += 1
                    continue
                store.conn.execute("SAVEPOINT article")
                try:
                    store.save_article(article)
                    link = near.add(article)
                except sqlite3.Error as exc:  # one article the ledger refuses must not lose the batch
                    store.conn.execute("ROLLBACK TO article")
                    store.conn.execute("RELEASE article")
                    store.forget_caches()  # they may hold what was just undone
                    near = dedup.NearDuplicates.for_store(store, self.options)
                    message = StorylineError(E.ANALYSIS_FAILED, source=article.source,
                                             detail=f"not stored: {type(exc).__name__}: {exc}").message
                    for source in article.sources:
                        failures.append((source, E.ANALYSIS_FAILED.code, message))
                        report._fail(source, E.ANALYSIS_FAILED.code, message)
                    continue
                store.conn.execute("RELEASE article")
                stored.append(article)
                for source in article.sources:
                    store.clear_errors(source)
                    for warning in article.meta.get("warnings", []):  # stored, but worth a look (SHORT_BODY)
                        store.record_error(source, warning["code"], warning["message"])
                if link is not None:
                    report.near_duplicates += 1
                    if len(report.links) < REPORT_DETAIL_LIMIT:
                        report.links.append(NearDuplicate(article.id, article.doc, article.outlet,
                                                          link.cluster_id, round(link.similarity, 3)))
            for article_id, source, doc, outlet in sealed.sources:
                store.add_source(article_id, source, doc, outlet)
                store.clear_errors(source)
            for source, code, message in failures:
                store.record_error(source, code, message)
        for article in stored:
            report.stored += 1
            report.warnings += len(article.meta.get("warnings", []))
            if not article.analysed:
                report.not_analysed += 1
                report.languages_not_analysed[article.language or "unknown"] += 1
            if article.id not in self.seen:
                self.seen.add(article.id)
                report._seen(article.outlet, article.published)
        report.processed += sealed.taken
        if self.progress:
            self.progress(report, "committed")


def ingest(
    sources: Iterable[str],
    options: Options | None = None,
    progress: Progress | None = None,
    *,
    stages: Sequence[str] | None = None,
    store: Store | None = None,
) -> IngestReport:
    """Read, analyse and store every input; return what happened.

    `stages` defaults to every pipeline stage this build has; `store` to a writer on
    `options.db`. `progress(report, source)` is called after each input.
    """
    from storyline import readers

    options = options or Options()
    names = list(stages) if stages is not None else runnable_stages()
    pipeline.Pipeline(names, options)  # unknown stages or a bad order fail before anything starts
    started = time.perf_counter()
    own_store = store is None
    store = store or Store(options.db)
    analyser = None
    cancel = False
    try:
        # A missing model fails here, before any input is read.
        analyser = workers.make_analyser(names, options)
        run = _Run(store, options, names, progress, analyser)
        if stages is None:
            run.report.skipped_stages = [n for n in pipeline.available_stages() if n not in names]
        skipped: list[str] = []
        try:
            for item in readers.iter_inputs(sources, options, skipped):
                run.take(item)
            run.finish()
        except KeyboardInterrupt:
            run.report.interrupted = True  # the batches not yet committed are lost; a re-run finishes them
            cancel = True
        finally:
            run.report.elapsed = time.perf_counter() - started
            run.report.skipped = len(skipped)
            run.report.skipped_files = skipped[:REPORT_DETAIL_LIMIT]
    except BaseException:
        cancel = True
        raise
    finally:
        if analyser is not None:
            analyser.close(cancel=cancel)
        if own_store:
            store.close()
    return run.report


def runnable_stages(names: Sequence[str] | None = None) -> list[str]:
    """The default stages this build has, minus any whose requirements no earlier
    stage assigns (a stage module present without the one it builds on)."""
    available = set(pipeline.INITIAL)
    chosen = []
    for name in pipeline.available_stages(names or pipeline.DEFAULT_STAGES):
        info = pipeline.REGISTRY[name]
        if all(r in available for r in info.requires):
            chosen.append(name)
            available.update(info.assigns)
    return chosen


# --- counting inputs first, for a progress bar with an ETA ------------------------------

_FEED_SUFFIXES = (".xml", ".rss", ".atom")
_LINE_SUFFIXES = (".jsonl", ".ndjson")


def count_inputs(sources: Iterable[str], options: Options) -> int | None:
    """A cheap estimate of how many documents the sources hold; None when unknown
    (URLs, stdin). Directories are walked without reading files; JSONL lines and feed
    entries are counted by scanning bytes."""
    from storyline.readers import walk_directory

    total = 0
    for source in sources:
        if source == "-" or "://" in source:
            return None
        path = Path(source)
        if path.is_dir():
            for file in walk_directory(path, options):
                total += _documents_in(file, options)
        elif path.exists():
            total += _documents_in(path, options)
        else:
            total += 1  # it will be one error row
    return total


def _documents_in(path: Path, options: Options) -> int:
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size > options.max_bytes:
            return 1
        if suffix in _LINE_SUFFIXES:
            return max(1, _count_bytes(path, (b"\n",), nonblank_lines=True))
        if suffix in _FEED_SUFFIXES:
            return max(1, _count_bytes(path, (b"<item", b"<entry")))
    except OSError:
        return 1
    return 1


def _count_bytes(path: Path, needles: tuple[bytes, ...], nonblank_lines: bool = False) -> int:
    n = 0
    with open(path, "rb") as fh:
        if nonblank_lines:
            return sum(1 for line in fh if line.strip())
        tail = b""
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            block = tail + chunk  # the tail again, so a needle across two chunks is found once
            n += sum(block.count(needle) for needle in needles) - sum(tail.count(needle) for needle in needles)
            tail = block[-8:]
    return n
