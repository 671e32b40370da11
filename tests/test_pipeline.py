from __future__ import annotations

import pytest

from storyline import pipeline
from storyline.errors import StorylineError
from storyline.model import Article, RawDocument
from storyline.settings import Options


@pytest.fixture
def toy_stages(monkeypatch):
    pipeline.available_stages()  # the real stages register in the real registry first
    registry = dict(pipeline.REGISTRY)
    monkeypatch.setattr(pipeline, "REGISTRY", registry)

    @pipeline.stage("toy_upper", requires=("text",), assigns=("upper",))
    def toy_upper(articles, ctx):
        for a in articles:
            a.meta["upper"] = a.text.upper()

    @pipeline.stage("toy_len", requires=("upper",), assigns=("length",), analysed_only=True)
    def toy_len(articles, ctx):
        for a in articles:
            a.meta["length"] = len(a.meta["upper"])

    return registry


def test_pipeline_refuses_a_stage_before_what_it_needs(toy_stages):
    with pytest.raises(StorylineError) as info:
        pipeline.Pipeline(["toy_len", "toy_upper"], Options())
    assert info.value.code == "PIPELINE_ORDER" and "upper" in info.value.message


def test_pipeline_runs_stages_in_order_and_skips_unanalysed_articles(toy_stages):
    english = Article.from_raw(RawDocument(source="a", doc="a", text="abc"))
    other = Article.from_raw(RawDocument(source="b", doc="b", text="xyz"))
    other.analysed = False
    pipeline.Pipeline(["toy_upper", "toy_len"], Options())([english, other])
    assert english.meta == {"upper": "ABC", "length": 3}
    assert other.meta == {"upper": "XYZ"} and "toy_len" not in other.done


def test_pipeline_names_unknown_stages(toy_stages):
    with pytest.raises(StorylineError) as info:
        pipeline.Pipeline(["no_such_stage"], Options())
    assert "no_such_stage" in info.value.message


def test_pipeline_runs_later_stages_on_what_an_article_already_carries(parsed_article):
    """`given`: a parsed article goes straight to the statements stage (as reanalysis does),
    and every stage that ran records its version."""
    article = parsed_article("Velorian Foreign Minister Ilse Varga said the harbour talks would resume on Monday.")
    with pytest.raises(StorylineError):
        pipeline.Pipeline(["statements"], Options())
    runner = pipeline.Pipeline(["statements"], Options(), given=("segments", "language", "docs"))
    runner([article])
    assert [s.text for s in article.statements] == ["the harbour talks would resume on Monday"]
    assert article.versions == {"statements": pipeline.stage_version("statements", Options())}
    assert article.versions["statements"].startswith("statements.v1;statements.rules.v1;")


def test_stage_version_changes_with_the_stage_code_version(toy_stages):
    before = pipeline.stage_version("toy_upper", Options())

    @pipeline.stage("toy_upper", requires=("text",), assigns=("upper",), version="toy_upper.v2")
    def toy_upper_v2(articles, ctx):
        pass

    assert before == "toy_upper.v1" and pipeline.stage_version("toy_upper", Options()) == "toy_upper.v2"
