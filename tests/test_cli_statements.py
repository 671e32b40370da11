"""`storyline statements`, `export statements`, `eval statements` and `actors …` commands."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.model import Article, Mention, RawDocument, Statement
from storyline.ledger.queries import find_statements, fts_query
from storyline.ledger.store import Store

runner = CliRunner()


def _article(text, doc, published, outlet, said, url=None):
    a = Article.from_raw(RawDocument(source=doc, doc=doc, text=text, published=published, outlet=outlet, url=url))
    for content, speaker, type_, kind, via in said:
        start = a.text.index(content)
        m = a.text.index(speaker) if speaker in a.text else 0
        n = m + len(speaker) if speaker in a.text else 7
        a.statements.append(Statement(start, start + len(content), content, kind, speaker=speaker, speaker_type=type_,
                                      speaker_mention=Mention(m, n, a.text[m:n]), cue="say", via=via,
                                      date=published, date_basis="published", extractor="test"))
    return a


@pytest.fixture
def ledger(db_path):
    articles = [
        _article("Velorian Foreign Minister Ilse Varga said the talks had stalled. Sources said a deal was close.",
                 "wire.txt", "2026-03-03", "Veloria Wire",
                 [("the talks had stalled", "Ilse Varga", "person", "indirect", []),
                  ("a deal was close", "anonymous", "anonymous", "indirect", [])]),
        _article("Varga told the Ostmark Herald that “the harbour formula is fragile.”", "times.txt", "2026-04-13",
                 "Harbour Times", [("the harbour formula is fragile.", "Varga", "person", "direct", ["Ostmark Herald"])],
                 url="https://example.org/times/1"),
        _article("Anton Kesh said the crew must come home.", "lantern.txt", "2026-05-01", "Daily Lantern",
                 [("the crew must come home", "Anton Kesh", "person", "indirect", [])]),
    ]
    with Store(db_path) as store:
        for a in articles:
            with store.transaction():
                store.save_article(a)
    return str(db_path)


def test_find_statements_speaker_filter_is_alias_aware(ledger):
    from storyline.ledger.store import connect

    rows = list(find_statements(connect(ledger), speaker="varga"))
    assert [r["text"] for r in rows] == ["the talks had stalled", "the harbour formula is fragile."]
    assert {r["speaker"] for r in rows} == {"Ilse Varga"}


def test_find_statements_filters_combine(ledger):
    from storyline.ledger.store import connect

    conn = connect(ledger)
    assert [r["text"] for r in find_statements(conn, since="2026-04-01", until="2026-04-30")] == \
        ["the harbour formula is fragile."]
    assert [r["text"] for r in find_statements(conn, outlet="daily lantern")] == ["the crew must come home"]
    assert [r["text"] for r in find_statements(conn, search="harbour fragile")] == ["the harbour formula is fragile."]
    assert [r["kind"] for r in find_statements(conn, kind="direct")] == ["direct"]
    assert len(list(find_statements(conn, limit=2))) == 2


def test_fts_query_quotes_user_text():
    assert fts_query('AND "x') == '"AND" """x"'


def test_search_with_fts_syntax_characters_does_not_fail(ledger):
    result = runner.invoke(app, ["statements", "--db", ledger, "--search", 'formula" OR (', "--json"])
    assert result.exit_code == 0


