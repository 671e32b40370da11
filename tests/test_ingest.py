"""Ingest: idempotent, streamed in committed batches, duplicates stored once, failures as rows."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


from storyline import ingest as ingest_module
from storyline import pipeline, readers
from storyline.ingest import count_inputs, ingest
from storyline.model import RawDocument
from storyline.settings import Options

# Fictional world only (see TEAM.md): names, places and outlets are invented.
PEOPLE = ["Ilse Varga", "Anton Kesh", "Mira Solberg", "Teodor Brask", "Lena Quist", "Oskar Vell",
          "Hanne Dorr", "Piet Alvar", "Runa Keld", "Sander Moy", "Elin Tarr", "Jorik Faal"]
PLACES = ["Port Alder", "Sarn", "Hallen", "Eskby", "Tarn Hollow", "Velmark", "Quayside", "Brisk Harbour"]
NOUNS = ["ceasefire", "harbour", "delegation", "fishermen", "border", "monitors", "talks", "treaty",
         "coastguard", "envoy", "parliament", "ferry", "market", "council", "inquiry", "budget", "bridge"]
VERBS = ["rejected", "welcomed", "postponed", "announced", "questioned", "signed", "opened", "blocked",
         "praised", "delayed", "reviewed", "extended"]
ADJ = ["fragile", "long-awaited", "disputed", "narrow", "provisional", "surprising", "quiet", "costly"]
OUTLETS = ["Veloria Wire", "The Harbour Times", "Northline", "Carrow Valley Courier"]


def sentence(rng: random.Random) -> str:
    person, place = rng.choice(PEOPLE), rng.choice(PLACES)
    forms = [
        f"{person} {rng.choice(VERBS)} the {rng.choice(ADJ)} {rng.choice(NOUNS)} in {place} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}.",
        f"In {place}, {rng.randint(2, 900)} {rng.choice(NOUNS)} officials {rng.choice(VERBS)} a {rng.choice(ADJ)} plan.",
        f"“The {rng.choice(NOUNS)} is {rng.choice(ADJ)},” {person} said, adding that the {rng.choice(NOUNS)} {rng.choice(VERBS)} it.",
        f"Officials in {place} said the {rng.choice(NOUNS)} had been {rng.choice(VERBS)} after {rng.randint(2, 60)} days.",
    ]
    return rng.choice(forms)


def fictional_article(i: int, paragraphs: int = 4) -> str:
    """A distinct fictional news text (seeded by i), a few paragraphs long."""
    rng = random.Random(i)
    title = f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} {rng.choice(NOUNS)} deal in {rng.choice(PLACES)} ({i})"
    body = ["".join(" " + sentence(rng) for _ in range(3)).strip() for _ in range(paragraphs)]
    return title + "\n\n" + "\n\n".join(body) + "\n"


def write_corpus(folder: Path, n: int, start: int = 0, paragraphs: int = 4) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        path = folder / f"article-{i:04d}.txt"
        path.write_text(fictional_article(i, paragraphs), encoding="utf-8")
        paths.append(path)
    return paths


def light_stages() -> list[str]:
    """The stages that need no spaCy model, so these tests stay fast."""
    return [s for s in pipeline.available_stages() if s in ("segment", "metadata", "language")]


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def count(db: Path, table: str) -> int:
    return rows(db, f"SELECT COUNT(*) FROM {table}")[0][0]


def dump(db: Path) -> list[str]:
    """The full content of the ledger, as SQL statements."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run(sources, db: Path, **options):
    return ingest([str(s) for s in sources], Options(db=str(db), **options), stages=light_stages())


# --- storing ------------------------------------------------------------------------------


def test_ingest_stores_every_article_once_with_its_source(tmp_path, db_path):
    paths = write_corpus(tmp_path / "in", 5)
    report = run([tmp_path / "in"], db_path)
    assert (report.read, report.processed, report.stored, report.failed) == (5, 5, 5, 0)
    assert count(db_path, "articles") == 5
    stored_sources = {r[0] for r in rows(db_path, "SELECT source FROM article_sources")}
    assert stored_sources == {str(p) for p in paths}


def test_second_ingest_changes_nothing_in_the_ledger(tmp_path, db_path):
    write_corpus(tmp_path / "in", 6)
    (tmp_path / "in" / "copy.txt").write_text(fictional_article(2), encoding="utf-8")
    first = run([tmp_path / "in"], db_path)
    before = dump(db_path)
    second = run([tmp_path / "in"], db_path)
    assert first.stored == 6 and first.exact_duplicates == 1
    assert (second.stored, second.already_stored, second.exact_duplicates) == (0, 7, 0)
    assert dump(db_path) == before


