"""Position suggestions (positions.rules.v1): rules over cue and clause, measured on
tests/data/positions_labelled.jsonl (own sentences about the fictional example story)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.evaluation import positions as evaluation
from storyline.stages import positions

LABELLED = Path(__file__).parent / "data" / "positions_labelled.jsonl"


def _suggest(sentence: str, cue_text: str, cue: str, content: str, terms: list[str]):
    cs = sentence.index(cue_text)
    st = sentence.index(content)
    return positions.suggest(sentence, cue, (st, st + len(content)), (cs, cs + len(cue_text)), terms)


def test_positions_labelled_file_has_150_records_in_two_splits():
    records = evaluation.load(LABELLED)
    assert len(records) >= 150
    assert {r["split"] for r in records} == {"dev", "heldout"}
    for r in records:
        assert r["label"] in positions.POSITIONS
        assert r["sentence"][r["start"]:r["end"]] == r["text"]
        assert r["issue"] in evaluation.LABELLED_ISSUES


@pytest.mark.parametrize("split,floor", [("dev", 0.92), ("heldout", 0.90)])
def test_positions_accuracy_floor_on_labelled_statements(split, floor):
    result = evaluation.score([r for r in evaluation.load(LABELLED) if r["split"] == split])
    assert result["accuracy"] >= floor, result["misses"]
    assert result["coverage"] >= 0.75


def test_positions_support_cue_supports_its_object():
    got = _suggest("Mira Tan welcomed the truce.", "welcomed", "welcome", "the truce", ["truce"])
    assert got.position == "support" and got.method == "cue:support" and got.covered
    assert [e.text for e in got.evidence if e.role == "cue"] == ["welcomed"]


def test_positions_negated_cue_turns_round():
    got = _suggest("Mira Tan did not welcome the truce.", "welcome", "welcome", "the truce", ["truce"])
    assert got.position == "oppose"
    assert [e.text for e in got.evidence if e.role == "negator"] == ["not"]


def test_positions_deny_flips_the_content():
    got = _suggest("Oren Vale denied that his side had violated the truce.", "denied", "deny",
                   "that his side had violated the truce", ["truce"])
    assert got.position == "support" and got.method == "cue:flip"


def test_positions_negation_inside_the_content():
    never = _suggest("Oren Vale said he would never accept the truce.", "said", "say",
                     "he would never accept the truce", ["truce"])
    assert never.position == "oppose"
    double = _suggest("Oren Vale said Lunmark would not abandon the truce.", "said", "say",
                      "Lunmark would not abandon the truce", ["truce"])
    assert double.position == "support"


def test_positions_directive_follows_what_it_asks_for():
    yes = _suggest("Mira Tan urged the council to respect the truce.", "urged", "urge",
                   "the council to respect the truce", ["truce"])
    no = _suggest("Mira Tan urged the council to vote down the truce.", "urged", "urge",
                  "the council to vote down the truce", ["truce"])
    assert (yes.position, no.position) == ("support", "oppose")


def test_positions_warn_against_opposes_and_call_for_supports():
    against = _suggest("Oren Vale warned against a truce.", "warned", "warn", "against a truce", ["truce"])
    call = _suggest("Oren Vale called for a truce.", "called", "call", "for a truce", ["truce"])
    assert against.position == "oppose" and any(e.role == "particle" for e in against.evidence)
    assert call.position == "support"


def test_positions_clause_naming_the_issue_decides():
    got = _suggest("Mira Tan said the truce was good but the levy was a mistake.", "said", "say",
                   "the truce was good but the levy was a mistake", ["levy"])
    assert got.position == "oppose"


def test_positions_no_evidence_is_an_uncovered_neutral_default():
    got = _suggest("Mira Tan said the truce began at noon.", "said", "say", "the truce began at noon", ["truce"])
    assert (got.position, got.method, got.covered) == ("neutral", "default", False)


def test_positions_question_is_neutral_even_with_evaluative_words():
    got = _suggest("Oren Vale asked whether the truce was a mistake.", "asked", "ask",
                   "whether the truce was a mistake", ["truce"])
    assert (got.position, got.method) == ("neutral", "cue:question")


def test_positions_issue_terms_drop_operators_keep_phrases():
    assert positions.issue_terms('ceasefire OR truce OR "cessation of hostilities"') == [
        "cessation of hostilities", "ceasefire", "truce"]


def test_positions_a_question_in_the_content_takes_no_side():
    got = _suggest('Oren Vale asked: "Is the truce still good?"', "asked", "say", "Is the truce still good?", ["truce"])
    assert got.position == "neutral" and got.method == "cue:question"


def test_cli_eval_positions_reports_accuracy_and_coverage():
    import json

    from typer.testing import CliRunner

    from storyline.cli.app import app

    result = CliRunner().invoke(app, ["eval", "positions", "--gold", str(LABELLED), "--split", "heldout", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["records"] == len([r for r in evaluation.load(LABELLED) if r["split"] == "heldout"])
    assert 0 < data["coverage"] <= 1
    assert CliRunner().invoke(app, ["eval", "positions", "--gold", str(LABELLED), "--split", "nope"]).exit_code == 2
