"""Stages that fill in an `Article`, each saying what it needs and what it assigns.

A stage is a function `(articles, ctx) -> None` that fills its fields on a batch of
articles, registered with `@stage(name, requires=..., assigns=...)`. `Pipeline` checks
at start-up that every requirement is assigned by an earlier stage (spaCy's
`requires=`/`assigns=` idea), then runs the stages over batches of articles.

Each stage has a version (`@stage(..., version="segment.v1")`); what an article records
for it (`Article.versions`, stored as `articles.stage_versions`) is that version plus the
versioned component it runs (`STAGE_COMPONENTS`, an `Options` field registered in
`storyline.components`) and the versions of the data files it reads (`STAGE_DATA`), so
a change to any of them marks the stored results stale (`storyline reanalyse --stale`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from storyline.errors import E, StorylineError
from storyline.ledger import store as store_module
from storyline.model import Article
from storyline.settings import Options


@dataclass
class StageInfo:
    name: str
    func: Callable[[list[Article], "Context"], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    analysed_only: bool  # runs only on articles whose text is analysed (English)
    version: str = ""  # the stage's own code version: bump it when its output changes


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


def stage(name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = (), analysed_only: bool = False,
          version: str | None = None):
    def register(func):
        REGISTRY[name] = StageInfo(name, func, tuple(requires), tuple(assigns), analysed_only,
                                   version or f"{name}.v1")
        return func

    return register


# --- versions ----------------------------------------------------------------------------

# The versioned component (an Options field, see storyline.components) each stage runs.
STAGE_COMPONENTS = {"statements": "statement_extractor", "dates": "timex_normaliser", "events": "event_coder"}
# The data files (storyline/data) each stage reads, directly or through what it calls.
STAGE_DATA = {
    "metadata": ("outlets.yaml",),
    "statements": ("cues.yaml", "outlets.yaml"),
    "speakers": ("names.yaml", "demonyms.tsv"),
    "events": ("plover.yaml",),
}


def stage_version(name: str, options: Options) -> str:
    """What an article records for stage `name`: "statements.v1;statements.rules.v1;cues.yaml@1;…"."""
    from storyline import lexicon

    _import_stages()
    parts = [REGISTRY[name].version]
    if name in STAGE_COMPONENTS:
        parts.append(getattr(options, STAGE_COMPONENTS[name]))
    parts += [f"{file}@{lexicon.version(file)}" for file in STAGE_DATA.get(name, ())]
    return ";".join(parts)


def stage_versions(names: Sequence[str], options: Options) -> dict[str, str]:
    return {name: stage_version(name, options) for name in names}


def check_order(names: Sequence[str], given: Sequence[str] = ()) -> None:
    """PIPELINE_ORDER unless every stage's requirements are assigned before it (or `given`)."""
    available = set(INITIAL) | set(given)
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
                 given: Sequence[str] = (), *, independent: bool = False):
        """`given`: fields the articles already carry (reanalysis of stored articles)."""
        _import_stages()
        self.independent = independent
        unknown = [n for n in names if n not in REGISTRY]
        if unknown:
            raise StorylineError(E.BAD_OPTION, option="pipeline", detail=f"unknown stages {unknown}")
        check_order(names, given)
        self.names = list(names)
        self.context = context or Context(options, store=store)
        self.versions = stage_versions(self.names, self.context.options)

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
                article.versions[name] = self.versions[name]
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


@store_module.on_save
def record_versions(store, article: Article) -> None:
    """Store `article.versions` with the article (same transaction)."""
    store.conn.execute("UPDATE articles SET stage_versions=? WHERE id=?",
                       (json.dumps(article.versions, sort_keys=True), article.id))
