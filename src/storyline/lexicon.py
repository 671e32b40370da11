"""Where storyline's language data lives: the `data/` folder of the package, one loader.

Every file there carries a version, checked when it is loaded: a `version:` key in a
YAML mapping, or a `# version: N` line among the leading comments of a YAML list or a
TSV file. A change to a file that alters what storyline extracts bumps its version; the
stages that read it (`pipeline.STAGE_DATA`) then record a new stage version, and
`storyline reanalyse --stale` re-runs them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from storyline.errors import E, SetupError

DATA = Path(__file__).resolve().parent / "data"
_HEADER_VERSION = re.compile(r"^#\s*version:\s*(\S+)")


def path(name: str) -> Path:
    """The file `name` in the package's data folder."""
    return DATA / name


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """A YAML file of the data folder, parsed once per process, its version checked."""
    with open(DATA / name, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    _checked_version(name, data)
    return data


@lru_cache(maxsize=None)
def version(name: str) -> str:
    """The version the data file `name` carries (SetupError when it has none)."""
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8")) if name.endswith((".yaml", ".yml")) else None
    return _checked_version(name, data)


def versions() -> dict[str, str]:
    """{file name: version} for every data file."""
    return {p.name: version(p.name) for p in sorted(DATA.iterdir()) if p.is_file() and not p.name.startswith(".")}


def _checked_version(name: str, data: Any) -> str:
    if isinstance(data, dict):
        value = data.get("version")
        if value is None or isinstance(value, (dict, list)) or not str(value).strip():
            raise SetupError(E.LEXICON_VERSION, name=name, detail="no `version:` key at the top")
        return str(value).strip()
    with open(DATA / name, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            found = _HEADER_VERSION.match(line.strip())
            if found:
                return found.group(1)
    raise SetupError(E.LEXICON_VERSION, name=name, detail="no `# version: N` line in its leading comments")
