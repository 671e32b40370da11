"""Ingest with worker processes: the same ledger whatever the number of workers or the
batch size, and however the inputs were split into runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger_compare import differences, dump
from storyline.ingest import ingest
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
