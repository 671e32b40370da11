"""Corrections on top of extraction: applied, kept through re-saves, undoable, exported as gold."""

from __future__ import annotations

import json

import pytest

from storyline.errors import StorylineError
from storyline.ledger import corrections as C
from storyline.ledger.store import Store
from storyline.model import Article, Segment, Statement, content_id

TEXT = ("Mayor Edda Quist of Lornholm said the ferry would run again by June.\n\n"
        "\u201cWe will not wait for the council,\u201d Quist told reporters on Monday.\n\n"
        "The harbour board said the quay was safe.")


def _article() -> Article:
    def statement(needle, speaker, kind, speaker_type="person", date=None):
        start = TEXT.index(needle)
        return Statement(start=start, end=start + len(needle), text=needle, kind=kind, speaker=speaker,
                         speaker_type=speaker_type, cue="say", date=date,
                         date_basis="published" if date else "none", confidence=0.8, extractor="test.v1")

    return Article(
        id=content_id(TEXT), text=TEXT, source="/fixtures/lornholm.txt", doc="lornholm.txt",
        sources=["/fixtures/lornholm.txt"], outlet="Lornholm Post", title="Ferry to return",
        published="2026-04-06T09:00:00", language="en", segments=[Segment(0, len(TEXT))],
        statements=[
            statement("the ferry would run again by June", "Edda Quist", "indirect", date="2026-04-06"),
            statement("We will not wait for the council", "Edda Quist", "direct", date="2026-04-06"),
            statement("the quay was safe", "harbour board", "indirect", "organization"),
        ],
    )


def _save(store: Store, article: Article | None = None) -> Article:
    article = article or _article()
    with store.transaction():
        store.save_article(article)
    return article


@pytest.fixture
def store(db_path):
    with Store(db_path) as s:
        _save(s)
        yield s


def _ids(store):
    return [r[0] for r in store.conn.execute('SELECT id FROM statements ORDER BY start')]


def _row(store, statement_id):
    return store.conn.execute("SELECT * FROM statements WHERE id = ?", (statement_id,)).fetchone()


def test_corrections_kind_and_date_are_applied_and_marked(store):
    first = _ids(store)[0]
    C.correct_statement(store, first, "kind", "mixed", note="has a quoted fragment", by="ana")
    C.correct_statement(store, first, "date", "2026-04-05", date_basis="explicit")
    row = _row(store, first)
    assert (row["kind"], row["date"], row["date_basis"]) == ("mixed", "2026-04-05", "explicit")
    assert json.loads(row["corrected"]) == ["date", "kind"]
    log = C.list_corrections(store.conn, first)
    assert [c["field"] for c in log] == ["kind", "date"]
    assert log[0]["old_value"] == {"kind": "indirect"} and log[0]["created_by"] == "ana"
    assert log[0]["note"] == "has a quoted fragment"


def test_corrections_survive_resaving_the_article(store):
    first, second, third = _ids(store)
    C.correct_statement(store, first, "speaker", "Ivo Brandt", speaker_type="person")
    C.correct_statement(store, second, "kind", "mixed")
    C.correct_statement(store, third, "not_statement")
    assert third not in _ids(store)
    _save(store)  # re-ingest / reanalysis writes the same statements again
    assert _ids(store) == [first, second]
    assert _row(store, first)["speaker"] == "Ivo Brandt"
    assert _row(store, first)["actor_id"] is not None
    assert _row(store, second)["kind"] == "mixed"
    assert json.loads(_row(store, first)["corrected"]) == ["speaker"]
    # the FTS index follows the corrected speaker
    hits = store.conn.execute("SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'Brandt'").fetchall()
    assert [h[0] for h in hits] == [_row(store, first)["rowid"]]


def test_corrections_undo_restores_extraction_and_removed_statement(store):
    first, _, third = _ids(store)
    a = C.correct_statement(store, first, "kind", "mixed")
    b = C.correct_statement(store, first, "kind", "direct")
    removed = C.correct_statement(store, third, "not_statement", note="the board's sign, not speech")
    C.undo(store, b["id"])
    assert _row(store, first)["kind"] == "mixed"
    C.undo(store, a["id"])
    assert _row(store, first)["kind"] == "indirect" and _row(store, first)["corrected"] is None
    C.undo(store, removed["id"], by="ana")
    assert third in _ids(store) and _row(store, third)["text"] == "the quay was safe"
    assert C.get_correction(store.conn, removed["id"])["undone_by"] == "ana"
    with pytest.raises(StorylineError):
        C.undo(store, removed["id"])


