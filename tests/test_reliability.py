"""Issue 15: the same ledger whatever the order, split, interruption or concurrency of
ingests, and inputs of every odd kind stored or recorded as an error row.

The long versions (more kills, more fuzz inputs) run with `make reliability`."""

from __future__ import annotations

from storyline.ingest import ingest
from storyline.ledger.store import Store
from storyline.settings import Options


def _article(title: str, quote: str) -> str:
    return f"{title}\n\n{quote}\n\nThe talks in Port Alder continue on Friday, officials in Sarn said.\n"


def test_a_long_lived_writer_sees_actors_another_writer_added(tmp_path):
    """The actor look-ups of an open store are rebuilt when another connection wrote."""
    db = tmp_path / "ledger.db"
    (tmp_path / "a.txt").write_text(_article("Ferry deal", "“The ferry will run,” Ilse Varga said on Monday."))
    (tmp_path / "b.txt").write_text(_article("Harbour plan", "“The harbour stays open,” Anton Kesh said on Tuesday."))
    (tmp_path / "c.txt").write_text(_article("Bridge vote", "“The bridge is costly,” Kesh said on Friday."))
    options = Options(db=str(db))
    with Store(db) as first, Store(db) as second:
        ingest([str(tmp_path / "a.txt")], options, store=first)  # builds first's in-memory index
        ingest([str(tmp_path / "b.txt")], options, store=second)
        ingest([str(tmp_path / "c.txt")], options, store=first)
        names = sorted(r[0] for r in first.conn.execute("SELECT name FROM actors WHERE merged_into IS NULL"))
        speakers = [r[0] for r in first.conn.execute(
            "SELECT s.speaker FROM statements s JOIN articles a ON a.id = s.article_id WHERE a.doc='c.txt'")]
    assert "Kesh" not in names, names
    assert "Anton Kesh" in speakers and "Kesh" not in speakers


def test_a_segment_over_a_million_characters_is_stored_and_flagged(tmp_path):
    import json

    head = "Harbour talks resume\n\n“The ferry will run,” Ilse Varga said on Monday.\n\n"
    (tmp_path / "long.txt").write_text(head + "word " * 220_000 + "\n", encoding="utf-8")
    db = tmp_path / "ledger.db"
    report = ingest([str(tmp_path / "long.txt")], Options(db=str(db)))
    assert report.stored == 1 and report.failed == 0, report.errors
    with Store(db) as store:
        meta = json.loads(store.conn.execute("SELECT meta FROM articles").fetchone()[0])
        speakers = [r[0] for r in store.conn.execute("SELECT speaker FROM statements")]
    assert [s["code"] for s in meta["segments_not_analysed"]] == ["SEGMENT_TOO_LONG"]
    assert "Ilse Varga" in speakers  # the other segments were analysed


# --- kill -9 at random points, and concurrent ingests: the same ledger as one clean run ---------

import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from ledger_compare import differences, dump  # noqa: E402
from test_ingest import write_corpus  # noqa: E402

KILLS = int(os.environ.get("STORYLINE_RELIABILITY_KILLS", "3"))  # `make reliability` runs 12
ARTICLES = max(40, 6 * KILLS)  # each kill lands 1-5 articles after the last one
SRC = str(Path(__file__).resolve().parents[1] / "src")
RUNNER = ("import sys; from storyline.ingest import ingest; from storyline.settings import Options; "
          "r = ingest([sys.argv[1]], Options(db=sys.argv[2], workers=int(sys.argv[3]), commit_every=4)); "
          "sys.exit(0 if r.ok and not r.interrupted else 1)")


def _command(corpus: Path, db: Path, workers: int = 2) -> list[str]:
    return [sys.executable, "-c", RUNNER, str(corpus), str(db), str(workers)]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _children(pid: int) -> list[int]:
    try:
        found = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found.extend(int(x) for x in fh.read().split())
        return found
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.fixture(scope="module")
def kill_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kills")
    corpus = folder / "corpus"
    write_corpus(corpus, ARTICLES, paragraphs=4)
    reference = folder / "reference.db"
    done = subprocess.run(_command(corpus, reference), env=_env(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return corpus, dump(reference)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find worker processes")
def test_kill_9_at_random_points_leaves_the_ledger_of_a_clean_run(tmp_path, kill_corpus):
    corpus, reference = kill_corpus
    rng = random.Random(15)
    db = tmp_path / "killed.db"
    kills = runs = finished = 0
    orphans: list[int] = []
    while True:
        runs += 1
        assert runs <= KILLS * 3 + 5, "the ingest never finished"
        proc = subprocess.Popen(_command(corpus, db), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        target = _stored(db) + rng.randint(1, 5)
        killed = False
        while proc.poll() is None:
            if kills < KILLS and _stored(db) >= target:
                time.sleep(rng.random() * 0.3)  # somewhere inside the next batch
                workers = _children(proc.pid)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
                killed = True
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline and any(_alive(p) for p in workers):
                    time.sleep(0.1)
                orphans.extend(p for p in workers if _alive(p))
                break
            time.sleep(0.02)
        if not killed:
            assert proc.returncode == 0, proc.stderr.read().decode()[-3000:]
            assert differences(reference, dump(db)) == []
            finished += 1
            if kills >= KILLS:
                break
            for suffix in ("", "-wal", "-shm"):  # more kills to go: again, on a fresh ledger
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            continue
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    assert kills == KILLS and finished >= 1
    assert orphans == [], "worker processes outlived the killed ingest"
    print(f"kill -9: {kills} kills over {runs} runs, {finished} finished ledger(s) identical to a clean run")


def test_two_concurrent_ingests_of_the_same_inputs_give_the_ledger_of_one(tmp_path, kill_corpus):
    corpus, reference = kill_corpus
    db = tmp_path / "both.db"
    procs = [subprocess.Popen(_command(corpus, db, workers), env=_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for workers in (2, 1)]
    for proc in procs:
        proc.wait(timeout=900)
        assert proc.returncode == 0, proc.stderr.read().decode()[-3000:]
    assert differences(reference, dump(db)) == []
