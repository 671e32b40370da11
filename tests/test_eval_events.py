"""The event evaluation: matching by sentence overlap, typed matches, field accuracy."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from storyline.evaluation.events import score


def _rec(doc, sentence, event_type, trigger, **kw):
    base = {"doc": doc, "sentence": sentence, "trigger": trigger, "event_type": event_type, "mode": None,
            "actors": [], "recipients": [], "location": None, "date": None,
            "negated": False, "hypothetical": False, "future": False}
    return {**base, **kw}


S1 = "Velorian President Dana Korvel met Ostmark Prime Minister Bertil Hask in Port Alder on Tuesday."
S2 = "Ostmark rejected the Harbour formula and threatened to recall its ambassador."


def test_score_matches_by_sentence_overlap_one_to_one_and_by_type():
    gold = [
        _rec("a", S1, "CONSULT", "met", actors=["Dana Korvel", "Bertil Hask"], location="Port Alder", date="2026-03-03"),
        _rec("a", S2, "REJECT", "rejected", actors=["Ostmark"]),
        _rec("a", S2, "THREATEN", "threatened", actors=["Ostmark"]),
        _rec("b", S1, "CONSULT", "met"),  # another article: never matched by a's reports
    ]
    pred = [
        _rec("a", S1.replace(" on Tuesday", ""), "CONSULT", "met", actors=["Bertil Hask", "dana korvel"],
             location="Port Alder", date="2026-03-03"),  # F1 >= 0.7; names case-blind, any order
        _rec("a", S2, "THREATEN", "threatened", actors=["Ostmark"], hypothetical=True),
        _rec("a", "A different sentence about fishing quotas in Sarn.", "AGREE", "quotas"),
    ]
    report = score(gold, pred)
    d, t = report.detection, report.typed
    assert (d.gold, d.pred, d.matched) == (4, 3, 2)
    assert t.matched == 2  # CONSULT and THREATEN; the REJECT mention stays unmatched
    assert t.correct["actors"] == 2 and t.correct["location"] == 2 and t.correct["date"] == 2
    assert t.correct["flags"] == 1  # the threat was predicted hypothetical
    assert report.per_type["REJECT"].matched == 0 and report.per_type["CONSULT"].matched == 1
    assert [m["event_type"] for m in report.misses] == ["REJECT", "CONSULT"]
    assert [p["event_type"] for p in report.false_positives] == ["AGREE"]


def test_cli_eval_events_against_gold_mentions(tmp_path):
    from storyline.cli.app import app

    text = "Korvel meets Hask\n\n" + S1 + "\n\n" + S2 + "\n"
    corpus = tmp_path / "articles.jsonl"
    corpus.write_text(json.dumps({"id": "a.txt", "url": "https://example.test/a", "title": None, "outlet": "Test Wire",
                                  "published": "2026-03-05", "text": text}) + "\n", encoding="utf-8")
    gold = tmp_path / "gold_events.jsonl"
    gold.write_text("\n".join(json.dumps(_rec("a.txt", s, e, tr, url="https://example.test/a")) for s, e, tr in [
        (S1, "CONSULT", "met"), (S2, "REJECT", "rejected")]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "events", "--gold", str(gold), "--corpus", str(corpus), "--json",
                                      "--show-errors", "5"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["detection"]["gold"] == 2 and out["typed"]["matched"] >= 1
    assert out["failed"] == []
    bad = CliRunner().invoke(app, ["eval", "events", "--gold", str(gold)])
    assert bad.exit_code != 0  # --corpus (or --labelled) is needed
