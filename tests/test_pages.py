"""Web pages end to end: boilerplate blocks, feed outlets, the SHORT_BODY warning, the
outlets registry and `storyline eval pages` on a small hand-made set (fictional pages)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from storyline.cli.app import app
from storyline.evaluation.pages import evaluate_pages, fold, score_body
from storyline.ingest import ingest
from storyline.model import Article, RawDocument
from storyline.outlets import OutletRegistry
from storyline.readers import iter_inputs
from storyline.settings import Options
from storyline.stages.metadata import body_chars, check_body
from storyline.stages.segment import boilerplate_reason, segment_text

PARA = ("Ostmark Foreign Minister Ilse Varga said on Friday that the ceasefire in the Carrow Saltmarsh was "
        "holding, a week after it took effect, and that talks would resume in Port Alder next month.")


# ---- boilerplate blocks -------------------------------------------------------------------

@pytest.mark.parametrize("line,reason", [
    ("Never miss the latest stories by signing up to our newsletter today!", "newsletter"),
    ("To read the full story, please subscribe to the Sarn Courier. Plans start at $5 a week.", "subscribe"),
    ("If you are already a subscriber, log in for full access to this story.", "subscribe"),
    ("For breaking news download the Sarn Courier apps for iOS and Android.", "promo"),
    ("Follow the Courier on Twitter and Instagram @SarnCourier.", "promo"),
    ("We want to hear what you think about this article. Submit a letter to the editor.", "promo"),
    ("Category : Press Releases", "keywords"),
    ("- Keywords Veloria, saltmarsh, ceasefire", "keywords"),
    ("Read more: Saltmarsh talks resume in Port Alder", "related"),
    ("Page created 2004 - Last Modified: 03-10-2004 2:20pm", "timestamp"),
    ("Аdvеrtіѕе with the most visited news site in Veloria", "promo"),  # Cyrillic look-alike letters
])
def test_subscription_promo_and_keyword_blocks_are_boilerplate(line, reason):
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize("line", [
    "Varga said fishermen who subscribe to the cooperative would be paid first, according to the draft.",
    "The council's newsletter, published every Friday, first reported the closure of the Carrow bridge.",
    "Related talks in Port Alder broke down on Monday after the delegations disagreed over the marsh.",
])
def test_article_sentences_with_those_words_stay_text(line):
    assert boilerplate_reason(line) is None


def test_inline_read_more_link_does_not_swallow_the_next_heading():
    text = f"Saltmarsh talks\n\n{PARA}\nRead more: Port Alder votes on the bridge\nFishermen return\n{PARA}"
    segments = segment_text(text)
    kinds = {text[s.start:s.end]: s.boilerplate for s in segments}
    assert kinds["Read more: Port Alder votes on the bridge"] is True
    assert kinds["Fishermen return"] is False


# ---- feeds ---------------------------------------------------------------------------------

AGGREGATOR = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Veloria Headlines</title>
<link>https://headlines.example.net/</link>
<item><title>Varga: ceasefire holds</title><link>https://www.sarncourier.com/a/1</link>
<description>{PARA}</description></item>
<item><title>Bridge reopens</title><link>https://headlines.example.net/own/2</link><description>{PARA}</description></item>
<item><title>Talks resume</title><link>https://portalder.example.org/3</link><source url="https://portalder.example.org/rss">Port Alder Daily</source>
<description>{PARA}</description></item>
</channel></rss>"""


def test_feed_entries_are_named_from_their_own_links_site(tmp_path):
    path = tmp_path / "headlines.xml"
    path.write_text(AGGREGATOR, encoding="utf-8")
    docs = list(iter_inputs([str(path)], Options()))
    assert [d.outlet for d in docs] == [None, "Veloria Headlines", "Port Alder Daily"]


# ---- SHORT_BODY ----------------------------------------------------------------------------

def article(text: str) -> Article:
    a = Article.from_raw(RawDocument(source="x.txt", doc="x.txt", text=text))
    a.segments = segment_text(a.text)
    return a


def test_short_body_warning_counts_only_body_text():
    short = article("Saltmarsh talks\n\nShare this article\n\nVarga said the ceasefire held.")
    assert body_chars(short) == len("Varga said the ceasefire held.")
    check_body(short, 300)
    assert [w["code"] for w in short.meta["warnings"]] == ["SHORT_BODY"]
    long = article("Saltmarsh talks\n\n" + "\n\n".join([PARA] * 3))
    check_body(long, 300)
    assert "warnings" not in long.meta
    check_body(short, 0)  # 0 turns the warning off
    assert "warnings" not in short.meta


def test_short_article_is_stored_with_a_warning_row(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "short.txt").write_text("Saltmarsh talks\n\nVarga said the ceasefire held on Friday.", encoding="utf-8")
    (folder / "long.txt").write_text("Saltmarsh talks\n\n" + "\n\n".join([PARA] * 3), encoding="utf-8")
    db = tmp_path / "l.db"
    report = ingest([str(folder)], Options(db=str(db)), stages=["segment", "metadata"])
    assert report.stored == 2 and report.failed == 0 and report.warnings == 1
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT source, code FROM errors").fetchall()
    conn.close()
    assert rows == [(str(folder / "short.txt"), "SHORT_BODY")]
    result = CliRunner().invoke(app, ["errors", "--db", str(db)])
    assert "SHORT_BODY" in result.output