def test_corrections_speaker_by_actor_and_unknown(store):
    first, second, _ = _ids(store)
    actor_id = _row(store, first)["actor_id"]
    C.correct_statement(store, second, "speaker", None, speaker_type="unknown")
    assert _row(store, second)["speaker"] is None and _row(store, second)["speaker_type"] == "unknown"
    C.correct_statement(store, second, "speaker", actor=str(actor_id))
    assert _row(store, second)["speaker"] == "Edda Quist" and _row(store, second)["actor_id"] == actor_id


def test_corrections_reject_bad_values(store):
    first = _ids(store)[0]
    with pytest.raises(StorylineError):
        C.correct_statement(store, first, "kind", "shouted")
    for bad_date in ("last week", "2026-13", "2026-02-30"):
        with pytest.raises(StorylineError):
            C.correct_statement(store, first, "date", bad_date)
    with pytest.raises(StorylineError):
        C.correct_statement(store, first, "kind", "indirect")  # unchanged
    with pytest.raises(StorylineError):
        C.correct_statement(store, "nope:1-2", "kind", "direct")
    assert C.list_corrections(store.conn) == []


def test_corrections_gold_export_has_guide_fields_and_leaves_out_rejected(store):
    first, second, third = _ids(store)
    C.correct_statement(store, third, "not_statement")
    C.correct_statement(store, first, "speaker", "Ivo Brandt")
    gold = list(C.iter_gold(store.conn))
    assert [g["text"] for g in gold] == ["the ferry would run again by June", "We will not wait for the council"]
    assert tuple(gold[0]) == C.GOLD_FIELDS
    assert gold[0]["doc"] == "lornholm.txt" and gold[0]["speaker"] == "Ivo Brandt"


def test_corrections_actor_merge_logged_and_undone(store):
    C.correct_statement(store, _ids(store)[0], "speaker", "Ivo Brandt")
    merged = C.merge(store, "Edda Quist", "Ivo Brandt", by="ana")
    assert merged["field"] == "merge"
    assert {r[0] for r in store.conn.execute("SELECT speaker FROM statements WHERE speaker_type='person'")} == {"Edda Quist"}
    C.undo(store, merged["id"])
    assert "Ivo Brandt" in {r[0] for r in store.conn.execute("SELECT speaker FROM statements")}


def test_corrections_user_of_token():
    assert C.user_of_token("ana:s3cret") == "ana"
    assert C.user_of_token("s3cret") is None and C.user_of_token(None) is None


# --- command line ---------------------------------------------------------------------------

def _cli(*args):
    from typer.testing import CliRunner

    from storyline.cli.app import app

    return CliRunner().invoke(app, list(args))


def test_corrections_cli_correct_list_undo_and_gold(store, db_path, tmp_path):
    first = _ids(store)[0]
    store.close()
    result = _cli("correct", first, "--db", str(db_path), "--kind", "mixed", "--note", "quoted fragment", "--by", "ana")
    assert result.exit_code == 0, result.output
    listed = _cli("corrections", "list", "--db", str(db_path), "--json")
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [(r["field"], r["new_value"], r["created_by"]) for r in rows] == [("kind", {"kind": "mixed"}, "ana")]
    gold = tmp_path / "gold.jsonl"
    assert _cli("export", "corrections", "--db", str(db_path), "--as-gold", "-o", str(gold)).exit_code == 0
    records = [json.loads(line) for line in gold.read_text().splitlines()]
    assert records[0]["kind"] == "mixed" and len(records) == 3
    exported = _cli("export", "statements", "--db", str(db_path), "--format", "jsonl")
    by_id = {r["id"]: r for r in map(json.loads, exported.output.splitlines())}
    assert by_id[first]["title"] == "Ferry to return" and by_id[first]["corrected"] == ["kind"]
    assert _cli("corrections", "undo", str(rows[0]["id"]), "--db", str(db_path)).exit_code == 0
    statements = _cli("statements", "--db", str(db_path), "--json", "--limit", "0")
    assert {json.loads(line)["kind"] for line in statements.output.splitlines()} == {"indirect", "direct"}


def test_corrections_cli_needs_a_change_and_a_ledger(store, db_path, tmp_path):
    store.close()
    assert _cli("correct", "x:1-2", "--db", str(db_path)).exit_code == 2
    not_a_ledger = tmp_path / "notes.db"
    not_a_ledger.write_text("just some notes, not SQLite")
    import sqlite3

    foreign = tmp_path / "other-program.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    commands = (("statements",), ("articles",), ("corrections", "list"), ("correct", "x:1-2", "--kind", "direct"),
                ("actors", "alias", "Edda Quist", "E. Quist"), ("export", "statements"))
    for bad in (not_a_ledger, foreign, tmp_path):
        for args in commands:
            result = _cli(*args, "--db", str(bad))
            assert result.exit_code == 2 and "[DB_UNUSABLE]" in result.output, (bad, args, result.output)
    with sqlite3.connect(foreign) as conn:  # nothing was written into the other program's file
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["notes"]


