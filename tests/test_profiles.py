"""Outlet profiles and what was left out, on a hand-built ledger (tests/outlets_fixtures.py)."""

from __future__ import annotations

import json

import pytest
from outlets_fixtures import build_outlets_ledger
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.errors import NotFoundError
from storyline.ledger import coverage, profiles
from storyline.ledger.store import connect


@pytest.fixture
def ledger(tmp_path):
    db = tmp_path / "ledger.db"
    ids = build_outlets_ledger(db)
    conn = connect(db, readonly=True)
    yield db, conn, ids
    conn.close()


def test_profiles_every_figure_selects_the_statements_behind_it(ledger):
    _, conn, _ = ledger
    p = profiles.profile(conn, "daily beacon")  # case-blind
    assert p["outlet"] == "Daily Beacon" and p["statements"] == 4
    figures = p["top_actors"] + p["speaker_types"] + p["cues"] + p["affiliations"] + p["via"]
    figures += [p["anonymous"], p["hedged"], dict(p["lag"], count=p["lag"]["clustered"]), p["loaded"]]
    figures += p["loaded"]["speakers"] + [c for s in p["cues_by_speaker"] for c in s["cues"]]
    for figure in figures:
        assert profiles.count_statements(conn, **figure["filter"]) == figure["count"], figure
    assert len(profiles.select_statements(conn, **p["hedged"]["filter"])) == 1


def test_profiles_counts_actors_types_cues_and_relays(ledger):
    _, conn, _ = ledger
    p = profiles.profile(conn, "Daily Beacon")
    top = {a["name"]: a["count"] for a in p["top_actors"]}
    assert top == {"Tomas Reiner": 2, "Ilse Varga": 1, "anonymous": 1}
    assert p["anonymous"]["count"] == 1 and p["anonymous"]["share"] == 0.25
    cues = {c["cue"]: c for c in p["cues"]}
    assert (cues["reject"]["count"], cues["say"]["count"], cues["claim"]["count"]) == (1, 2, 1)
    # the corpus share is over every outlet's statements in the period
    assert 0 < cues["reject"]["corpus_share"] < cues["reject"]["share"]
    assert [v["via"] for v in p["via"]] == ["Veloria Wire"]
    reiner = next(s for s in p["cues_by_speaker"] if s["name"] == "Tomas Reiner")
    assert {c["cue"] for c in reiner["cues"]} == {"reject", "say"}


def test_profiles_period_narrows_every_figure(ledger):
    _, conn, _ = ledger
    assert profiles.profile(conn, "Daily Beacon", since="2026-03-04")["statements"] == 0
    assert profiles.profile(conn, "Harbour Times", until="2026-03-03")["statements"] == 3


def test_profiles_lag_after_the_first_report_of_the_cluster(ledger):
    _, conn, _ = ledger
    lag = profiles.profile(conn, "Northline")["lag"]
    assert lag["clustered"] == 1
    item = lag["items"][0]
    assert item["first_outlet"] == "Harbour Times" and item["lag_days"] == 0
    # both times lack a zone in the fixture: hours are not compared, never guessed
    assert item["lag_hours"] is None
    assert profiles.profile(conn, "Harbour Times")["lag"]["first_reports"] == 1


def test_profiles_unknown_outlet_is_a_clear_error(ledger):
    _, conn, _ = ledger
    with pytest.raises(NotFoundError):
        profiles.profile(conn, "No Such Outlet")


def test_coverage_outlet_covering_the_same_actors_that_day_left_the_quote_out(ledger):
    _, conn, ids = ledger
    missing = coverage.left_out(conn, outlet="Daily Beacon")
    assert len(missing) == 1
    item = missing[0]
    assert item["cluster_id"] == ids["quote"]
    assert item["carried_by"] == ["Harbour Times", "Northline"]
    assert item["articles"][0]["article_id"] == ids["side"]
    assert item["articles"][0]["reasons"] == [{"why": "same actor", "actors": ["Ilse Varga"], "actor_ids": [1]}]
    # the outlets that carried it are never told they left it out
    assert not coverage.left_out(conn, outlet="Northline")


def test_coverage_an_outlet_silent_that_day_did_not_leave_anything_out(ledger):
    _, conn, _ = ledger
    assert coverage.left_out(conn, outlet="Carrow Courier") == []


def test_cli_outlets_lists_and_profiles_with_json(ledger):
    db, _, _ = ledger
    runner = CliRunner()
    listed = runner.invoke(app, ["outlets", "--db", str(db), "--json"])
    assert listed.exit_code == 0, listed.output
    assert {r["outlet"] for r in json.loads(listed.output)} >= {"Daily Beacon", "Harbour Times"}
    one = runner.invoke(app, ["outlets", "Daily Beacon", "--db", str(db), "--json", "--top", "2",
                              "--since", "2026-03-01", "--until", "2026-03-31"])
    assert one.exit_code == 0, one.output
    data = json.loads(one.output)
    assert len(data["top_actors"]) == 2 and data["left_out"][0]["outlet"] == "Daily Beacon"
    table = runner.invoke(app, ["outlets", "Daily Beacon", "--db", str(db)])
    assert "What it left out" in table.output and "Attribution verbs" in table.output
    missing = runner.invoke(app, ["outlets", "Nowhere", "--db", str(db)])
    assert missing.exit_code == 2 and "NOT_FOUND_ID" in missing.output


def test_profiles_a_via_naming_the_outlet_itself_is_its_own_reporting():
    assert profiles.own_name("Courier", "Carrow Valley Courier")
    assert profiles.own_name("the Beacon", "Daily Beacon")
    assert not profiles.own_name("Veloria Wire", "Daily Beacon")


def test_profiles_loaded_verbs_per_speaker_against_every_outlet(ledger):
    _, conn, _ = ledger
    assert "claim" in profiles.loaded_cues() and "say" not in profiles.loaded_cues()
    p = profiles.profile(conn, "Daily Beacon")
    assert (p["loaded"]["count"], p["loaded"]["share"]) == (1, 0.25)  # "Officials claimed …"
    assert p["loaded"]["corpus_share"] == round(1 / profiles.count_statements(conn), 3)
    anonymous = next(s for s in p["loaded"]["speakers"] if s["name"] == "anonymous")
    # all of the Beacon's anonymous statements get "claimed", half of the corpus's do
    assert (anonymous["share"], anonymous["corpus_share"]) == (1.0, 0.5)
    assert profiles.select_statements(conn, **anonymous["filter"])[0]["cue"] == "claim"


def test_profiles_outlet_with_articles_but_no_statements_is_listed(ledger):
    db, conn, _ = ledger
    from storyline.ledger.store import Store

    with Store(db) as store:
        store.conn.execute("INSERT INTO articles(id, doc, source, outlet, published, text, length, ingested_at) "
                           "VALUES ('f00d', 'de.txt', '/x/de.txt', 'Beacon Deutsch', '2026-03-04', 'Text.', 5, 'now')")
    row = next(r for r in profiles.outlets(conn) if r["outlet"] == "Beacon Deutsch")
    assert (row["articles"], row["statements"], row["first"]) == (1, 0, "2026-03-04")
    assert profiles.profile(conn, "Beacon Deutsch")["statements"] == 0
