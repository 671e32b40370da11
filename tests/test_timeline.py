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


# --- real events by default; an axis that outliers do not squeeze (issue 13, deliverable 7) -----

@pytest.fixture
def flagged_ledger(db_path):
    t = "Veloria proposed a ceasefire with Ostmark. Ostmark did not attack the port. Korvel met Hask on Friday."
    art = _article("f1", "Veloria Wire", t)
    art.events = [
        _event(t, "Veloria proposed a ceasefire with Ostmark.", "RETREAT", None, basis="none", mode="ceasefire",
               hypothetical=True),
        _event(t, "Ostmark did not attack the port.", "ASSAULT", "2026-03-05", basis="published", negated=True),
        _event(t, "Korvel met Hask on Friday.", "CONSULT", "2026-03-06", actors=["Korvel", "Hask"], future=True),
    ]
    with Store(db_path) as store, store.transaction():
        store.save_article(art)
    return db_path


def test_timeline_shows_what_happened_and_hides_hypothetical_and_negated(flagged_ledger):
    with Store(flagged_ledger) as store:
        real = timeline(store.conn)
        every = timeline(store.conn, flagged=True)
    shown = [i.event_type for i in real.items + real.undated]
    assert shown == ["CONSULT"]
    assert real.items[0].flags == ["future"]  # a future event stays, with its flag
    assert real.filters["flagged_hidden"] == 2
    assert sorted(i.event_type for i in every.items + every.undated) == ["ASSAULT", "CONSULT", "RETREAT"]
    assert next(i for i in every.items if i.event_type == "ASSAULT").flags == ["negated"]


def test_web_timeline_hides_flagged_reports_behind_a_toggle(flagged_ledger):
    from storyline.web import queries as Q

    with Store(flagged_ledger) as store:
        real = Q.timeline(store.conn, Q.EventFilters())
        every = Q.timeline(store.conn, Q.EventFilters(), flagged=True)
    assert [e["event_type"] for e in real["events"] + real["undated_events"]] == ["CONSULT"]
    assert real["flagged_hidden"] == 2
    assert len(every["events"] + every["undated_events"]) == 3


def test_timeline_axis_spans_the_dense_range_and_marks_far_outliers():
    from datetime import date, timedelta

    from storyline.web.render import dense_span, timeline_chart

    story = [date(2026, 3, 1) + timedelta(days=k % 20) for k in range(60)]
    far = [date(1982, 5, 1)]
    lo, hi = dense_span(story + far)
    assert lo >= date(2026, 2, 20) and hi <= date(2026, 3, 25)  # not squeezed to 44 years
    assert dense_span(story) == (min(story), max(story))  # no outlier: every date
    events = [{"date": d.isoformat(), "event_type": "CONSULT", "reports": 1, "article_id": "a", "start": 0, "end": 1,
               "id": f"e{i}", "text": "x"} for i, d in enumerate(story + far)]
    svg = str(timeline_chart({"events": events, "statements_by_day": []}, {}))
    assert "1 earlier (from 1982-05-01)" in svg and svg.count("dot t-consult outlier") == 1


def test_export_gives_each_report_its_trigger_and_flags_beside_the_sentence(db_path):
    from storyline.model import Mention

    t = "Veloria proposed a ceasefire with Ostmark."
    art = _article("x1", "Veloria Wire", t)
    k = t.index("ceasefire")
    art.events = [_event(t, t, "RETREAT", None, basis="none", mode="ceasefire", hypothetical=True,
                         trigger=Mention(k, k + len("ceasefire"), "ceasefire"))]
    with Store(db_path) as store, store.transaction():
        store.save_article(art)
    with Store(db_path) as store:
        [row] = list(event_clusters(store.conn))
    [ev] = row["evidence"]
    assert ev["text"] == t and ev["flags"] == ["hypothetical"]
    assert t[ev["trigger"]["start"]:ev["trigger"]["end"]] == ev["trigger"]["text"] == "ceasefire"
