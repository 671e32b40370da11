"""Scoring position suggestions against hand-labelled statements.

A labelled record (tests/data/positions_labelled.jsonl) holds a sentence, the cue's lemma
and span, the statement's span, the issue's name and the label. Accuracy is reported on
all records (the neutral default counting as an answer) and on the covered ones (where a
rule fired); coverage is the covered share.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from storyline.stages import positions

# The issue searches the labelled file is written against (the example story's issues).
LABELLED_ISSUES = {
    "ceasefire": 'ceasefire OR truce OR "cessation of hostilities"',
    "harbour-formula": '"harbour formula"',
    "prisoner-exchange": '"prisoner exchange" OR "exchange of prisoners" OR "exchange of detainees"',
    "pullback": "pullback OR withdrawal",
    "monitors": "monitors",
    "border-talks": '"border talks"',
}


def load(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(records: list[dict], issues: dict[str, str] | None = None) -> dict:
    issues = issues or LABELLED_ISSUES
    total = correct = covered = covered_correct = 0
    confusion: Counter = Counter()
    misses = []
    for rec in records:
        terms = positions.issue_terms(rec.get("query") or issues.get(rec["issue"], rec["issue"]))
        cue = (rec["cue_start"], rec["cue_end"]) if rec.get("cue_start") is not None else None
        got = positions.suggest(rec["sentence"], rec["cue"], (rec["start"], rec["end"]), cue, terms)
        total += 1
        ok = got.position == rec["label"]
        correct += ok
        confusion[(rec["label"], got.position)] += 1
        if got.covered:
            covered += 1
            covered_correct += ok
        if not ok:
            misses.append({"id": rec["id"], "label": rec["label"], "got": got.position, "method": got.method,
                           "sentence": rec["sentence"]})
    return {
        "records": total,
        "accuracy": round(correct / total, 3) if total else None,
        "coverage": round(covered / total, 3) if total else None,
        "covered_accuracy": round(covered_correct / covered, 3) if covered else None,
        "confusion": {f"{gold}->{got}": n for (gold, got), n in sorted(confusion.items())},
        "misses": misses,
    }
