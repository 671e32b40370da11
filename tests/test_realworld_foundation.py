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
        for text, _seg in lines(a, boilerplate=True):
            assert len(text.split()) < 30, (a.doc, text)  # nothing paragraph-sized is furniture
        analysed = " ".join(a.text[s.start:s.end] for s in a.analysed_segments())
        assert len(analysed) > 0.8 * len(a.text) - 400, a.doc
        assert a.analysed and a.language == "en"
    reported = [s for a in articles.values() for t, s in lines(a) if " said" in t or " told " in t]
    assert len(reported) > 50 and not any(s.boilerplate for s in reported)


# ---- saved web pages (../shared/corpus/webpages) ------------------------------------------

@pytest.fixture(scope="module")
def web_articles(anchorage_dir):
    pages = anchorage_dir.parent / "webpages" / "pages"
    if not pages.is_dir():
        pytest.skip(f"../shared web pages not found at {pages}")
    from storyline.evaluation.pages import read_page

    return {path.name: read_page(path)[0] for path in sorted(pages.glob("*.html"))}


def test_web_page_authors_are_people_not_bylines_or_outlets(web_articles):
    for name, article in web_articles.items():
        for author in article.authors:
            assert not author.lower().startswith("by "), (name, author)
            assert "&#" not in author and "http" not in author and "@" not in author, (name, author)
            assert article.outlet is None or author.casefold() != article.outlet.casefold(), (name, author)


def test_web_page_titles_carry_no_site_name_suffix(web_articles):
    for name, article in web_articles.items():
        if article.title and article.outlet:
            assert not article.title.endswith((f"| {article.outlet}", f"- {article.outlet}")), (name, article.title)


def test_web_page_outlets_are_names_not_urls(web_articles):
    for name, article in web_articles.items():
        if article.outlet and article.outlet_method != "url-domain":
            assert "://" not in article.outlet and not article.outlet.startswith("www."), (name, article.outlet)


def test_web_page_updates_are_later_than_publication(web_articles):
    from storyline.readers.pagemeta import later

    for name, article in web_articles.items():
        if article.updated and article.published:
            assert later(article.updated, article.published), (name, article.published, article.updated)
