"""Statement dates: explicit time words, background, live-blog sections, published dates."""

from __future__ import annotations

import pytest

from storyline.stages.dates import date_statements
from storyline.model import Article, Mention, Segment, Statement


def build(paragraphs, statements, published="2026-03-05", precision="day", sections=None, nlp=None):
    """An article from paragraphs; statements as (content, cue word, speaker), found in order."""
    text = "\n".join(paragraphs)
    article = Article(id="t", text=text, source="test", doc="test.txt", published=published,
                      published_precision=precision if published else None)
    pos = 0
    for i, para in enumerate(paragraphs):
        kind = "heading" if not para.rstrip().endswith((".", "”", '"')) else "paragraph"
        section = (sections or {}).get(i)
        article.segments.append(Segment(pos, pos + len(para), kind=kind, section_date=section))
        pos += len(para) + 1
    after = 0
    for content, cue, speaker in statements:
        start = text.index(content, after)
        end = start + len(content)
        spots = [i for i in range(len(text)) if text.startswith(cue, i) and not start <= i < end] if cue else []
        cue_at = min(spots, key=lambda i: min(abs(i - start), abs(i - end))) if spots else None
        st = Statement(start, end, content, "indirect", speaker=speaker)
        if cue_at is not None:
            st.cue_span = Mention(cue_at, cue_at + len(cue), cue)
        article.statements.append(st)
        after = start
    if nlp is not None:
        article.docs = [(seg, nlp(text[seg.start:seg.end])) for seg in article.segments]
    date_statements(article)
    return article


def dates_of(article):
    return [(s.date, s.date_basis) for s in article.statements]


@pytest.fixture(params=["rules", "parse"])
def parsed(request, nlp):
    """Run each case with and without a spaCy parse: both must give the same dates."""
    return nlp if request.param == "parse" else None


def test_dates_statement_with_its_own_weekday_is_explicit(parsed):
    # 2026-03-05 is a Thursday: "on Sunday" is 1 March.
    a = build(["Kesh told reporters on Sunday that the talks were over."],
              [("the talks were over", "told", "Anton Kesh")], nlp=parsed)
    assert dates_of(a) == [("2026-03-01", "explicit")]
    ev = a.statements[0].date_evidence
    assert a.text[ev.start:ev.end] == "Sunday"


def test_dates_time_words_inside_the_content_do_not_date_the_statement(parsed):
    a = build(["Varga said the ministers would meet again on Monday."],
              [("the ministers would meet again on Monday", "said", "Ilse Varga")], nlp=parsed)
    assert dates_of(a) == [("2026-03-05", "published")]


def test_dates_time_words_in_a_relative_clause_do_not_date_the_statement(parsed):
    a = build(["Hask, who was elected prime minister last year, said the deal was fair."],
              [("the deal was fair", "said", "Bertil Hask")], nlp=parsed)
    assert dates_of(a) == [("2026-03-05", "published")]


def test_dates_following_statements_of_the_same_speaker_share_the_explicit_date(parsed):
    a = build(["Kesh told reporters on Sunday that the talks were over. “We are done,” he said. "
               "Varga said the door was open."],
              [("the talks were over", "told", "Anton Kesh"), ("We are done", "said", "Anton Kesh"),
               ("the door was open", "said", "Ilse Varga")], nlp=parsed)
    assert dates_of(a) == [("2026-03-01", "explicit"), ("2026-03-01", "explicit"), ("2026-03-05", "published")]


def test_dates_background_paragraph_statements_are_undated(parsed):
    a = build([
        "Varga said the talks were going well.",
        "Rell: the border must stay open",
        "Earlier, Velorian Foreign Minister Tomas Rell said the border must stay open. Rell also said fishermen were at risk.",
        "“We will not give up the Saltmarsh,” Rell added.",
        "According to Varga, the next round will start soon.",
    ], [
        ("the talks were going well", "said", "Ilse Varga"),
        ("the border must stay open", None, "Tomas Rell"),
        ("the border must stay open.", "said", "Tomas Rell"),
        ("fishermen were at risk", "said", "Tomas Rell"),
        ("We will not give up the Saltmarsh", "added", "Tomas Rell"),
        ("the next round will start soon", "According to", "Ilse Varga"),
    ], nlp=parsed)
    assert dates_of(a) == [("2026-03-05", "published")] + [(None, "none")] * 4 + [("2026-03-05", "published")]


@pytest.mark.parametrize("sentence", [
    "The ministry had previously warned that the bridge was unsafe.",
    "Ostmark has long argued that the bridge was unsafe.",
    "We recall that the ministry said the bridge was unsafe.",
])
def test_dates_statements_marked_as_earlier_are_undated(sentence, parsed):
    a = build([sentence], [("the bridge was unsafe", None, "Ostmark Foreign Ministry")], nlp=parsed)
    assert dates_of(a) == [(None, "none")]


