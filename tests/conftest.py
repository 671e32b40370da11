"""Shared fixtures: small, built by hand. Tests that need ../shared skip with a reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED", REPO.parent / "shared"))
ANCHORAGE = SHARED / "corpus" / "anchorage"
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def anchorage_dir() -> Path:
    """The five real dev articles; skips when ../shared is not beside the repo."""
    if not (ANCHORAGE / "gold" / "statements.jsonl").exists():
        pytest.skip(f"../shared corpus not found at {ANCHORAGE} (set STORYLINE_SHARED to its folder)")
    return ANCHORAGE


@pytest.fixture(scope="session")
def nlp():
    """The spaCy English model, loaded once for the session."""
    from storyline import nlp as nlp_module

    return nlp_module.load(None)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "ledger.db"
