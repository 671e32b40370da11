"""Speaker resolution on fictional articles: names, roles, pronouns, descriptions, outlets."""

from __future__ import annotations

import re


from storyline.model import Article, Mention, RawDocument, Segment, Statement
from storyline.stages.speakers.mentions import media_name
from storyline.stages.speakers.resolve import resolve_article
from storyline.stages.speakers.via import carry_via


def article(nlp, text: str, specs, persons=(), places=()) -> Article:
    """An article with one segment per line, parsed, and statements with given mentions.

    specs: (content, mention) pairs; the mention is found after the content's paragraph start.
    persons: texts to tag PERSON wherever they occur, as the small model does with unknown
    names (it tags invented countries and towns PERSON, depending on the sentence).
    """
    a = Article.from_raw(RawDocument(source="t.txt", doc="t.txt", text=text))
    pos = 0
    for line in a.text.split("\n"):
        if line.strip():
            a.segments.append(Segment(pos, pos + len(line)))
        pos += len(line) + 1
    a.docs = list(zip(a.segments, nlp.pipe(a.text[s.start:s.end] for s in a.segments)))
    for _, doc in a.docs:
        _tag_person(doc, persons)
        _tag_person(doc, places, "GPE")
    for content, mention, *via in specs:
        start = a.text.index(content)
        m = None
        if mention:
            line_start = a.text.rfind("\n", 0, start) + 1
            ms = a.text.index(mention, line_start)
            m = Mention(ms, ms + len(mention), mention)
        a.statements.append(Statement(start, start + len(content), content, "indirect", speaker_mention=m,
                                      via=list(via[0]) if via else []))
    resolve_article(a)
    return a


def _tag_person(doc, texts, label="PERSON") -> None:
    from spacy.util import filter_spans

    spans = []
    for pattern in texts:  # regular expressions
        for m in re.finditer(pattern, doc.text):
            span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    if spans:
        kept = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)]
        doc.ents = filter_spans(kept + spans)


def speakers(a: Article):
    return [(s.speaker, s.speaker_type) for s in a.statements]


def test_speakers_title_is_role_not_name(nlp):
    a = article(nlp, "Velorian Deputy Foreign Minister Anton Kesh said the deal was dead on arrival.",
                [("the deal was dead on arrival", "Velorian Deputy Foreign Minister Anton Kesh")])
    s = a.statements[0]
    assert (s.speaker, s.speaker_type) == ("Anton Kesh", "person")
    assert s.speaker_role == "Deputy Foreign Minister"
    assert s.speaker_affiliation == "Velorian"


def test_speakers_organisation_before_title_is_affiliation(nlp):
    a = article(nlp, "Lucia Marenko, the Northern Seas Council envoy, told reporters the talks would resume.",
                [("the talks would resume", "Lucia Marenko, the Northern Seas Council envoy")])
    s = a.statements[0]
    assert (s.speaker, s.speaker_role, s.speaker_affiliation) == ("Lucia Marenko", "envoy", "Northern Seas Council")


def test_speakers_apposition_before_name(nlp):
    a = article(nlp, "Ostmark's ambassador to Veloria, Karl Brenn, said the embassy was ready to help.",
                [("the embassy was ready to help", "Ostmark's ambassador to Veloria, Karl Brenn")])
    s = a.statements[0]
    assert (s.speaker, s.speaker_role, s.speaker_affiliation) == ("Karl Brenn", "ambassador", "Ostmark")


def test_speakers_resolves_pronoun_to_previous_speaker(nlp):
    a = article(nlp, "Velorian Foreign Minister Ilse Varga said the talks had stalled.\n"
                     "“We will not give up,” she added.",
                [("the talks had stalled", "Velorian Foreign Minister Ilse Varga"), ("We will not give up", "she")])
    assert speakers(a) == [("Ilse Varga", "person"), ("Ilse Varga", "person")]


def test_speakers_pronoun_follows_a_new_subject(nlp):
    a = article(nlp, "Velorian Foreign Minister Ilse Varga said the talks had stalled.\n"
                     "Ostmark Prime Minister Bertil Hask, however, was more cautious. He said the formula was fair.",
                [("the talks had stalled", "Velorian Foreign Minister Ilse Varga"), ("the formula was fair", "He")])
    assert a.statements[1].speaker == "Bertil Hask"


