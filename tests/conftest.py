"""Shared fixtures: small, built by hand. Tests that need ../shared skip with a reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYLINE_SHARED", REPO.parent / "shared"))
ANCHORAGE = SHARED / "corpus" / "anchorage"
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def anchorage_dir() -> Path:
    """The five real dev articles; skips when ../shared is not beside the repo."""
    if not (ANCHORAGE / "gold" / "statements.jsonl").exists():
        pytest.skip(f"../shared corpus not found at {ANCHORAGE} (set STORYLINE_SHARED to its folder)")
    return ANCHORAGE


@pytest.fixture(scope="session")
def nlp():
    """The spaCy English model, loaded once for the session."""
    from storyline import nlp as nlp_module

    return nlp_module.load(None)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def parsed_article(nlp):
    """Build an Article from a few paragraphs of your own (fictional) text.

    `parsed_article("First paragraph.", "Second one.", published="2026-03-05")`: the
    paragraphs are joined by newlines, each is one segment (`sections={i: "2026-03-04"}`
    gives segment i a live-blog section date), and each segment is parsed with the
    session's spaCy model (`Article.docs`), as the `parse` stage leaves it. Pass
    `parse=False` for the segments alone.
    """
    from storyline.model import Article, Segment, content_id

    def make(*paragraphs: str, published: str | None = "2026-03-05", outlet: str | None = "Test Wire",
             doc: str = "test.txt", sections: dict | None = None, parse: bool = True) -> Article:
        text = "\n".join(paragraphs)
        article = Article(id=content_id(text), text=text, source=doc, doc=doc, sources=[doc], outlet=outlet,
                          published=published, published_precision="day" if published else None,
                          language="en")
        pos = 0
        for i, para in enumerate(paragraphs):
            article.segments.append(Segment(pos, pos + len(para), section_date=(sections or {}).get(i)))
            pos += len(para) + 1
        article.done.update({"segment", "metadata", "language"})
        if parse:
            segs = article.analysed_segments()
            article.docs = list(zip(segs, nlp.pipe(text[s.start:s.end] for s in segs)))
            article.done.add("parse")
        return article

    return make
