"""Quotation-mark pairing and direct/mixed/indirect classification (no spaCy needed)."""

from __future__ import annotations

from storyline.stages.statements.cue_words import find_outlet, headline_lemma, normalise_outlet
from storyline.stages.statements.quotes import QuoteIndex, classify, find_quotes


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def inner(text: str, quote) -> list[str]:
    return [text[s:e] for s, e in quote.pieces]


def test_quotes_pairs_curly_marks():
    text = "“The harbour stays open,” Varga said. Rell called it “a trap.”"
    quotes = find_quotes(text, paragraphs(text))
    assert [inner(text, q) for q in quotes] == [["The harbour stays open,"], ["a trap."]]


def test_quotes_pairs_straight_marks_and_ignores_a_stray_nested_one():
    text = '"We must state that the "Harbour formula is dead," Varga told the "Ostmark Herald" paper.'
    quotes = find_quotes(text, paragraphs(text))
    assert [inner(text, q) for q in quotes] == [['We must state that the "Harbour formula is dead,'],
                                                ["Ostmark Herald"]]


def test_quotes_run_over_paragraphs_when_the_next_opens_with_a_mark():
    text = "“The talks went well.\n“We will meet again in May,” Rell said."
    quotes = find_quotes(text, paragraphs(text))
    assert len(quotes) == 1
    assert inner(text, quotes[0]) == ["The talks went well.", "We will meet again in May,"]


def test_quotes_unbalanced_mark_is_dropped_and_later_quotes_survive():
    text = "“The talks went well, Rell said.\nVarga said the plan was “dead on arrival.”"
    quotes = find_quotes(text, paragraphs(text))
    assert [inner(text, q) for q in quotes] == [["dead on arrival."]]


def test_classify_tells_direct_mixed_and_indirect_apart():
    text = "“It is over.” The plan is “dead on arrival” now. The plan failed."
    index = QuoteIndex(find_quotes(text, paragraphs(text)))
    kind, parts, s, e = classify(text, 0, 13, index)
    assert (kind, text[s:e]) == ("direct", "It is over.")
    assert classify(text, 14, 48, index)[0] == "mixed"
    assert classify(text, 49, len(text), index)[0] == "indirect"


def test_classify_keeps_joined_quotes_direct():
    text = '"there is no momentum", and "the process is stalled"'
    index = QuoteIndex(find_quotes(text, paragraphs(text)))
    assert classify(text, 0, len(text), index)[0] == "direct"


def test_outlet_names_are_normalised():
    assert normalise_outlet("the New York Times") == "New York Times"
    assert normalise_outlet("the “Interfax” agency") == "Interfax"
    assert normalise_outlet("the Ostmark Herald newspaper") == "Ostmark Herald"
    assert normalise_outlet("Berlin-based tabloid Bild") == "Bild"
    assert find_outlet("Fox News’ Sean Hannity") == "Fox News"


def test_headline_verbs_are_recognised_in_title_case():
    assert headline_lemma("Confirms") == "confirm"
    assert headline_lemma("Says") == "say"
    assert headline_lemma("Denies") == "deny"
    assert headline_lemma("Expects") is None


def test_quotes_single_curly_marks_pair_only_without_double_marks():
    text = "‘We don’t give up,’ Varga said of the leaders’ plan."
    quotes = find_quotes(text, paragraphs(text))
    assert [inner(text, q) for q in quotes] == [["We don’t give up,"]]
    text = "“We don’t give up,” Varga said of the ‘plan’."
    assert [inner(text, q) for q in find_quotes(text, paragraphs(text))] == [["We don’t give up,"]]


def test_display_text_puts_an_ellipsis_between_the_parts_of_an_interrupted_quote():
    from storyline.stages.statements.quotes import display_text

    text = "The harbour is safe, the ferries run"  # parts joined with one space (GUIDE)
    parts = [[10, 30], [50, 65]]  # "The harbour is safe," and "the ferries run"
    assert display_text(text, parts) == "The harbour is safe, … the ferries run"
    assert display_text("One run of words", []) == "One run of words"
    assert display_text("Lengths that do not add up", [[0, 3], [9, 40]]) == "Lengths that do not add up"