def test_speakers_surname_resolves_to_full_name_even_in_an_earlier_headline(nlp):
    a = article(nlp, "Kesh: harbour deal is dead on arrival\n"
                     "Velorian Deputy Foreign Minister Anton Kesh said any deal without the crew was dead.\n"
                     "Kesh noted that the crew had been held for weeks.",
                [("harbour deal is dead on arrival", "Kesh"),
                 ("any deal without the crew was dead", "Velorian Deputy Foreign Minister Anton Kesh"),
                 ("the crew had been held for weeks", "Kesh")])
    assert [s.speaker for s in a.statements] == ["Anton Kesh"] * 3


def test_speakers_description_matches_introduced_role(nlp):
    a = article(nlp, "Velorian Foreign Minister Ilse Varga met Ostmark Prime Minister Bertil Hask.\n"
                     "The Ostmark leader praised the deal as historic.\n"
                     "The Velorian minister warned that time was short.",
                [("historic", "The Ostmark leader"), ("time was short", "The Velorian minister")])
    assert [s.speaker for s in a.statements] == ["Bertil Hask", "Ilse Varga"]


def test_speakers_description_without_candidate_is_an_unnamed_source_with_its_description(nlp):
    a = article(nlp, "The harbour was quiet.\nThe defence minister said patrols continued.",
                [("patrols continued", "The defence minister")])
    assert speakers(a) == [("anonymous", "anonymous")]
    assert a.statements[0].speaker_description == "The defence minister"


def test_role_alone_never_resolves_across_articles_role_and_affiliation_do(nlp, db_path):
    from storyline.ledger.store import Store

    first = article(nlp, "Brenholt Mayor Ivo Kask said the pier would reopen.",
                    [("the pier would reopen", "Brenholt Mayor Ivo Kask")])
    with Store(db_path) as store:
        with store.transaction():
            store.save_article(first)
        bare = article(nlp, "The storm passed.\nThe mayor said the roads were clear.",
                       [("the roads were clear", "The mayor")])
        with store.transaction():
            store.save_article(bare)
        specific = article(nlp, "The storm passed.\nThe Brenholt mayor said the ferries were running.",
                           [("the ferries were running", "The Brenholt mayor")])
        with store.transaction():
            store.save_article(specific)
    assert speakers(bare) == [("anonymous", "anonymous")]  # "the mayor" alone: never another article's mayor
    assert speakers(specific) == [("Ivo Kask", "person")]
    assert specific.statements[0].confidence <= 0.7  # a registry inference is never sure


def test_speakers_unnamed_sources_are_anonymous(nlp):
    a = article(nlp, "Sources familiar with the talks said a deal was close.\n"
                     "Officials said the monitors were delayed.\nA senior official said the vote was off.",
                [("a deal was close", "Sources familiar with the talks"),
                 ("the monitors were delayed", "Officials"), ("the vote was off", "A senior official")])
    assert speakers(a) == [("anonymous", "anonymous")] * 3
    assert a.statements[0].speaker_description == "Sources familiar with the talks"


def test_speakers_outlets_are_media_and_generic_outlet_refers_back(nlp):
    a = article(nlp, "The Harbour Times reported that the envoy was optimistic.\n"
                     "The newspaper said the envoy had met both sides.\nThe NYT wrote that the deal was close.",
                [("the envoy was optimistic", "The Harbour Times"), ("the envoy had met both sides", "The newspaper"),
                 ("the deal was close", "The NYT")])
    assert speakers(a) == [("Harbour Times", "media"), ("Harbour Times", "media"), ("New York Times", "media")]


def test_speakers_organisations_and_their_short_references(nlp):
    a = article(nlp, "The Ostmark Foreign Ministry said the border was calm. The ministry added that patrols continued.",
                [("the border was calm", "The Ostmark Foreign Ministry"), ("patrols continued", "The ministry")])
    assert speakers(a) == [("Ostmark Foreign Ministry", "organization")] * 2


def test_speakers_group_and_their_pronoun(nlp):
    a = article(nlp, "The leaders of five coastal nations released a statement. They said the ceasefire must hold.",
                [("the ceasefire must hold", "They")])
    assert speakers(a) == [("leaders of five coastal nations", "organization")]


