"""Statement extraction on fictional sentences, one construction per test (GUIDE.md)."""

from __future__ import annotations

import pytest

from storyline.model import Article, RawDocument, Segment, Statement
from storyline.pipeline import Context
from storyline.settings import Options
from storyline.stages.statements.extract import extract, statements


@pytest.fixture
def run(nlp):
    """Extract statements from text; the first line is a title when `title=True`."""

    def _run(text: str, title: bool = False) -> list[Statement]:
        article = Article.from_raw(RawDocument(source="test", doc="test.txt", text=text))
        pos, segs = 0, []
        for line in article.text.split("\n"):
            if line.strip():
                kind = "title" if title and not segs else "paragraph"
                segs.append(Segment(pos, pos + len(line), kind))
            pos += len(line) + 1
        article.segments = segs
        article.docs = list(zip(segs, nlp.pipe([article.text[s.start:s.end] for s in segs])))
        found = extract(article)
        for stmt in found:  # the provenance invariant, for every statement
            if stmt.parts:
                assert stmt.text == " ".join(article.text[s:e] for s, e in stmt.parts)
                assert (stmt.start, stmt.end) == (stmt.parts[0][0], stmt.parts[-1][1])
            else:
                assert stmt.text == article.text[stmt.start:stmt.end]
            if stmt.speaker_mention:
                m = stmt.speaker_mention
                assert article.text[m.start:m.end] == m.text
            if stmt.cue_span:
                assert article.text[stmt.cue_span.start:stmt.cue_span.end] == stmt.cue_span.text
        return found

    return _run


def one(found: list[Statement], fragment: str) -> Statement:
    hits = [s for s in found if fragment in s.text]
    assert len(hits) == 1, [s.text for s in found]
    return hits[0]


def test_statements_direct_quote_with_cue_after(run):
    found = run("“The Harbour formula remains in force,” Velorian Foreign Minister Ilse Varga said on Monday.")
    s = one(found, "Harbour formula")
    assert (s.kind, s.text, s.cue) == ("direct", "The Harbour formula remains in force", "say")
    assert s.speaker_mention.text == "Velorian Foreign Minister Ilse Varga"
    assert s.extractor == "statements.rules.v1"


def test_statements_straight_quotes_and_inverted_cue(run):
    found = run('"We will not sign this treaty," said Tomas Rell, the president of Ostmark.')
    s = one(found, "sign this treaty")
    assert s.kind == "direct"
    assert s.speaker_mention.text.startswith("Tomas Rell")


def test_statements_quote_interrupted_by_its_cue_is_one_statement(run):
    found = run("“The harbour will stay open,” Varga said. “Nobody can close it without us.”")
    assert len(found) == 1
    s = found[0]
    assert s.kind == "direct" and len(s.parts) == 2
    assert s.text == "The harbour will stay open Nobody can close it without us."


def test_statements_quote_over_several_sentences(run):
    found = run("“The talks were long. They were also useful. We will meet again,” Rell told reporters.")
    s = one(found, "talks were long")
    assert s.kind == "direct" and s.text.endswith("We will meet again")
    assert s.speaker_mention.text == "Rell"


def test_statements_quote_running_over_paragraphs(run):
    found = run("Varga spoke after the meeting.\n“The talks were long.\n“We will meet again in May,” she said.")
    first, second = one(found, "talks were long"), one(found, "meet again")
    assert (first.kind, second.kind) == ("direct", "direct")
    assert first.text == "The talks were long." and second.text == "We will meet again in May"
    assert first.speaker_mention.text == "she" and second.speaker_mention is None  # the second continues the first


def test_statements_quote_over_three_paragraphs_opened_by_its_cue(run):
    found = run("Mayor Ivo Kask spoke to the council.\nHe said: “The pier is safe.\n“The ferries run again.\n"
                "“We thank the crews.”\nThe meeting ended at noon.")
    texts = [s.text for s in found]
    assert texts == ["The pier is safe.", "The ferries run again.", "We thank the crews."]
    assert [s.speaker_mention.text if s.speaker_mention else None for s in found] == ["He", None, None]


