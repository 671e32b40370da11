"""Quality gate: statement extraction on every dev gold set must not drop below its floors.

Floors live in tests/eval_baseline.json, one block per gold set (anchorage, news,
polnear_dev): what the pipeline reaches, minus a small margin; raise them as quality
improves. Each set skips with a reason when ../shared is not beside the repo.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

BASELINE = Path(__file__).parent / "eval_baseline.json"
SHARED = Path(os.environ.get("STORYLINE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
FLOORS = json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=sorted(FLOORS))
def set_figures(request):
    from storyline.evaluation.goldsets import detect, run

    folder = SHARED / "corpus" / request.param
    if not folder.is_dir():
        pytest.skip(f"gold set {request.param} not found at {folder} (set STORYLINE_SHARED to its folder)")
    return request.param, run(detect(folder)).figures()


@pytest.mark.shared
def test_statement_figures_stay_above_their_floors(set_figures):
    name, figures = set_figures
    floors = FLOORS[name]
    below = {key: (figures[key], floor) for key, floor in floors.items() if figures[key] < floor}
    assert not below, f"{name}: figures below their floors (got, floor): {below}"


def test_every_gold_set_has_floors_for_its_headline_figures():
    assert {"anchorage", "news", "polnear_dev"} <= set(FLOORS)
    for name in ("anchorage", "news"):
        assert {"f1", "speaker_accuracy", "who_said_what_f1"} <= set(FLOORS[name])
    assert {"precision", "speech_recall", "mention_accuracy"} <= set(FLOORS["polnear_dev"])