def test_speakers_continuing_quote_takes_previous_speaker_only_nearby(nlp):
    a = article(nlp, "Velorian Foreign Minister Ilse Varga said the talks had stalled.\n"
                     "“Nine families will sleep tonight.”\nThe harbour was quiet.\nThe weather was cold.\n"
                     "“That is what diplomacy is for.”",
                [("the talks had stalled", "Velorian Foreign Minister Ilse Varga"),
                 ("Nine families will sleep tonight.", None), ("That is what diplomacy is for.", None)])
    assert [s.speaker for s in a.statements] == ["Ilse Varga", "Ilse Varga", None]


def test_speakers_via_carries_to_same_speaker_until_new_channel(nlp):
    a = article(nlp, "Anton Kesh told the Harbour Times the deal was dead.\nKesh added that talks must go on.\n"
                     "Ilse Varga said the talks had stalled.\nKesh wrote on Chirp that he was tired.",
                [("the deal was dead", "Anton Kesh", ["Harbour Times"]), ("talks must go on", "Kesh"),
                 ("the talks had stalled", "Ilse Varga"), ("he was tired", "Kesh")])
    a.statements[3].channel = "Chirp"
    for s in a.statements[1:]:
        if s.speaker == "Anton Kesh" and s is not a.statements[1]:
            s.via = []
    carry_via(a.statements)
    assert [s.via for s in a.statements] == [["Harbour Times"], ["Harbour Times"], [], []]


def test_media_name_knows_aliases_and_outlet_like_names():
    assert media_name("the Wall Street Journal") == "Wall Street Journal"
    assert media_name("Carrow Courier") == "Carrow Courier"
    assert media_name("the Northern Seas Council") is None
    assert media_name("the Economist") == "Economist" and media_name("the economist") is None


def test_speakers_outlet_citing_unnamed_sources_is_anonymous_via_outlet(nlp):
    a = article(nlp, "Talks will resume in Port Alder next week, the Harbour Times reported, citing unnamed officials.",
                [("Talks will resume in Port Alder next week", "the Harbour Times")])
    s = a.statements[0]
    assert (s.speaker, s.speaker_type) == ("anonymous", "anonymous")
    assert s.via == ["Harbour Times"] and s.speaker_description == "unnamed officials"


def test_speakers_outlet_citing_a_named_person_stays_media(nlp):
    a = article(nlp, "Talks will resume next week, the Harbour Times reported, citing Ilse Varga.",
                [("Talks will resume next week", "the Harbour Times")])
    assert speakers(a) == [("Harbour Times", "media")]


def test_speakers_outlet_named_inside_a_description(nlp):
    a = article(nlp, "The Northline news site reported that the envoy had left.",
                [("the envoy had left", "The Northline news site")])
    a2 = article(nlp, "The Wall Street Journal reported a delay. The Reuters news agency said the envoy had left.",
                 [("a delay", "The Wall Street Journal"), ("the envoy had left", "The Reuters news agency")])
    assert speakers(a2) == [("Wall Street Journal", "media"), ("Reuters", "media")]
    assert speakers(a) == [(None, "unknown")]  # an unknown name and no earlier outlet: not guessed


def test_speakers_document_noun_resolves_to_its_issuer(nlp):
    a = article(nlp, "In a joint statement, the leaders of five coastal nations ruled out new checkpoints.\n"
                     "The statement said the ceasefire must hold.",
                [("the ceasefire must hold", "The statement")])
    assert speakers(a) == [("leaders of five coastal nations", "organization")]


def test_speakers_country_speaking_is_an_organisation_not_a_person(nlp):
    a = article(nlp, "The Velorian navy stayed in port.\nVeloria said six Ostmark guards had crossed the line.",
                [("six Ostmark guards had crossed the line", "Veloria")])
    assert speakers(a) == [("Veloria", "organization")]


def test_speakers_unnamed_person_in_a_place_is_anonymous(nlp):
    a = article(nlp, "A neighbour in Tarn Hollow said the family wanted to be left alone.",
                [("the family wanted to be left alone", "A neighbour in Tarn Hollow")])
    assert speakers(a) == [("anonymous", "anonymous")]


def test_speakers_ledger_outlet_named_by_its_last_word(nlp):
    from storyline.stages.speakers.resolve import resolve_article

    a = article(nlp, "The Lantern reported that the crew was home.", [("the crew was home", "The Lantern")])
    for s in a.statements:
        s.speaker, s.speaker_type = None, "unknown"
    resolve_article(a, outlets=["The Daily Lantern"])
    assert speakers(a) == [("Daily Lantern", "media")]


