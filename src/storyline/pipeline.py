"""Stages that fill in an `Article`, each saying what it needs and what it assigns.

A stage is a function `(articles, ctx) -> None` that fills its fields on a batch of
articles, registered with `@stage(name, requires=..., assigns=...)`. `Pipeline` checks
at start-up that every requirement is assigned by an earlier stage (spaCy's
`requires=`/`assigns=` idea), then runs the stages over batches of articles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import E, StorylineError
from storyline.model import Article
from storyline.settings import Options


@dataclass
class StageInfo:
    name: str
    func: Callable[[list[Article], "Context"], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    analysed_only: bool  # runs only on articles whose text is analysed (English)


@dataclass
class Context:
    """What stages share: the options, the spaCy model (loaded on first use), caches."""

    options: Options
    store: Any = None  # the open `Store` during an ingest (stages may read the registry)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def nlp(self):
        if "nlp" not in self.cache:
            from storyline import nlp

            self.cache["nlp"] = nlp.load(self.options.model)
        return self.cache["nlp"]


REGISTRY: dict[str, StageInfo] = {}

# Fields every Article has from the reader before any stage runs.
INITIAL = ("text", "source", "doc")


def stage(name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = (), analysed_only: bool = False):
    def register(func):
        REGISTRY[name] = StageInfo(name, func, tuple(requires), tuple(assigns), analysed_only)
        return func

    return register


def check_order(names: Sequence[str]) -> None:
    available = set(INITIAL)
    for name in names:
        info = REGISTRY[name]
        missing = [r for r in info.requires if r not in available]
        if missing:
            raise StorylineError(E.PIPELINE_ORDER, stage=name, missing=", ".join(missing))
        available.update(info.assigns)


# Stages whose batch call gives each article what it would get alone (nlp.pipe is
# deterministic per text): `Pipeline(independent=True)` runs these over the whole
# batch and every other stage one article at a time.
BATCH_INVARIANT = frozenset({"parse"})


class Pipeline:
    """Runs the stages over batches. `independent=True`: an article's results depend
    on that article alone, never on the others of its batch (how inputs were split
    into batches, or over workers, cannot change them)."""

    def __init__(self, names: Sequence[str], options: Options, context: Context | None = None, store: Any = None,
                 *, independent: bool = False):
        _import_stages()
        self.independent = independent
        unknown = [n for n in names if n not in REGISTRY]
        if unknown:
            raise StorylineError(E.BAD_OPTION, option="pipeline", detail=f"unknown stages {unknown}")
        check_order(names)
        self.names = list(names)
        self.context = context or Context(options, store=store)

    def __call__(self, articles: list[Article]) -> list[Article]:
        for name in self.names:
            info = REGISTRY[name]
            batch = [a for a in articles if a.analysed] if info.analysed_only else articles
            if batch and self.independent and name not in BATCH_INVARIANT:
                for article in batch:
                    info.func([article], self.context)
            elif batch:
                info.func(batch, self.context)
            for article in batch:
                article.done.add(name)
        return articles

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterable[Article]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self(batch)
                batch = []
        if batch:
            yield from self(batch)


# The default order. Stages register themselves when their module is imported.
DEFAULT_STAGES = ("segment", "metadata", "language", "parse", "statements", "speakers", "dates", "events")

# The module that registers each stage.
STAGE_MODULES = (
    "storyline.stages.segment",
    "storyline.stages.metadata",
    "storyline.stages.language",
    "storyline.stages.parse",
    "storyline.stages.statements.extract",
    "storyline.stages.speakers.resolve",
    "storyline.stages.dates",
    "storyline.stages.events.code",
)


def _import_stages() -> None:
    import importlib

    for module in STAGE_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def available_stages(names: Sequence[str] = DEFAULT_STAGES) -> list[str]:
    """The default stages that exist in this build, in order."""
    _import_stages()
    return [n for n in names if n in REGISTRY]
