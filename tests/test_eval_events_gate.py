"""Quality gate: event coding on the shared news gold must not drop below its floors.

Floors live in tests/eval_events_baseline.json (what the pipeline reaches on
../shared/corpus/news/gold_events.jsonl, minus a small margin); raise them as quality
improves. The gold is scored as `storyline eval events --gold … --corpus …` scores it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED

BASELINE = Path(__file__).parent / "eval_events_baseline.json"
NEWS = SHARED / "corpus" / "news"


@pytest.fixture(scope="module")
def news_report():
    gold, corpus = NEWS / "gold_events.jsonl", NEWS / "articles.jsonl"
    if not gold.exists() or not corpus.exists():
        pytest.skip(f"../shared news gold not found at {NEWS} (set STORYLINE_SHARED to its folder)")
    from storyline.evaluation.events import evaluate

    return evaluate(gold, corpus)


@pytest.mark.shared
def test_event_figures_stay_above_their_floors(news_report):
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))["news"]
    figures = {f"detection_{k}": v for k, v in news_report.detection.figures(fields=False).items()}
    figures.update({f"typed_{k}": v for k, v in news_report.typed.figures().items()})
    below = {name: (figures[name], floor) for name, floor in floors.items() if figures[name] < floor}
    assert not below, f"figures below their floors (got, floor): {below}"
