"""Quality gate: web-page reading on ../shared/corpus/webpages must not drop below its floors.

Floors live in tests/pages_baseline.json (what the readers reach, minus a small margin);
raise them as quality improves. Skips when ../shared is not beside the repo.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("STORYLINE_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))

BASELINE = Path(__file__).parent / "pages_baseline.json"
WEBPAGES = SHARED / "corpus" / "webpages"

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def report():
    if not (WEBPAGES / "evaldata.json").exists():
        pytest.skip(f"../shared web pages not found at {WEBPAGES} (set STORYLINE_SHARED to its folder)")
    from storyline.evaluation.pages import evaluate_pages

    return evaluate_pages(WEBPAGES / "pages", WEBPAGES / "evaldata.json", WEBPAGES / "gold_metadata.jsonl")


def test_web_page_figures_stay_above_their_floors(report):
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))["webpages"]
    figures = {"body_f1": report["body"]["f1"], **{k: v["accuracy"] for k, v in report["metadata"].items()}}
    below = {name: (figures[name], floor) for name, floor in floors.items() if figures[name] < floor}
    assert not below, f"figures below their floors (got, floor): {below}"


def test_every_page_is_read(report):
    assert report["pages"] == report["body_pages"] and report["rejected"] == 0