def test_speakers_via_in_a_live_blog_stays_within_its_item(nlp):
    a = article(nlp, "Anton Kesh told the Harbour Times the deal was dead.\n“We will not sign,” he added.\n"
                     "Anton Kesh said later that talks must go on.",
                [("the deal was dead", "Anton Kesh", ["Harbour Times"]), ("We will not sign", "he"),
                 ("talks must go on", "Anton Kesh")])
    for seg in a.segments:
        seg.kind = "item"
    for s in a.statements[1:]:
        s.via = []
    carry_via(a.statements, a)
    assert [s.via for s in a.statements] == [["Harbour Times"], ["Harbour Times"], []]


def test_speakers_use_the_ledger_registry_for_descriptions_and_surnames(nlp, db_path):
    from storyline.ledger.store import Store

    first = article(nlp, "Velorian President Dana Korvel said the border was calm.",
                    [("the border was calm", "Velorian President Dana Korvel")])
    with Store(db_path) as store:
        with store.transaction():
            store.save_article(first)
        later = article(nlp, "The talks resumed.\nThe Velorian president said the crew would be home soon.\n"
                             "Korvel added that monitors were welcome.",
                        [("the crew would be home soon", "The Velorian president"),
                         ("monitors were welcome", "Korvel")])
        assert speakers(later)[0] == ("anonymous", "anonymous")  # the article alone does not say who
        for s in later.statements:
            s.speaker, s.speaker_type = None, "unknown"
        resolve_article(later, store)
    assert speakers(later) == [("Dana Korvel", "person"), ("Dana Korvel", "person")]


def test_speakers_without_parse_fall_back_to_the_words(nlp):
    a = Article.from_raw(RawDocument(source="t.txt", doc="t.txt", text="Velorian Foreign Minister Ilse Varga said "
                                     "the talks had stalled. She added that time was short."))
    a.segments = [Segment(0, len(a.text))]
    m1 = Mention(0, 36, a.text[0:36])
    she = a.text.index("She")
    a.statements = [Statement(42, 63, a.text[42:63], "indirect", speaker_mention=m1),
                    Statement(she + 15, len(a.text) - 1, a.text[she + 15:-1], "indirect",
                              speaker_mention=Mention(she, she + 3, "She"))]
    resolve_article(a)
    assert speakers(a) == [("Ilse Varga", "person"), ("Ilse Varga", "person")]


def test_speakers_relative_pronoun_reflexive_and_short_org_reference(nlp):
    a = article(nlp, "The crew were greeted by Arvid Tolle, who said the night had been long.\n"
                     "Kesh himself said he was satisfied.\n"
                     "Eskby's harbour committee said boats stayed in port. The committee said the season was at risk.",
                [("the night had been long", "who"), ("he was satisfied", "Kesh himself"),
                 ("boats stayed in port", "Eskby's harbour committee"), ("the season was at risk", "The committee")])
    assert speakers(a) == [("Arvid Tolle", "person"), ("Kesh", "person"),
                           ("Eskby harbour committee", "organization"), ("Eskby harbour committee", "organization")]


def test_speakers_unnamed_plural_people_are_anonymous_but_named_collectives_are_groups(nlp):
    a = article(nlp, "Several fishermen said they were suspicious.\nWestern coastal nations said the deal must hold.",
                [("they were suspicious", "Several fishermen"), ("the deal must hold", "Western coastal nations")])
    assert speakers(a) == [("anonymous", "anonymous"), ("Western coastal nations", "organization")]


def test_speakers_named_body_after_the_title_is_the_affiliation(nlp):
    a = article(nlp, "A spokesman for the Northern Seas Council, Jonas Dall, said the council was in contact.",
                [("the council was in contact", "A spokesman for the Northern Seas Council, Jonas Dall")])
    s = a.statements[0]
    assert (s.speaker, s.speaker_role, s.speaker_affiliation) == ("Jonas Dall", "spokesman", "Northern Seas Council")


