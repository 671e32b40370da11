"""The segment stage: exact offsets, page furniture marked with a reason, live-blog sections."""

from __future__ import annotations

from storyline.model import Article, RawDocument
from storyline.stages.segment import is_navigation, match_date, parse_dateline, segment_text

PAGE = """THE SARN GAZETTE
Home  World  Politics  Business  Sport  Opinion  |  Subscribe  Sign in

WORLD

Varga says Saltmarsh ceasefire is holding

Mar 7, 2026 09:15   4 210

Photo: Gazette / Ola Brant
Ilse Varga at the Customs House on Friday.

Ostmark Foreign Minister Ilse Varga said on Friday that the ceasefire in the Carrow Saltmarsh was holding, a week after it took effect.

Advertisement

Monitors still waiting

“Nobody has fired a shot,” Varga told reporters in Port Alder. “That is what matters.”

Author`s name Ola Brant
Editor Tove Lind

Read more:
Kesh: talks on the border must start in May
Fishermen return to the eastern channel

Share this article
© 2026 Sarn Gazette Ltd
"""


def segments_by_text(text: str) -> dict[str, object]:
    return {text[s.start:s.end]: s for s in segment_text(text)}


def test_segments_are_exact_offsets_into_the_text():
    segments = segment_text(PAGE)
    assert segments, "no segments"
    for seg in segments:
        piece = PAGE[seg.start:seg.end]
        assert piece == piece.strip() and piece and "\n" not in piece
    assert [s.start for s in segments] == sorted(s.start for s in segments)


def test_page_furniture_is_boilerplate_with_a_reason():
    segs = segments_by_text(PAGE)
    expected = {
        "THE SARN GAZETTE": "masthead",
        "Home  World  Politics  Business  Sport  Opinion  |  Subscribe  Sign in": "navigation",
        "WORLD": "section_label",
        "Photo: Gazette / Ola Brant": "photo_credit",
        "Ilse Varga at the Customs House on Friday.": "caption",
        "Advertisement": "ad",
        "Author`s name Ola Brant": "byline",
        "Editor Tove Lind": "byline",
        "Read more:": "related",
        "Kesh: talks on the border must start in May": "related",
        "Share this article": "share",
        "© 2026 Sarn Gazette Ltd": "copyright",
    }
    for line, reason in expected.items():
        assert segs[line].boilerplate and segs[line].reason == reason, (line, segs[line])


def test_article_text_is_not_boilerplate_and_gets_its_kind():
    segs = segments_by_text(PAGE)
    assert segs["Varga says Saltmarsh ceasefire is holding"].kind == "title"
    assert segs["Mar 7, 2026 09:15   4 210"].kind == "dateline"
    assert segs["Monitors still waiting"].kind == "heading"
    for line in ("Ostmark Foreign Minister Ilse Varga said on Friday that the ceasefire in the Carrow Saltmarsh "
                 "was holding, a week after it took effect.",
                 "“Nobody has fired a shot,” Varga told reporters in Port Alder. “That is what matters.”"):
        assert segs[line].kind == "paragraph" and not segs[line].boilerplate


def test_headline_with_quote_counter_is_a_caption_and_not_the_title():
    text = ("Last news in Sarn Daily\n\nEnvoy: harbour deal is close\n\nOct 8, 2025 15:51 257\n\n"
            "Envoy: harbour deal is close  - 1\n\n"
            "The Council envoy Lucia Marenko said on Wednesday that a harbour deal was close, according to officials.")
    segs = segments_by_text(text)
    assert segs["Last news in Sarn Daily"].reason == "navigation"
    assert segs["Envoy: harbour deal is close"].kind == "title"
    assert segs["Envoy: harbour deal is close  - 1"].reason == "caption"


LIVE = """Port Alder summit – live

The summit between Veloria and Ostmark continues in Port Alder, where both delegations arrived overnight for talks.
This live feed has ended.
Saturday, 7 March 2026
Kesh said the Velorian side would not sign without the fishermen.
Marenko said she expected a text by the evening.
6 March 2026
Varga opened the summit with a short statement.
"""


