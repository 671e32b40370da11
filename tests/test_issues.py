"""Issues as named searches in the ledger, stored position suggestions, corrections on top."""

from __future__ import annotations

import json

import pytest
from outlets_fixtures import build_outlets_ledger
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.errors import NotFoundError, StorylineError
from storyline.ledger import issues
from storyline.ledger.store import Store


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "ledger.db"
    ids = build_outlets_ledger(db)
    with Store(db) as s:
        s.ids = ids
        yield s


def test_issues_add_stores_the_search_and_suggests_positions(store):
    issue = issues.add_issue(store, "ceasefire", "ceasefire OR truce")
    assert issue["query"] == "ceasefire OR truce"
    items = {i["text"]: i for i in issues.issue_positions(store.conn, "ceasefire")}
    assert items["the ceasefire must hold"]["position"] == "support"
    assert items["the ceasefire as a trap"]["position"] == "oppose"
    assert items["he would never accept the truce"]["position"] == "oppose"
    neutral = items["the truce began at noon"]
    assert neutral["position"] == "neutral" and neutral["suggestion"]["method"] == "default"
    assert all(i["suggestion"]["stored"] for i in items.values())
    # "ceasefire lines" in the live blog matches too: the search decides, not the rules
    assert len(items) == 5


def test_issues_evidence_points_into_the_article(store):
    issues.add_issue(store, "ceasefire", "ceasefire OR truce")
    text = store.conn.execute("SELECT text FROM articles WHERE id = ?", (store.ids["side"],)).fetchone()[0]
    item = next(i for i in issues.issue_positions(store.conn, "ceasefire") if i["text"] == "he would never accept the truce")
    for ev in item["suggestion"]["evidence"]:
        assert text[ev["start"]:ev["end"]] == ev["text"]
    assert {e["role"] for e in item["suggestion"]["evidence"]} >= {"cue", "negator", "positive"}


def test_issues_bad_search_and_duplicate_name_are_clear_errors(store):
    with pytest.raises(StorylineError) as err:
        issues.add_issue(store, "broken", '"unbalanced')
    assert err.value.code == "BAD_OPTION" and "not a valid search" in err.value.message
    issues.add_issue(store, "ceasefire", "ceasefire")
    with pytest.raises(StorylineError):
        issues.add_issue(store, "Ceasefire", "truce")
    issues.add_issue(store, "ceasefire", "truce", replace=True)
    assert issues.get_issue(store.conn, "ceasefire")["query"] == "truce"
    with pytest.raises(NotFoundError):
        issues.get_issue(store.conn, "nothing")


def test_issues_remove_drops_suggestions_not_statements(store):
    issues.add_issue(store, "ceasefire", "ceasefire OR truce")
    before = store.conn.execute("SELECT count(*) FROM statements").fetchone()[0]
    issues.remove_issue(store, "ceasefire")
    assert issues.list_issues(store.conn) == []
    assert store.conn.execute("SELECT count(*) FROM position_suggestions").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM statements").fetchone()[0] == before


def test_issues_a_correction_overrides_the_suggestion_and_keeps_it(store):
    issues.add_issue(store, "ceasefire", "ceasefire OR truce")
    target = next(i for i in issues.issue_positions(store.conn, "ceasefire") if i["text"] == "the truce began at noon")
    # a row of the ledger's corrections table (ledger/corrections.py) for the position field
    store.conn.execute("INSERT INTO corrections(target_type, target, field, new_value, created_at) VALUES ('statement', ?, "
                       "'position', ?, 'now')", (target["id"], json.dumps({"issue": "Ceasefire", "position": "support"})))
    item = next(i for i in issues.issue_positions(store.conn, "ceasefire") if i["id"] == target["id"])
    assert (item["position"], item["correction"], item["suggestion"]["position"]) == ("support", "support", "neutral")
    store.conn.execute("UPDATE corrections SET undone_at = 'now'")
    item = next(i for i in issues.issue_positions(store.conn, "ceasefire") if i["id"] == target["id"])
    assert item["position"] == "neutral" and item["correction"] is None