def test_statements_command_lists_and_prints_json(ledger):
    result = runner.invoke(app, ["statements", "--db", ledger, "--speaker", "Ilse Varga", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["speaker"] for r in rows] == ["Ilse Varga", "Ilse Varga"]
    table = runner.invoke(app, ["statements", "--db", ledger], env={"COLUMNS": "250"})
    assert "the crew must come home" in table.output and "4 statement(s)" in table.output


def test_statements_bad_kind_is_a_clear_error(ledger):
    result = runner.invoke(app, ["statements", "--db", ledger, "--kind", "shouted"])
    assert result.exit_code == 2 and "[BAD_OPTION]" in result.output


def test_statements_missing_ledger_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["statements", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "[NO_DB]" in result.output


def test_export_statements_jsonl_has_offsets_and_provenance(ledger, tmp_path):
    out = tmp_path / "s.jsonl"
    result = runner.invoke(app, ["export", "statements", "--db", ledger, "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4
    for key in ("article_id", "doc", "start", "end", "text", "kind", "speaker", "speaker_type", "speaker_mention",
                "speaker_role", "cue", "channel", "via", "hedged", "date", "date_basis", "confidence", "extractor"):
        assert key in rows[0]
    herald = next(r for r in rows if r["via"])
    assert herald["doc"] == "https://example.org/times/1" and herald["via"] == ["Ostmark Herald"]
    assert set(herald["speaker_mention"]) == {"start", "end", "text"}


def test_export_statements_csv_to_stdout(ledger):
    result = runner.invoke(app, ["export", "statements", "--db", ledger, "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 4 and json.loads(rows[1]["via"]) in ([], ["Ostmark Herald"])


def test_export_statements_bad_format_is_a_clear_error(ledger):
    result = runner.invoke(app, ["export", "statements", "--db", ledger, "--format", "xml"])
    assert result.exit_code == 2 and "[BAD_OPTION]" in result.output


def test_actors_commands_list_show_alias_merge_split_import(ledger, tmp_path):
    listed = runner.invoke(app, ["actors", "list", "--db", ledger, "--json"])
    assert listed.exit_code == 0
    names = {a["name"]: a for a in json.loads(listed.output)}
    assert names["Ilse Varga"]["statements"] == 2 and "Varga" in names["Ilse Varga"]["aliases"]
    shown = runner.invoke(app, ["actors", "show", "Varga", "--db", ledger])
    assert "Ilse Varga" in shown.output and "statements: 2" in shown.output
    assert runner.invoke(app, ["actors", "alias", "Anton Kesh", "A. Kesh", "--db", ledger]).exit_code == 0
    assert runner.invoke(app, ["actors", "merge", "Ilse Varga", "Anton Kesh", "--db", ledger]).exit_code == 0
    merged = json.loads(runner.invoke(app, ["actors", "show", "Ilse Varga", "--db", ledger, "--json"]).output)
    assert merged["statements"] == 3
    split = runner.invoke(app, ["actors", "split", "Ilse Varga", "Anton Kesh", "--db", ledger])
    assert split.exit_code == 0, split.output
    assert json.loads(runner.invoke(app, ["actors", "show", "Anton Kesh", "--db", ledger, "--json"]).output)["statements"] == 1
    path = tmp_path / "actors.yaml"
    path.write_text("- canonical: Ilse Varga-Holm\n  aliases: [Ilse Varga, Varga]\n", encoding="utf-8")
    assert runner.invoke(app, ["actors", "import", str(path), "--db", ledger]).exit_code == 0
    rows = [json.loads(line) for line in runner.invoke(app, ["statements", "--db", ledger, "--speaker", "Varga",
                                                            "--json"]).output.splitlines()]
    assert {r["speaker"] for r in rows} == {"Ilse Varga-Holm"}


def test_actors_show_unknown_is_a_clear_error(ledger):
    result = runner.invoke(app, ["actors", "show", "Nobody", "--db", ledger])
    assert result.exit_code == 2 and "[NOT_FOUND_ID]" in result.output


def test_eval_statements_command_prints_figures(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Velorian Foreign Minister Ilse Varga said the talks had stalled.\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc": "a.txt", "text": "the talks had stalled", "kind": "indirect",
                                "speaker": "Ilse Varga", "speaker_type": "person", "via": [], "date": None}) + "\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["eval", "statements", "--gold", str(gold), "--corpus", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["overall"]["gold"] == 1 and "a.txt" in report["per_doc"]
    missing = runner.invoke(app, ["eval", "statements", "--gold", str(tmp_path / "no.jsonl"), "--corpus", str(corpus)])
    assert missing.exit_code == 2 and "[NOT_FOUND]" in missing.output


def test_export_statements_parquet_needs_a_file_and_writes_every_row(ledger, tmp_path):
    import pyarrow.parquet as pq

    assert runner.invoke(app, ["export", "statements", "--db", ledger, "--format", "parquet"]).exit_code == 2
    out = tmp_path / "s.parquet"
    result = runner.invoke(app, ["export", "statements", "--db", ledger, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == 4 and "speaker_mention" in table.column_names
