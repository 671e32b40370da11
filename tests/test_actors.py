"""The actor registry: name matching, the save hook, roles, clusters and user edits."""

from __future__ import annotations

import pytest

from storyline.ledger.actors import (add_alias, find_actor, import_actors, list_actors, merge_actors, normalize_name,
                              show_actor, split_actor, variant_key)
from storyline.errors import NotFoundError, StorylineError
from storyline.model import Article, Mention, RawDocument, Statement
from storyline.ledger.store import Store


def make_article(text: str, published: str, said: list[tuple[str, str, str, str | None]], doc="a.txt") -> Article:
    """said: (content, speaker, speaker_type, role) for statements found in `text`."""
    a = Article.from_raw(RawDocument(source=doc, doc=doc, text=text, published=published))
    for content, speaker, type_, role in said:
        start = a.text.index(content)
        a.statements.append(Statement(start, start + len(content), content, "indirect", speaker=speaker,
                                      speaker_type=type_, speaker_role=role,
                                      speaker_mention=Mention(0, 1, text[0]), extractor="test"))
    return a


def save(store: Store, article: Article) -> None:
    with store.transaction():
        store.save_article(article)


def speaker_rows(store: Store):
    return store.conn.execute(
        "SELECT s.speaker, a.name AS actor FROM statements s LEFT JOIN actors a ON a.id=s.actor_id ORDER BY s.start"
    ).fetchall()


@pytest.fixture
def store(db_path):
    with Store(db_path) as s:
        yield s


def test_normalize_name_drops_accents_dots_and_case():
    assert normalize_name("J.D. Vance") == normalize_name("JD Vance") == "jd vance"
    assert normalize_name("Tomaš Rell") == "tomas rell"
    assert normalize_name("The Harbour Times") == "harbour times"


def test_variant_key_merges_transliterations_only():
    assert variant_key("Zelensky") == variant_key("Zelenskyy") == variant_key("Zelenskiy")
    assert variant_key("Yury Kesh") == variant_key("Yuri Kesh") == variant_key("Yuriy Kesh") == variant_key("Iurii Kesh")
    assert variant_key("Aleksandr Brenn") == variant_key("Alexander Brenn")
    assert variant_key("Sergey Dall") == variant_key("Sergei Dall")
    assert variant_key("Anton Kesh") != variant_key("Anton Kess")
    assert variant_key("Ilse Varga") != variant_key("Ilse Vargas")


def test_save_hook_links_statements_to_one_actor_across_articles(store):
    a1 = make_article("Velorian Foreign Minister Ilse Varga said the talks had stalled.", "2026-03-03",
                      [("the talks had stalled", "Ilse Varga", "person", "Foreign Minister")], doc="a.txt")
    a2 = make_article("Varga said monitors would arrive.", "2026-03-05",
                      [("monitors would arrive", "Varga", "person", None)], doc="b.txt")
    a3 = make_article("Ilze Varga, spelled so, said the ceasefire held.", "2026-03-09",
                      [("the ceasefire held", "Ilse Varga", "person", "Foreign Minister")], doc="c.txt")
    for a in (a1, a2, a3):
        save(store, a)
    rows = speaker_rows(store)
    assert {r["actor"] for r in rows} == {"Ilse Varga"}
    assert all(s.actor_id == a1.statements[0].actor_id for s in a2.statements + a3.statements)
    info = show_actor(store.conn, "Varga")
    assert info["roles"][0]["role"] == "Foreign Minister"
    assert (info["roles"][0]["first_seen"], info["roles"][0]["last_seen"]) == ("2026-03-03", "2026-03-09")
    assert info["statements"] == 3


def test_transliteration_variants_join_and_surname_actor_takes_full_name(store):
    save(store, make_article("Kovalenkiy said no.", "2026-03-01", [("no", "Kovalenkiy", "person", None)], "a.txt"))
    save(store, make_article("Yuri Kovalenky said yes.", "2026-03-02", [("yes", "Yuri Kovalenky", "person", None)], "b.txt"))
    save(store, make_article("Yury Kovalenkyy said maybe.", "2026-03-03",
                             [("maybe", "Yury Kovalenkyy", "person", None)], "c.txt"))
    actors = list_actors(store.conn)
    assert len(actors) == 1
    assert actors[0]["name"] == "Yuri Kovalenky"
    assert {"Kovalenkiy", "Yuri Kovalenky", "Yury Kovalenkyy"} <= set(actors[0]["aliases"])


