"""The registry of swappable components: versioned name → code (spaCy's registrations
are the model).

Each kind of component is an `Options` field (`statement_extractor`, `event_coder`,
`timex_normaliser`); each name is a version of that component's code, stored with
what it produces and in the article's `stage_versions`. A change to a component that
alters its output registers a new name (`statements.rules.v2`), so stored results can
say which code made them and `storyline reanalyse --stale` knows what to re-run.

    from storyline import components
    components.register("statement_extractor", "statements.mine.v1", "mypackage.extract:extract")
    Options(statement_extractor="statements.mine.v1")   # unknown names are refused

Targets are "module:attribute" strings, imported on first use (so this module imports
nothing of storyline's but its errors), or the callables themselves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from storyline.errors import E, StorylineError

# kind → {versioned name → "module:attribute" or callable}
REGISTRY: dict[str, dict[str, str | Callable]] = {
    "statement_extractor": {
        "statements.rules.v1": "storyline.stages.statements.extract:extract",
    },
    "event_coder": {
        "events.plover.rules.v1": "storyline.stages.events.code:code_article",
    },
    "timex_normaliser": {
        "timex.rules.v1": "storyline.stages.timex:find_timexes",
    },
}


def register(kind: str, name: str, target: str | Callable) -> None:
    """Make `name` a version of component `kind`, run by `target`."""
    if kind not in REGISTRY:
        raise StorylineError(E.BAD_OPTION, option="component kind",
                             detail=f"{kind!r}; choose one of {', '.join(sorted(REGISTRY))}")
    REGISTRY[kind][name] = target


def names(kind: str) -> list[str]:
    return sorted(REGISTRY[kind])


def check(kind: str, name: str) -> None:
    """BadOption unless `name` is a registered version of `kind`."""
    if name not in REGISTRY.get(kind, {}):
        known = ", ".join(names(kind)) if kind in REGISTRY else "none"
        raise StorylineError(E.BAD_OPTION, option=kind, detail=f"{name!r} is not a registered {kind} (known: {known})")


def get(kind: str, name: str) -> Callable:
    """The code behind `name` (imported on first use)."""
    check(kind, name)
    target = REGISTRY[kind][name]
    if isinstance(target, str):
        module, _, attribute = target.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        REGISTRY[kind][name] = target
    return target
