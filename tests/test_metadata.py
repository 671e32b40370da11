"""The metadata stage: outlet and date from the page's own cues, never guessed."""

from __future__ import annotations

import pytest

from storyline.errors import StorylineError
from storyline.stages.metadata import OutletRegistry, fill_metadata
from storyline.model import Article, RawDocument
from storyline.stages.segment import segment_text

BODY = ("Ostmark Foreign Minister Ilse Varga said on Friday that the ceasefire in the Carrow Saltmarsh was "
        "holding, a week after it took effect in 2022 style talks.")


def run(text: str, registry: OutletRegistry | None = None, **raw) -> Article:
    article = Article.from_raw(RawDocument(source="x.txt", doc="x.txt", text=text, **raw))
    article.segments = segment_text(article.text)
    fill_metadata(article, registry or OutletRegistry.load())
    return article


def test_dateline_with_time_gives_minute_precision():
    article = run(f"Last news in Sarn Daily\n\nVarga: ceasefire holds\n\nOct 8, 2025 15:51 257\n\n{BODY}")
    assert article.published == "2025-10-08T15:51"
    assert article.published_precision == "minute" and article.published_method == "text-dateline"


def test_date_line_with_label_and_menu_gives_day_precision():
    article = run(f" date 2025-11-12 World Politics Society Sport Business Opinion\nVarga: ceasefire holds\n\n{BODY}")
    assert article.published == "2025-11-12" and article.published_precision == "day"


def test_updated_is_kept_apart_from_published():
    article = run(f"Varga: ceasefire holds\n\nThursday 5 March 2026  6:47 am  |  Updated: 9:12 am\n\n{BODY}")
    assert article.published == "2026-03-05T06:47"
    assert article.updated == "2026-03-05T09:12"


def test_updated_only_line_does_not_become_published():
    article = run(f"Varga: ceasefire holds\n\nUpdated 4 Mar 2026 19:40 CET\n\n{BODY}")
    assert article.published is None and article.updated == "2026-03-04T19:40"


def test_no_date_is_guessed_from_body_sentences():
    article = run("The talks began on 3 March 2026 and resumed in April.\n\n"
                  "3 March 2026 was the day the two delegations first met in the port.\n\n" + BODY)
    assert article.published is None and article.published_precision is None and article.published_method is None


def test_reader_date_is_kept_and_gets_a_precision():
    article = run(f"Oct 8, 2025 15:51\n\n{BODY}", published="2026-01-02", published_method="html-meta")
    assert article.published == "2026-01-02" and article.published_precision == "day"
    assert article.published_method == "html-meta"


def test_outlet_from_navigation_cue():
    article = run(f"Last news in Sarn Daily\n\nVarga: ceasefire holds\n\n{BODY}")
    assert article.outlet == "Sarn Daily" and article.outlet_method == "text-navigation"


def test_outlet_from_masthead_above_the_navigation_bar():
    article = run(f"THE HALLEN HERALD\nHome  World  Politics  Sport  Opinion  |  Subscribe\n\nVarga: ceasefire holds\n\n{BODY}")
    assert article.outlet == "The Hallen Herald" and article.outlet_method == "text-masthead"


def test_outlet_from_copyright_line_without_legal_suffix():
    article = run(f"Varga: ceasefire holds\n\n{BODY}\n\n© 2026 Eskby Tribune Ltd, Harbour Road")
    assert article.outlet == "Eskby Tribune" and article.outlet_method == "text-copyright"


def test_outlet_from_wire_dateline_mapped_through_registry_aliases():
    article = run(f"SARN, March 3 (AP) — {BODY}")
    assert article.outlet == "Associated Press" and article.outlet_method == "text-wire"
    assert article.meta["wire"] == "Associated Press"


def test_outlet_from_url_domain_registry_then_bare_domain():
    article = run(BODY, url="https://www.reuters.com/world/some-story")
    assert article.outlet == "Reuters" and article.outlet_method == "url-registry"
    article = run(BODY, url="https://news.example.org/story")
    assert article.outlet == "news.example.org" and article.outlet_method == "url-domain"