def test_ambiguous_surname_is_not_merged(store):
    save(store, make_article("Anna Dall said one.", "2026-03-01", [("one", "Anna Dall", "person", None)], "a.txt"))
    save(store, make_article("Piet Dall said two.", "2026-03-01", [("two", "Piet Dall", "person", None)], "b.txt"))
    save(store, make_article("Dall said three.", "2026-03-02", [("three", "Dall", "person", None)], "c.txt"))
    assert len(list_actors(store.conn)) == 3


def test_anonymous_and_unknown_speakers_get_no_actor(store):
    a = make_article("Sources said it. Someone said that.", "2026-03-01",
                     [("it", "anonymous", "anonymous", None), ("that", None, "unknown", None)])
    save(store, a)
    assert [s.actor_id for s in a.statements] == [None, None]
    assert list_actors(store.conn) == []


def test_statement_clusters_join_the_same_words_by_the_same_actor(store):
    quote = "We have not come to win an argument. We have come to stop the shooting."
    save(store, make_article(f"Varga said: {quote}", "2026-03-03", [(quote, "Ilse Varga", "person", None)], "a.txt"))
    save(store, make_article(f"Ilse Varga said: {quote[:-1]} at last.", "2026-03-04",
                             [(quote[:-1] + " at last", "Ilse Varga", "person", None)], "b.txt"))
    save(store, make_article(f"Kesh said: {quote}", "2026-03-04", [(quote, "Anton Kesh", "person", None)], "c.txt"))
    rows = store.conn.execute("SELECT s.id, s.cluster_id, a.name FROM statements s JOIN actors a ON a.id=s.actor_id "
                              "ORDER BY s.id").fetchall()
    varga = [r for r in rows if r["name"] == "Ilse Varga"]
    kesh = [r for r in rows if r["name"] == "Anton Kesh"]
    assert len({r["cluster_id"] for r in varga}) == 1
    assert varga[0]["cluster_id"] == min(r["id"] for r in varga)
    assert kesh[0]["cluster_id"] is None


def test_merge_moves_aliases_and_statements_and_survives_reingest(store):
    a1 = make_article("Anton Kesh said one.", "2026-03-01", [("one", "Anton Kesh", "person", None)], "a.txt")
    a2 = make_article("Toni Kesh said two.", "2026-03-02", [("two", "Toni Kesh", "person", None)], "b.txt")
    save(store, a1)
    save(store, a2)
    assert len(list_actors(store.conn)) == 2
    merge_actors(store, "Anton Kesh", "Toni Kesh")
    assert [r["actor"] for r in speaker_rows(store)] == ["Anton Kesh", "Anton Kesh"]
    assert [r["speaker"] for r in speaker_rows(store)] == ["Anton Kesh", "Anton Kesh"]
    # Re-ingest the article: the user's merge still holds.
    a2 = make_article("Toni Kesh said two.", "2026-03-02", [("two", "Toni Kesh", "person", None)], "b.txt")
    save(store, a2)
    assert [r["actor"] for r in speaker_rows(store)] == ["Anton Kesh", "Anton Kesh"]
    assert len(list_actors(store.conn)) == 1
    assert find_actor(store.conn, "Toni Kesh")["name"] == "Anton Kesh"


def test_split_makes_alias_its_own_actor_and_survives_reingest(store):
    save(store, make_article("Yury Kesh said one.", "2026-03-01", [("one", "Yury Kesh", "person", None)], "a.txt"))
    a2 = make_article("Yuri Kesh said two.", "2026-03-02", [("two", "Yuri Kesh", "person", None)], "b.txt")
    a2.statements[0].speaker_mention = Mention(0, 9, "Yuri Kesh")
    save(store, a2)
    assert len(list_actors(store.conn)) == 1
    new = split_actor(store, "Yury Kesh", "Yuri Kesh")
    assert new["name"] == "Yuri Kesh" and new["statements"] == 1
    a2 = make_article("Yuri Kesh said two.", "2026-03-02", [("two", "Yuri Kesh", "person", None)], "b.txt")
    save(store, a2)
    assert sorted(r["actor"] for r in speaker_rows(store)) == ["Yuri Kesh", "Yury Kesh"]


def test_split_unknown_alias_is_a_clear_error(store):
    save(store, make_article("Anton Kesh said one.", "2026-03-01", [("one", "Anton Kesh", "person", None)]))
    with pytest.raises(StorylineError) as err:
        split_actor(store, "Anton Kesh", "Somebody Else")
    assert "not an alias" in err.value.message


