"""Near-duplicates: syndicated copies cluster, different reports of one story do not,
and clusters do not depend on the order articles arrive in."""

from __future__ import annotations

import sqlite3

from storyline.ledger import dedup
from storyline.ledger.dedup import dedup_text, shingles, signature, similarity
from storyline.ingest import ingest
from storyline.model import Article, Segment
from storyline.settings import Options

from test_ingest import fictional_article, light_stages, rows

# A fictional wire story and an independent report on the same events (invented names only).
WIRE_BODY = [
    "PORT ALDER, March 3 (Veloria Wire) — Envoys from the Republic of Veloria and the Kingdom of Ostmark met "
    "on Tuesday for the first time since last month's clashes in the Carrow Saltmarsh, with both sides "
    "signalling that a ceasefire was within reach.",
    "Ostmark Foreign Minister Ilse Varga opened the summit at the old Customs House with a short statement. "
    "“We have not come here to win an argument,” she said. “We have come to stop the shooting.”",
    "Velorian Deputy Foreign Minister Anton Kesh, who leads his country's delegation, struck a harder tone, "
    "saying that any agreement that did not bring home the crew of the trawler Grey Heron would fail.",
    "The nine crew members were detained by Ostmark's coastguard in February. The next day an exchange of fire "
    "near the Carrow bridge killed a border guard and wounded a Velorian police officer.",
    "A draft seen by Veloria Wire foresees a pullback of three kilometres on both sides within a week, monitors "
    "from the Northern Seas Council and an exchange of detainees within thirty days.",
    "Council envoy Lucia Marenko, who brokered the meeting, declined to comment on the draft but told reporters "
    "that the mood in the room was better than she had expected after weeks of silence.",
    "Fishing families in Eskby gathered outside the harbour office on Tuesday evening to follow the talks on a "
    "screen, and several said they would not believe in a deal until the crew were home.",
    "The talks are scheduled to continue on Wednesday, when Marenko hopes to present a joint text to both "
    "delegations, two diplomats briefed on the negotiations said.",
]

OTHER_REPORT = [
    "Northline — In a drizzly Port Alder, the first face-to-face meeting between Velorian and Ostmark officials "
    "since the February shooting began behind closed doors, with mediators cautiously upbeat.",
    "Varga, arriving without her usual entourage, kept her remarks brief. “We have come to stop the shooting,” "
    "she told the small crowd of journalists waiting on the quay.",
    "Analysts in Hallen said Ostmark's government needs a quick result before the autumn election, while "
    "opposition leader Viktor Sall has already called any compromise a betrayal of the border villages.",
    "In Sarn, the mood was more sceptical. Relatives of the detained trawlermen held a vigil outside the foreign "
    "ministry, holding photographs of the men and candles against the evening wind.",
    "The Northern Seas Council has spent months trying to bring the two capitals to the table, and its envoy has "
    "shuttled between them at least six times since the start of the year.",
    "Diplomats expect the negotiations to last at least two days; a joint communiqué, if there is one, would "
    "probably be published on Wednesday afternoon.",
]


def wire_story() -> str:
    return "Veloria Wire\nHome  World  Politics  Business  |  Subscribe\n\nVeloria and Ostmark open talks\n\n" + \
        "\n\n".join(WIRE_BODY) + "\n\nTags: Veloria Ostmark Diplomacy\nShare: Email  Copy link\n"


def syndicated_copy() -> str:
    """Another outlet's header and footer around the wire text, one sentence reworded."""
    body = list(WIRE_BODY)
    body[7] = ("The talks are due to resume on Wednesday morning, when Marenko hopes to present a joint text to both "
               "delegations, two diplomats briefed on the negotiations said.")
    return ("THE HARBOUR TIMES\nPort Alder's daily newspaper since 1871\nNews  City  Shipping  World  |  e-Paper\n\n"
            "Veloria and Ostmark open talks\n\n" + "\n\n".join(body) +
            "\n\nThis article was provided by Veloria Wire.\nRelated: Customs House closed for summit week\n")