def test_live_blog_items_carry_the_date_of_their_section_heading():
    segs = segments_by_text(LIVE)
    assert segs["This live feed has ended."].reason == "feed_ended"
    assert segs["Saturday, 7 March 2026"].kind == "section"
    assert segs["Saturday, 7 March 2026"].section_date == "2026-03-07"
    assert segs["Kesh said the Velorian side would not sign without the fishermen."].section_date == "2026-03-07"
    assert segs["Kesh said the Velorian side would not sign without the fishermen."].kind == "item"
    assert segs["Varga opened the summit with a short statement."].section_date == "2026-03-06"
    intro = [s for t, s in segs.items() if t.startswith("The summit between")][0]
    assert intro.section_date is None and intro.kind == "paragraph"


def test_section_heading_without_year_takes_the_year_of_its_neighbours():
    text = ("Live: harbour talks\n\nIntro paragraph about the harbour talks, which began in the port this week.\n\n"
            "Saturday, 7 March\n\nKesh arrived.\n\n6 March 2026\n\nVarga arrived.")
    segs = segments_by_text(text)
    assert segs["Saturday, 7 March"].section_date == "2026-03-07"
    assert segs["Kesh arrived."].section_date == "2026-03-07"


def test_time_stamps_in_a_live_blog_are_datelines_not_paragraphs():
    text = "Live\n\n4 March 2026\n\n19:40\nWe are closing this live blog now.\n\n19:05\nSall criticised the deal."
    segs = segments_by_text(text)
    assert segs["19:40"].kind == "dateline" and segs["19:40"].section_date == "2026-03-04"
    assert segs["Sall criticised the deal."].kind == "item"


def test_a_date_line_in_the_page_header_is_a_dateline_not_a_section():
    text = ("Harbour talks resume\n\n16 August 2025\n\nThe harbour talks between the two delegations resumed on "
            "Monday after a break of three weeks, officials in Port Alder said in a statement.")
    segs = segments_by_text(text)
    assert segs["16 August 2025"].kind == "dateline"
    assert all(s.section_date is None for s in segs.values())


def test_hard_wrapped_paragraphs_become_one_segment_each():
    para1 = ("The Velorian delegation arrived in Port Alder on Tuesday morning\nand was met at the quay by the "
             "mayor, Idris Holm, who said the city\nwas proud to host the talks between the two neighbours.")
    para2 = ("Ostmark's delegation followed an hour later. Its head, Foreign\nMinister Ilse Varga, did not stop "
             "to speak to the reporters who had\ngathered outside the old Customs House in the rain.")
    text = para1 + "\n\n" + para2
    segments = segment_text(text)
    assert [(s.start, s.end) for s in segments] == [(0, len(para1)), (len(para1) + 2, len(text))]


def test_navigation_detection_keeps_title_case_headlines():
    assert is_navigation("World Russia Society Opinion Science Sport Incidents Business")
    assert is_navigation("NEWS › POLITICS")
    assert is_navigation("Home | Local News | Fishing | Sport | Subscribe")
    assert not is_navigation("Moscow Confirms Envoy Still Committed to Harbour Accords on Fishing")
    assert not is_navigation("Varga Says Talks With Kesh Will Resume in Port Alder")


def test_date_parsing_of_dateline_forms():
    assert parse_dateline("Oct 8, 2025 15:51 257").value == "2025-10-08T15:51"
    assert parse_dateline(" date 2025-11-12 World Politics").value == "2025-11-12"
    assert parse_dateline("Thursday 5 March 2026  6:47 pm").value == "2026-03-05T18:47"
    assert parse_dateline("04.03.2026 | 18:30 Uhr").value == "2026-03-04T18:30"
    found = parse_dateline("Updated: 4 Mar 2026 19:40 CET")
    assert found.label == "updated" and found.value == "2026-03-04T19:40"
    assert parse_dateline("Updated 12:34 PM EST, Mon March 3, 2026").value == "2026-03-03T12:34"
    assert parse_dateline("Published: March 3, 2026 at 9:05 p.m.").value == "2026-03-03T21:05"
    assert parse_dateline("The talks began in 2022 and stalled.") is None
    assert parse_dateline("12:30 The delegations met again.") is None
    assert match_date("Saturday, 16 August").value == "--08-16"