def test_exact_duplicate_under_two_names_is_stored_once_with_both_sources(tmp_path, db_path):
    text = fictional_article(7)
    a, b = tmp_path / "a.txt", tmp_path / "mirror" / "b.txt"
    b.parent.mkdir()
    a.write_text(text, encoding="utf-8")
    b.write_text(text.replace("\n", "\r\n"), encoding="utf-8")  # same stored text after normalising
    report = run([a, b], db_path)
    assert (report.stored, report.exact_duplicates) == (1, 1)
    assert count(db_path, "articles") == 1
    assert sorted(r[0] for r in rows(db_path, "SELECT source FROM article_sources")) == sorted([str(a), str(b)])


def test_exact_duplicate_across_batches_and_runs_adds_only_the_source(tmp_path, db_path):
    text = fictional_article(8)
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "a.txt").write_text(text, encoding="utf-8")
    run([tmp_path / "one"], db_path, commit_every=1)
    segments_before = count(db_path, "segments")
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "b.txt").write_text(text, encoding="utf-8")
    report = run([tmp_path / "two"], db_path, commit_every=1)
    assert (report.stored, report.exact_duplicates) == (0, 1)
    assert count(db_path, "articles") == 1
    assert count(db_path, "article_sources") == 2
    assert count(db_path, "segments") == segments_before


def test_each_batch_is_committed_while_the_ingest_goes_on(tmp_path, db_path):
    write_corpus(tmp_path / "in", 12)
    seen = []

    def progress(report, source):
        if report.read == 9:
            seen.append(count(db_path, "articles"))  # another connection sees committed rows only

    ingest([str(tmp_path / "in")], Options(db=str(db_path), commit_every=4), progress, stages=light_stages())
    assert seen == [8]
    assert count(db_path, "articles") == 12


def test_progress_reports_articles_analysed_before_their_batch_is_committed(tmp_path, db_path):
    write_corpus(tmp_path / "in", 20)
    seen = []

    def progress(report, source):
        if source.startswith("analysed "):
            seen.append((report.analysed, report.processed))

    ingest([str(tmp_path / "in")], Options(db=str(db_path), commit_every=20), progress, stages=light_stages())
    # one batch of 20, analysed in chunks: the count moves while nothing is committed yet
    assert [a for a, _ in seen] == [8, 16, 20]
    assert all(processed == 0 for _, processed in seen)


def test_plain_progress_prints_a_line_at_most_every_few_seconds(capsys):
    from storyline.cli.articles import _plain_progress
    from storyline.ingest import IngestReport

    now = [0.0]
    progress = _plain_progress(every=5.0, clock=lambda: now[0])
    report = IngestReport()
    for second in range(0, 16):
        now[0] = float(second)
        report.processed = second
        progress(report, "x")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3  # at 5, 10 and 15 seconds
    assert lines[0].startswith("ingest: 5 inputs done") and "1.0 inputs/s" in lines[0]


# --- failures -------------------------------------------------------------------------------