def test_dates_live_blog_items_take_their_section_date(parsed):
    a = build([
        "Talks ended in Port Alder after the harbour summit, Varga said.",
        "Earlier, Kesh said the summit was a success.",
        "Rell confirmed on Wednesday that the ceasefire holds.",
        "Harrow said monitors were ready.",
    ], [
        ("Talks ended in Port Alder after the harbour summit", "said", "Ilse Varga"),
        ("the summit was a success", "said", "Anton Kesh"),
        ("the ceasefire holds", "confirmed", "Tomas Rell"),
        ("monitors were ready", "said", "Ines Harrow"),
    ], published=None, sections={1: "2026-03-05", 2: "2026-03-05", 3: "2026-03-04"}, nlp=parsed)
    # The intro stands under the newest section; a bare "Earlier," in a live feed is the same day.
    assert dates_of(a) == [("2026-03-05", "section"), ("2026-03-05", "section"),
                           ("2026-03-04", "explicit"), ("2026-03-04", "section")]


def test_dates_published_month_gives_month_dates(parsed):
    a = build(["Kesh told reporters on Sunday that the talks were over. Varga said the door was open."],
              [("the talks were over", "told", "Anton Kesh"), ("the door was open", "said", "Ilse Varga")],
              published="2026-03", precision="month", nlp=parsed)
    assert dates_of(a) == [("2026-03", "explicit"), ("2026-03", "published")]


def test_dates_without_any_date_stay_null_never_today(parsed):
    a = build(["Kesh said on Monday that the talks were over. Varga said the door was open."],
              [("the talks were over", "said", "Anton Kesh"), ("the door was open", "said", "Ilse Varga")],
              published=None, nlp=parsed)
    assert dates_of(a) == [(None, "none"), (None, "none")]


def test_dates_explicit_month_words_give_a_month(parsed):
    a = build(["Earlier in February, Rell called the bridge a trap. Varga reaffirmed this month that talks go on."],
              [("the bridge a trap", "called", "Tomas Rell"), ("talks go on", "reaffirmed", "Ilse Varga")],
              nlp=parsed)
    assert dates_of(a) == [("2026-02", "explicit"), ("2026-03", "explicit")]


def test_dates_stores_the_article_timexes_with_article_offsets():
    a = build(["Title line", "Kesh spoke on Sunday and again on 3 March 2026."], [], nlp=None)
    assert [(t.text, t.value) for t in a.timexes] == [("Sunday", "2026-03-01"), ("3 March 2026", "2026-03-03")]
    assert all(a.text[t.start:t.end] == t.text for t in a.timexes)


def test_dates_dev_corpus_accuracy_with_gold_statements(anchorage_dir):
    """The dates stage alone, on the dev gold statements placed in their articles."""
    from storyline.evaluation.timex import evaluate_dates

    result = evaluate_dates(anchorage_dir)
    assert result["unplaced"] <= 2
    # One article of the five has no date in its text at all, so its 14 statements
    # cannot be dated; everything else must be right.
    assert result["date_accuracy"] >= 0.94


def test_dates_a_date_after_the_report_never_dates_the_saying(parsed):
    a = build(["Kesh said he wants talks “soon”, as early as 12 March."],
              [("he wants talks “soon”", "said", "Anton Kesh")], nlp=parsed)
    assert dates_of(a) == [("2026-03-05", "published")]


# --- work grows linearly with the input (issue 15, defect 5) ----------------------------------

class _Counting:
    """A stand-in for a compiled pattern that counts the matches it hands out."""

    def __init__(self, pattern, counter):
        self.pattern, self.counter = pattern, counter

    def finditer(self, *args):
        for m in self.pattern.finditer(*args):
            self.counter["matches"] += 1
            yield m

    def __getattr__(self, name):
        return getattr(self.pattern, name)


def _quote_flood(n: int) -> tuple[list[str], list[tuple[str, str, str]]]:
    lines = [f"“Line {k} of the harbour report is true,” Pella Rusk said on Monday." for k in range(n)]
    statements = [(f"Line {k} of the harbour report is true", "said", "Pella Rusk") for k in range(n)]
    return [" ".join(lines)], statements


def _work(monkeypatch, n: int, nlp=None) -> int:
    from storyline.stages import dates

    counter = {"matches": 0, "spans": 0, "timexes": 0}
    monkeypatch.setattr(dates, "_SENTENCE_END", _Counting(dates._SENTENCE_END, counter))
    real_sentences, real_inside = dates.sentences, dates._inside

    def counting_sentences(doc):
        out = real_sentences(doc)
        counter["spans"] += len(out)
        return out

    def counting_inside(start, end, spans):
        counter["timexes"] += 1
        return real_inside(start, end, spans)

    monkeypatch.setattr(dates, "sentences", counting_sentences)
    monkeypatch.setattr(dates, "_inside", counting_inside)
    paragraphs, statements = _quote_flood(n)
    article = build(paragraphs, statements, nlp=nlp)
    assert all(st.date == "2026-03-02" for st in article.statements)  # each dated by its own "on Monday"
    return counter["matches"] + counter["spans"] + counter["timexes"]


def test_dates_work_is_linear_in_the_quotes_of_one_paragraph(monkeypatch):
    # One paragraph with many quotes: sentences are split once, not once per statement,
    # and each statement looks only at the time words of its own sentence.
    small, large = _work(monkeypatch, 60), _work(monkeypatch, 240)
    assert large <= 5 * small, (small, large)  # linear: ~4x; recomputing per statement: ~16x


def test_dates_work_is_linear_with_a_parse_too(monkeypatch, nlp):
    small, large = _work(monkeypatch, 20, nlp), _work(monkeypatch, 80, nlp)
    assert large <= 5 * small, (small, large)
