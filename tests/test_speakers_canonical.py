"""The canonical-name step of speaker resolution (stages/speakers/canonical.py), on
sentences written for these tests about fictional people and places."""

from __future__ import annotations

from test_speakers import article, speakers

from storyline.stages.speakers.resolve import resolve_article


def resolved(nlp, text, specs, **kw):
    a = article(nlp, text, specs, **kw)
    for s in a.statements:
        s.speaker, s.speaker_type = None, "unknown"
    resolve_article(a)
    return a


def test_surname_gets_the_fullest_form_the_article_writes(nlp):
    a = resolved(nlp, "Harbour coach Raheem Tolvo praised the crew.\nTolvo said the boats were ready.",
                 [("the boats were ready", "Tolvo")], persons=["Raheem Tolvo"])
    assert speakers(a) == [("Raheem Tolvo", "person")]


def test_surname_particle_links_to_the_full_name(nlp):
    a = resolved(nlp, "Mayor Bill de Vrees opened the pier.\nde Vrees said the pier was safe.",
                 [("the pier was safe", "de Vrees")], persons=["Bill de Vrees"])
    assert speakers(a) == [("Bill de Vrees", "person")]


def test_title_and_apposition_are_split_off_the_name(nlp):
    a = resolved(nlp, "Dr. Lena Ortiz, director of the Coastal Institute, said the water was warmer.",
                 [("the water was warmer", "Dr. Lena Ortiz, director of the Coastal Institute")],
                 persons=["Lena Ortiz"])
    assert speakers(a) == [("Lena Ortiz", "person")]


def test_abbreviation_of_a_body_is_its_full_name(nlp):
    a = resolved(nlp, "The Coastal Ports Authority (CPA) closed the harbour on Monday.\n"
                      "The CPA said the storm had passed.",
                 [("the storm had passed", "The CPA")])
    assert speakers(a) == [("Coastal Ports Authority", "organization")]


def test_spokesperson_for_a_named_body_speaks_for_the_body(nlp):
    a = resolved(nlp, "A spokesperson for Brenholt Harbour Board said the pier would reopen.",
                 [("the pier would reopen", "A spokesperson for Brenholt Harbour Board")])
    assert speakers(a) == [("Brenholt Harbour Board", "organization")]


def test_it_after_a_named_body_is_that_body(nlp):
    a = resolved(nlp, "The Ostmark Fisheries Board fined the trawler on Friday.\nIt said the nets were illegal.",
                 [("the nets were illegal", "It")])
    assert speakers(a) == [("Ostmark Fisheries Board", "organization")]


def test_unnamed_official_then_he_stays_an_unnamed_source(nlp):
    a = resolved(nlp, "Talks went on in Sarn.\nThe official said progress was slow.\nHe said a truce was possible.",
                 [("progress was slow", "The official"), ("a truce was possible", "He")])
    assert speakers(a) == [("anonymous", "anonymous"), ("anonymous", "anonymous")]
    assert a.statements[1].speaker_description == "The official"


def test_a_group_with_the_is_a_body_never_a_person(nlp):
    a = resolved(nlp, "The Sarnites fired on the convoy.\nThe Sarnites said the convoy had crossed the line.",
                 [("the convoy had crossed the line", "The Sarnites")], persons=["The Sarnites"])
    assert speakers(a) == [("Sarnites", "organization")]


def test_a_role_taken_for_a_name_goes_to_the_person_with_that_role(nlp):
    a = resolved(nlp, "Counsel assisting, Mira Dovan, opened the inquiry.\nCounsel said the checks were excessive.",
                 [("the checks were excessive", "Counsel")], persons=["Mira Dovan"])
    (speaker, kind), = speakers(a)
    assert speaker != "Counsel" and kind in ("person", "anonymous")  # a role is never a name


def test_an_unnamed_role_goes_to_the_one_person_the_article_gives_that_role(nlp):
    a = article(nlp, "A council leader has warned that the pier will close.\n"
                     "At a meeting on Monday, council leader Ivo Kask said repairs would take a year.",
                [("the pier will close", "A council leader"), ("repairs would take a year", "council leader Ivo Kask")],
                persons=["Ivo Kask"])
    first = a.statements[0]
    first.speaker, first.speaker_type, first.speaker_description = "anonymous", "anonymous", "A council leader"
    resolve_article(a)  # the extraction took the indefinite role for an unnamed source
    assert speakers(a) == [("Ivo Kask", "person"), ("Ivo Kask", "person")]


def test_unnamed_source_words_never_go_to_a_named_person(nlp):
    a = article(nlp, "Officials said the pier will close.\nCouncil leader Ivo Kask said repairs would take a year.",
                [("the pier will close", "Officials"), ("repairs would take a year", "Council leader Ivo Kask")],
                persons=["Ivo Kask"])
    first = a.statements[0]
    first.speaker, first.speaker_type, first.speaker_description = "anonymous", "anonymous", "Officials"
    resolve_article(a)
    assert speakers(a)[0] == ("anonymous", "anonymous")


def test_a_continued_quote_keeps_the_mention_of_its_speaker(nlp):
    a = resolved(nlp, "Kask said the pier was safe.\nThe ferries run again.",
                 [("the pier was safe", "Kask"), ("The ferries run again", None)], persons=["Kask"])
    first, second = a.statements
    assert second.speaker == first.speaker == "Kask"
    assert second.speaker_mention == first.speaker_mention


def test_a_short_name_resolved_in_one_article_names_the_body_in_the_next(nlp, db_path):
    from storyline.ledger.store import Store

    first = article(nlp, "The Coastal Ports Authority (CPA) closed the harbour on Monday.\nThe CPA said the storm had passed.",
                    [("the storm had passed", "The CPA")])
    later = article(nlp, "The harbour reopened.\nThe CPA said the pier was safe.", [("the pier was safe", "The CPA")])
    with Store(db_path) as store:
        with store.transaction():
            store.save_article(first)
        with store.transaction():
            store.save_article(later)
    assert speakers(first) == [("Coastal Ports Authority", "organization")]
    assert speakers(later) == [("Coastal Ports Authority", "organization")]  # through the registry's alias


def test_the_owner_of_a_statement_speaks(nlp):
    a = resolved(nlp, "The Coastal Ports Authority fined the trawler.\nThe Coastal Ports Authority's statement said the nets were illegal.",
                 [("the nets were illegal", "The Coastal Ports Authority's statement")])
    assert speakers(a) == [("Coastal Ports Authority", "organization")]


def test_the_agency_after_a_named_body_and_no_outlet_is_the_body(nlp):
    a = resolved(nlp, "The Ostmark Fisheries Commission banned the trawler.\nThe agency said the nets were illegal.",
                 [("the nets were illegal", "The agency")])
    assert speakers(a) == [("Ostmark Fisheries Commission", "organization")]


def test_a_misspelt_name_goes_to_the_person_the_article_names_in_full(nlp):
    a = resolved(nlp, "Harbour master Marenkov Dalsgaard opened the pier.\nMarinkov said the pier was safe.",
                 [("the pier was safe", "Marinkov")], persons=["Marenkov Dalsgaard"])
    assert speakers(a) == [("Marenkov Dalsgaard", "person")]
