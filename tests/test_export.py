"""`storyline export articles`: every row out, in each format, streamed from a cursor."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.cli.articles import export_articles, iter_export_rows
from storyline.ledger.store import Store

from test_ingest import fictional_article, rows, run, write_corpus

runner = CliRunner()


@pytest.fixture
def ledger(tmp_path, db_path):
    """Six articles, one of them arriving under two names, one with quotes and commas in its text."""
    write_corpus(tmp_path / "in", 5)
    (tmp_path / "in" / "tricky.txt").write_text(
        'He said, "no deal" — twice,\nthen left.\n\n' + fictional_article(50), encoding="utf-8")
    (tmp_path / "in" / "zz-copy.txt").write_text(fictional_article(1), encoding="utf-8")
    run([tmp_path / "in"], db_path)
    return db_path


def stored_ids(db) -> set[str]:
    return {r[0] for r in rows(db, "SELECT id FROM articles")}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_round_trips_every_article(tmp_path, ledger, fmt):
    out = tmp_path / f"articles.{fmt}"
    result = runner.invoke(app, ["export", "articles", "--format", fmt, "-o", str(out), "--db", str(ledger)])
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    elif fmt == "csv":
        with open(out, newline="", encoding="utf-8") as fh:
            got = list(csv.DictReader(fh))
    else:
        import pyarrow.parquet as pq

        got = pq.read_table(out).to_pylist()
    assert len(got) == 6
    assert {g["id"] for g in got} == stored_ids(ledger)
    texts = dict(rows(ledger, "SELECT id, text FROM articles"))
    assert all(g["text"] == texts[g["id"]] for g in got)
    sources = {g["id"]: g["sources"] for g in got}
    doubled = [s if isinstance(s, list) else json.loads(s) for s in sources.values()]
    assert sorted(len(s) for s in doubled) == [1, 1, 1, 1, 1, 2]


def test_export_jsonl_goes_to_stdout_without_output_file(ledger):
    result = runner.invoke(app, ["export", "articles", "--db", str(ledger)])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 6


def test_export_parquet_needs_an_output_file(ledger):
    result = runner.invoke(app, ["export", "articles", "--format", "parquet", "--db", str(ledger)])
    assert result.exit_code == 2 and "[BAD_OPTION]" in result.stderr


def test_export_rejects_an_unknown_format(ledger):
    result = runner.invoke(app, ["export", "articles", "--format", "xlsx", "--db", str(ledger)])
    assert result.exit_code == 2 and "jsonl, csv, parquet" in " ".join(result.stderr.split())


def test_export_rows_are_streamed_one_at_a_time(ledger):
    with Store(ledger, readonly=True) as store:
        stream = iter_export_rows(store)
        first = next(stream)
        assert first["id"] in stored_ids(ledger)
        buffer = io.StringIO()
        assert export_articles(store, "csv", out=buffer) == 6


def test_parquet_keeps_types_when_early_rows_are_empty(tmp_path, ledger):
    import pyarrow.parquet as pq

    from storyline.ledger import export
    from storyline.cli.articles import _parquet_schema

    with Store(ledger, readonly=True) as store:
        rows_ = list(iter_export_rows(store))
    rows_[-1]["updated"] = "2026-03-05"  # only the last row has a value, in a later batch
    out = tmp_path / "late.parquet"
    export.write_parquet(rows_, str(out), batch_rows=2, schema=_parquet_schema())
    table = pq.read_table(out)
    assert table.num_rows == 6 and table.column("updated").to_pylist()[-1] == "2026-03-05"


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_an_export_that_dies_midway_leaves_the_previous_file_whole(tmp_path, fmt):
    from storyline.ledger import export

    out = tmp_path / f"out.{fmt}"
    export.write_parquet([{"n": 1}], str(out)) if fmt == "parquet" else out.write_text('{"n": 1}\n')
    before = out.read_bytes()

    def rows():
        for i in range(20_000):
            if i == 12_000:
                raise KeyboardInterrupt  # killed half-way
            yield {"n": i, "text": "harbour talks " * 5}

    with pytest.raises(KeyboardInterrupt):
        if fmt == "parquet":
            export.write_parquet(rows(), str(out), batch_rows=1000)
        else:
            with export.atomic_text(out) as fh:
                export.write_jsonl(rows(), fh)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_a_finished_export_replaces_the_file(tmp_path):
    from storyline.ledger import export

    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    with export.atomic_text(out) as fh:
        export.write_jsonl([{"n": 1}, {"n": 2}], fh)
    assert out.read_text().splitlines() == ['{"n": 1}', '{"n": 2}']
