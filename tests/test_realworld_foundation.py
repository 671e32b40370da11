"""Readers + segment + metadata on the real dev articles (../shared/corpus/anchorage).

The articles are read from ../shared at test time and never copied into the repo; the
assertions check structure (kinds, reasons, dates, outlets), found by general page
patterns and the outlets registry, not by rules keyed to these files.
"""

from __future__ import annotations

import pytest

from storyline.model import Article
from storyline.pipeline import Pipeline
from storyline.readers import iter_inputs
from storyline.settings import Options

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def articles(anchorage_dir) -> dict[str, Article]:
    options = Options(include=("*.txt",))
    pipeline = Pipeline(["segment", "metadata", "language"], options)
    found = {}
    for raw in iter_inputs([str(anchorage_dir)], options):
        assert not hasattr(raw, "error"), raw
        article = Article.from_raw(raw)
        pipeline([article])
        found[article.doc[:3]] = article
    assert sorted(found) == ["000", "001", "002", "003", "004"]
    return found


def lines(article: Article, **match) -> list[tuple[str, object]]:
    return [(article.text[s.start:s.end], s) for s in article.segments
            if all(getattr(s, k) == v for k, v in match.items())]


def test_000_outlet_and_dateline(articles):
    a = articles["000"]
    assert a.outlet == "Fakti"
    assert a.published.startswith("2025-10-08") and a.published == "2025-10-08T15:51"
    assert a.published_precision == "minute" and a.published_method == "text-dateline"


def test_001_pravda_by_registry_fingerprint_and_date_line(articles):
    a = articles["001"]
    assert a.outlet == "Pravda.ru" and a.outlet_method == "registry-fingerprint"
    assert a.published == "2025-11-12" and a.published_precision == "day"


def test_002_and_004_have_no_date(articles):
    assert articles["002"].published is None
    assert articles["004"].published is None


def test_003_live_feed_sections_and_items(articles):
    a = articles["003"]
    sections = lines(a, kind="section")
    assert [s.section_date for _, s in sections] == ["2025-08-16", "2025-08-15"]
    first_section = sections[0][1]
    intro = [s for s in a.segments if s.end <= first_section.start and not s.boilerplate]
    assert intro and all(s.section_date is None for s in intro)
    heads = [s for _, s in sections]
    for heading, following in zip(heads, heads[1:] + [None]):
        end = following.start if following else len(a.text)
        items = [s for s in a.segments if heading.end <= s.start < end and not s.boilerplate]
        assert len(items) > 3
        assert all(s.section_date == heading.section_date for s in items)
        assert all(s.kind == "item" for s in items)


def test_furniture_is_boilerplate(articles):
    reasons = {}
    for a in articles.values():
        for text, seg in lines(a, boilerplate=True):
            reasons.setdefault(seg.reason, []).append(text)
    assert any(t.startswith("Last news in") for t in reasons["navigation"])
    assert any("Society Opinion" in t for t in reasons["navigation"])
    assert any(t.startswith("Author`s name") for t in reasons["byline"])
    assert any(t.startswith("Editor") for t in reasons["byline"])
    assert any(t.startswith("Photo:") for t in reasons["photo_credit"])
    assert reasons["feed_ended"] == ["This live feed has ended."]
    assert any(t.endswith("- 1") for t in reasons["caption"])


def test_statement_paragraphs_are_not_boilerplate(articles):
    for a in articles.values():
        for text, seg in lines(a, boilerplate=True):
            assert len(text.split()) < 30, (a.doc, text)  # nothing paragraph-sized is furniture
        analysed = " ".join(a.text[s.start:s.end] for s in a.analysed_segments())
        assert len(analysed) > 0.8 * len(a.text) - 400, a.doc
        assert a.analysed and a.language == "en"
    reported = [s for a in articles.values() for t, s in lines(a) if " said" in t or " told " in t]
    assert len(reported) > 50 and not any(s.boilerplate for s in reported)