def test_statements_indirect_speech_with_that_clause(run):
    found = run("Ostmark's President Tomas Rell said that the prospects for a settlement look less realistic.")
    s = one(found, "prospects")
    assert (s.kind, s.cue) == ("indirect", "say")
    assert s.text == "the prospects for a settlement look less realistic"
    assert s.speaker_mention.text == "Ostmark's President Tomas Rell"


def test_statements_clause_before_the_cue(run):
    found = run("The region is safer now that both capitals talk again, Velorian Foreign Minister Ilse Varga has said.")
    s = one(found, "region is safer")
    assert s.text == "The region is safer now that both capitals talk again"
    assert s.speaker_mention.text == "Velorian Foreign Minister Ilse Varga"


def test_statements_told_reporters_and_via_outlet(run):
    found = run("The harbour will reopen next week, Rell told the Ostmark Herald newspaper.")
    s = one(found, "harbour will reopen")
    assert s.cue == "tell" and s.via == ["Ostmark Herald"]


def test_statements_according_to_person_before_and_after(run):
    found = run("According to Varga, the talks will resume in May.\n"
                "The ferry line will be restored, according to Ostmark's transport minister Petra Lind.")
    first = one(found, "talks will resume")
    assert first.cue == "according to" and first.speaker_mention.text == "Varga"
    assert first.text == "the talks will resume in May"
    second = one(found, "ferry line")
    assert second.text == "The ferry line will be restored"
    assert "Petra Lind" in second.speaker_mention.text


def test_statements_according_to_outlet_is_via_of_the_cue(run):
    found = run("The harbour deal is still valid, presidential aide Marek Dunn said, according to the Ostmark Herald newspaper.")
    s = one(found, "harbour deal")
    assert s.cue == "say" and s.via == ["Ostmark Herald"]
    assert "Marek Dunn" in s.speaker_mention.text


def test_statements_colon_introduced_quote(run):
    found = run("Varga emphasized: “Our position has not changed. The Harbour formula stands.”")
    s = one(found, "position has not changed")
    assert s.kind == "direct" and s.cue == "emphasize"
    assert s.text == "Our position has not changed. The Harbour formula stands."
    assert s.speaker_mention.text == "Varga"


def test_statements_attributing_headlines(run):
    found = run("Veloria: Harbour talks have run out of steam\nThe talks ended on Friday.", title=True)
    s = one(found, "Harbour talks")
    assert (s.cue, s.speaker_mention.text, s.text) == (":", "Veloria", "Harbour talks have run out of steam")
    found = run("Ostmark Confirms Harbour Talks Will Resume in May\nThe talks ended on Friday.", title=True)
    s = one(found, "Harbour Talks")
    assert s.cue == "confirm" and s.speaker_mention.text == "Ostmark"


def test_statements_headline_without_speaker_is_not_a_statement(run):
    found = run("Harbour Summit as a Milestone\nThe talks ended on Friday.", title=True)
    assert found == []


def test_statements_dash_attribution(run):
    found = run("The harbour belongs to all of us – Ilse Varga wrote on Telegram.")
    s = one(found, "harbour belongs")
    assert s.speaker_mention.text == "Ilse Varga" and s.channel == "Telegram"


def test_statements_transcript_speaker_label(run):
    found = run("RELL: We will never give up the harbour.\nVARGA: Nobody asked you to.")
    s = one(found, "never give up")
    assert s.speaker_mention.text == "RELL" and s.cue == ":" and s.kind == "direct"


def test_statements_clauses_hung_on_a_statement(run):
    found = run("Rell welcomed the Harbour talks, calling them a “turning point,” and adding that "
                "the ferry line would reopen soon.")
    welcome = one(found, "Harbour talks")
    assert welcome.cue == "welcome" and welcome.text == "the Harbour talks"
    calling = one(found, "turning point")
    assert calling.cue == "call" and calling.kind == "mixed"
    adding = one(found, "ferry line")
    assert adding.cue == "add" and adding.text == "the ferry line would reopen soon"
    assert {s.speaker_mention.text for s in found} == {"Rell"}


