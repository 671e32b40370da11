"""Issue 15: the same ledger whatever the order, split, interruption or concurrency of
ingests, and inputs of every odd kind stored or recorded as an error row.

The long versions (more kills, more fuzz inputs) run with `make reliability`."""

from __future__ import annotations

from storyline.ingest import ingest
from storyline.ledger.store import Store
from storyline.settings import Options


def _article(title: str, quote: str) -> str:
    return f"{title}\n\n{quote}\n\nThe talks in Port Alder continue on Friday, officials in Sarn said.\n"


def test_a_long_lived_writer_sees_actors_another_writer_added(tmp_path):
    """The actor look-ups of an open store are rebuilt when another connection wrote."""
    db = tmp_path / "ledger.db"
    (tmp_path / "a.txt").write_text(_article("Ferry deal", "“The ferry will run,” Ilse Varga said on Monday."))
    (tmp_path / "b.txt").write_text(_article("Harbour plan", "“The harbour stays open,” Anton Kesh said on Tuesday."))
    (tmp_path / "c.txt").write_text(_article("Bridge vote", "“The bridge is costly,” Kesh said on Friday."))
    options = Options(db=str(db))
    with Store(db) as first, Store(db) as second:
        ingest([str(tmp_path / "a.txt")], options, store=first)  # builds first's in-memory index
        ingest([str(tmp_path / "b.txt")], options, store=second)
        ingest([str(tmp_path / "c.txt")], options, store=first)
        names = sorted(r[0] for r in first.conn.execute("SELECT name FROM actors WHERE merged_into IS NULL"))
        speakers = [r[0] for r in first.conn.execute(
            "SELECT s.speaker FROM statements s JOIN articles a ON a.id = s.article_id WHERE a.doc='c.txt'")]
    assert "Kesh" not in names, names
    assert "Anton Kesh" in speakers and "Kesh" not in speakers


def test_a_segment_over_a_million_characters_is_stored_and_flagged(tmp_path):
    import json

    head = "Harbour talks resume\n\n“The ferry will run,” Ilse Varga said on Monday.\n\n"
    (tmp_path / "long.txt").write_text(head + "word " * 220_000 + "\n", encoding="utf-8")
    db = tmp_path / "ledger.db"
    report = ingest([str(tmp_path / "long.txt")], Options(db=str(db)))
    assert report.stored == 1 and report.failed == 0, report.errors
    with Store(db) as store:
        meta = json.loads(store.conn.execute("SELECT meta FROM articles").fetchone()[0])
        speakers = [r[0] for r in store.conn.execute("SELECT speaker FROM statements")]
    assert [s["code"] for s in meta["segments_not_analysed"]] == ["SEGMENT_TOO_LONG"]
    assert "Ilse Varga" in speakers  # the other segments were analysed
