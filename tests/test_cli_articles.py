"""The ingest / articles / show / errors commands, run through Typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline.cli.app import app

from test_ingest import count, fictional_article, rows, write_corpus

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def records(tmp_path):
    """A JSONL file of three articles from two outlets, with dates."""
    path = tmp_path / "archive.jsonl"
    items = [
        {"title": "Talks open in Port Alder", "text": fictional_article(11), "outlet": "Northline", "published": "2026-03-03"},
        {"title": "Ferry strike ends", "text": fictional_article(12), "outlet": "Northline", "published": "2026-03-09"},
        {"title": "Harbour fees rise", "text": fictional_article(13), "outlet": "The Harbour Times", "published": "2026-02-27"},
    ]
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_ingest_command_stores_articles_and_prints_a_summary(tmp_path, db_path, records):
    result = invoke("ingest", records, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert count(db_path, "articles") == 3
    out = result.stdout
    assert "3  new articles stored" in out
    assert "Northline" in out and "The Harbour Times" in out
    assert "2026-02-27 → 2026-03-09" in out


def test_ingest_command_exits_1_when_an_input_fails_and_stores_the_rest(tmp_path, db_path):
    write_corpus(tmp_path / "in", 2)
    (tmp_path / "in" / "blank.txt").write_text("\n\n", encoding="utf-8")
    result = invoke("ingest", tmp_path / "in", "--db", db_path)
    assert result.exit_code == 1
    assert count(db_path, "articles") == 2
    assert "[EMPTY]" in result.stderr and "blank.txt" in result.stderr
    listed = invoke("errors", "--db", db_path, "--json")
    assert listed.exit_code == 0
    errors = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(e["code"], e["attempts"]) for e in errors] == [("EMPTY", 1)]
    assert errors[0]["source"].endswith("blank.txt")


def test_ingest_command_exits_2_on_a_bad_option(tmp_path, db_path, records):
    result = invoke("ingest", records, "--db", db_path, "--json-field", "body")
    assert result.exit_code == 2
    assert "[BAD_OPTION]" in result.stderr and "--json-field" in result.stderr
    assert invoke("ingest", records, "--db", db_path, "--max-bytes", "0").exit_code == 2


def test_ingest_command_maps_json_fields(tmp_path, db_path):
    path = tmp_path / "theirs.jsonl"
    path.write_text(json.dumps({"body": fictional_article(21), "headline": "Mapped title"}) + "\n", encoding="utf-8")
    result = invoke("ingest", path, "--db", db_path, "--json-field", "body=text", "--json-field", "headline=title")
    assert result.exit_code == 0, result.output
    assert rows(db_path, "SELECT title FROM articles") == [("Mapped title",)]


def test_ingest_quiet_prints_one_line(tmp_path, db_path, records):
    result = invoke("ingest", records, "--db", db_path, "--quiet")
    assert result.exit_code == 0
    assert result.stdout.strip().startswith("3 new, 0 already stored")
    again = invoke("ingest", records, "--db", db_path, "--quiet")
    assert again.stdout.strip().startswith("0 new, 3 already stored")


def test_articles_lists_in_publication_order_and_filters_by_outlet(tmp_path, db_path, records):
    invoke("ingest", records, "--db", db_path)
    listed = [json.loads(line) for line in invoke("articles", "--db", db_path, "--json").stdout.splitlines()]
    assert [a["title"] for a in listed] == ["Harbour fees rise", "Talks open in Port Alder", "Ferry strike ends"]
    northline = invoke("articles", "--db", db_path, "--json", "--outlet", "northline").stdout.splitlines()
    assert {json.loads(line)["outlet"] for line in northline} == {"Northline"} and len(northline) == 2
    assert len(invoke("articles", "--db", db_path, "--json", "--limit", "1").stdout.splitlines()) == 1
    table = invoke("articles", "--db", db_path)
    assert table.exit_code == 0 and listed[0]["id"] in table.stdout and "Harbour f" in table.stdout


def test_articles_on_a_missing_ledger_says_how_to_create_it(tmp_path):
    result = invoke("articles", "--db", tmp_path / "nothing.db")
    assert result.exit_code == 2
    assert "[NO_DB]" in result.stderr and "storyline ingest" in result.stderr


def test_show_accepts_a_unique_prefix_and_prints_sources_and_text(tmp_path, db_path):
    text = fictional_article(31)
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    invoke("ingest", tmp_path / "a.txt", tmp_path / "b.txt", "--db", db_path)
    article_id = rows(db_path, "SELECT id FROM articles")[0][0]
    result = invoke("show", article_id[:6], "--db", db_path)
    assert result.exit_code == 0, result.output
    assert article_id in result.stdout
    assert "a.txt" in result.stdout and "b.txt" in result.stdout
    first_words = " ".join(text.split("\n\n")[1].split()[:4])
    assert first_words in " ".join(result.stdout.split())
    detail = json.loads(invoke("show", article_id, "--db", db_path, "--json").stdout)
    assert len(detail["sources"]) == 2 and detail["text"] == rows(db_path, "SELECT text FROM articles")[0][0]


def test_show_unknown_id_is_a_clear_error(tmp_path, db_path, records):
    invoke("ingest", records, "--db", db_path)
    result = invoke("show", "ffffffffff", "--db", db_path)
    assert result.exit_code == 2
    assert "[NOT_FOUND_ID]" in result.stderr


def test_errors_command_without_failures(tmp_path, db_path, records):
    invoke("ingest", records, "--db", db_path)
    result = invoke("errors", "--db", db_path)
    assert result.exit_code == 0 and "No failed inputs" in result.stdout


def test_show_text_marks_boilerplate_sections_and_labels_statements():
    from storyline.cli.articles import render_article_text

    text = "Home  World  Sport\n4 March 2026\n“We have come to stop the shooting,” Varga said.\nShare"
    quote = text.index("We have")
    quote_end = text.index(",”")
    item = {
        "text": text,
        "segments": [
            {"start": 0, "end": 18, "kind": "boilerplate", "boilerplate": 1, "reason": "navigation", "section_date": None},
            {"start": 19, "end": 31, "kind": "section", "boilerplate": 0, "reason": None, "section_date": "2026-03-04"},
            {"start": 32, "end": len(text) - 6, "kind": "item", "boilerplate": 0, "reason": None,
             "section_date": "2026-03-04"},
            {"start": len(text) - 5, "end": len(text), "kind": "boilerplate", "boilerplate": 1, "reason": "share",
             "section_date": None},
        ],
        "statements": [{"start": quote, "end": quote_end, "parts": [], "speaker": "Ilse Varga", "kind": "direct"}],
    }
    rendered = render_article_text(item)
    lines = rendered.plain.splitlines()
    assert lines[0] == "[boilerplate: navigation] Home  World  Sport"
    assert lines[1] == "── section 2026-03-04 ──"
    assert lines[2] == "[section] 4 March 2026"
    assert lines[3] == "“We have come to stop the shooting ⟨Ilse Varga, direct⟩,” Varga said."
    assert lines[4] == "[boilerplate: share] Share"
    start = rendered.plain.index("We have")
    underlined = [s for s in rendered.spans if "underline" in str(s.style)]
    assert [(s.start, s.end) for s in underlined] == [(start, start + len("We have come to stop the shooting"))]


def test_ingest_command_exits_2_when_the_model_is_missing(tmp_path, db_path, records):
    result = invoke("ingest", records, "--db", db_path, "--model", "no_such_spacy_model_xyz")
    assert result.exit_code == 2
    assert "[MODEL_MISSING]" in result.stderr
    assert count(db_path, "articles") == 0


def test_ingest_command_include_and_exclude_globs(tmp_path, db_path):
    write_corpus(tmp_path / "in", 3)
    (tmp_path / "in" / "page.html").write_text("<html><body><p>" + fictional_article(40) + "</p></body></html>")
    result = invoke("ingest", tmp_path / "in", "--db", db_path, "--include", "*.txt", "--exclude", "article-0001.txt")
    assert result.exit_code == 0, result.output
    assert sorted(r[0].rsplit("/", 1)[-1] for r in rows(db_path, "SELECT source FROM article_sources")) == \
        ["article-0000.txt", "article-0002.txt"]


def test_ingest_into_a_ledger_another_process_is_writing_is_a_clear_error(tmp_path, db_path, records, monkeypatch):
    import sqlite3

    from storyline.ledger import store as store_module

    invoke("ingest", records, "--db", db_path)  # creates the ledger
    monkeypatch.setattr(store_module, "connect", _connect_with_short_timeout(store_module.connect))
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        result = invoke("ingest", tmp_path, "--db", db_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    assert "[DB_BUSY]" in result.stderr


def _connect_with_short_timeout(connect):
    def short(path, **kw):
        conn = connect(path, **kw)
        conn.execute("PRAGMA busy_timeout=200")
        return conn

    return short


def test_ingest_into_a_missing_folder_is_a_clear_error(tmp_path, records):
    result = invoke("ingest", records, "--db", tmp_path / "no" / "such" / "ledger.db")
    assert result.exit_code == 2 and "[BAD_OPTION]" in result.stderr


def test_ingest_outlets_file_maps_an_outlets_other_names_onto_one(tmp_path, db_path, records):
    registry = tmp_path / "outlets.yaml"
    registry.write_text("- name: Harbour Times\n  aliases: [The Harbour Times]\n", encoding="utf-8")
    result = invoke("ingest", records, "--db", db_path, "--outlets", registry)
    assert result.exit_code == 0, result.output
    assert sorted(rows(db_path, "SELECT DISTINCT outlet FROM articles")) == [("Harbour Times",), ("Northline",)]


def test_ingest_with_a_missing_outlets_file_stops_before_reading_anything(tmp_path, db_path, records):
    result = invoke("ingest", records, "--db", db_path, "--outlets", tmp_path / "nope.yaml")
    assert result.exit_code == 2 and "[BAD_OPTION]" in result.stderr
    assert not db_path.exists() or count(db_path, "articles") == 0


def test_version_option_prints_the_version():
    from storyline import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"storyline {__version__}"