def test_speakers_generic_outlet_refers_to_the_outlet_just_cited_as_channel(nlp):
    a = article(nlp, "The Veloria Wire said the ferry was late.\n"
                     "The Ostmark Herald, citing a senior official, reported that a review was ordered. "
                     "The newspaper said the review would take two weeks.",
                [("the ferry was late", "The Veloria Wire"), ("a review was ordered", "The Ostmark Herald"),
                 ("the review would take two weeks", "The newspaper")])
    assert speakers(a) == [("Veloria Wire", "media"), ("anonymous", "anonymous"), ("Ostmark Herald", "media")]
    assert a.statements[1].via == ["Ostmark Herald"]


def test_speakers_roles_known_to_the_ledger_help_descriptions(nlp, db_path):
    from storyline.ledger.store import Store

    first = article(nlp, "Ostmark Foreign Minister Ilse Varga said the talks had stalled.",
                    [("the talks had stalled", "Ostmark Foreign Minister Ilse Varga")])
    with Store(db_path) as store:
        with store.transaction():
            store.save_article(first)
        later = article(nlp, "Ilse Varga met Anton Kesh in Port Alder.\nThe foreign minister said the meeting was useful.",
                        [("the meeting was useful", "The foreign minister")])
        assert speakers(later) == [("anonymous", "anonymous")]
        for s in later.statements:
            s.speaker, s.speaker_type = None, "unknown"
        resolve_article(later, store)
    assert speakers(later) == [("Ilse Varga", "person")]


def test_speakers_honorific_and_parenthesis_are_not_part_of_name_or_affiliation(nlp):
    a = article(nlp, "Sen. Ana Holm (D-Sarn) said the vote was close.",
                [("the vote was close", "Sen. Ana Holm (D-Sarn)")])
    s = a.statements[0]
    assert s.speaker == "Ana Holm" and s.speaker_affiliation != "Sen."


# --- places are not people (fictional countries Tessland and Marivia, town Brenholt) -------

BORDER_TALKS = (
    "Tessland: border talks have stalled\n"
    "SAREN, May 4 — Talks on the Marivia–Tessland border have stalled, Tessland Foreign Minister Oda Lind said.\n"
    "Tessland insisted that its coastguard had acted lawfully.\n"
    "Tessland's coastguard detained two boats from Marivia in March."
)


def test_speakers_never_resolves_a_country_to_a_person_by_surname(nlp):
    a = article(nlp, BORDER_TALKS, [("border talks have stalled", "Tessland"),
                                    ("its coastguard had acted lawfully", "Tessland")],
                persons=["Marivia–Tessland", "Tessland", "Oda Lind"])
    assert speakers(a) == [("Tessland", "organization"), ("Tessland", "organization")]


def test_speakers_dash_joined_place_names_are_not_a_person(nlp):
    from storyline.stages.speakers.cast import build_cast

    a = article(nlp, BORDER_TALKS, [("border talks have stalled", "Tessland")],
                persons=["Marivia–Tessland", "Oda Lind"])
    names = {p.name for p in build_cast(a).people}
    assert "Oda Lind" in names
    assert not any("Tessland" in n or "Marivia" in n for n in names), names


def test_speakers_village_the_article_uses_as_a_place_is_not_a_person(nlp):
    a = article(nlp, "Residents of Brenholt Bay have not slept since the shooting.\n"
                     "The mayor of Brenholt Bay, Ana Sorn, said the village wanted a settlement.\n"
                     "Brenholt Bay said it would host the monitors.",
                [("the village wanted a settlement", "Brenholt Bay, Ana Sorn"),
                 ("it would host the monitors", "Brenholt Bay")], persons=["Brenholt Bay", "Ana Sorn"])
    assert speakers(a) == [("Ana Sorn", "person"), ("Brenholt Bay", "organization")]
    assert a.statements[0].speaker_affiliation == "Brenholt Bay"


def test_speakers_a_name_used_as_a_place_elsewhere_in_the_batch_is_not_a_person(nlp):
    from storyline.stages.speakers.places import place_names

    first = article(nlp, "Fishing boats stayed in Brenholt harbour.\nThe ferry to Brenholt was cancelled.", [])
    second = article(nlp, "Brenholt says the ferry will sail on Monday.", [], persons=["Brenholt"])
    start = second.text.index("the ferry")
    second.statements.append(Statement(start, len(second.text) - 1, second.text[start:-1], "indirect",
                                       speaker_mention=Mention(0, 8, "Brenholt")))
    resolve_article(second, known_places=place_names(first))
    assert speakers(second) == [("Brenholt", "organization")]


