"""Where storyline's language data lives: the `data/` folder of the package, one loader."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"


def path(name: str) -> Path:
    """The file `name` in the package's data folder."""
    return DATA / name


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """A YAML file of the data folder, parsed once per process."""
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)
