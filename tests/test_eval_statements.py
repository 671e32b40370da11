"""The statement scorer: matching, aliases and figures, on hand-made gold/pred pairs."""

from __future__ import annotations

import json

import pytest

from storyline.evaluation.statements import Aliases, evaluate, format_report, load_gold, match_doc, score, token_f1
from storyline.errors import StorylineError


def rec(text, doc="a.txt", **fields):
    base = {"doc": doc, "text": text, "kind": "direct", "speaker": "Ilse Varga", "speaker_type": "person",
            "via": [], "date": "2026-03-04"}
    base.update(fields)
    return base


def test_token_f1_ignores_case_and_punctuation():
    assert token_f1("“We have come to stop the shooting,”", "we have come to stop the shooting") == 1.0
    assert token_f1("U.S. talks", "us talks") == 1.0


def test_token_f1_counts_repeated_words_once_each():
    assert token_f1("no no no", "no") == pytest.approx(0.5)


def test_match_is_greedy_best_overlap_first():
    gold = [rec("the talks have stalled badly"), rec("the talks have stalled")]
    # The single prediction overlaps both; it must go to the exact match, not the first gold.
    pred = [rec("the talks have stalled")]
    matches = match_doc(gold, pred)
    assert [(g, p) for g, p, _ in matches] == [(1, 0)]


def test_each_gold_matches_at_most_one_prediction():
    gold = [rec("a ceasefire is a beginning not a gift")]
    pred = [rec("a ceasefire is a beginning not a gift"), rec("a ceasefire is a beginning")]
    report = score(gold, pred)
    assert report.overall.matched == 1
    assert report.overall.precision == 0.5 and report.overall.recall == 1.0
    assert len(report.false_positives) == 1


def test_below_half_overlap_is_no_match():
    report = score([rec("nine families will sleep tonight")], [rec("that is what diplomacy is for")])
    assert report.overall.matched == 0
    assert report.misses[0]["text"] == "nine families will sleep tonight"


def test_matching_stays_within_one_doc():
    report = score([rec("the talks have stalled", doc="a.txt")], [rec("the talks have stalled", doc="b.txt")])
    assert report.overall.matched == 0
    assert set(report.per_doc) == {"a.txt", "b.txt"}


def test_speaker_accepts_listed_alias_but_not_other_names():
    aliases = Aliases([("Ilse Varga", ["Ilze Varga"])])
    gold = [rec("the talks have stalled"), rec("we came to stop the shooting")]
    pred = [rec("the talks have stalled", speaker="Ilze Varga"), rec("we came to stop the shooting", speaker="Anton Kesh")]
    report = score(gold, pred, aliases)
    assert report.overall.correct["speaker"] == 1
    assert report.wrong["speaker"][0]["pred"]["speaker"] == "Anton Kesh"


def test_null_speaker_matches_only_null():
    report = score([rec("x y z", speaker=None)], [rec("x y z", speaker=None)])
    assert report.overall.accuracy("speaker") == 1.0
    report = score([rec("x y z", speaker=None)], [rec("x y z", speaker="anonymous")])
    assert report.overall.accuracy("speaker") == 0.0


def test_via_compared_as_sets_of_names_case_blind():
    gold = [rec("a b c d", via=["Harbour Times", "ORB"])]
    assert score(gold, [rec("a b c d", via=["orb", "harbour times"])]).overall.accuracy("via") == 1.0
    assert score(gold, [rec("a b c d", via=["ORB"])]).overall.accuracy("via") == 0.0


def test_kind_and_date_exact():
    gold = [rec("a b c d", kind="mixed", date="2026-03")]
    report = score(gold, [rec("a b c d", kind="indirect", date="2026-03-04")])
    assert report.overall.accuracy("kind") == 0.0 and report.overall.accuracy("date") == 0.0


def test_aliases_load_from_actors_jsonl(tmp_path):
    path = tmp_path / "actors.jsonl"
    path.write_text(json.dumps({"name": "Tomas Rell", "aliases": ["Tomaš Rell"]}) + "\n", encoding="utf-8")
    assert Aliases.load(path).same("tomaš rell", "Tomas Rell")


