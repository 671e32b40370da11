"""Position corrections: a person sets where a statement stands on an issue (library, CLI,
API and web forms); the issue views and the network export use it; the statement row is
never touched; undo brings the suggestion back. Fictional people and places only."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from outlets_fixtures import build_outlets_ledger
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.errors import StorylineError
from storyline.ledger import corrections as C
from storyline.ledger import issues, network
from storyline.ledger import store as store_module
from storyline.ledger.store import Store
from storyline.model import Article, Mention, Segment, Statement, content_id
from storyline.web import create_app

TOKEN = "ana:harbour-key"

# A small article of our own, so a test can save it again (re-ingest) under the same ids.
TEXT = ("Governor Maren Toll said the harbour truce would hold through the winter.\n\n"
        "Port chief Anselm Vey rejected the truce as premature, his office said.\n\n"
        "The ferry board said the timetable was unchanged.")


def _statement(content: str, cue_text: str, cue: str, speaker: str) -> Statement:
    start, cue_start = TEXT.index(content), TEXT.index(cue_text)
    return Statement(start=start, end=start + len(content), text=content, kind="indirect", speaker=speaker,
                     speaker_type="person", cue=cue, cue_span=Mention(cue_start, cue_start + len(cue_text), cue_text),
                     date="2026-02-10", date_basis="published", confidence=0.9, extractor="test.v1")


def _article() -> Article:
    return Article(id=content_id(TEXT), text=TEXT, source="/fixtures/toll-harbour.txt", doc="toll-harbour.txt",
                   sources=["/fixtures/toll-harbour.txt"], outlet="Veloria Courier", title="Harbour truce",
                   published="2026-02-10T08:00:00", language="en", segments=[Segment(0, len(TEXT))],
                   statements=[_statement("the harbour truce would hold through the winter", "said", "say",
                                          "Maren Toll"),
                               _statement("the truce as premature", "rejected", "reject", "Anselm Vey"),
                               _statement("the timetable was unchanged", "board said", "say", "ferry board")])


def _save(store: Store) -> None:
    hooks = list(store_module.SAVE_HOOKS)
    store_module.SAVE_HOOKS.clear()  # no clustering hooks: the article alone
    try:
        with store.transaction():
            store.save_article(_article())
    finally:
        store_module.SAVE_HOOKS.extend(hooks)


def _sid(content: str) -> str:
    start = TEXT.index(content)
    return f"{content_id(TEXT)}:{start}-{start + len(content)}"


HOLD, PREMATURE, TIMETABLE = (_sid("the harbour truce would hold through the winter"), _sid("the truce as premature"),
                              _sid("the timetable was unchanged"))


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "ledger.db") as s:
        _save(s)
        issues.add_issue(s, "harbour truce", "truce")
        yield s


def _row(store, statement_id):
    return dict(store.conn.execute("SELECT * FROM statements WHERE id = ?", (statement_id,)).fetchone())


def _position(store, statement_id, issue="harbour truce"):
    return issues.statement_position(store.conn, statement_id, issue)


# --- library ---------------------------------------------------------------------------------


def test_position_correction_overrides_the_suggestion_without_touching_the_statement(store):
    before = _row(store, HOLD)
    assert _position(store, HOLD)["position"] == "support" and _position(store, HOLD)["correction"] is None
    c = C.correct_statement(store, HOLD, "position", "oppose", issue="Harbour Truce", note="sarcastic", by="ana")
    assert c["field"] == "position" and c["target"] == HOLD and c["created_by"] == "ana" and c["note"] == "sarcastic"
    assert c["new_value"] == {"issue": "harbour truce", "position": "oppose"}  # the issue's stored name
    assert c["old_value"] == {"issue": "harbour truce", "position": "support", "from": "suggestion"}
    assert _row(store, HOLD) == before  # the row, `corrected` included, is as extraction left it
    item = next(i for i in issues.issue_positions(store.conn, "harbour truce") if i["id"] == HOLD)
    assert (item["position"], item["correction"], item["suggestion"]["position"]) == ("oppose", "oppose", "support")


def test_position_correction_takes_issue_equals_position(store):
    c = C.correct_statement(store, PREMATURE, "position", "harbour truce=Neutral")
    assert c["new_value"] == {"issue": "harbour truce", "position": "neutral"}
    assert _position(store, PREMATURE)["position"] == "neutral"
    assert C.parse_position("a=b=support") == ("a=b", "support")


def test_position_correction_rejects_what_cannot_be(store):
    with pytest.raises(StorylineError, match="no issue named 'fishing quotas'.*harbour truce"):
        C.correct_statement(store, HOLD, "position", "support", issue="fishing quotas")
    with pytest.raises(StorylineError, match="choose one of support, oppose, neutral"):
        C.correct_statement(store, HOLD, "position", "maybe", issue="harbour truce")
    with pytest.raises(StorylineError, match="does not find statement"):
        C.correct_statement(store, TIMETABLE, "position", "support", issue="harbour truce")
    with pytest.raises(StorylineError, match="ISSUE=POSITION"):
        C.correct_statement(store, HOLD, "position", "support")
    with pytest.raises(StorylineError):
        C.correct_statement(store, "nope:1-2", "position", "support", issue="harbour truce")
    assert C.list_corrections(store.conn) == []


def test_position_correction_confirms_a_suggestion_once(store):
    c = C.correct_statement(store, HOLD, "position", "support", issue="harbour truce")  # agreeing is a label too
    assert c["old_value"]["position"] == "support" and _position(store, HOLD)["correction"] == "support"
    with pytest.raises(StorylineError, match="already has that position"):
        C.correct_statement(store, HOLD, "position", "support", issue="harbour truce")


def test_position_undo_brings_back_the_earlier_correction_then_the_suggestion(store):
    first = C.correct_statement(store, HOLD, "position", "neutral", issue="harbour truce")
    second = C.correct_statement(store, HOLD, "position", "oppose", issue="harbour truce")
    assert second["old_value"] == {"issue": "harbour truce", "position": "neutral", "from": "correction"}
    C.undo(store, second["id"])
    assert _position(store, HOLD)["position"] == "neutral"
    C.undo(store, first["id"])
    got = _position(store, HOLD)
    assert got["position"] == "support" and got["correction"] is None
    with pytest.raises(StorylineError, match="already undone"):
        C.undo(store, first["id"])


def test_position_correction_survives_resaving_and_stays_out_of_corrected(store):
    C.correct_statement(store, HOLD, "position", "oppose", issue="harbour truce")
    C.correct_statement(store, PREMATURE, "position", "support", issue="harbour truce")
    C.correct_statement(store, PREMATURE, "kind", "mixed")
    assert _row(store, PREMATURE)["corrected"] == '["kind"]'
    _save(store)  # the article ingested again: statement rows written anew under the same ids
    assert _row(store, HOLD)["corrected"] is None  # only a position: the re-save trigger leaves the row alone
    assert json.loads(_row(store, PREMATURE)["corrected"]) == ["kind"]
    assert _row(store, PREMATURE)["kind"] == "mixed"
    assert (_position(store, HOLD)["position"], _position(store, PREMATURE)["position"]) == ("oppose", "support")
    assert all(c["applied"] for c in C.list_corrections(store.conn))


def test_position_corrections_feed_the_network_edges(store):
    C.correct_statement(store, PREMATURE, "position", "support", issue="harbour truce")
    rows = {r["statement_id"]: r for r in network.edges(store.conn, ["harbour truce"])}
    assert (rows[PREMATURE]["position"], rows[PREMATURE]["corrected"]) == ("support", True)
    assert (rows[HOLD]["position"], rows[HOLD]["corrected"]) == ("support", False)
    nodes, edges = network.bipartite(list(rows.values()))
    assert [(e["source"], e["position"], e["weight"]) for e in edges] == [
        ("actor:Anselm Vey", "support", 1), ("actor:Maren Toll", "support", 1)]


def test_position_corrections_stay_out_of_statement_gold_and_export_on_their_own(store):
    C.correct_statement(store, PREMATURE, "position", "neutral", issue="harbour truce", note="reported, not said")
    assert list(C.iter_gold(store.conn)) == []  # a position says nothing of the article's statements
    [rec] = list(C.iter_position_gold(store.conn))
    assert (rec["issue"], rec["query"], rec["label"], rec["suggested"]) == ("harbour truce", "truce", "neutral", "oppose")
    assert rec["sentence"][rec["start"]:rec["end"]] == "the truce as premature"
    assert rec["sentence"][rec["cue_start"]:rec["cue_end"]] == "rejected" and rec["doc"] == "toll-harbour.txt"
    C.correct_statement(store, PREMATURE, "kind", "mixed")
    assert {r["text"] for r in C.iter_gold(store.conn)} == {"the harbour truce would hold through the winter",
                                                            "the truce as premature", "the timetable was unchanged"}


def test_position_correction_of_a_removed_issue_is_listed_as_not_applied(store):
    C.correct_statement(store, HOLD, "position", "oppose", issue="harbour truce")
    assert [c["applied"] for c in C.list_corrections(store.conn)] == [True]
    issues.remove_issue(store, "harbour truce")
    assert [c["applied"] for c in C.list_corrections(store.conn)] == [False]
    issues.add_issue(store, "Harbour Truce", "truce OR winter")  # the same name again (any case): it holds again
    assert [c["applied"] for c in C.list_corrections(store.conn)] == [True]
    assert _position(store, HOLD)["position"] == "oppose"


def test_statement_positions_lists_every_issue_that_finds_it(store):
    issues.add_issue(store, "winter", "winter")
    assert [p["issue"] for p in issues.statement_positions(store.conn, HOLD)] == ["harbour truce", "winter"]
    assert [p["issue"] for p in issues.statement_positions(store.conn, PREMATURE)] == ["harbour truce"]
    assert issues.statement_positions(store.conn, TIMETABLE) == []


def test_position_migration_upgrades_a_ledger_with_the_old_trigger(tmp_path, monkeypatch):
    """A ledger made before position corrections: a position row written by hand (as
    issues.position_overrides documented) marked the statement; after the migration it
    does not, not even on re-save, and its other corrected fields stay."""
    from storyline.ledger.migrations import MIGRATIONS

    glue = next(v for v, name, _ in MIGRATIONS if name.startswith("corrections: position"))
    monkeypatch.setattr(store_module, "MIGRATIONS", [m for m in MIGRATIONS if m[0] < glue])
    db = tmp_path / "old.db"
    with Store(db) as old:
        _save(old)
        issues.add_issue(old, "harbour truce", "truce")
        old.conn.execute("INSERT INTO corrections(target_type, target, article_id, field, old_value, new_value, "
                         "created_at) VALUES ('statement', ?, ?, 'position', 'null', ?, 'then')",
                         (HOLD, content_id(TEXT), json.dumps({"issue": "harbour truce", "position": "oppose"})))
        old.conn.commit()
        C.correct_statement(old, PREMATURE, "kind", "mixed")
        _save(old)
        assert _row(old, HOLD)["corrected"] == '["position"]'  # the old trigger marked the row
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(db) as new:
        assert _row(new, HOLD)["corrected"] is None  # the migration unmarks it
        _save(new)
        assert _row(new, HOLD)["corrected"] is None
        assert _position(new, HOLD)["position"] == "oppose"
        assert _row(new, PREMATURE)["corrected"] == '["kind"]' and _row(new, PREMATURE)["kind"] == "mixed"
        hits = new.conn.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'truce'").fetchone()[0]
        assert hits == 2  # the FTS trigger still fires first and keeps the index whole


# --- CLI ---------------------------------------------------------------------------------------


def _cli(*args):
    return CliRunner().invoke(app, list(args))


def test_position_cli_correct_list_show_network_undo(store, tmp_path):
    db = str(tmp_path / "ledger.db")
    store.close()
    done = _cli("correct", PREMATURE, "--db", db, "--position", "harbour truce=support", "--note", "irony", "--by", "ana")
    assert done.exit_code == 0, done.output
    assert "harbour truce: oppose (suggested) -> harbour truce: support by ana" in " ".join(done.output.split())
    listed = _cli("corrections", "list", "--db", db)
    words = " ".join(listed.output.split())  # the table may wrap the change cell on a narrow terminal
    assert "harbour truce: oppose (suggested)" in words and "→ harbour truce: support" in words
    assert "{" not in listed.output  # read as words, not JSON
    shown = json.loads(_cli("issues", "show", "harbour truce", "--db", db, "--json").output)
    item = next(s for s in shown["statements"] if s["id"] == PREMATURE)
    assert (item["position"], item["correction"], item["suggestion"]["position"]) == ("support", "support", "oppose")
    assert next(a for a in shown["actors"] if a["actor"] == "Anselm Vey")["positions"]["support"] == 1
    edges = list(csv.DictReader(io.StringIO(_cli("export", "network", "--db", db, "--issue", "harbour truce",
                                                 "--format", "csv").output)))
    vey = next(e for e in edges if e["statement_id"] == PREMATURE)
    assert vey["position"] == "support" and vey["corrected"] == "True"
    correction_id = json.loads(_cli("corrections", "list", "--db", db, "--json").output.splitlines()[0])["id"]
    assert _cli("corrections", "undo", str(correction_id), "--db", db).exit_code == 0
    edges = list(csv.DictReader(io.StringIO(_cli("export", "network", "--db", db, "--issue", "harbour truce").output)))
    assert next(e for e in edges if e["statement_id"] == PREMATURE)["position"] == "oppose"


def test_position_cli_rejects_bad_values_before_writing(store, tmp_path):
    db = str(tmp_path / "ledger.db")
    store.close()
    for bad in ("harbour truce", "harbour truce=perhaps", "fishing=support"):
        result = _cli("correct", HOLD, "--db", db, "--kind", "mixed", "--position", bad)
        assert result.exit_code == 2 and "[BAD_OPTION]" in result.output, (bad, result.output)
    rows = _cli("corrections", "list", "--db", db, "--json").output.splitlines()
    # a malformed ISSUE=POSITION stops everything; a well-formed one naming no issue fails after --kind
    assert [json.loads(r)["field"] for r in rows] == ["kind"]


def test_position_cli_gold_export_scores_with_eval_positions(store, tmp_path):
    db = str(tmp_path / "ledger.db")
    store.close()
    assert _cli("correct", HOLD, "--db", db, "--position", "harbour truce=oppose").exit_code == 0
    assert _cli("correct", PREMATURE, "--db", db, "--position", "harbour truce=oppose").exit_code == 0
    gold = tmp_path / "positions.jsonl"
    assert _cli("export", "corrections", "--db", db, "--as-gold", "--positions", "-o", str(gold)).exit_code == 0
    assert _cli("export", "corrections", "--db", db, "--positions").exit_code == 2  # goes with --as-gold
    scored = json.loads(_cli("eval", "positions", "--gold", str(gold), "--json").output)
    # the rules say support for Toll (the person said oppose) and oppose for Vey (confirmed)
    assert scored["records"] == 2 and scored["accuracy"] == 0.5
    assert [m["label"] + "->" + m["got"] for m in scored["misses"]] == ["oppose->support"]


# --- API and web forms ------------------------------------------------------------------------


@pytest.fixture
def outlets_db(tmp_path):
    path = tmp_path / "outlets.db"
    ids = build_outlets_ledger(path)
    with Store(path) as s:
        issues.add_issue(s, "ceasefire", "ceasefire OR truce")
    return path, ids


def _varga(ids):  # Ilse Varga: "the ceasefire must hold" (the rules: support)
    return ids["side_statements"][0]


def test_position_api_sets_and_undoes_and_the_issue_api_and_network_follow(outlets_db):
    path, ids = outlets_db
    sid = _varga(ids)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(path, token=TOKEN), raise_server_exceptions=False) as client:
        bad = client.post(f"/api/v1/statements/{sid}/corrections", headers=headers,
                          json={"field": "position", "issue": "ceasefire", "value": "hostile"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "BAD_OPTION"
        assert client.post(f"/api/v1/statements/{sid}/corrections",
                           json={"field": "position", "issue": "ceasefire", "value": "oppose"}).status_code == 401
        made = client.post(f"/api/v1/statements/{sid}/corrections", headers=headers,
                           json={"field": "position", "issue": "ceasefire", "value": "oppose", "note": "quoted irony"})
        assert made.status_code == 201 and made.json()["created_by"] == "ana"
        item = next(s for s in client.get("/api/v1/issues/ceasefire").json()["statements"] if s["id"] == sid)
        assert (item["position"], item["suggestion"]["position"]) == ("oppose", "support")
        edges = list(csv.DictReader(io.StringIO(client.get("/api/v1/issues/ceasefire/network?format=csv").text)))
        assert next(e for e in edges if e["statement_id"] == sid)["position"] == "oppose"
        assert client.post(f"/api/v1/corrections/{made.json()['id']}/undo", headers=headers).status_code == 200
        edges = list(csv.DictReader(io.StringIO(client.get("/api/v1/issues/ceasefire/network?format=csv").text)))
        assert next(e for e in edges if e["statement_id"] == sid)["position"] == "support"


def test_position_form_on_the_issue_page_needs_the_token_and_goes_back(outlets_db):
    path, ids = outlets_db
    sid = _varga(ids)
    form = {"field": "position", "issue": "ceasefire", "value": "neutral", "back": "/issues/ceasefire#statements"}
    with TestClient(create_app(path), raise_server_exceptions=False) as client:
        page = client.get("/issues/ceasefire").text
        assert "position-form" not in page and "read-only" in page  # read-only serving: no forms
        assert client.post(f"/statements/{sid}/correct", data={**form, "token": TOKEN}).status_code == 403
    with TestClient(create_app(path, token=TOKEN), raise_server_exceptions=False) as client:
        page = client.get("/issues/ceasefire").text
        assert page.count('class="correct position-form"') == 5  # one per statement on the issue
        assert client.post(f"/statements/{sid}/correct", data=form).status_code == 401
        assert client.post(f"/statements/{sid}/correct", data={**form, "token": "wrong"}).status_code == 403
        r = client.post(f"/statements/{sid}/correct", data={**form, "token": TOKEN}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/issues/ceasefire#statements"
        page = client.get("/issues/ceasefire").text
        cell = page[page.index(f'data-statement="{sid}"'):]
        cell = cell[:cell.index("</td>")]
        assert "suggested: support" in cell and "corrected: <b>neutral</b>" in cell
        # a `back` that leaves the site is ignored: the statement page instead
        r = client.post(f"/statements/{sid}/correct", follow_redirects=False,
                        data={**form, "value": "oppose", "token": TOKEN, "back": "//elsewhere.example/x"})
        assert r.status_code == 303 and r.headers["location"].startswith("/statements/")


def test_position_form_on_the_statement_page_and_undo_from_its_list(outlets_db):
    path, ids = outlets_db
    sid = _varga(ids)
    with TestClient(create_app(path, token=TOKEN), raise_server_exceptions=False) as client:
        page = client.get(f"/statements/{sid}").text
        assert 'id="positions"' in page and "suggested: support" in page and "not corrected" in page
        r = client.post(f"/statements/{sid}/correct", follow_redirects=False,
                        data={"field": "position", "issue": "ceasefire", "value": "oppose", "token": TOKEN})
        assert r.status_code == 303 and r.headers["location"].endswith("?done=position")
        page = client.get(r.headers["location"]).text
        assert "Saved: new position" in page and "corrected: <b>oppose</b>" in page
        assert "ceasefire: support (suggested)</td>" in page and "ceasefire: oppose</td>" in page
        assert "corrected: position" not in page  # the statement's own fields are not marked corrected
        [c] = client.get("/api/v1/corrections", params={"target": sid}).json()["items"]
        undone = client.post(f"/corrections/{c['id']}/undo", data={"token": TOKEN}, follow_redirects=False)
        assert undone.status_code == 303
        page = client.get(f"/statements/{sid}").text
        assert "not corrected" in page and "undone" in page


def test_position_form_keeps_an_issue_name_with_an_apostrophe_whole(outlets_db):
    path, ids = outlets_db
    sid = _varga(ids)
    with Store(path) as s:
        issues.add_issue(s, "Varga's truce", "ceasefire")
    with TestClient(create_app(path, token=TOKEN), raise_server_exceptions=False) as client:
        page = client.get(f"/statements/{sid}").text
        assert 'name="issue" value="Varga&#39;s truce"' in page
        r = client.post(f"/statements/{sid}/correct", follow_redirects=False,
                        data={"field": "position", "issue": "Varga's truce", "value": "neutral", "token": TOKEN})
        assert r.status_code == 303
        assert client.get("/api/v1/corrections").json()["items"][0]["new_value"] == {
            "issue": "Varga's truce", "position": "neutral"}
        item = next(i for i in client.get("/api/v1/issues/Varga's truce").json()["statements"] if i["id"] == sid)
        assert item["position"] == "neutral"