def test_alias_points_statements_to_actor_and_wins_on_reingest(store):
    save(store, make_article("The Veloria Wire said one.", "2026-03-01",
                             [("one", "Veloria Wire", "media", None)], "a.txt"))
    save(store, make_article("VW said two.", "2026-03-02", [("two", "VW", "media", None)], "b.txt"))
    add_alias(store, "Veloria Wire", "VW")
    assert [r["actor"] for r in speaker_rows(store)] == ["Veloria Wire", "Veloria Wire"]
    save(store, make_article("VW said two.", "2026-03-02", [("two", "VW", "media", None)], "b.txt"))
    assert [r["actor"] for r in speaker_rows(store)] == ["Veloria Wire", "Veloria Wire"]


def test_import_yaml_sets_canonical_names_and_survives_reingest(store, tmp_path):
    save(store, make_article("Kesh said one.", "2026-03-01", [("one", "Kesh", "person", None)], "a.txt"))
    save(store, make_article("A. Kesh said two.", "2026-03-02", [("two", "A Kesh", "person", None)], "b.txt"))
    path = tmp_path / "actors.yaml"
    path.write_text("- canonical: Anton Kesh\n  aliases: [Kesh, A Kesh]\n  type: person\n  affiliation: Veloria\n",
                    encoding="utf-8")
    assert import_actors(store, path) == 1
    actors = list_actors(store.conn)
    assert [(a["name"], a["origin"], a["affiliation"], a["statements"]) for a in actors] == \
        [("Anton Kesh", "file", "Veloria", 2)]
    save(store, make_article("Kesh said three.", "2026-03-03", [("three", "Kesh", "person", None)], "c.txt"))
    assert {r["actor"] for r in speaker_rows(store)} == {"Anton Kesh"}
    assert {r["speaker"] for r in speaker_rows(store)} == {"Anton Kesh"}