def test_no_outlet_when_there_is_no_cue():
    article = run(BODY)
    assert article.outlet is None and article.outlet_method is None


def test_user_outlets_file_adds_fingerprints_and_comes_first(tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text(
        "- name: Hallen Evening Post\n"
        "  domains: [hallen-post.example]\n"
        "  fingerprints:\n"
        "    - ['^Words: [A-Z]', '^Pictures: [A-Z]']\n"
    )
    registry = OutletRegistry.load(str(path))
    article = run(f"{BODY}\n\nWords: Ola Brant\nPictures: Tove Lind", registry)
    assert article.outlet == "Hallen Evening Post" and article.outlet_method == "registry-fingerprint"
    one_cue_only = run(f"{BODY}\n\nWords: Ola Brant", registry)
    assert one_cue_only.outlet is None  # a fingerprint needs all its patterns


def test_bad_outlets_file_is_a_clear_error(tmp_path):
    path = tmp_path / "outlets.yaml"
    path.write_text("- domains: [x.example]\n")
    with pytest.raises(StorylineError) as info:
        OutletRegistry.load(str(path))
    assert info.value.code == "BAD_OPTION" and "name" in str(info.value)
    with pytest.raises(StorylineError):
        OutletRegistry.load(str(tmp_path / "missing.yaml"))


def test_metadata_stage_in_the_pipeline_uses_the_outlets_file_option(tmp_path):
    from storyline.pipeline import Pipeline
    from storyline.settings import Options

    path = tmp_path / "outlets.yaml"
    path.write_text("- name: Tarn Hollow Bulletin\n  aliases: [THB]\n")
    article = Article.from_raw(RawDocument(source="x", doc="x", text=f"TARN, May 2 (THB) — {BODY}"))
    Pipeline(["segment", "metadata"], Options(outlets_file=str(path)))([article])
    assert article.outlet == "Tarn Hollow Bulletin"


def test_title_of_a_plain_text_page_comes_from_its_headline_line():
    article = run(f"Last news in Sarn Daily\n\nVarga: ceasefire holds\n\n{BODY}")
    assert article.title == "Varga: ceasefire holds"
    assert run(BODY, title="Given by the reader").title == "Given by the reader"


def test_live_blog_headings_without_a_year_take_the_articles_year():
    text = ("Harbour talks – live\n\nThe harbour talks resumed this week in Port Alder, where both delegations met.\n\n"
            "Saturday, 3 January\n\nKesh arrived.\n\nWednesday, 31 December\n\nVarga arrived.")
    article = run(text, published="2026-01-03T18:00:00+01:00", published_method="html-meta")
    dates = {article.text[s.start:s.end]: s.section_date for s in article.segments}
    assert dates["Saturday, 3 January"] == "2026-01-03" and dates["Kesh arrived."] == "2026-01-03"
    assert dates["Wednesday, 31 December"] == "2025-12-31" and dates["Varga arrived."] == "2025-12-31"
    undated = run(text)
    assert all(s.section_date is None for s in undated.segments)  # no year known: none invented


def test_wire_dateline_with_region_and_date():
    article = run(f"SARN, Veloria, Feb 17 (Reuters) - {BODY}")
    assert article.outlet == "Reuters" and article.outlet_method == "text-wire"


def test_byline_segment_becomes_the_authors_when_the_input_named_none():
    article = run(f"Varga: ceasefire holds\n\nBy JANA VOLK and Tomas Reyk\n\n{BODY}")
    assert article.authors == ["Jana Volk", "Tomas Reyk"]
    assert article.meta["authors_method"] == "text-byline"


def test_authors_given_by_the_input_are_kept():
    article = run(f"Varga: ceasefire holds\n\nBy Jana Volk\n\n{BODY}", authors=["Mira Sand"])
    assert article.authors == ["Mira Sand"] and "authors_method" not in article.meta
