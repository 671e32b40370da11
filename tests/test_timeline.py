"""The timeline and the events export, over a small ledger written by hand."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from storyline.model import Article, Event, Statement
from storyline.ledger.store import Store
from storyline.ledger.timeline import choose_date, event_clusters, timeline


def _article(aid, outlet, text, published="2026-03-05"):
    return Article(id=aid, text=text, source=f"{aid}.txt", doc=f"{aid}.txt", outlet=outlet, published=published,
                   published_precision="day")


def _event(text, sentence, event_type, date, basis="explicit", actors=(), **kw):
    start = text.index(sentence)
    return Event(start, start + len(sentence), sentence, event_type, actors=list(actors), date=date,
                 precision="day" if date and len(date) == 10 else ("month" if date else None), date_basis=basis, **kw)


@pytest.fixture
def ledger(db_path):
    t1 = "Korvel met Hask in Port Alder on Tuesday. Rioters burned a customs post. Varga said talks went well."
    t2 = "Hask and Korvel held a summit in Port Alder. The two sides agreed a ceasefire on 4 March."
    t3 = "Earlier, Korvel and Hask had met in secret."
    a1, a2, a3 = _article("a1", "Veloria Wire", t1), _article("a2", "Ostmark Herald", t2), _article("a3", "Daily Lantern", t3)
    a1.events = [
        _event(t1, "Korvel met Hask in Port Alder on Tuesday.", "CONSULT", "2026-03-03", actors=["Dana Korvel"],
               recipients=["Bertil Hask"], location="Port Alder"),
        _event(t1, "Rioters burned a customs post.", "PROTEST", None, basis="none", mode="riot"),
    ]
    a2.events = [
        _event(t2, "Hask and Korvel held a summit in Port Alder.", "CONSULT", "2026-03-05", basis="published",
               actors=["Hask", "Korvel"], location="Port Alder"),
        _event(t2, "The two sides agreed a ceasefire on 4 March.", "AGREE", "2026-03-04", mode="ceasefire"),
    ]
    a3.events = [_event(t3, "Earlier, Korvel and Hask had met in secret.", "CONSULT", None, basis="none",
                        actors=["Korvel", "Hask"])]
    quote = "talks went well"
    q = t1.index(quote)
    a1.statements = [Statement(q, q + len(quote), quote, "indirect", speaker="Ilse Varga", date="2026-03-05",
                               date_basis="published", extractor="test")]
    with Store(db_path) as store:
        for art in (a1, a2, a3):
            with store.transaction():
                store.save_article(art)
    return db_path


def test_timeline_orders_dated_clusters_and_keeps_undated_apart(ledger):
    with Store(ledger) as store:
        tl = timeline(store.conn)
    kinds = [(i.date, i.event_type, i.reports) for i in tl.items if i.kind == "event"]
    # The summit (three reports, one undated) takes the date its own time words give.
    assert kinds == [("2026-03-03", "CONSULT", 3), ("2026-03-04", "AGREE", 1)]
    summit = tl.items[0]
    assert summit.outlets == ["Daily Lantern", "Ostmark Herald", "Veloria Wire"]
    assert summit.articles == 3
    assert [e.article_id for e in summit.evidence][0] == "a1"
    assert [(i.event_type, i.date) for i in tl.undated] == [("PROTEST", None)]


def test_timeline_filters_by_actor_type_and_dates(ledger):
    with Store(ledger) as store:
        conn = store.conn
        varga = timeline(conn, actor="Ilse Varga")
        assert [(i.kind, i.actors) for i in varga.items] == [("statement", ["Ilse Varga"])]
        korvel = timeline(conn, actor="Korvel")
        assert {i.event_type for i in korvel.items} == {"CONSULT"}
        assert [i.event_type for i in timeline(conn, event_type="agree").items] == ["AGREE"]
        march4 = timeline(conn, date_from="2026-03-04", date_to="2026-03-04")
        assert [i.event_type for i in march4.items] == ["AGREE"] and march4.undated == []


def test_choose_date_prefers_own_time_words_over_publication_dates():
    rows = [{"date": "2026-03-05", "date_basis": "published", "precision": "day"}] * 3 + [
        {"date": "2026-03-03", "date_basis": "explicit", "precision": "day"}]
    assert choose_date(rows) == ("2026-03-03", "day", "explicit")
    assert choose_date([{"date": None, "date_basis": "none"}]) == (None, None, "none")


def test_export_events_streams_one_row_per_cluster_with_evidence(ledger):
    with Store(ledger) as store:
        rows = list(event_clusters(store.conn))
    assert len(rows) == 3
    summit = next(r for r in rows if r["event"] == "CONSULT")
    assert summit["date"] == "2026-03-03" and summit["reports"] == 3
    assert {"article_id", "start", "end", "text"} <= set(summit["evidence"][0])
    ev = summit["evidence"][0]
    assert ev["text"] == "Korvel met Hask in Port Alder on Tuesday." and ev["end"] - ev["start"] == len(ev["text"])


def test_cli_timeline_json_and_export_csv(ledger, tmp_path):
    from storyline.cli.app import app

    runner = CliRunner()
    result = runner.invoke(app, ["timeline", "--db", str(ledger), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["items"][0]["event_type"] == "CONSULT" and data["undated"][0]["event_type"] == "PROTEST"
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["export", "events", "--db", str(ledger), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 3 and json.loads(rows[0]["evidence"])[0]["article_id"]
    bad = runner.invoke(app, ["timeline", "--db", str(ledger), "--from", "soon"])
    assert bad.exit_code == 2 and "BAD_OPTION" in bad.output
    missing = runner.invoke(app, ["timeline", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "NO_DB" in missing.output