def test_statements_describing_and_noting(run):
    found = run("Varga has described the talks as “constructive and useful,” noting that both sides made concessions.")
    describe = one(found, "constructive")
    assert describe.cue == "describe" and describe.kind == "mixed"
    assert describe.text.startswith("the talks as")
    note = one(found, "concessions")
    assert note.cue == "note" and note.speaker_mention.text == "Varga"


def test_statements_expressed_hope(run):
    found = run("Rell expressed hope that the ferry line would reopen before winter.")
    s = one(found, "ferry line")
    assert s.cue == "express hope" and s.text == "the ferry line would reopen before winter"


def test_statements_warned_urged_accused_denied(run):
    found = run("Varga warned that the blockade could last for months.\n"
                "Rell urged Veloria to reopen the harbour.\n"
                "Ostmark accused Veloria of blocking the talks.\n"
                "The Velorian defence ministry denied that its ships had entered Ostmark's waters.")
    assert one(found, "blockade").cue == "warn"
    assert one(found, "reopen the harbour").cue == "urge"
    accuse = one(found, "blocking")
    assert accuse.cue == "accuse" and accuse.text == "Veloria of blocking the talks"
    deny = one(found, "ships")
    assert deny.cue == "deny" and deny.speaker_mention.text == "The Velorian defence ministry"


def test_statements_mixed_reported_speech_with_quoted_fragment(run):
    found = run("Varga said the Harbour formula had been “discussed in detail” with the Ostmark side.")
    s = one(found, "Harbour formula")
    assert s.kind == "mixed"
    assert s.text == "the Harbour formula had been “discussed in detail” with the Ostmark side"


def test_statements_scare_quotes_titles_and_actions_are_not_statements(run):
    found = run("Delegates discussed the so-called “Harbour formula” for hours.\n"
                "A banner reading “Peace Now” hung over the hall.\n"
                "Rell spoke by phone with Varga on Sunday.")
    assert found == []


def test_statements_unbalanced_quote_costs_only_its_own_statement(run):
    found = run("“The harbour will stay open, Varga said on Monday.\n"
                "Rell said the ferry line would reopen in May.\n"
                "“We are ready,” Varga told reporters.")
    assert one(found, "ferry line").speaker_mention.text == "Rell"
    assert one(found, "We are ready").kind == "direct"


def test_statements_standalone_quote_paragraph_has_no_speaker_mention(run):
    found = run("Rell said the talks would continue.\n“We will not stop until the harbour is open again.”")
    s = one(found, "harbour is open")
    assert s.kind == "direct" and s.speaker_mention is None


def test_statements_outlet_citing_unnamed_sources(run):
    found = run("Veloria will reopen the harbour next week, the Ostmark Herald newspaper reported, "
                "citing two unnamed officials.")
    s = one(found, "reopen the harbour")
    assert s.speaker == "anonymous" and s.speaker_type == "anonymous"
    assert s.via == ["Ostmark Herald"]


def test_statements_media_report_around_a_statement_becomes_its_via(run):
    found = run("Rell told Velorian leaders he hopes to meet Varga in May, the Ostmark Herald newspaper has reported.")
    assert len(found) == 1
    s = found[0]
    assert s.cue == "tell" and s.speaker_mention.text == "Rell" and s.via == ["Ostmark Herald"]


def test_statements_reportedly_is_hedged(run):
    found = run("Rell reportedly told Varga that the harbour would stay closed.\n"
                "Varga reportedly had a difficult call with Rell.")
    told = one(found, "stay closed")
    assert told.hedged and told.speaker_mention.text == "Rell"
    claim = one(found, "difficult call")
    assert claim.hedged and claim.speaker == "anonymous"


