"""The language stage: py3langid; other languages stored but not analysed; short texts kept."""

from __future__ import annotations

from storyline.stages.language import set_language
from storyline.model import Article, RawDocument
from storyline.pipeline import Pipeline
from storyline.settings import Options

ENGLISH = ("Ostmark Foreign Minister Ilse Varga said on Friday that the ceasefire in the Carrow Saltmarsh was "
           "holding. Monitors from the Northern Seas Council reported no incidents overnight, and fishermen in "
           "Eskby said they hoped to return to the eastern channel next week.")
GERMAN = ("Die Außenministerin von Ostmark, Ilse Varga, sagte am Freitag, die Waffenruhe im Salzmarsch halte. "
          "Beobachter des Nordmeerrats meldeten keine Zwischenfälle, und die Fischer in Eskby hoffen, nächste "
          "Woche wieder in den östlichen Kanal fahren zu können.")


def article(text: str) -> Article:
    return Article.from_raw(RawDocument(source="x", doc="x", text=text))


def run(text: str, **options) -> Article:
    a = article(text)
    Pipeline(["segment", "language"], Options(**options))([a])
    return a


def test_english_article_is_analysed():
    a = run(ENGLISH)
    assert a.language == "en" and a.language_score > 0.9
    assert a.analysed and a.not_analysed_reason is None


def test_german_article_is_stored_but_not_analysed_with_a_reason():
    a = run(GERMAN)
    assert a.language == "de" and not a.analysed
    assert a.not_analysed_reason == "language de not analysed (only en)"


def test_german_is_analysed_when_the_option_allows_it():
    a = run(GERMAN, analyse_languages=("en", "de"))
    assert a.language == "de" and a.analysed


def test_short_text_is_not_excluded_on_a_weak_guess():
    a = article("Varga wins.")
    set_language(a, ("en",))
    assert a.analysed  # too short to be sure it is not English


def test_language_is_read_from_the_prose_not_the_page_furniture():
    page = ("Startseite  Nachrichten  Politik  Wirtschaft  Kultur  |  Impressum  Kontakt\n\n" + ENGLISH
            + "\n\nAnzeige\n\n© 2026 Hallen Rundschau")
    a = run(page)
    assert a.language == "en" and a.analysed