def test_segment_stage_fills_article_segments():
    from storyline.pipeline import Pipeline
    from storyline.settings import Options

    article = Article.from_raw(RawDocument(source="x", doc="x", text=PAGE))
    Pipeline(["segment"], Options())([article])
    assert article.segments and "segment" in article.done
    analysed = " ".join(article.text[s.start:s.end] for s in article.analysed_segments())
    assert "Nobody has fired a shot" in analysed
    assert "Advertisement" not in analysed and "Author`s name" not in analysed


def test_sentences_that_look_like_furniture_stay_article_text():
    for line in ("By the time the delegation left, the harbour was quiet.",
                 "Reporting from the quay, Varga said the talks would resume.",
                 "Temperatures reached 31°C in Port Alder on Monday, the weather service said.",
                 "Copyright disputes between the two broadcasters have dragged on for years."):
        seg = segment_text(f"Harbour talks resume\n\n{line}\n\nThe talks resume on Monday, officials said.")[1]
        assert not seg.boilerplate, (line, seg.reason)
    for line, reason in (("By Hanna Brisk, Fishing Correspondent", "byline"),
                         ("Reporting by Jonah Marsh; editing by Selma Rask", "byline"),
                         ("Copyright 2026 Sarn Gazette", "copyright")):
        seg = segment_text(f"Harbour talks resume\n\nThe talks resume on Monday, officials said.\n\n{line}")[2]
        assert seg.boilerplate and seg.reason == reason, (line, seg)


BROADCASTER_PAGE = """Skip to main content
Sign up for our newsletter

Velorian leader calls for calm after harbour clash

3 hours ago
Share
Jonah Marsh
Sarn correspondent
Image source, Getty Images
Image caption, Dana Korvel speaking in Sarn on Monday
Velorian President Dana Korvel has called for calm after a clash between fishing crews in the Carrow estuary left two people injured.
Speaking in Sarn on Monday, she said: "Nobody gains from anger on the water."
Listen to this article
5 min read
Follow us on Chirp
Related topics
Ostmark denies role in harbour clash
Published 3 March 2026
Reporting by Jonah Marsh in Sarn; Writing by Selma Rask; Editing by Tom Eld
Copyright 2026 Sarn Broadcasting. All rights reserved.
"""


def test_broadcaster_page_furniture_in_one_block():
    segs = segments_by_text(BROADCASTER_PAGE)
    expected = {
        "Skip to main content": "navigation", "Sign up for our newsletter": "newsletter",
        "3 hours ago": "timestamp", "Share": "share", "Jonah Marsh": "byline", "Sarn correspondent": "byline",
        "Image source, Getty Images": "photo_credit", "Image caption, Dana Korvel speaking in Sarn on Monday": "caption",
        "Listen to this article": "promo", "5 min read": "timestamp", "Follow us on Chirp": "share",
        "Related topics": "related", "Ostmark denies role in harbour clash": "related",
        "Reporting by Jonah Marsh in Sarn; Writing by Selma Rask; Editing by Tom Eld": "byline",
        "Copyright 2026 Sarn Broadcasting. All rights reserved.": "copyright",
    }
    for line, reason in expected.items():
        assert segs[line].boilerplate and segs[line].reason == reason, (line, segs[line])
    assert segs["Published 3 March 2026"].kind == "dateline" and not segs["Published 3 March 2026"].boilerplate
    assert segs["Velorian leader calls for calm after harbour clash"].kind == "title"
    said = 'Speaking in Sarn on Monday, she said: "Nobody gains from anger on the water."'
    assert not segs[said].boilerplate and segs[said].kind == "paragraph"


def test_all_caps_tabloid_headline_is_the_title_and_a_one_word_label_is_not():
    segs = segments_by_text("NEWS\n\nBRING THEM HOME\n\nVeloria's negotiator told Ostmark the deal was dead without the crew.")
    assert segs["NEWS"].reason == "section_label"
    assert segs["BRING THEM HOME"].kind == "title" and not segs["BRING THEM HOME"].boilerplate


def test_short_items_under_iso_date_headings_are_items_not_titles():
    segs = segments_by_text("Key events\n\n2026-03-16\nVarga spoke.\n2026-03-15\nKesh arrived.")
    assert segs["Varga spoke."].kind == "item" and segs["Varga spoke."].section_date == "2026-03-16"
    assert segs["Kesh arrived."].section_date == "2026-03-15"