def test_statements_channel_from_interview_and_platform(run):
    found = run("“The harbour is ours,” Rell said in an interview with the Ostmark Herald newspaper.\n"
                "“We are ready to talk,” Varga wrote on X.")
    interview = one(found, "harbour is ours")
    assert interview.via == ["Ostmark Herald"] and interview.channel == "interview with Ostmark Herald"
    assert one(found, "ready to talk").channel == "X"


def test_statements_stage_fills_article_statements(nlp):
    text = "Rell said the talks would continue."
    article = Article.from_raw(RawDocument(source="t", doc="t.txt", text=text))
    seg = Segment(0, len(article.text))
    article.segments = [seg]
    article.docs = [(seg, nlp(article.text))]
    statements([article], Context(Options()))
    assert [s.text for s in article.statements] == ["the talks would continue"]


def test_statements_according_to_inside_a_relative_clause(run):
    found = run("Velorian forces detained six Ostmark guards who, according to Veloria, had crossed the line.")
    s = one(found, "crossed the line")
    assert s.cue == "according to" and s.speaker_mention.text == "Veloria"
    assert s.text == "six Ostmark guards had crossed the line"


def test_statements_long_apposition_before_a_final_cue(run):
    found = run("The harbour must stay open to all ships, Marek Dunn, the former head of the Ostmark "
                "Fishing Guild – Northern Branch, has said.")
    s = one(found, "harbour must stay open")
    assert s.speaker_mention.text.startswith("Marek Dunn")


def test_statements_hopes_that_counts_even_when_the_lemma_slips(run):
    found = run("Rell hopes that the harbour will reopen before winter.")
    s = one(found, "harbour will reopen")
    assert s.cue == "hope" and s.speaker_mention.text == "Rell"


def test_statements_refusals_and_bare_pronoun_objects_are_not_statements(run):
    found = run("The Velorian ministry declined to comment.\nOstmark denied it.\nRell spoke to reporters.")
    assert found == []


def test_statements_outlet_as_speaker_of_its_own_report(run):
    found = run("The Ostmark Herald newspaper reported that the ferry line would reopen in May.")
    s = one(found, "ferry line")
    assert s.cue == "report" and s.speaker_mention.text == "The Ostmark Herald newspaper"
    assert s.via == []


def test_statements_two_speakers_in_one_sentence(run):
    found = run("Varga said the talks had gone well, while Rell said they had achieved nothing.")
    varga = one(found, "gone well")
    assert varga.text == "the talks had gone well" and varga.speaker_mention.text == "Varga"
    rell = one(found, "achieved nothing")
    assert rell.speaker_mention.text == "Rell"


def test_statements_parenthetical_attribution(run):
    found = run("The ferry plan, officials say, could take months.")
    s = one(found, "ferry plan")
    assert s.text == "The ferry plan could take months" and s.speaker == "anonymous"


def test_statements_british_single_quotes(run):
    found = run("‘We will fight on,’ Varga said. ‘There is no other way.’\n"
                "Rell said the leaders’ summit would go ahead.")
    s = one(found, "fight on")
    assert s.kind == "direct" and s.text == "We will fight on There is no other way."
    assert one(found, "summit would go ahead").kind == "indirect"


def test_statements_cue_in_a_relative_clause_is_its_own_statement(run):
    found = run("Varga called for a temporary council in the marsh, which she said would allow fair elections.")
    call = one(found, "temporary council")
    assert call.cue == "call for" and call.text == "a temporary council in the marsh"
    said = one(found, "fair elections")
    assert said.text == "would allow fair elections" and said.speaker_mention.text == "she"


def test_statements_organisation_referred_to_as_it(run):
    found = run("The Velorian ministry issued a statement on Monday. It said the ferry would run again in May.")
    s = one(found, "ferry would run")
    assert s.speaker_mention.text == "It"


def test_statements_relative_clause_speaker_is_the_antecedent(run):
    found = run("The ferry resumed on Monday, welcomed by the harbour master, who said traffic was back to normal.")
    s = one(found, "traffic was back")
    assert s.speaker_mention.text == "the harbour master"