def other_report() -> str:
    return "Port Alder talks begin under grey skies\n\n" + "\n\n".join(OTHER_REPORT) + "\n"


def ingest_texts(tmp_path, db, named_texts, **options):
    folder = tmp_path / f"in-{db.stem}-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    for name, text in named_texts:
        (folder / name).write_text(text, encoding="utf-8")
    return ingest([str(folder / name) for name, _ in named_texts], Options(db=str(db), **options),
                  stages=light_stages())


def clusters(db) -> dict[str, str | None]:
    return dict(rows(db, "SELECT id, cluster_id FROM articles"))


def test_shingles_are_lowercased_word_five_grams():
    assert shingles("The Talks, the TALKS resumed on Wednesday") == {
        b"the talks the talks resumed", b"talks the talks resumed on", b"the talks resumed on wednesday"}
    assert shingles("Too short") == {b"too short"}
    assert shingles("  ...  ") == set()


def test_dedup_text_leaves_out_boilerplate_segments():
    text = "Subscribe now\nThe talks resumed on Wednesday in Port Alder.\nShare this"
    article = Article(id="x", text=text, source="s", doc="d")
    body = text.index("The talks")
    share = text.index("Share")
    article.segments = [Segment(0, 13, "boilerplate", True, "navigation"), Segment(body, share - 1),
                        Segment(share, len(text), "boilerplate", True, "share")]
    assert dedup_text(article) == "The talks resumed on Wednesday in Port Alder."


def test_signature_is_deterministic_and_estimates_jaccard():
    a, b = wire_story(), syndicated_copy()
    assert (signature(a, 128) == signature(a, 128)).all()
    exact = len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))
    assert abs(similarity(signature(a, 256), signature(b, 256)) - exact) < 0.1


def test_syndicated_copy_clusters_with_the_wire_original(tmp_path, db_path):
    report = ingest_texts(tmp_path, db_path, [("wire.txt", wire_story()), ("harbour.txt", syndicated_copy())])
    assert report.near_duplicates == 1
    found = rows(db_path, "SELECT id, cluster_id, cluster_similarity FROM articles ORDER BY id")
    smallest = found[0][0]
    assert [r[1] for r in found] == [smallest, smallest]
    assert all(r[2] >= Options().near_duplicate_threshold for r in found)


def test_different_reports_of_the_same_story_do_not_cluster(tmp_path, db_path):
    report = ingest_texts(tmp_path, db_path, [("wire.txt", wire_story()), ("northline.txt", other_report()),
                                              ("unrelated.txt", fictional_article(5))])
    assert report.near_duplicates == 0
    assert set(clusters(db_path).values()) == {None}


def test_clusters_do_not_depend_on_input_order(tmp_path):
    texts = [("wire.txt", wire_story()), ("harbour.txt", syndicated_copy()), ("northline.txt", other_report()),
             ("a.txt", fictional_article(1, paragraphs=6)), ("a-copy.txt", fictional_article(1, paragraphs=6) + "\nCorrection: a name was misspelt.\n"),
             ("b.txt", fictional_article(2, paragraphs=6))]
    forward, backward = tmp_path / "forward.db", tmp_path / "backward.db"
    ingest_texts(tmp_path, forward, texts, commit_every=2)
    ingest_texts(tmp_path, backward, list(reversed(texts)), commit_every=2)
    assert clusters(forward) == clusters(backward)
    assert len({c for c in clusters(forward).values() if c}) == 2
    assert dict(rows(forward, "SELECT id, cluster_similarity FROM articles")) == \
        dict(rows(backward, "SELECT id, cluster_similarity FROM articles"))


def _paragraph(i: int) -> str:
    return fictional_article(1000 + i, paragraphs=1).split("\n\n", 1)[1].strip()