def test_import_csv_creates_actors(store, tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("canonical,aliases,type,affiliation\nNorthern Seas Council,NSC;the Council,organization,\n",
                    encoding="utf-8")
    import_actors(store, path)
    assert find_actor(store.conn, "NSC")["name"] == "Northern Seas Council"
    save(store, make_article("The NSC said one.", "2026-03-01", [("one", "NSC", "organization", None)]))
    assert speaker_rows(store)[0]["actor"] == "Northern Seas Council"


def test_import_bad_type_is_a_clear_error(store, tmp_path):
    path = tmp_path / "actors.yaml"
    path.write_text("- canonical: X\n  type: planet\n", encoding="utf-8")
    with pytest.raises(StorylineError) as err:
        import_actors(store, path)
    assert err.value.code == "BAD_JSON" and "planet" in err.value.message


def test_unknown_actor_is_not_found(store):
    with pytest.raises(NotFoundError):
        find_actor(store.conn, "Nobody")


def test_actor_type_follows_most_of_its_statements(store):
    save(store, make_article("Veloria said one.", "2026-03-01", [("one", "Veloria", "person", None)], "a.txt"))
    save(store, make_article("Veloria said two.", "2026-03-02", [("two", "Veloria", "organization", None)], "b.txt"))
    save(store, make_article("Veloria said three.", "2026-03-03", [("three", "Veloria", "organization", None)], "c.txt"))
    assert [(a["name"], a["type"]) for a in list_actors(store.conn)] == [("Veloria", "organization")]


def test_joint_speakers_get_no_actor(store):
    a = make_article("Kesh and Varga said it.", "2026-03-01", [("it", "Anton Kesh and Ilse Varga", "person", None)])
    save(store, a)
    assert a.statements[0].actor_id is None and list_actors(store.conn) == []


def test_description_resolved_at_save_from_roles_of_earlier_articles_in_the_batch(store):
    first = make_article("Velorian President Dana Korvel said the border was calm.", "2026-03-01",
                         [("the border was calm", "Dana Korvel", "person", "President")], "a.txt")
    first.statements[0].speaker_affiliation = "Veloria"
    second = make_article("The Velorian president said the crew was safe.", "2026-03-02",
                          [("the crew was safe", None, "unknown", None)], "b.txt")
    second.statements[0].speaker_mention = Mention(0, 22, "The Velorian president")
    save(store, first)
    save(store, second)
    assert (second.statements[0].speaker, second.statements[0].speaker_type) == ("Dana Korvel", "person")
    assert second.statements[0].actor_id == first.statements[0].actor_id


def test_merge_reclusters_the_same_words_from_both_actors(store):
    quote = "Nine families will sleep tonight and that is what diplomacy is for"
    save(store, make_article(f"Korvel said {quote}.", "2026-03-27", [(quote, "Dana Korvel", "person", None)], "a.txt"))
    save(store, make_article(f"D. Korvell said {quote}.", "2026-03-27", [(quote, "D Korvell", "person", None)], "b.txt"))
    assert store.conn.execute("SELECT COUNT(*) FROM statements WHERE cluster_id IS NOT NULL").fetchone()[0] == 0
    merge_actors(store, "Dana Korvel", "D Korvell")
    clusters = {r[0] for r in store.conn.execute("SELECT cluster_id FROM statements")}
    assert len(clusters) == 1 and None not in clusters


def test_import_joins_actors_that_the_file_says_are_one(store, tmp_path):
    save(store, make_article("Anton Kesh said one.", "2026-03-01", [("one", "Anton Kesh", "person", None)], "a.txt"))
    save(store, make_article("Toni Kesh said two.", "2026-03-02", [("two", "Toni Kesh", "person", None)], "b.txt"))
    path = tmp_path / "actors.yaml"
    path.write_text("actors:\n  - canonical: Anton Kesh\n    aliases: [Toni Kesh]\n", encoding="utf-8")
    import_actors(store, path)
    actors = list_actors(store.conn)
    assert [(a["name"], a["statements"], a["origin"]) for a in actors] == [("Anton Kesh", 2, "file")]
    assert {r["speaker"] for r in speaker_rows(store)} == {"Anton Kesh"}


def test_a_country_never_joins_a_person_actor_through_part_of_the_name(store):
    save(store, make_article("Marivia Tessland said one.", "2026-03-01",
                             [("one", "Marivia Tessland", "person", None)], "a.txt"))
    # one article read the country as that person's surname: the alias "Tessland" exists
    save(store, make_article("Tessland said two.", "2026-03-02", [("two", "Tessland", "person", None)], "b.txt"))
    third = make_article("Tessland said three.", "2026-03-03", [("three", "Tessland", "organization", None)], "c.txt")
    save(store, third)
    assert third.statements[0].speaker == "Tessland"
    assert sorted((a["name"], a["type"]) for a in list_actors(store.conn)) == \
        [("Marivia Tessland", "person"), ("Tessland", "organization")]


def test_spelling_variants_of_a_full_name_are_one_actor_with_an_alias(store):
    save(store, make_article("Lucia Marenko said one.", "2026-03-01",
                             [("one", "Lucia Marenko", "person", None)], "a.txt"))
    save(store, make_article("Lucia Marenco said two.", "2026-03-02",
                             [("two", "Lucia Marenco", "person", None)], "b.txt"))
    save(store, make_article("Greta Ilvess said three.", "2026-03-03",
                             [("three", "Greta Ilvess", "person", None)], "c.txt"))
    save(store, make_article("Greta Ilves said four.", "2026-03-04",
                             [("four", "Greta Ilves", "person", None)], "d.txt"))
    save(store, make_article("Anna Ilves said five.", "2026-03-05", [("five", "Anna Ilves", "person", None)], "e.txt"))
    actors = {a["name"]: a for a in list_actors(store.conn)}
    assert set(actors) == {"Lucia Marenko", "Greta Ilvess", "Anna Ilves"}
    assert "Lucia Marenco" in actors["Lucia Marenko"]["aliases"]
    assert "Greta Ilves" in actors["Greta Ilvess"]["aliases"]
    assert find_actor(store.conn, "Lucia Marenco")["name"] == "Lucia Marenko"


def test_actor_affiliation_takes_the_fuller_name_of_the_same_body(store):
    first = make_article("Mira Sand said one.", "2026-03-01", [("one", "Mira Sand", "person", "envoy")], "a.txt")
    first.statements[0].speaker_affiliation = "Council"
    second = make_article("Mira Sand said two.", "2026-03-02", [("two", "Mira Sand", "person", "envoy")], "b.txt")
    second.statements[0].speaker_affiliation = "Northern Seas Council"
    third = make_article("Mira Sand said three.", "2026-03-03", [("three", "Mira Sand", "person", "envoy")], "c.txt")
    third.statements[0].speaker_affiliation = "Tessland"
    for a in (first, second, third):
        save(store, a)
    assert find_actor(store.conn, "Mira Sand")["affiliation"] == "Northern Seas Council"
