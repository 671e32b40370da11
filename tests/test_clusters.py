"""Statement clusters: candidates by (actor, word) blocking keys give what the full-text
query gave, at a cost bounded by the actor, and a full recompute stays available."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from storyline.ingest import ingest
from storyline.ledger import clusters
from storyline.ledger.store import Store
from storyline.model import Statement
from storyline.settings import Options

from test_ingest import write_corpus

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _fts_candidates(conn, s, article_id):
    """The look-up clustering used before the blocking keys (full-text, all statements)."""
    words = sorted({w for w in re.findall(r"\w+", s.text.casefold()) if len(w) > 3}, key=lambda w: (-len(w), w))[:6]
    query = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
    return conn.execute(
        "SELECT s.id FROM statements_fts f JOIN statements s ON s.rowid = f.rowid "
        "WHERE statements_fts MATCH ? AND s.actor_id = ? AND s.article_id != ?",
        ("text: (" + query + ")", s.actor_id, article_id)).fetchall()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clusters")
    write_corpus(folder / "in", 30, paragraphs=4)
    db = folder / "ledger.db"
    ingest([str(EXAMPLES), str(folder / "in")], Options(db=str(db), outlets_file=str(EXAMPLES / "outlets.yaml")))
    return db


def test_blocking_keys_find_the_candidates_the_full_text_query_found(ledger):
    conn = sqlite3.connect(ledger)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT id, article_id, actor_id, text FROM statements WHERE actor_id IS NOT NULL").fetchall()
    assert len(rows) > 50
    compared = 0
    for r in rows:
        s = Statement(start=0, end=0, text=r["text"], kind="direct", actor_id=r["actor_id"])
        new = {c["id"] for c in clusters._cluster_candidates(conn, s, r["article_id"])}
        old = {c["id"] for c in _fts_candidates(conn, s, r["article_id"])}
        assert new == old, r["text"]
        compared += bool(old)
    assert compared > 20  # statements that have candidates at all
    clustered = conn.execute("SELECT COUNT(*) FROM statements WHERE cluster_id IS NOT NULL").fetchone()[0]
    assert clustered > 0


def test_a_full_recompute_gives_the_clusters_ingest_built(ledger, tmp_path):
    copy = tmp_path / "copy.db"
    src = sqlite3.connect(ledger)
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.close()
    before = dict(sqlite3.connect(copy).execute("SELECT id, cluster_id FROM statements").fetchall())
    with Store(copy) as store, store.transaction() as conn:
        assert clusters.recluster_all(conn) > 0
    after = dict(sqlite3.connect(copy).execute("SELECT id, cluster_id FROM statements").fetchall())
    assert after == before


def test_statements_stored_before_the_keys_existed_are_keyed_on_first_use(ledger, tmp_path):
    copy = tmp_path / "old.db"
    src, dst = sqlite3.connect(ledger), sqlite3.connect(copy)
    src.backup(dst)
    dst.execute("DELETE FROM statement_words")
    dst.execute("UPDATE statement_words_state SET backfilled=0")
    dst.commit()
    src.close()
    dst.close()
    with Store(copy) as store, store.transaction() as conn:
        clusters._ensure_keys(conn)
        keyed = conn.execute("SELECT COUNT(DISTINCT statement_id) FROM statement_words").fetchone()[0]
        expected = conn.execute("SELECT COUNT(*) FROM statements WHERE actor_id IS NOT NULL").fetchone()[0]
    assert keyed == expected > 0