def test_bad_gold_line_is_a_clear_error(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"doc": "a.txt", "text": "x"}\n{broken\n', encoding="utf-8")
    with pytest.raises(StorylineError) as err:
        load_gold(path)
    assert err.value.code == "BAD_JSON" and "#L2" in err.value.message


def test_report_prints_per_doc_and_errors():
    report = score([rec("the talks have stalled")], [rec("the talks have stalled", speaker="Anton Kesh")])
    text = format_report(report, 5)
    assert "a.txt" in text and "OVERALL" in text and "Anton Kesh" in text


def test_evaluate_missing_document_is_an_error(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(rec("x")) + "\n", encoding="utf-8")
    with pytest.raises(StorylineError) as err:
        evaluate(gold, tmp_path)
    assert err.value.code == "NOT_FOUND"


# --- gold sets of every shape (evaluation/goldsets.py) ------------------------------------

def test_speech_cues_as_the_guide_defines_them():
    from storyline.evaluation.goldsets import is_speech_cue

    for cue in ("said", "has said", "said:", ":", "according to", "told", "added:", "is stressing", "tweeted"):
        assert is_speech_cue(cue), cue
    for cue in ("wants", "shows", "believes", "plans", "", None):
        assert not is_speech_cue(cue), cue


def test_detect_recognises_the_three_shapes(tmp_path):
    from storyline.errors import StorylineError
    from storyline.evaluation.goldsets import detect

    files = tmp_path / "files"
    (files / "gold").mkdir(parents=True)
    (files / "gold" / "statements.jsonl").write_text("", encoding="utf-8")
    news = tmp_path / "news"
    news.mkdir()
    (news / "articles.jsonl").write_text("", encoding="utf-8")
    (news / "gold.jsonl").write_text("", encoding="utf-8")
    pol = tmp_path / "pol"
    (pol / "text").mkdir(parents=True)
    (pol / "gold.jsonl").write_text("", encoding="utf-8")
    assert [detect(f).shape for f in (files, news, pol)] == ["files", "jsonl", "polnear"]
    with pytest.raises(StorylineError):
        detect(tmp_path)


def test_news_shape_matches_gold_by_url_and_reports_who_said_what(tmp_path):
    from storyline.evaluation.goldsets import detect, run

    folder = tmp_path / "news"
    folder.mkdir()
    article = {"id": "a1", "url": "https://example.org/harbour", "title": None, "outlet": "Harbour Times",
               "published": "2026-03-02", "text": "Mayor Ivo Kask said the pier would reopen in May.\n"}
    (folder / "articles.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    gold = [{"doc": "a1", "url": "https://example.org/harbour", "text": "the pier would reopen in May",
             "kind": "indirect", "speaker": "Ivo Kask", "speaker_type": "person", "via": [], "date": "2026-03-02"},
            {"doc": "a1", "url": "https://example.org/harbour", "text": "ferries keep running all winter long",
             "kind": "indirect", "speaker": "Ana Cole", "speaker_type": "person", "via": [], "date": "2026-03-02"}]
    (folder / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    result = run(detect(folder))
    figures = result.figures()
    assert (figures["gold"], figures["matched"]) == (2, 1)
    assert figures["who_said_what_recall"] == 0.5 and figures["who_said_what_precision"] == 1.0
    assert sum(b["statements"] for b in result.bands) == figures["predicted"]


def test_polnear_shape_reports_speech_recall_and_mention_accuracy(tmp_path):
    from storyline.evaluation.goldsets import detect, run

    folder = tmp_path / "pol"
    (folder / "text").mkdir(parents=True)
    text = "Ivo Kask said the pier would reopen in May. Ana Cole wants a new harbour wall built soon.\n"
    (folder / "text" / "a.txt").write_text(text, encoding="utf-8")
    gold = [{"doc": "a.txt", "text": "the pier would reopen in May", "cue": "said", "source_spans": [[0, 8]]},
            {"doc": "a.txt", "text": "a new harbour wall built soon", "cue": "wants", "source_spans": [[44, 52]]}]
    (folder / "gold.jsonl").write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    figures = run(detect(folder)).figures()
    assert (figures["speech_gold"], figures["speech_matched"], figures["speech_recall"]) == (1, 1, 1.0)
    assert figures["mention_accuracy"] == 1.0
    assert "who_said_what_f1" not in figures and "speaker_accuracy" not in figures
