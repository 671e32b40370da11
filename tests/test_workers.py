"""Ingest with worker processes: the same ledger whatever the number of workers or the
batch size, and however the inputs were split into runs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ledger_compare import differences, dump
from storyline import components
from storyline.ingest import ingest, runnable_stages
from storyline.pipeline import stage_versions
from storyline.settings import Options

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _ingest(sources, db, **options):
    return ingest([str(s) for s in sources], Options(db=str(db), outlets_file=str(EXAMPLES / "outlets.yaml"),
                                                     **options))


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    db = tmp_path_factory.mktemp("w1") / "ledger.db"
    report = _ingest([EXAMPLES], db, workers=1, commit_every=4)
    assert report.stored > 10 and not report.interrupted
    return db, dump(db)


def test_two_workers_write_the_same_rows_as_one(tmp_path, one_worker):
    db = tmp_path / "ledger.db"
    report = _ingest([EXAMPLES], db, workers=2, commit_every=4)
    assert report.stored > 10
    assert differences(one_worker[1], dump(db)) == []
    # the workers record the version of every stage they ran (storyline reanalyse --stale)
    conn = sqlite3.connect(db)
    versions = [json.loads(r[0]) for r in conn.execute("SELECT stage_versions FROM articles WHERE language = 'en'")]
    conn.close()
    expected = stage_versions(runnable_stages(), Options())
    assert versions and all(v == expected for v in versions)


def test_a_component_registered_at_run_time_reaches_the_workers(tmp_path, one_worker, monkeypatch):
    from storyline.stages.statements.extract import extract

    monkeypatch.setitem(components.REGISTRY["statement_extractor"], "statements.copy.v1", extract)
    db = tmp_path / "ledger.db"
    report = _ingest([EXAMPLES], db, workers=2, commit_every=4, statement_extractor="statements.copy.v1")
    assert report.stored > 10 and not report.failed
    conn = sqlite3.connect(db)
    assert {r[0] for r in conn.execute("SELECT extractor FROM statements")} == {"statements.copy.v1"}
    assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == len(one_worker[1]["statements"])
    conn.close()


def test_the_batch_size_does_not_change_what_is_extracted(tmp_path, one_worker):
    db = tmp_path / "ledger.db"
    _ingest([EXAMPLES], db, workers=1, commit_every=50)
    assert differences(one_worker[1], dump(db)) == []


def test_a_split_ingest_gives_the_same_ledger_as_one_run(tmp_path, one_worker):
    from storyline.readers import walk_directory

    files = walk_directory(EXAMPLES, Options())
    db = tmp_path / "ledger.db"
    first = _ingest(files[: len(files) // 2], db, workers=1, commit_every=4)
    second = _ingest([EXAMPLES], db, workers=2, commit_every=4)
    assert first.stored and second.stored and second.already_stored
    assert differences(one_worker[1], dump(db)) == []


def test_ctrl_c_with_workers_keeps_what_was_committed_and_a_rerun_finishes(tmp_path):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    from test_ingest import write_corpus

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 120, paragraphs=4)
    db = tmp_path / "ledger.db"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    cmd = [sys.executable, "-c", "from storyline.cli.app import main; main()", "ingest", str(corpus), "--db", str(db),
           "--quiet", "--workers", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)

    def stored() -> int:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            try:
                return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            return 0

    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None and stored() < 50:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()[-2000:]
    assert 0 < stored() < 120
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert stored() == 120


def test_reanalysing_every_stage_rewrites_the_rows_the_ingest_wrote(tmp_path, one_worker):
    """reanalyse analyses as ingest does (each article alone, without the ledger)."""
    import shutil

    from storyline.ledger.reanalyse import reanalyse

    db = tmp_path / "ledger.db"
    shutil.copy(one_worker[0], db)
    sql = ("SELECT id, text, kind, speaker, speaker_type, actor_id, speaker_role, date, confidence FROM statements",
           "SELECT id, event_type, actors, recipients, date, negated FROM events")

    def rows():
        conn = sqlite3.connect(db)
        try:
            return [sorted(conn.execute(q)) for q in sql]
        finally:
            conn.close()

    before = rows()
    report = reanalyse(Options(db=str(db), outlets_file=str(EXAMPLES / "outlets.yaml")))
    assert report.reanalysed > 10 and not report.failed
    assert rows() == before
