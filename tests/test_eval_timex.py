"""TimeML reading and TempEval-3 scoring; the quality gate on our own TimeML files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.errors import StorylineError
from storyline.evaluation.timex import TmlDoc, GoldTimex, evaluate_tml, read_tml, score_tml

TIMEML = Path(__file__).parent / "data" / "timeml"

SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<TimeML><DOCID>x</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2026-03-05" functionInDocument="CREATION_TIME">2026-03-05</TIMEX3></DCT>
<TEXT>Varga spoke on <TIMEX3 tid="t1" type="DATE" value="2026-03-02">Monday</TIMEX3> &amp; again <TIMEX3 tid="t2" type="DATE" value="2026-03-04">yesterday</TIMEX3>.</TEXT>
</TimeML>"""


def test_read_tml_strips_tags_and_keeps_gold_offsets(tmp_path):
    f = tmp_path / "x.tml"
    f.write_text(SAMPLE, encoding="utf-8")
    doc = read_tml(f)
    assert doc.dct == "2026-03-05"
    assert doc.text == "Varga spoke on Monday & again yesterday."
    assert [(doc.text[g.start:g.end], g.value) for g in doc.timexes] == [("Monday", "2026-03-02"),
                                                                         ("yesterday", "2026-03-04")]


def test_score_tml_counts_strict_relaxed_and_values():
    text = "Kesh spoke late on Monday and met Varga last week."
    gold = [GoldTimex(19, 25, "Monday", "2026-03-02", "DATE"), GoldTimex(40, 49, "last week", "2026-W09", "DATE")]
    result = score_tml([TmlDoc("d", text, "2026-03-05", gold)])
    # "late on Monday" overlaps "Monday" (relaxed, not strict); "last week" is exact.
    assert result["relaxed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert result["strict"]["recall"] == 0.5
    assert result["value_accuracy"] == 1.0


def test_eval_timex_rejects_a_folder_without_timeml(tmp_path):
    with pytest.raises(StorylineError) as err:
        evaluate_tml(tmp_path)
    assert err.value.code == "BAD_OPTION"
    bad = tmp_path / "bad.tml"
    bad.write_text("<TimeML><TEXT>unclosed", encoding="utf-8")
    with pytest.raises(StorylineError):
        evaluate_tml(tmp_path)


def test_eval_timex_quality_gate_on_our_timeml_files():
    """Ten hand-annotated fictional news texts, about 150 gold TIMEX3."""
    result = evaluate_tml(TIMEML)
    assert result["documents"] >= 8 and result["gold"] >= 140
    assert result["value_accuracy"] >= 0.90
    assert result["relaxed"]["f1"] >= 0.90


def test_cli_eval_timex_json():
    from storyline.cli.app import app

    result = CliRunner().invoke(app, ["eval", "timex", "--tml", str(TIMEML), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"strict", "relaxed", "value_accuracy", "gold", "predicted"}