def test_failing_input_is_an_error_row_and_the_others_are_stored(tmp_path, db_path):
    write_corpus(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_text("  \n", encoding="utf-8")
    report = run([tmp_path / "in", tmp_path / "missing.txt"], db_path)
    assert report.stored == 3 and report.failed == 2
    assert {f.code for f in report.errors} == {"EMPTY", "NOT_FOUND"}
    errors = rows(db_path, "SELECT source, code, attempts FROM errors ORDER BY code")
    assert errors == [(str(tmp_path / "in" / "empty.txt"), "EMPTY", 1), (str(tmp_path / "missing.txt"), "NOT_FOUND", 1)]
    again = run([tmp_path / "in", tmp_path / "missing.txt"], db_path)
    assert again.failed == 2
    assert rows(db_path, "SELECT code, attempts FROM errors ORDER BY code") == [("EMPTY", 2), ("NOT_FOUND", 2)]
    assert count(db_path, "articles") == 3


def test_fixing_a_failed_input_clears_its_error(tmp_path, db_path):
    bad = tmp_path / "later.txt"
    bad.write_text("", encoding="utf-8")
    run([bad], db_path)
    assert rows(db_path, "SELECT code FROM errors") == [("EMPTY",)]
    bad.write_text(fictional_article(3), encoding="utf-8")
    report = run([bad], db_path)
    assert (report.stored, report.failed) == (1, 0)
    assert count(db_path, "errors") == 0


def test_a_stage_that_breaks_on_one_article_fails_only_that_article(tmp_path, db_path):
    def explodes(articles, ctx):
        for article in articles:
            if "KABOOM" in article.text:
                raise ValueError("cannot handle this one")

    write_corpus(tmp_path / "in", 4)
    (tmp_path / "in" / "zz-bad.txt").write_text(fictional_article(99) + "KABOOM\n", encoding="utf-8")
    pipeline.stage("explodes_on_marker")(explodes)
    try:
        report = ingest([str(tmp_path / "in")], Options(db=str(db_path)),
                        stages=light_stages() + ["explodes_on_marker"])
    finally:
        pipeline.REGISTRY.pop("explodes_on_marker")
    assert (report.stored, report.failed) == (4, 1)
    assert rows(db_path, "SELECT source, code FROM errors") == [(str(tmp_path / "in" / "zz-bad.txt"), "ANALYSIS_FAILED")]
    assert "cannot handle this one" in report.errors[0].message


# --- report ---------------------------------------------------------------------------------


def test_report_counts_outlets_dates_and_languages(tmp_path, db_path, monkeypatch):
    docs = [
        RawDocument(source="feed#1", doc="one", text=fictional_article(1), outlet="Northline", published="2026-03-03"),
        RawDocument(source="feed#2", doc="two", text=fictional_article(2), outlet="Northline",
                    published="2026-03-05T10:00:00+01:00"),
        RawDocument(source="feed#3", doc="three", text=fictional_article(3), outlet="Veloria Wire", published="2026-02-20"),
        RawDocument(source="feed#4", doc="four", text=fictional_article(4)),
    ]
    monkeypatch.setattr(readers, "iter_inputs", lambda sources, options, skipped=None: iter(docs))
    report = run(["feed"], db_path)
    assert report.outlets == {"Northline": 2, "Veloria Wire": 1, "(unknown outlet)": 1}
    assert (report.first_published, report.last_published) == ("2026-02-20", "2026-03-05")
    again = run(["feed"], db_path)  # already stored articles still count for this run's outlets
    assert again.outlets == report.outlets and again.already_stored == 4


def test_count_inputs_counts_files_jsonl_records_and_feed_entries(tmp_path):
    write_corpus(tmp_path / "in", 3)
    (tmp_path / "in" / "records.jsonl").write_text('{"text": "a"}\n\n{"text": "b"}\n', encoding="utf-8")
    (tmp_path / "in" / "feed.xml").write_text("<rss><channel><item>a</item><item>b</item><item>c</item></channel></rss>")
    (tmp_path / "in" / "notes.jpg").write_text("not an input")  # .md would be one (issue 15)
    (tmp_path / "in" / "skip.txt").write_text("excluded")
    options = Options(exclude=("skip.txt",))
    assert count_inputs([str(tmp_path / "in")], options) == 3 + 2 + 3
    assert count_inputs(["https://example.org/a"], options) is None


# --- resumability -----------------------------------------------------------------------------


def test_killed_ingest_leaves_whole_articles_and_a_rerun_finishes(tmp_path):
    """kill -9 mid-ingest: the ledger is intact, no article is half-written, re-running completes it."""
    n = 200
    corpus = tmp_path / "corpus"
    write_corpus(corpus, n, paragraphs=5)
    db = tmp_path / "killed.db"
    cmd = [sys.executable, "-c", "from storyline.cli.app import main; main()", "ingest", str(corpus), "--db", str(db), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                stored = count(db, "articles")
            except sqlite3.OperationalError:
                stored = 0  # schema not created yet
            if stored >= Options().commit_every:
                break
        time.sleep(0.02)
    assert proc.poll() is None, f"ingest finished before it could be killed: {proc.stderr.read().decode()[-2000:]}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    stored = count(db, "articles")
    assert 0 < stored < n
    half_written = rows(db, """SELECT id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.article_id = a.id)
                                OR NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id)
                                OR NOT EXISTS (SELECT 1 FROM minhashes m WHERE m.article_id = a.id)""")
    assert half_written == []

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert count(db, "articles") == n
    assert rows(db, "SELECT COUNT(DISTINCT source), COUNT(*) FROM article_sources") == [(n, n)]
    assert rows(db, "SELECT COUNT(*) FROM errors") == [(0,)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_ingest_module_keeps_memory_bounded_by_batches(tmp_path, db_path, monkeypatch):
    """Readers are consumed lazily: no more than one batch is held before it is written."""
    consumed = []

    def lazy(sources, options, skipped=None):
        for i in range(30):
            consumed.append(i)
            yield RawDocument(source=f"gen#{i}", doc=f"gen{i}", text=fictional_article(100 + i))

    held = []
    original = ingest_module._Run.seal

    def spy(self):
        held.append((len(consumed), len(self.batch)))
        original(self)

    monkeypatch.setattr(readers, "iter_inputs", lazy)
    monkeypatch.setattr(ingest_module._Run, "seal", spy)
    run(["gen"], db_path, commit_every=10)
    assert held == [(10, 10), (20, 10), (30, 10), (30, 0)]
