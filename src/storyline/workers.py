"""Analysis of new articles, in this process or in worker processes.

`ingest` reads inputs and writes the ledger in one process (the writer); the
per-article stages (segmenting, metadata, language, the spaCy parse, statements,
speakers, dates, events) run in an `Analyser`:

- `InlineAnalyser` (one worker): in the writer's own process.
- `PoolAnalyser` (N workers): N spawned processes, each loading the model once.

Either way an article is analysed alone (`Pipeline(independent=True)`, no ledger
access), in the same chunks of `CHUNK` articles, so its results are the same whatever
the number of workers, however the inputs were split into runs, and after a kill and
a resume. What needs the ledger (the actor registry, statement clusters,
near-duplicates) is done by the writer, in input order, inside the save transaction.
"""

from __future__ import annotations

import copy
import os
import pickle
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from storyline.errors import E, SetupError, StorylineError
from storyline.model import Article
from storyline.settings import Options

# Articles per analysis task: big enough for nlp.pipe batches, small enough that two
# workers stay busy on a commit batch of 50.
CHUNK = 8


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class AnalysisFailure:
    """An article a stage raised on: every source becomes an ANALYSIS_FAILED row."""

    article_id: str
    source: str
    sources: list[str]
    detail: str


def chunks(items: Sequence, size: int = CHUNK) -> list[list]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def analyse_chunk(pipeline, articles: list[Article]) -> list[Article | AnalysisFailure]:
    """Run the stages over a chunk; if one article breaks a stage, retry one by one so
    only that article fails. The spaCy docs are dropped (they are never stored)."""
    fresh = [copy.deepcopy(a) for a in articles]
    try:
        done: list[Article | AnalysisFailure] = list(pipeline(articles))
    except SetupError:
        raise
    except Exception:  # noqa: BLE001 - a stage bug must not lose the chunk: retry one by one
        done = []
        for article in fresh:
            try:
                done.extend(pipeline([article]))
            except SetupError:
                raise
            except Exception as exc:  # noqa: BLE001
                done.append(AnalysisFailure(article.id, article.source, list(article.sources),
                                            f"{type(exc).__name__}: {exc}"))
    for item in done:
        if isinstance(item, Article):
            item.docs = []
    return done


class _Done:
    """A finished result with the interface of a Future."""

    ready = True  # analysed when submitted (in this process)

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class InlineAnalyser:
    """Analysis in this process (one worker)."""

    workers = 1
    lookahead = 0  # batches analysed ahead of the one being committed

    def __init__(self, stages: Sequence[str], options: Options):
        from storyline.pipeline import Pipeline

        self.pipeline = Pipeline(stages, options, store=None, independent=True)
        if "parse" in stages:
            self.pipeline.context.nlp  # noqa: B018 - a missing model fails now, before any input is read

    def submit(self, articles: list[Article]):
        return _Done(analyse_chunk(self.pipeline, articles))

    def close(self, cancel: bool = False) -> None:
        pass


# --- worker processes ----------------------------------------------------------------

_WORKER: dict = {}


