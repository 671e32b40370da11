"""Event parties, dates and mentions from the article's context (issue 13, round two):
fullest names, relative subjects, outside reporters, dates from other reports of the same
event, nested noun triggers, and the speakers' cast reused by the events stage."""

from __future__ import annotations

import pytest

from storyline.model import Article
from storyline.pipeline import Context
from storyline.settings import Options
from storyline.stages.events import participants
from storyline.stages.events.code import code_article, events_stage
from storyline.stages.events.participants import Resolver
from storyline.stages.speakers.resolve import build_cast
from tests.test_events import article_of


def test_fullest_name_takes_the_words_the_article_writes_after_a_cut_name():
    text = ("Talin Vos Ek Meets Rell In Hallen\n"
            "Velorian envoy Talin Vos Ek met Rell on Monday. Later Talin Vos Ek said the talks went well.\n"
            "Mara Dul Sen Visits Sarn")
    resolver = Resolver(Article(id="a", text=text, source="a.txt", doc="a.txt"))
    assert resolver.fullest("Talin Vos") == "Talin Vos Ek"  # twice in running text
    assert resolver.fullest("Mara Dul") == "Mara Dul"  # only in a title-case headline
    assert resolver.fullest("Rell") == "Rell"  # one word: never extended


def test_relative_subject_is_the_party_and_an_outside_reporter_is_not(nlp):
    art = article_of(nlp, ["Title", "The ministers, who met with Ilse Varga on Monday, left Hallen."])
    [met] = [e for e in code_article(art) if e.event_type == "CONSULT"]
    assert "ministers" in met.actors and "Ilse Varga" in met.actors
    art = article_of(nlp, ["Title", "The Hallen Gazette confirmed the meeting on Tuesday."])
    [meeting] = [e for e in code_article(art) if e.event_type == "CONSULT"]
    assert "Hallen Gazette" not in meeting.actors


def test_a_report_dated_by_the_published_day_takes_the_day_another_report_gives(nlp):
    art = article_of(nlp, ["Title", "Veloria and Ostmark held talks in Hallen on Tuesday.",
                           "The talks ended without a deal, officials said.",
                           "The two sides will hold talks again next month."], published="2026-03-05")
    talks = [e for e in code_article(art) if e.event_type == "CONSULT"]
    dated, later = talks[0], talks[1]
    assert (dated.date, dated.date_basis) == ("2026-03-03", "explicit")
    assert (later.date, later.date_basis) == ("2026-03-03", "report")
    assert all(e.date_basis != "report" for e in talks if e.future)  # what is still to come keeps its own date


@pytest.mark.parametrize("sentence, consult", [
    ("Veloria and Ostmark reached an agreement on the meeting.", 0),  # the meeting is the topic
    ("Veloria held talks with Ostmark in Hallen.", 1),
])
def test_a_noun_that_is_the_topic_of_another_event_is_no_mention(nlp, sentence, consult):
    art = article_of(nlp, ["Title", sentence])
    assert sum(e.event_type == "CONSULT" for e in code_article(art)) == consult


def test_no_questions_asked_is_no_request(nlp):
    art = article_of(nlp, ["Title", "They will let the guards go, no questions asked."])
    assert not [e for e in code_article(art) if e.event_type == "REQUEST"]


def test_events_stage_reuses_the_speakers_cast(nlp, monkeypatch):
    art = article_of(nlp, ["Title", "Velorian President Dana Korvel arrived in Hallen on Monday.",
                           "She met Ostmark officials at the port."])
    art.analysed = True
    cast = build_cast(art)
    ctx = Context(Options())
    ctx.cache["casts"] = {id(art): (art, cast)}

    def no_second_build(*_a, **_k):
        raise AssertionError("the cast was built again")

    monkeypatch.setattr(participants, "build_cast", no_second_build)
    events_stage([art], ctx)
    met = next(e for e in art.events if e.trigger.text == "met")
    assert "Dana Korvel" in met.actors  # the pronoun resolved with the reused cast


def test_an_acronym_party_is_the_name_the_article_spells_out(nlp):
    text = "The Velorian Fisheries Board (VFB) met on Monday.\nThe VFB sanctioned Ostmark."
    resolver = Resolver(Article(id="a", text=text, source="a.txt", doc="a.txt"))
    assert resolver.expand("VFB") == "Velorian Fisheries Board"
    assert resolver.expand("OSC") == "OSC"  # never spelled out: as written
    art = article_of(nlp, ["The Velorian Fisheries Board (VFB) met on Monday.", "The VFB sanctioned Ostmark."])
    [sanction] = [e for e in code_article(art) if e.event_type == "SANCTION"]
    assert sanction.actors == ["Velorian Fisheries Board"]


def test_we_in_a_quotation_is_the_speakers_organisation(nlp):
    from storyline.model import Statement

    para = "“We met Ostmark officials in Hallen,” said Ilse Varga of the Velorian Fisheries Board."
    end = len("Title\n") + para.index("”") + 1
    quote = Statement(len("Title\n"), end, para[:para.index("”") + 1], "direct", speaker="Ilse Varga",
                      speaker_type="person", speaker_affiliation="Velorian Fisheries Board")
    art = article_of(nlp, ["Title", para], statements=[quote])
    [met] = [e for e in code_article(art) if e.event_type == "CONSULT"]
    assert "Velorian Fisheries Board" in met.actors and "Ilse Varga" not in met.actors
    quote.speaker_affiliation = None  # no organisation given: the speaker
    [met] = [e for e in code_article(art) if e.event_type == "CONSULT"]
    assert "Ilse Varga" in met.actors


def test_a_name_the_tagger_cut_short_runs_on_to_its_last_word(nlp):
    # the tagger ends the PERSON at "Sol" and leaves "In" outside: the party is the whole name
    art = article_of(nlp, ["Title", "Velorian President Moon Sol In and Ostmark leader Ri Jong Un held talks in Hallen."])
    [talks] = [e for e in code_article(art) if e.event_type == "CONSULT"]
    assert "Moon Sol In" in talks.actors and "Ri Jong Un" in talks.actors