def test_an_article_bridging_two_clusters_merges_them_under_the_smallest_id(tmp_path, db_path):
    paras = [_paragraph(i) for i in range(10)]
    a, b, c = "\n\n".join(paras[0:8]), "\n\n".join(paras[1:9]), "\n\n".join(paras[2:10])
    sig = {k: signature(v, 128) for k, v in {"a": a, "b": b, "c": c}.items()}
    threshold = Options().near_duplicate_threshold
    # The premise: a~b and b~c are near-duplicates, a and c are not.
    assert similarity(sig["a"], sig["b"]) >= threshold and similarity(sig["b"], sig["c"]) >= threshold
    assert similarity(sig["a"], sig["c"]) < threshold
    ingest_texts(tmp_path, db_path, [("a.txt", a), ("c.txt", c)])
    assert set(clusters(db_path).values()) == {None}
    ingest_texts(tmp_path, db_path, [("b.txt", b)])
    found = clusters(db_path)
    assert len(found) == 3 and set(found.values()) == {min(found)}


def test_index_is_rebuilt_from_stored_signatures_on_the_next_run(tmp_path, db_path):
    ingest_texts(tmp_path, db_path, [("wire.txt", wire_story())])
    report = ingest_texts(tmp_path, db_path, [("harbour.txt", syndicated_copy())])
    assert report.near_duplicates == 1
    assert len(set(clusters(db_path).values())) == 1


def test_signatures_made_with_other_permutations_are_recomputed(tmp_path, db_path):
    ingest_texts(tmp_path, db_path, [("wire.txt", wire_story())], minhash_permutations=64)
    assert rows(db_path, "SELECT length(signature) FROM minhashes") == [(64 * 4,)]
    report = ingest_texts(tmp_path, db_path, [("harbour.txt", syndicated_copy())], minhash_permutations=128)
    assert report.near_duplicates == 1
    assert rows(db_path, "SELECT DISTINCT length(signature) FROM minhashes") == [(128 * 4,)]


def test_cluster_members_lists_the_cluster(tmp_path, db_path):
    ingest_texts(tmp_path, db_path, [("wire.txt", wire_story()), ("harbour.txt", syndicated_copy())])
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    cluster_id = conn.execute("SELECT MIN(id) FROM articles").fetchone()[0]
    assert [m["id"] for m in dedup.cluster_members(conn, cluster_id)] == sorted(clusters(db_path))


def test_an_open_store_keeps_its_index_between_ingests(tmp_path, db_path):
    from storyline.ledger.store import Store

    (tmp_path / "wire.txt").write_text(wire_story(), encoding="utf-8")
    (tmp_path / "harbour.txt").write_text(syndicated_copy(), encoding="utf-8")
    options = Options(db=str(db_path))
    with Store(db_path) as store:
        ingest([str(tmp_path / "wire.txt")], options, stages=light_stages(), store=store)
        index = dedup.NearDuplicates.for_store(store, options)
        report = ingest([str(tmp_path / "harbour.txt")], options, stages=light_stages(), store=store)
        assert report.near_duplicates == 1
        assert dedup.NearDuplicates.for_store(store, options) is index


def test_an_open_store_rebuilds_its_index_after_another_writer(tmp_path, db_path):
    from storyline.ledger.store import Store

    (tmp_path / "wire.txt").write_text(wire_story(), encoding="utf-8")
    (tmp_path / "other.txt").write_text(fictional_article(9, paragraphs=6), encoding="utf-8")
    (tmp_path / "other-copy.txt").write_text("Kellmouth Gazette\n\n" + fictional_article(9, paragraphs=6), encoding="utf-8")
    options = Options(db=str(db_path))
    with Store(db_path) as store:
        ingest([str(tmp_path / "wire.txt")], options, stages=light_stages(), store=store)
        ingest([str(tmp_path / "other.txt")], options, stages=light_stages())  # its own connection
        report = ingest([str(tmp_path / "other-copy.txt")], options, stages=light_stages(), store=store)
    assert report.near_duplicates == 1