def _watch_parent(parent: int) -> None:
    """Leave when the writer is gone (kill -9 leaves no one to tell the workers)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def component_registrations(options: Options) -> dict[str, dict]:
    """The registered components `options` names (storyline.components), to register
    again in a spawned worker: one registered at run time exists only in its process."""
    from storyline import components
    from storyline.settings import COMPONENT_FIELDS

    return {kind: {getattr(options, kind): components.REGISTRY[kind][getattr(options, kind)]}
            for kind in COMPONENT_FIELDS}


def _init_worker(stages: Sequence[str], options: Options, parent: int, registrations: dict | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from storyline import components
    from storyline.pipeline import Pipeline

    for kind, entries in (registrations or {}).items():
        for name, target in entries.items():
            components.register(kind, name, target)

    pipeline = Pipeline(stages, options, store=None, independent=True)
    _WORKER["pipeline"] = pipeline
    try:
        if "parse" in stages:
            pipeline.context.nlp  # noqa: B018 - loaded once per worker
    except SetupError as exc:
        _WORKER["setup"] = (exc.code, exc.details)


def _run_chunk(articles: list[Article]):
    if "setup" in _WORKER:
        return ("setup", _WORKER["setup"])
    try:
        return ("ok", analyse_chunk(_WORKER["pipeline"], articles))
    except SetupError as exc:
        return ("setup", (exc.code, exc.details))


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_peak_rss() -> tuple[int, float]:
    return os.getpid(), _rss_mb()


class PoolAnalyser:
    """Analysis in `workers` spawned processes. A worker that dies (killed, out of
    memory) is replaced; the chunk it held is retried one article at a time, and an
    article that kills a worker again fails alone with ANALYSIS_FAILED."""

    def __init__(self, stages: Sequence[str], options: Options, workers: int):
        self.stages, self.options, self.workers = list(stages), options, workers
        self.registrations = component_registrations(options)
        try:
            pickle.dumps(self.registrations)
        except Exception as exc:  # noqa: BLE001 - a lambda or a local function cannot reach a worker
            raise SetupError(E.BAD_OPTION, option="--workers",
                             detail=f"a component registered here cannot be sent to worker processes ({exc}); "
                                    "register it as 'module:attribute' or use --workers 1") from exc
        self.lookahead = max(2, workers)
        self._start()
        self._unwrap(self.pool.submit(_run_chunk, []).result())  # the model loads (or fails) now

    def _start(self) -> None:
        import multiprocessing

        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_worker,
                                        initargs=(self.stages, self.options, os.getpid(), self.registrations))

    @staticmethod
    def _unwrap(outcome):
        kind, value = outcome
        if kind == "setup":
            code, details = value
            raise SetupError(getattr(E, code), **details)
        return value

    def submit(self, articles: list[Article]) -> "_Pending":
        return _Pending(self, articles, self.pool.submit(_run_chunk, articles))

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self._start()

    def peak_rss(self) -> dict[int, float]:
        """Peak RSS in MB of each live worker (by pid), for benchmarks."""
        found: dict[int, float] = {}
        for _ in range(self.workers * 4):
            pid, rss = self.pool.submit(_worker_peak_rss).result()
            found[pid] = rss
            if len(found) >= self.workers:
                break
        return found

    def close(self, cancel: bool = False) -> None:
        self.pool.shutdown(wait=True, cancel_futures=cancel)


class _Pending:
    ready = False  # analysed in a worker process; `result()` waits for it

    def __init__(self, analyser: PoolAnalyser, articles: list[Article], future: Future):
        self.analyser, self.articles, self.future = analyser, articles, future

    def result(self) -> list[Article | AnalysisFailure]:
        try:
            return self.analyser._unwrap(self.future.result())
        except (BrokenProcessPool, CancelledError):  # a worker died, or a restart cancelled this chunk
            pass
        done: list[Article | AnalysisFailure] = []
        for article in self.articles:  # one at a time, in fresh workers
            self.analyser.restart()
            try:
                done.extend(self.analyser._unwrap(self.analyser.pool.submit(_run_chunk, [article]).result()))
            except BrokenProcessPool:
                done.append(AnalysisFailure(article.id, article.source, list(article.sources),
                                            "the worker process analysing it died (out of memory or killed)"))
        self.analyser.restart()
        return done


def make_analyser(stages: Sequence[str], options: Options, workers: int | None = None):
    workers = workers if workers is not None else options.workers
    if workers is None or workers <= 0:
        workers = default_workers()
    if workers == 1:
        return InlineAnalyser(stages, options)
    return PoolAnalyser(stages, options, workers)


def failure_message(failure: AnalysisFailure) -> str:
    return StorylineError(E.ANALYSIS_FAILED, source=failure.source, detail=failure.detail).message
