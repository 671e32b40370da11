"""Quality gate: statement extraction on the dev gold must not drop below its floors.

Floors live in tests/eval_baseline.json (what the pipeline reaches, minus a small
margin); raise them as quality improves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BASELINE = Path(__file__).parent / "eval_baseline.json"


@pytest.fixture(scope="module")
def dev_report(anchorage_dir):
    from storyline.evaluation.statements import evaluate

    return evaluate(anchorage_dir / "gold" / "statements.jsonl", anchorage_dir)


@pytest.mark.shared
def test_statement_figures_stay_above_their_floors(dev_report):
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))["statements"]
    figures = dev_report.overall.figures()
    below = {name: (figures[name], floor) for name, floor in floors.items() if figures[name] < floor}
    assert not below, f"figures below their floors (got, floor): {below}"
