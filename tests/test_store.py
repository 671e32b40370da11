from __future__ import annotations

import sqlite3

import pytest

from storyline.errors import SetupError
from storyline.ledger.migrations import MIGRATIONS
from storyline.model import Article, RawDocument, Segment, Statement
from storyline.ledger.store import Store, connect, migrate, schema_version


def make_article(text: str = "Minister Ilse Varga said the talks would resume.", source: str = "a.txt") -> Article:
    article = Article.from_raw(RawDocument(source=source, doc=source, text=text))
    article.segments = [Segment(0, len(article.text))]
    article.statements = [Statement(start=25, end=len(text) - 1, text=text[25:-1], kind="indirect", extractor="t")]
    return article


def test_store_applies_every_migration_once_and_records_version(db_path):
    with Store(db_path) as store:
        assert schema_version(store.conn) == max(v for v, _, _ in MIGRATIONS)
    with Store(db_path) as store:  # reopening applies nothing twice
        rows = store.conn.execute("SELECT version FROM schema_migrations").fetchall()
        assert [r[0] for r in rows] == sorted(v for v, _, _ in MIGRATIONS)


def test_store_uses_wal_journal(db_path):
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_refuses_a_database_from_a_newer_storyline(db_path):
    with Store(db_path) as store:
        store.conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    with pytest.raises(SetupError) as info:
        Store(db_path)
    assert info.value.code == "SCHEMA_NEWER"


def test_saving_an_article_twice_keeps_one_copy_and_every_source(db_path):
    article = make_article()
    with Store(db_path) as store:
        with store.transaction():
            store.save_article(article)
            store.add_source(article.id, "mirror/a.txt", "a.txt")
        with store.transaction():
            store.save_article(article)
        count = lambda table: store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
        assert (count("articles"), count("segments"), count("statements")) == (1, 1, 1)
        sources = {r[0] for r in store.conn.execute("SELECT source FROM article_sources")}
        assert sources == {"a.txt", "mirror/a.txt"}


def test_full_text_search_finds_article_and_statement_words(db_path):
    with Store(db_path) as store:
        with store.transaction():
            store.save_article(make_article())
        hits = store.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'varga'").fetchall()
        quotes = store.conn.execute(
            "SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'resume'"
        ).fetchall()
        assert len(hits) == 1 and len(quotes) == 1


def test_failed_transaction_leaves_nothing_behind(db_path):
    article = make_article()
    with Store(db_path) as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.save_article(article)
                raise RuntimeError("killed mid-way")
        assert store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
        assert store.conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0] == 0


def test_error_rows_are_one_per_source_and_code_with_attempts(db_path):
    with Store(db_path) as store:
        store.record_error("bad.bin", "BINARY", "looks binary")
        store.record_error("bad.bin", "BINARY", "looks binary")
        rows = store.conn.execute("SELECT source, attempts FROM errors").fetchall()
        assert [tuple(r) for r in rows] == [("bad.bin", 2)]
        store.clear_errors("bad.bin")
        assert store.conn.execute("SELECT COUNT(*) FROM errors").fetchone()[0] == 0


def test_readonly_store_cannot_write(db_path):
    Store(db_path).close()
    with Store(db_path, readonly=True) as store:
        with pytest.raises(sqlite3.OperationalError):
            store.conn.execute("DELETE FROM articles")


def test_readonly_store_on_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(SetupError) as info:
        Store(tmp_path / "missing.db", readonly=True)
    assert info.value.code == "NO_DB" and "storyline ingest" in info.value.message


def test_migrate_rolls_back_a_failing_migration(tmp_path, monkeypatch):
    conn = connect(tmp_path / "m.db")
    migrate(conn)
    before = schema_version(conn)
    monkeypatch.setattr("storyline.ledger.store.MIGRATIONS", MIGRATIONS + [(before + 1, "broken", "CREATE TABLE x(a);\nNOT SQL;")])
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert schema_version(conn) == before
    assert conn.execute("SELECT name FROM sqlite_master WHERE name='x'").fetchone() is None


def test_migrate_skips_versions_another_process_applied_after_it_looked(tmp_path, monkeypatch):
    """Two processes opening a new ledger at once: the second read the version before the
    first applied the migrations, and must not apply them again ("table already exists")."""
    from storyline.ledger import store as store_module

    db = tmp_path / "race.db"
    Store(db).close()  # the first process migrated everything
    conn = store_module.connect(db)
    real = store_module.schema_version
    calls = []

    def stale_then_real(c):
        calls.append(1)
        return 0 if len(calls) == 1 else real(c)  # what the second process saw before the first wrote

    monkeypatch.setattr(store_module, "schema_version", stale_then_real)
    assert store_module.migrate(conn, str(db)) == max(v for v, _, _ in store_module.MIGRATIONS)
    conn.close()