def test_speakers_a_surname_the_article_gives_a_person_stays_a_person(nlp):
    a = article(nlp, "Marivian Foreign Minister Tove Holm met envoys in Saren.\n"
                     "Reporters waited near Holm as she left. Holm said the ferry would sail on Monday.",
                [("the ferry would sail on Monday", "Holm")])
    assert speakers(a) == [("Tove Holm", "person")]


def test_speakers_affiliation_is_a_body_or_place_never_a_person_or_a_common_word(nlp):
    a = article(nlp, "Tessland Foreign Minister Oda Lind arrived in Saren.\n"
                     "Lind's aide, Jon Berg, said the minister was tired.\n"
                     "Presenter: Mara Quist. Producer: Ivo Dahl.\n"
                     "Quist said the show would return.",
                [("the minister was tired", "Lind's aide, Jon Berg"), ("the show would return", "Quist")])
    berg, quist = a.statements
    assert (berg.speaker, berg.speaker_role, berg.speaker_affiliation) == ("Jon Berg", "aide", "Tessland")
    assert quist.speaker == "Mara Quist" and quist.speaker_affiliation is None


def test_speakers_known_country_wins_over_a_capitalised_adjective_as_affiliation():
    from storyline.stages.speakers.mentions import role_parts

    role, affiliation, _, _ = role_parts("ex leader of the now-banned Europhile Polish party".split())
    assert affiliation == "Poland"


def test_speakers_short_name_of_a_body_is_the_body_named_before_in_full(nlp):
    a = article(nlp, "The Northern Seas Council sent monitors to the bridge near the Tessland coast.\n"
                     "The Council said the ceasefire held. Tessland's defence ministry said a guard was shot.",
                [("the ceasefire held", "The Council"), ("a guard was shot", "Tessland's defence ministry")])
    assert speakers(a) == [("Northern Seas Council", "organization"), ("Tessland defence ministry", "organization")]


def test_speakers_a_known_country_body_is_named_with_its_demonym(nlp):
    a = article(nlp, "Ukraine's presidential office said the call took place.",
                [("the call took place", "Ukraine's presidential office")])
    assert speakers(a) == [("Ukrainian presidential office", "organization")]


def test_speakers_lower_case_body_is_the_body_named_before_with_its_name(nlp):
    a = article(nlp, "Councillor Ana Sorn chairs the Brenholt harbour committee.\n"
                     "According to the harbour committee, twelve boats stayed in port.",
                [("twelve boats stayed in port", "the harbour committee")])
    assert speakers(a) == [("Brenholt harbour committee", "organization")]


def test_speakers_named_party_in_a_title_is_the_affiliation_not_role_words(nlp):
    a = article(nlp, "Oskar Dren, the leader of the opposition Free Tessland Party, said the deal was a surrender.",
                [("the deal was a surrender", "Oskar Dren, the leader of the opposition Free Tessland Party")])
    s = a.statements[0]
    assert (s.speaker, s.speaker_affiliation) == ("Oskar Dren", "Free Tessland Party")
    assert "Party" not in (s.speaker_role or "") and "leader" in s.speaker_role


def test_speakers_demonym_affiliation_becomes_the_country_the_article_names(nlp):
    a = article(nlp, "Marivia and Tessland met in Saren.\n"
                     "Marivian President Lena Voss said the border was calm.",
                [("the border was calm", "Marivian President Lena Voss")])
    assert a.statements[0].speaker_affiliation == "Marivia"


def test_speakers_unnamed_aide_of_a_named_person_is_anonymous(nlp):
    a = article(nlp, "Deputy Foreign Minister Ivo Lund did not stop, but his spokesman said the side was optimistic.",
                [("the side was optimistic", "his spokesman")])
    assert speakers(a) == [("anonymous", "anonymous")]


def test_speakers_counterpart_is_a_relation_not_a_role(nlp):
    a = article(nlp, "Lund and his Marivian counterpart Lena Voss met in Saren. Voss said the talks went well.",
                [("the talks went well", "Voss")])
    s = a.statements[0]
    assert s.speaker == "Lena Voss" and s.speaker_role is None and s.speaker_affiliation == "Marivian"


