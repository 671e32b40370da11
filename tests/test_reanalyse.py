"""Component versions (storyline.components, pipeline.stage_version, lexicon versions)
and `storyline reanalyse [--stale]` over stored texts."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline import components, lexicon, pipeline
from storyline.errors import StorylineError
from storyline.ingest import ingest, runnable_stages
from storyline.ledger.actors import find_actor, merge_actors
from storyline.ledger.reanalyse import reanalyse, rerun_plan
from storyline.ledger.store import Store, connect
from storyline.settings import Options

TEXTS = {
    "a.txt": "Carrow, 3 March 2026 – Velorian Foreign Minister Ilse Varga said on Tuesday that the harbour talks "
             "would resume next week.\n\n\u201cWe will not leave the table,\u201d Varga told reporters in Carrow.",
    "b.txt": "Eskby, 4 March 2026 – Ilse Varga, the foreign minister, said the prisoner exchange could begin in "
             "April.\n\nOstmark's Prime Minister Tomas Rell said his government would wait for the council.",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reanalyse-in")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def ledger(corpus, tmp_path):
    db = tmp_path / "ledger.db"
    report = ingest([str(corpus)], Options(db=str(db)))
    assert report.stored == 2
    return db


def rows(db, sql):
    conn = connect(db, readonly=True)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


# --- the registry and Options --------------------------------------------------------------


def test_options_refuse_unknown_component_names():
    with pytest.raises(StorylineError) as err:
        Options(statement_extractor="statements.rules.v99")
    assert err.value.code == "BAD_OPTION" and "statements.rules.v1" in err.value.message
    with pytest.raises(StorylineError):
        Options().with_(event_coder="events.nothing.v1")
    assert Options().timex_normaliser in components.names("timex_normaliser")


def test_every_registered_name_maps_to_code():
    for kind in components.REGISTRY:
        for name in components.names(kind):
            assert callable(components.get(kind, name))


def test_every_data_file_carries_a_version(tmp_path, monkeypatch):
    found = lexicon.versions()
    assert set(found) == {p.name for p in lexicon.DATA.iterdir() if p.is_file()}
    assert all(found.values())
    # a file without one is refused on load
    (tmp_path / "bare.yaml").write_text("# no version here\nwords: [a, b]\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "DATA", tmp_path)
    with pytest.raises(StorylineError) as err:
        lexicon.load_yaml.__wrapped__("bare.yaml")
    assert err.value.code == "LEXICON_VERSION"


def test_stage_versions_name_code_component_and_data():
    versions = pipeline.stage_versions(runnable_stages(), Options())
    assert versions["statements"].split(";")[:2] == ["statements.v1", "statements.rules.v1"]
    assert f"cues.yaml@{lexicon.version('cues.yaml')}" in versions["statements"]
    assert f"plover.yaml@{lexicon.version('plover.yaml')}" in versions["events"]


def test_each_article_records_the_version_of_every_stage_that_ran(ledger):
    current = pipeline.stage_versions(runnable_stages(), Options())
    for (stored,) in rows(ledger, "SELECT stage_versions FROM articles"):
        assert json.loads(stored) == current


def test_rerun_plan_starts_at_the_first_stale_stage_and_redoes_unstored_parse():
    names = runnable_stages()
    assert rerun_plan(names, []) == []
    assert rerun_plan(names, ["events"]) == names[names.index("parse"):]
    assert rerun_plan(names, ["metadata", "events"]) == names[names.index("metadata"):]
    assert rerun_plan(names, ["segment"]) == names


# --- reanalyse ------------------------------------------------------------------------------


def test_reanalyse_stale_does_nothing_when_versions_are_current(ledger):
    before = rows(ledger, "SELECT id, text, speaker, actor_id, extractor FROM statements ORDER BY id")
    report = reanalyse(Options(db=str(ledger)), stale_only=True)
    assert report.articles == 2 and report.reanalysed == 0 and report.up_to_date == 2
    assert rows(ledger, "SELECT id, text, speaker, actor_id, extractor FROM statements ORDER BY id") == before


def test_reanalyse_stale_reruns_a_new_extractor_version_and_keeps_user_edits(ledger, monkeypatch):
    from storyline.stages.statements.extract import extract

    # A user merges Tomas Rell into Ilse Varga (wrong, but theirs to decide).
    with Store(ledger) as store:
        merge_actors(store, "Ilse Varga", "Tomas Rell")
    segments = rows(ledger, 'SELECT article_id, idx, start, "end", kind FROM segments ORDER BY 1, 2')
    clusters = rows(ledger, "SELECT id, cluster_id, ingested_at FROM articles ORDER BY id")
    count = rows(ledger, "SELECT count(*) FROM statements")[0][0]

    monkeypatch.setitem(components.REGISTRY["statement_extractor"], "statements.rules.v2", extract)
    options = Options(db=str(ledger), statement_extractor="statements.rules.v2")
    report = reanalyse(options, stale_only=True)
    assert report.reanalysed == 2 and not report.failed
    assert report.stages["statements"] == 2 and report.stages["parse"] == 2 and "segment" not in report.stages

    assert {r[0] for r in rows(ledger, "SELECT extractor FROM statements")} == {"statements.rules.v2"}
    assert rows(ledger, "SELECT count(*) FROM statements")[0][0] == count
    for (stored,) in rows(ledger, "SELECT stage_versions FROM articles"):
        assert "statements.rules.v2" in json.loads(stored)["statements"]
    # what did not re-run is as it was; the user's merge holds
    assert rows(ledger, 'SELECT article_id, idx, start, "end", kind FROM segments ORDER BY 1, 2') == segments
    assert rows(ledger, "SELECT id, cluster_id, ingested_at FROM articles ORDER BY id") == clusters
    conn = connect(ledger, readonly=True)
    assert find_actor(conn, "Tomas Rell")["name"] == "Ilse Varga"
    speakers = {r[0] for r in conn.execute("SELECT speaker FROM statements WHERE speaker LIKE '%Rell%' "
                                           "OR speaker LIKE '%Varga%'")}
    conn.close()
    assert speakers == {"Ilse Varga"}
    # now current: a second --stale run has nothing to do
    assert reanalyse(options, stale_only=True).reanalysed == 0


def test_reanalyse_stale_reruns_after_a_lexicon_version_bump(ledger, monkeypatch):
    real = lexicon.version
    monkeypatch.setattr(lexicon, "version", lambda name: "2" if name == "plover.yaml" else real(name))
    report = reanalyse(Options(db=str(ledger)), stale_only=True)
    assert report.reanalysed == 2 and report.stages["events"] == 2 and "metadata" not in report.stages


def test_reanalyse_command(ledger):
    from storyline.cli.app import app

    runner = CliRunner()
    result = runner.invoke(app, ["reanalyse", "--stale", "--db", str(ledger), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["up_to_date"] == 2
    result = runner.invoke(app, ["reanalyse", "--db", str(ledger)])
    assert result.exit_code == 0 and "2 reanalysed" in result.output
    missing = runner.invoke(app, ["reanalyse", "--db", str(ledger.parent / "none.db")])
    assert missing.exit_code == 2 and "NO_DB" in missing.output
