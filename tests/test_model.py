from __future__ import annotations

from storyline.model import Article, RawDocument, Span, content_id, normalize_text


def test_stored_text_normalises_line_ends_and_unicode_form():
    assert normalize_text("\ufeffCafe\u0301 said\r\nhello\rworld\x00\n") == "Café said\nhello\nworld"


def test_article_id_is_the_content_hash_of_the_stored_text():
    a = Article.from_raw(RawDocument(source="a.txt", doc="a.txt", text="Same words.\r\n"))
    b = Article.from_raw(RawDocument(source="b.txt", doc="b.txt", text="Same words.\n"))
    assert a.id == b.id == content_id("Same words.")
    assert a.id != content_id("Other words.")


def test_span_keeps_offsets_and_exact_text():
    text = "Varga said the talks would resume."
    span = Span.of(text, 11, 33)
    assert (span.start, span.end, span.text) == (11, 33, "the talks would resume")


def test_article_to_dict_leaves_out_parse_results():
    a = Article.from_raw(RawDocument(source="a", doc="a", text="Text."))
    a.docs = [("segment", object())]
    data = a.to_dict()
    assert "docs" not in data and data["id"] == a.id