# ---- the outlets registry ------------------------------------------------------------------

def test_registry_maps_spellings_letters_and_known_domains(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("- name: Sarn Courier\n  domains: [sarncourier.com]\n  aliases: [SC]\n", encoding="utf-8")
    registry = OutletRegistry.load(str(path))
    assert registry.canonical("sarn courier") == "Sarn Courier"
    assert registry.canonical("SarnCourier.com") == "Sarn Courier"
    assert registry.canonical("www.sarncourier.com") == "Sarn Courier"
    assert registry.canonical("The Sarn Courier") == "Sarn Courier"
    assert registry.canonical("Port Alder Daily") == "Port Alder Daily"  # unknown: unchanged
    assert registry.names()["SC"] == "Sarn Courier" and registry.names()["AP"] == "Associated Press"


# ---- evaluation ----------------------------------------------------------------------------

def test_fold_ignores_case_quotes_and_punctuation():
    assert fold("Varga’s “deal” – Done!") == fold("varga's \"deal\" done")


def test_body_score_counts_snippets_found_and_leaked():
    scored = score_body("Varga said the  ceasefire\nheld. Subscribe now", {"with": ["ceasefire held", "Kesh"],
                                                                            "without": ["Subscribe now"]})
    assert (scored["tp"], scored["fn"], scored["fp"]) == (1, 1, 1)


PAGE = """<html><head><title>{title} | Sarn Courier</title>
<meta property="og:site_name" content="Sarn Courier">
<meta property="article:published_time" content="2026-03-03T09:00:00+01:00">
<link rel="canonical" href="https://www.sarncourier.com/{slug}"></head>
<body><h1>{title}</h1><div class="byline">By Jana Volk</div><article><p>{p}</p><p>{p}</p>
<p>Never miss the latest stories by signing up to our newsletter today!</p></article></body></html>"""


@pytest.fixture
def small_set(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.html").write_text(PAGE.format(title="Ceasefire holds in the saltmarsh", slug="a", p=PARA))
    (pages / "b.html").write_text(PAGE.format(title="Bridge reopens at Carrow", slug="b", p=PARA))
    evaldata = tmp_path / "evaldata.json"
    evaldata.write_text(json.dumps({
        "https://www.sarncourier.com/a": {"file": "a.html", "with": ["talks would resume in Port Alder"],
                                           "without": ["signing up to our newsletter"]},
        "https://www.sarncourier.com/b": {"file": "b.html", "with": ["Kesh said"], "without": []},
    }))
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"file": "a.html", "is_article": True, "title": "Ceasefire holds in the saltmarsh", "outlet": "Sarn Courier",
         "authors": ["Jana Volk"], "published": "2026-03-03", "updated": None},
        {"file": "b.html", "is_article": True, "title": "Bridge reopens", "outlet": "Sarn Courier",
         "authors": ["Jana Volk", "Tomas Reyk"], "published": None, "updated": None},
    ]))
    return pages, evaldata, gold


def test_eval_pages_scores_body_and_metadata(small_set):
    report = evaluate_pages(*small_set)
    assert report["body"]["tp"] == 1 and report["body"]["fn"] == 1 and report["body"]["fp"] == 0
    m = report["metadata"]
    assert (m["title"]["right"], m["outlet"]["right"], m["authors"]["right"]) == (1, 2, 1)
    assert m["published"] == {"right": 1, "total": 1, "accuracy": 1.0}  # only pages whose gold shows a date
    wrong = {e["file"]: e for e in report["errors"]}
    assert wrong["b.html"]["body_missing"] == ["Kesh said"]
    halves = report["halves"]  # every page in exactly one half, figures computed on each
    assert halves["a"]["pages"] + halves["b"]["pages"] == report["pages"]
    assert halves["a"]["body"]["tp"] + halves["b"]["body"]["tp"] == report["body"]["tp"]
    assert sum(h["metadata"]["title"]["right"] for h in halves.values()) == m["title"]["right"]
    assert wrong["b.html"]["wrong"]["title"] == {"gold": "Bridge reopens", "ours": "Bridge reopens at Carrow"}


def test_pages_split_into_halves_by_a_stable_hash_of_the_name():
    from storyline.evaluation.pages import half_of

    names = [f"page-{i}.html" for i in range(200)]
    assert [half_of(n) for n in names] == [half_of(n) for n in names]
    assert 70 < sum(half_of(n) == "a" for n in names) < 130


def test_eval_pages_command_prints_figures_and_errors(small_set):
    pages, evaldata, gold = small_set
    result = CliRunner().invoke(app, ["eval", "pages", "--pages", str(pages), "--evaldata", str(evaldata),
                                      "--metadata", str(gold), "--show-errors"])
    assert result.exit_code == 0, result.output
    assert "F1 0.667" in result.output and "headline  0.500" in result.output
    assert "Kesh said" in result.output


def test_eval_pages_command_reports_a_missing_folder(tmp_path):
    result = CliRunner().invoke(app, ["eval", "pages", "--pages", str(tmp_path / "nope"), "--evaldata", "x.json"])
    assert result.exit_code == 2 and "NOT_FOUND" in result.output
