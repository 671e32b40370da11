"""Event clustering on save: blocking keys give the same clusters as the date-window scan,
with a bounded candidate set per new article (issue 10, deliverable 1)."""

from __future__ import annotations

import hashlib

import pytest
from conftest import EXAMPLES, SHARED

from storyline.ledger.store import Store
from storyline.model import Article, Event, Mention
from storyline.stages.events import cluster


def _clusters(conn) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute("SELECT id, cluster_id FROM events")}


def _ingest(paths, db, mode, monkeypatch):
    from storyline.ingest import ingest
    from storyline.settings import Options

    monkeypatch.setattr(cluster, "CANDIDATES", mode)
    ingest([str(p) for p in paths], Options().with_(db=str(db)))
    with Store(db) as store:
        return _clusters(store.conn)


def _counts_agree(conn) -> None:
    recount = {tuple(r[:5]): r[5] for r in conn.execute(
        "SELECT family, key, date, date_basis, cluster_id, COUNT(*) FROM event_keys GROUP BY 1, 2, 3, 4, 5")}
    stored = {tuple(r[:5]): r[5] for r in conn.execute(
        "SELECT family, key, date, date_basis, cluster_id, n FROM event_key_clusters")}
    assert stored == recount
    orphans = conn.execute("SELECT COUNT(*) FROM event_keys WHERE event_id NOT IN (SELECT id FROM events)").fetchone()[0]
    assert orphans == 0
    stale = conn.execute("""SELECT COUNT(*) FROM event_keys k JOIN events e ON e.id = k.event_id
                            WHERE e.cluster_id != k.cluster_id""").fetchone()[0]
    assert stale == 0


def test_index_gives_the_clusters_of_the_scan_on_the_examples(tmp_path, monkeypatch):
    inputs = sorted(p for p in EXAMPLES.iterdir() if p.is_file() and p.suffix in (".txt", ".html", ".jsonl"))
    scan = _ingest(inputs, tmp_path / "scan.db", "scan", monkeypatch)
    index = _ingest(inputs, tmp_path / "index.db", "index", monkeypatch)
    assert scan and index == scan
    assert len(set(index.values())) < len(index)  # some reports were joined
    with Store(tmp_path / "index.db") as store:
        _counts_agree(store.conn)
        # Deleting an article takes its reports out of the index (cascade + triggers).
        victim = store.conn.execute("SELECT article_id FROM events GROUP BY article_id ORDER BY COUNT(*) DESC").fetchone()[0]
        with store.transaction():
            store.conn.execute("DELETE FROM articles WHERE id=?", (victim,))
        _counts_agree(store.conn)
        # A full recompute keeps the index in step through the cluster_id trigger.
        with store.transaction():
            cluster.cluster_events(store.conn)
        _counts_agree(store.conn)


@pytest.mark.shared
def test_index_gives_the_clusters_of_the_scan_on_the_news_dev_set(tmp_path, monkeypatch):
    news = SHARED / "corpus" / "news" / "articles.jsonl"
    if not news.exists():
        pytest.skip(f"../shared news corpus not found at {news}")
    scan = _ingest([news], tmp_path / "scan.db", "scan", monkeypatch)
    index = _ingest([news], tmp_path / "index.db", "index", monkeypatch)
    assert scan and index == scan


def _story_article(k: int) -> Article:
    """Article k of one synthetic story: the same two parties meet daily, for 21 days."""
    day = f"2026-03-{1 + k % 21:02d}"
    text = f"Report {k}: Korvel met Hask in Port Alder on {day}."
    aid = hashlib.sha256(text.encode()).hexdigest()[:16]
    art = Article(id=aid, text=text, source=f"{aid}.txt", doc=f"{aid}.txt", published=day, published_precision="day")
    trigger = text.index("met")
    art.events = [Event(start=0, end=len(text), text=text, event_type="CONSULT", actors=["Dana Korvel", "Bertil Hask"],
                        location="Port Alder", date=day, precision="day", date_basis="explicit",
                        trigger=Mention(trigger, trigger + 3, "met"), extractor="test")]
    return art


def _candidates_per_article(db, mode, monkeypatch, n=240) -> list[int]:
    monkeypatch.setattr(cluster, "CANDIDATES", mode)
    seen = []
    with Store(db) as store:
        for k in range(n):
            before = cluster.STATS["candidates"]
            with store.transaction():
                store.save_article(_story_article(k))
            seen.append(cluster.STATS["candidates"] - before)
        assert len(set(_clusters(store.conn).values())) == 21  # one meeting a day, however often reported
    return seen


def test_work_per_article_stays_bounded_on_one_story(tmp_path, monkeypatch):
    scan = _candidates_per_article(tmp_path / "scan.db", "scan", monkeypatch)
    index = _candidates_per_article(tmp_path / "index.db", "index", monkeypatch)
    # The scan looks at every stored report of the story in the date window: it grows.
    assert sum(scan[-20:]) > 5 * sum(scan[20:40])
    # The index returns one row per (key, date, basis, cluster): bounded by the story's
    # keys and days, not by how many reports are stored.
    assert max(index[-20:]) <= max(index[:60])


def test_a_ledger_with_events_from_before_the_index_is_indexed_on_first_save(tmp_path, monkeypatch):
    monkeypatch.setattr(cluster, "CANDIDATES", "index")
    db = tmp_path / "old.db"
    with Store(db) as store:
        for k in range(5):
            with store.transaction():
                store.save_article(_story_article(k))
        with store.transaction():  # as a ledger migrated with events already in it
            store.conn.execute("DELETE FROM event_keys")
            store.conn.execute("UPDATE event_key_state SET indexed = 0")
        with store.transaction():
            store.save_article(_story_article(21))  # the same day as report 0: same meeting
        _counts_agree(store.conn)
        clusters = _clusters(store.conn)
        assert store.conn.execute("SELECT indexed FROM event_key_state").fetchone()[0] == 1
    assert clusters[next(k for k in clusters if k.startswith(_story_article(21).id))] == \
        clusters[next(k for k in clusters if k.startswith(_story_article(0).id))]