def test_statements_content_never_cuts_a_quotation_in_two(run):
    found = run("A government source in Hallen called the comment “unhelpful, but expected”.")
    s = one(found, "unhelpful")
    assert s.text == "the comment “unhelpful, but expected”"
    assert s.speaker == "anonymous"


def test_statements_quote_after_a_colon_without_a_cue_takes_the_clause_subject(run):
    found = run("Varga was blunt: “We will not sign this text.”")
    s = one(found, "not sign")
    assert s.kind == "direct" and s.speaker_mention.text == "Varga"


def test_statements_via_from_a_newspaper_name_and_no_channel_from_quoted_words(run):
    found = run("“There is no military solution,” Marenko wrote in the Ostmark Herald.\n"
                "The ministry said its forces had observed the truce “to the letter.”\n"
                "Piskunov, who covered the talks on site, said the reporters were treated well.")
    assert one(found, "military solution").via == ["Ostmark Herald"]
    truce = one(found, "truce")
    assert truce.channel is None and truce.via == []
    assert one(found, "treated well").via == []


def test_statements_speaker_mention_leaves_out_the_date(run):
    found = run("Veloria's president on Tuesday accused Ostmark of stalling the border talks.")
    s = one(found, "stalling")
    assert s.speaker_mention.text == "Veloria's president" and s.cue == "accuse"


def test_statements_headline_quote_before_a_colon(run):
    found = run("‘We will not give up’: Varga vows to keep the harbour open\nThe talks ended on Friday.", title=True)
    s = one(found, "not give up")
    assert s.kind == "direct" and s.speaker_mention.text == "Varga"


def test_statements_participle_describing_a_statement(run):
    found = run("Ostmark's allies released a joint statement after the summit blaming Veloria for the clashes.")
    s = one(found, "Veloria for the clashes")
    assert s.cue == "blame" and s.speaker_mention.text == "Ostmark's allies"


def test_statements_refusing_to_say_is_not_a_statement(run):
    assert run("Rell would not say whether Veloria would give up the post.") == []


def test_statements_unknown_outlet_citing_sources_is_the_via(run):
    found = run("Northline reported, citing two unnamed diplomats, that the ferry would resume in May.")
    s = one(found, "ferry would resume")
    assert s.speaker == "anonymous" and s.via == ["Northline"]
    assert s.text == "the ferry would resume in May"


def test_statements_sources_who_asked_not_to_be_named_are_anonymous(run):
    found = run("The official, who asked not to be named, said the ferry would be late.\n"
                "Rell said he would not be named minister.")
    assert one(found, "ferry").speaker == "anonymous"
    assert one(found, "named minister").speaker is None


def test_statements_channel_from_a_participle_before_the_cue(run):
    found = run("Writing on Telegram, Varga said the ferry would run again in May.")
    s = one(found, "ferry would run")
    assert s.channel == "Telegram" and s.speaker_mention.text == "Varga"


def test_statements_dateline_is_not_part_of_the_speaker(run):
    found = run("SARN, Feb 17 (Veloria Wire) — Veloria demanded on Tuesday the immediate release of nine fishermen.")
    s = one(found, "release of nine fishermen")
    assert s.speaker_mention.text == "Veloria" and s.cue == "demand"


def test_statements_reported_questions_are_not_claims_but_quoted_ones_are_kept(run):
    found = run("Reporters asked whether the talks would resume.\n“Why now?” Varga asked.")
    assert [s.text for s in found] == ["Why now?"]
    assert found[0].cue == "ask" and found[0].kind == "direct"


def test_statements_common_non_statements(run):
    found = run("That said, the harbour remained closed for most of the week.\n"
                "The ferry, called the Grey Swan, left port at dawn.\n"
                "Rell called Varga on Tuesday to discuss the talks.\n"
                "The ministry announced new sanctions on Monday.\n"
                "The film, titled “Harbour Lights”, opens next week.\n"
                "Varga posted a video of the harbour.\n"
                "Rell wants to say more about the deal next week.\n"
                "It is unclear whether the talks will resume.")
    assert found == []