def test_cli_statements_table_shows_the_id_and_limit_zero_means_all(store, db_path):
    store.close()
    result = _cli("statements", "--db", str(db_path), "--limit", "0")
    assert result.exit_code == 0 and "3 statement(s)" in result.output
    assert _ids_text(db_path)[0].split(":")[0] in result.output
    assert _cli("articles", "--db", str(db_path), "--limit", "0").exit_code == 0
    orgs = _cli("statements", "--db", str(db_path), "--speaker-type", "organization", "--json")
    assert [json.loads(line)["text"] for line in orgs.output.splitlines()] == ["the quay was safe"]
    assert _cli("statements", "--db", str(db_path), "--speaker-type", "robot").exit_code == 2


def _ids_text(db_path):
    from storyline.ledger.store import connect

    return [r[0] for r in connect(db_path, readonly=True).execute("SELECT id FROM statements ORDER BY start")]


def test_corrections_migration_upgrades_an_existing_ledger(db_path, monkeypatch):
    """A ledger made before the workbench migration keeps its search and gains corrections."""
    from storyline.ledger import actors
    from storyline.ledger import store as store_module
    from storyline.ledger.migrations import MIGRATIONS

    workbench = next(v for v, name, _ in MIGRATIONS if "corrections" in name)
    before = [m for m in MIGRATIONS if m[0] < workbench]  # an old ledger has the migrations before it
    monkeypatch.setattr(store_module, "MIGRATIONS", before)
    # The code of that time clustered statements without the blocking-key table (a later
    # migration); the upgraded ledger keys them on first use.
    with monkeypatch.context() as old_code, Store(db_path) as old:
        old_code.setattr(actors, "cluster_article", lambda conn, article: None)
        _save(old)
        assert old.conn.execute("SELECT 1 FROM sqlite_master WHERE name='corrections'").fetchone() is None
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(db_path) as new:
        hits = new.conn.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'ferry'").fetchone()[0]
        assert hits == 1
        fts_sql = new.conn.execute("SELECT sql FROM sqlite_master WHERE name='statements_fts'").fetchone()[0]
        assert 'content="statements"' in fts_sql  # the spelling Datasette detects
        first = _ids(new)[0]
        C.correct_statement(new, first, "kind", "mixed")
        view = new.conn.execute("SELECT kind, article_title, corrected FROM statements_view WHERE id = ?", (first,)).fetchone()
        assert tuple(view) == ("mixed", "Ferry to return", '["kind"]')


def test_corrections_list_says_when_a_correction_no_longer_applies(store):
    first, second, _ = _ids(store)
    C.correct_statement(store, first, "kind", "mixed")
    C.correct_statement(store, second, "not_statement")
    assert [c["applied"] for c in C.list_corrections(store.conn)] == [True, True]
    article = _article()
    article.statements = article.statements[1:]  # reanalysis no longer finds the first statement
    _save(store, article)
    assert [c["applied"] for c in C.list_corrections(store.conn)] == [False, True]


def test_corrections_survive_storyline_reanalyse(tmp_path):
    """Through the real pipeline: ingest, correct, reanalyse every stage, the corrections hold."""
    from storyline.ingest import ingest
    from storyline.ledger.reanalyse import reanalyse
    from storyline.settings import Options

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "lornholm.txt").write_text(
        "Lornholm, 6 April 2026 – Mayor Edda Quist said on Monday that the ferry would run again by June.\n\n"
        "\u201cWe will not wait for the council,\u201d Quist told reporters at the quay.", encoding="utf-8")
    db = tmp_path / "ledger.db"
    options = Options(db=str(db))
    assert ingest([str(folder)], options).stored == 1
    with Store(db) as store:
        ids = _ids(store)
        assert len(ids) == 2
        C.correct_statement(store, ids[0], "kind", "mixed" if _row(store, ids[0])["kind"] != "mixed" else "direct")
        kind = _row(store, ids[0])["kind"]
        C.correct_statement(store, ids[1], "not_statement")
    report = reanalyse(options, stale_only=False)
    assert report.reanalysed == 1
    with Store(db) as store:
        assert _ids(store) == [ids[0]]
        assert _row(store, ids[0])["kind"] == kind and json.loads(_row(store, ids[0])["corrected"]) == ["kind"]
