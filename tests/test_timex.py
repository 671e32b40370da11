"""Temporal expressions: offsets, TIMEX3 values, precision, tense-dependent weekdays."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline.stages.timex import Anchor, find_timexes


def values(text, anchor, **kw):
    return [(t.text, t.value, t.precision) for t in find_timexes(text, anchor, **kw)]


def test_timex_offsets_point_at_the_exact_text():
    text = "SARN, March 3 — Velorian Foreign Minister Ilse Varga arrived on Tuesday."
    found = find_timexes(text, "2026-03-05")
    assert [t.text for t in found] == ["March 3", "Tuesday"]
    for t in found:
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize(
    "text, value, precision",
    [
        ("The talks opened on 15 August 2025.", "2025-08-15", "day"),
        ("The talks opened on August 15, 2025.", "2025-08-15", "day"),
        ("The record is dated 2025-08-15.", "2025-08-15", "day"),
        ("Oct 8, 2025 15:51", "2025-10-08", "day"),
        ("It was signed in August 2025.", "2025-08", "month"),
        ("The crisis began in 2022.", "2022", "year"),
    ],
)
def test_timex_resolves_absolute_dates_without_an_anchor(text, value, precision):
    found = find_timexes(text, None)
    assert [(t.value, t.precision, t.basis) for t in found] == [(value, precision, "explicit")]


def test_timex_takes_a_missing_year_from_the_anchor():
    assert values("SARN, Aug. 15 — talks resumed.", "2025-08-20") == [("Aug. 15", "2025-08-15", "day")]
    # A dateline month well after the anchor month is last year's, not next year's.
    assert values("HALLEN, November 30 — the border was quiet.", "2026-02-10")[0][1] == "2025-11-30"


def test_timex_bare_month_points_back_in_past_tense_and_ahead_in_future_tense():
    assert values("The meeting took place in August.", "2025-10-08") == [("August", "2025-08", "month")]
    assert values("The envoy will return in February.", "2025-10-08") == [("February", "2026-02", "month")]
    assert values("Fighting flared in mid-August.", "2025-10-08") == [("mid-August", "2025-08", "month")]


def test_timex_past_weekday_is_the_last_one_on_or_before_the_anchor():
    # 2026-03-05 is a Thursday.
    assert values("Varga said on Monday that talks had stalled.", "2026-03-05")[0][1] == "2026-03-02"
    assert values("Varga confirmed on Thursday that talks had stalled.", "2026-03-05")[0][1] == "2026-03-05"
    assert values("Friday's summit ended without a deal.", "2026-03-05")[0][:2] == ("Friday", "2026-02-27")


def test_timex_future_weekday_is_the_next_one_on_or_after_the_anchor():
    assert values("Varga will meet Kesh on Monday.", "2026-03-05")[0][1] == "2026-03-09"
    assert values("The summit is scheduled to open on Saturday morning.", "2026-03-05")[0][:2] == (
        "Saturday morning", "2026-03-07TMO")
    assert values("Kesh said he hopes to meet Varga by next Thursday.", "2026-03-05")[0][1] == "2026-03-12"
    assert values("Korvel spoke to Hask last Thursday.", "2026-03-05")[0][1] == "2026-02-26"


def test_timex_uses_the_parse_for_tense_when_a_doc_is_given(nlp):
    text = "Rell, who met Varga on Tuesday, said the ministers would meet again on Friday."
    doc = nlp(text)
    found = {t.text: t.value for t in find_timexes(text, "2026-03-05", doc=doc)}
    assert found == {"Friday": "2026-03-06", "Tuesday": "2026-03-03"}


def test_timex_tense_hint_overrides_the_direction():
    assert values("on Monday", "2026-03-05", tense_hint="future")[0][1] == "2026-03-09"
    assert values("on Monday", "2026-03-05", tense_hint="past")[0][1] == "2026-03-02"


@pytest.mark.parametrize(
    "phrase, value, precision",
    [
        ("yesterday", "2026-03-04", "day"),
        ("today", "2026-03-05", "day"),
        ("tonight", "2026-03-05TNI", "day"),
        ("last month", "2026-02", "month"),
        ("this month", "2026-03", "month"),
        ("earlier this month", "2026-03", "month"),
        ("earlier this year", "2026", "year"),
        ("next week", "2026-W11", "week"),
        ("three days ago", "2026-03-02", "day"),
        ("two weeks ago", "2026-W08", "week"),
        ("late on Friday", "2026-02-27", "day"),
        ("earlier in February", "2026-02", "month"),
    ],
)
def test_timex_resolves_relative_expressions_against_the_anchor(phrase, value, precision):
    found = find_timexes(f"The ministers spoke {phrase}.", "2026-03-05")
    assert [(t.text, t.value, t.precision) for t in found] == [(phrase, value, precision)]


def test_timex_season_takes_the_year_from_tense():
    assert values("A new round is planned in the fall.", "2026-03-05") == [("the fall", "2026-FA", "season")]
    assert values("The envoys met in the fall.", "2026-03-05") == [("the fall", "2025-FA", "season")]
    assert values("Fish prices fall when the border closes.", "2026-03-05") == []


def test_timex_without_anchor_leaves_relative_values_empty():
    found = find_timexes("Varga spoke on Monday and again yesterday.", None)
    assert [t.text for t in found] == ["Monday", "yesterday"]
    assert all(t.value is None and t.basis == "relative" for t in found)


def test_timex_month_anchor_gives_month_values_for_days():
    # Published date known only to the month: "on Sunday" can only be placed in that month.
    assert values("Kesh told reporters on Sunday.", "2026-03") == [("Sunday", "2026-03", "month")]


def test_timex_ignores_may_and_march_as_words():
    assert values("Veloria may march its troops home; the May talks are over.", "2026-03-05") == []


def test_anchor_parses_dates_datetimes_and_partial_dates():
    assert Anchor.parse("2026-03-05T10:00:00+00:00").iso() == "2026-03-05"
    assert Anchor.parse("2026-03").precision == "month"
    assert Anchor.parse("not a date") is None


def test_cli_timex_prints_json(tmp_path):
    from storyline.cli.app import app

    f = tmp_path / "t.txt"
    f.write_text("Varga said on Monday that the talks on 3 March 2026 had stalled.", encoding="utf-8")
    result = CliRunner().invoke(app, ["timex", str(f), "--anchor", "2026-03-05", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["text"], r["value"], r["precision"]) for r in rows] == [
        ("Monday", "2026-03-02", "day"), ("3 March 2026", "2026-03-03", "day")]
    assert all(set(r) >= {"start", "end", "text", "value", "precision"} for r in rows)


def test_cli_timex_rejects_a_bad_anchor(tmp_path):
    from storyline.cli.app import app

    f = tmp_path / "t.txt"
    f.write_text("on Monday", encoding="utf-8")
    result = CliRunner().invoke(app, ["timex", str(f), "--anchor", "someday"])
    assert result.exit_code == 2
    assert "BAD_OPTION" in result.output


def test_timex_durations_get_iso_durations_without_a_date():
    found = values("The talks lasted eleven hours after a 40-minute call and a few days of silence.", "2026-03-05")
    assert found == [("eleven hours", "PT11H", None), ("40-minute", "PT40M", None), ("a few days", "PXD", None)]