def test_speakers_short_affiliation_is_the_body_named_before_in_full(nlp):
    a = article(nlp, "The Northern Seas Council met in Saren.\n"
                     "The Council envoy Mira Sand said the talks would resume.",
                [("the talks would resume", "The Council envoy Mira Sand")])
    s = a.statements[0]
    assert (s.speaker, s.speaker_role, s.speaker_affiliation) == ("Mira Sand", "envoy", "Northern Seas Council")


def test_speakers_a_mention_tagged_as_a_place_never_takes_a_persons_name(nlp):
    a = article(nlp, "The historian Tessaria Holm opened the debate.\n"
                     "Tessaria said the border would stay closed.",
                [("the border would stay closed", "Tessaria")], persons=["Tessaria Holm"], places=[r"^Tessaria"])
    assert speakers(a) == [("Tessaria", "organization")]


def test_speakers_a_surname_the_model_tags_as_a_place_stays_the_person_the_article_names(nlp):
    a = article(nlp, "Skipper Arvid Tolle stepped off the coach.\n"
                     "Tolle said the crew had been treated well.",
                [("the crew had been treated well", "Tolle")], persons=["Arvid Tolle"], places=[r"^Tolle"])
    assert speakers(a) == [("Arvid Tolle", "person")]


def test_speakers_local_body_in_a_sentence_set_in_a_place_takes_the_place_name(nlp):
    a = article(nlp, "Ferries stopped running to Brenholt in March.\n"
                     "In Brenholt, the fishing town on the estuary, the local harbour committee said boats stayed in port.",
                [("boats stayed in port", "the local harbour committee")])
    assert speakers(a) == [("Brenholt harbour committee", "organization")]


def test_speakers_a_person_named_after_in_or_with_an_army_stays_a_person(nlp):
    a = article(nlp, "Voters have lost faith in Kessler, polls show. Kessler's army of volunteers is shrinking.\n"
                     "Kessler said the polls were wrong.",
                [("the polls were wrong", "Kessler")], persons=["Kessler"])
    assert speakers(a) == [("Kessler", "person")]


def test_speakers_body_described_in_lower_case_is_the_affiliation_and_its_short_reference(nlp):
    a = article(nlp, "A spokesman for the Karvian foreign ministry, Erik Lund, said experts would travel to Vask.\n"
                     "The ministry said it wanted facts.",
                [("experts would travel to Vask", "A spokesman for the Karvian foreign ministry, Erik Lund"),
                 ("it wanted facts", "The ministry")])
    lund, ministry = a.statements
    assert (lund.speaker, lund.speaker_role, lund.speaker_affiliation) == \
        ("Erik Lund", "spokesman", "Karvian foreign ministry")
    assert (ministry.speaker, ministry.speaker_type) == ("Karvian foreign ministry", "organization")


def test_speakers_portfolio_is_part_of_the_role_not_the_affiliation(nlp):
    a = article(nlp, "Water Minister Petra Holm told parliament the gauges showed normal flow.",
                [("the gauges showed normal flow", "Water Minister Petra Holm")])
    s = a.statements[0]
    assert (s.speaker, s.speaker_role, s.speaker_affiliation) == ("Petra Holm", "Water Minister", None)


def test_speakers_batch_places_need_place_usage_and_no_person_of_that_name(nlp):
    from storyline.stages.speakers.places import batch_places

    harbour = article(nlp, "Fishing boats stayed in Brenholt harbour all week.", [])
    mayor = article(nlp, "Mayor Brenholt opened the fish market on Sunday.", [], persons=["Brenholt"])
    faith = article(nlp, "Voters have lost faith in Kessler, a poll found.", [], places=["Kessler"])
    assert "Brenholt" in batch_places([harbour, faith])
    assert "Brenholt" not in batch_places([harbour, mayor])
    assert "Kessler" not in batch_places([harbour, faith])


def test_speakers_hyphenated_first_name_keeps_its_hyphen(nlp):
    a = article(nlp, "Jean-Luc Fabre, an analyst at the institute, said the decision was expected.\n"
                     "Fabre said an election was near.",
                [("the decision was expected", "Jean-Luc Fabre, an analyst at the institute"),
                 ("an election was near", "Fabre")])
    assert speakers(a) == [("Jean-Luc Fabre", "person"), ("Jean-Luc Fabre", "person")]
