from __future__ import annotations

import pytest

from storyline import pipeline
from storyline.errors import StorylineError
from storyline.model import Article, RawDocument
from storyline.settings import Options


@pytest.fixture
def toy_stages(monkeypatch):
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