def test_statements_call_on_and_call_for(run):
    found = run("Rell called on Veloria to withdraw its troops.\nVarga called for an immediate ceasefire.")
    assert one(found, "withdraw").cue == "call on"
    assert one(found, "ceasefire").text == "an immediate ceasefire"


def test_statements_wire_dateline_is_not_part_of_the_content(run):
    found = run("SARN, April 14 (Veloria Wire) — Preparations for talks on the border have stalled, "
                "Foreign Minister Ilse Varga said, adding that Ostmark was to blame.\n"
                "OSTMARK CITY, Ostmark, 15 April 2026 – The harbour will stay open, Tomas Rell said.")
    s = one(found, "Preparations")
    assert s.text.startswith("Preparations for talks") and s.speaker_mention.text.endswith("Ilse Varga")
    assert one(found, "harbour will stay open").text == "The harbour will stay open"


def test_statements_that_clause_parsed_inside_the_interview_phrase(run):
    found = run("Varga told the Ostmark Herald in an interview published on Monday that contacts with Sarn "
                "on the technical talks “have stalled, and they have stalled for one reason”.")
    s = one(found, "contacts with Sarn")
    assert s.kind == "mixed" and s.cue == "tell" and s.speaker_mention.text == "Varga"
    assert s.text.startswith("contacts with Sarn") and s.text.endswith("they have stalled for one reason”")


def test_statements_quote_of_several_sentences_before_a_dash_attribution(run):
    found = run("“Heron Point is manned by coastguards checking fishing licences. If that is a threat, "
                "Ostmark has a very nervous navy.” – Rell wrote on Chirp late on Monday.")
    s = one(found, "Heron Point")
    assert len(found) == 1 and s.kind == "direct" and s.cue == "write"
    assert s.speaker_mention.text == "Rell" and s.text.endswith("a very nervous navy.")


def test_statements_that_clause_of_another_speaker_in_the_frame_is_not_the_cue_content(run):
    found = run("“Next round in Sarn,” Varga suggested to Rell, to which the Ostmark leader responded "
                "that he sees it as possible.")
    assert one(found, "Next round").speaker_mention.text == "Varga"
    assert all(s.speaker_mention is None or s.speaker_mention.text != "Varga" for s in found if "sees it" in s.text)


@pytest.mark.parametrize("sentence,content", [
    ("Mayor Ivo Kask recalled that the pier had flooded twice.", "the pier had flooded twice"),
    ("Kask reminded the council that the budget was tight.", "the budget was tight"),
    ("“We will rebuild,” Kask continued.", "We will rebuild"),
])
def test_statements_long_tail_of_speech_verbs(run, sentence, content):
    found = run(sentence)
    assert content in [s.text for s in found]


def test_statements_two_apostrophes_stand_for_a_double_mark(run):
    found = run("''The pier is safe,'' said Ana Cole, a harbour engineer. ''We checked it twice.''")
    assert [s.text for s in found] == ["The pier is safe", "We checked it twice."]
    assert found[0].kind == "direct" and found[0].speaker_mention.text.startswith("Ana Cole")


def test_statements_headline_topic_is_never_a_speaker(run):
    found = run("Coronavirus: City Ramps Up Testing\nThe city tested 400 people for the coronavirus on Monday.",
                title=True)
    assert found == []


def test_statements_first_line_headline_with_a_named_speaker():
    from storyline.pipeline import Pipeline, available_stages
    from storyline.settings import Options

    raw = RawDocument(source="t", doc="t.txt",
                      text="Mayor: Harbour Talks Are Over, Ferries Will Stop.\n\nThe mayor of Brenholt spoke.")
    article = list(Pipeline(available_stages(), Options())([Article.from_raw(raw)]))[0]
    assert [(s.text, s.speaker_mention.text) for s in article.statements] == \
        [("Harbour Talks Are Over, Ferries Will Stop.", "Mayor")]


def test_statements_claimed_victory_is_a_claim(run):
    found = run("The harbour party claimed victory in the Brenholt council vote.")
    assert [s.text for s in found] == ["victory in the Brenholt council vote"]