def test_issues_actor_timeline_counts_positions_per_day(store):
    issues.add_issue(store, "ceasefire", "ceasefire OR truce")
    timelines = {t["actor"]: t for t in issues.actor_timelines(issues.issue_positions(store.conn, "ceasefire"))}
    reiner = timelines["Tomas Reiner"]
    assert reiner["statements"] == 2 and reiner["positions"]["oppose"] == 2
    assert reiner["days"] == {"2026-03-03": {"support": 0, "oppose": 2, "neutral": 0}}
    assert timelines["Ilse Varga"]["first"] == "2026-03-03" and timelines["Ilse Varga"]["last"] == "2026-03-04"


def test_issues_unstored_statements_get_a_suggestion_computed_on_read(store):
    issues.add_issue(store, "ceasefire", "ceasefire OR truce")
    store.conn.execute("DELETE FROM position_suggestions")
    items = issues.issue_positions(store.conn, "ceasefire")
    assert items and not any(i["suggestion"]["stored"] for i in items)
    issues.refresh_positions(store, "ceasefire")
    assert all(i["suggestion"]["stored"] for i in issues.issue_positions(store.conn, "ceasefire"))


def test_cli_issues_add_list_show_refresh_remove(tmp_path):
    db = str(tmp_path / "ledger.db")
    build_outlets_ledger(db)
    run = CliRunner().invoke
    added = run(app, ["issues", "add", "ceasefire", "ceasefire OR truce", "--db", db, "--description", "the truce"])
    assert added.exit_code == 0 and "5 statement(s)" in added.output
    assert run(app, ["issues", "add", "ceasefire", "truce", "--db", db]).exit_code == 2
    assert run(app, ["issues", "add", "ceasefire", "ceasefire OR truce", "--db", db, "--replace"]).exit_code == 0
    listed = json.loads(run(app, ["issues", "list", "--db", db, "--json"]).output)
    assert listed[0]["name"] == "ceasefire" and listed[0]["positions"]["oppose"] == 2
    shown = json.loads(run(app, ["issues", "show", "ceasefire", "--db", db, "--json", "--since", "2026-03-04",
                                 "--until", "2026-03-04"]).output)
    assert [s["day"] for s in shown["statements"]] == ["2026-03-04"]
    assert "oppose" in run(app, ["issues", "show", "ceasefire", "--db", db]).output
    assert "5 statement(s)" in run(app, ["issues", "refresh", "--db", db]).output
    assert run(app, ["issues", "remove", "ceasefire", "--db", db]).exit_code == 0
    gone = run(app, ["issues", "show", "ceasefire", "--db", db])
    assert gone.exit_code == 2 and "NOT_FOUND_ID" in gone.output


def test_issues_outlet_breakdown_counts_positions_per_outlet(store):
    issues.add_issue(store, "ceasefire", "ceasefire OR truce")
    rows = {o["outlet"]: o for o in issues.outlet_breakdown(issues.issue_positions(store.conn, "ceasefire"))}
    beacon = rows["Daily Beacon"]
    assert beacon["statements"] == 4 and beacon["speakers"] == 3
    assert beacon["positions"] == {"support": 1, "oppose": 2, "neutral": 1}
    assert rows["Carrow Courier"]["statements"] == 1


def test_issues_a_statement_several_outlets_carried_counts_once_per_actor(store):
    issues.add_issue(store, "formula", '"harbour formula"')
    varga = next(t for t in issues.actor_timelines(issues.issue_positions(store.conn, "formula"))
                 if t["actor"] == "Ilse Varga")
    assert (varga["statements"], varga["reports"]) == (1, 2)
    assert sum(varga["positions"].values()) == 1
    assert sum(sum(day.values()) for day in varga["days"].values()) == 1
