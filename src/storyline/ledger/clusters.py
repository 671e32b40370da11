"""Statement clusters: the same statement reported by several articles.

Two statements by one actor in different articles whose token Jaccard reaches
`CLUSTER_THRESHOLD` are one cluster; a cluster is named after its smallest statement id,
so it does not depend on the order articles arrived in. `cluster_article` runs in the
save transaction of each new article (through the actor registry's save hook) and
compares each statement with a bounded candidate set; `recluster` recomputes one
actor's clusters from scratch (after a merge or split, or when asked).
"""

from __future__ import annotations

import re
import sqlite3

from storyline.names import token_jaccard  # noqa: F401  (re-exported for the registry)
from storyline.ledger import store as store_module
from storyline.model import Article

CLUSTER_THRESHOLD = 0.5  # token Jaccard of two statements by one actor in different articles


def cluster_article(conn: sqlite3.Connection, article: Article) -> None:
    """Set `cluster_id` on this article's statements (and the stored ones they join):
    statements by the same actor in different articles whose token Jaccard >= 0.5.
    The cluster id is the smallest statement id in the cluster."""
    _ensure_keys(conn)
    for s in article.statements:
        sid = s.id or store_module.statement_id(article.id, s)
        s.cluster_id = None
        if s.actor_id is None:
            continue
        members = [sid]
        for row in _cluster_candidates(conn, s, article.id):
            if token_jaccard(s.text, row["text"]) >= CLUSTER_THRESHOLD:
                members.append(row["id"])
                if row["cluster_id"]:
                    members.append(row["cluster_id"])
        _add_keys(conn, sid, s.actor_id, s.text)
        if len(members) == 1:
            continue
        cluster = min(members)
        s.cluster_id = cluster
        old = sorted({m for m in members[1:]})
        conn.execute(
            f"UPDATE statements SET cluster_id=? WHERE id IN ({','.join('?' * len(old))}) "
            f"OR cluster_id IN ({','.join('?' * len(old))})",
            [cluster, *old, *old],
        )


# The words a statement is blocked under, and the most a new statement looks up.
KEY_MIN_LENGTH = 4
QUERY_WORDS = 6
MAX_CANDIDATES = 500


def statement_words(text: str) -> set[str]:
    """The blocking words of a statement: casefolded words longer than three letters."""
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) >= KEY_MIN_LENGTH}


def _query_words(text: str) -> list[str]:
    return sorted(statement_words(text), key=lambda w: (-len(w), w))[:QUERY_WORDS]


def _ensure_keys(conn: sqlite3.Connection) -> None:
    """Key the statements stored before the blocking table existed (once per ledger)."""
    row = conn.execute("SELECT backfilled FROM statement_words_state").fetchone()
    if row is None or row[0]:
        return
    for r in conn.execute("SELECT id, actor_id, text FROM statements WHERE actor_id IS NOT NULL").fetchall():
        _add_keys(conn, r["id"], r["actor_id"], r["text"])
    conn.execute("UPDATE statement_words_state SET backfilled=1")


def _add_keys(conn: sqlite3.Connection, statement_id: str, actor_id: int, text: str) -> None:
    conn.executemany("INSERT OR IGNORE INTO statement_words(actor_id, word, statement_id) VALUES (?,?,?)",
                     [(actor_id, w, statement_id) for w in statement_words(text)])


def _cluster_candidates(conn: sqlite3.Connection, s, article_id: str) -> list[sqlite3.Row]:
    """Stored statements by the same actor in other articles that share one of the
    longest words of `s`: an indexed look-up by (actor, word), bounded by what that
    actor said with those words, never by the size of the ledger."""
    words = _query_words(s.text)
    if not words:
        return []
    marks = ",".join("?" * len(words))
    return conn.execute(
        "SELECT s.id, s.text, s.cluster_id FROM statements s WHERE s.id IN ("
        f"  SELECT statement_id FROM statement_words WHERE actor_id = ? AND word IN ({marks})) "
        "AND s.actor_id = ? AND s.article_id != ? ORDER BY s.rowid LIMIT ?",
        (s.actor_id, *words, s.actor_id, article_id, MAX_CANDIDATES),
    ).fetchall()


def recluster(conn: sqlite3.Connection, actor_id: int) -> None:
    """Recompute the clusters of one actor's statements (after a merge or split)."""
    rows = conn.execute("SELECT id, article_id, text FROM statements WHERE actor_id=? ORDER BY id",
                        (actor_id,)).fetchall()
    parent = {r["id"]: r["id"] for r in rows}

    def root(x):
        while parent[x] != x:
            x = parent[x]
        return x

    # Only pairs sharing one of their longest words can reach the threshold: compare those.
    blocks: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        words = sorted({w for w in re.findall(r"\w+", r["text"].casefold()) if len(w) > 3}, key=len, reverse=True)
        for w in words[:4]:
            blocks.setdefault(w, []).append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                a, b = rows[i], rows[j]
                if (i, j) in seen or a["article_id"] == b["article_id"]:
                    continue
                seen.add((i, j))
                if token_jaccard(a["text"], b["text"]) >= CLUSTER_THRESHOLD:
                    ra, rb = root(a["id"]), root(b["id"])
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(root(r["id"]), []).append(r["id"])
    for members in groups.values():
        cluster = min(members) if len(members) > 1 else None
        conn.executemany("UPDATE statements SET cluster_id=? WHERE id=?", [(cluster, m) for m in members])


def recluster_all(conn: sqlite3.Connection) -> int:
    """Recompute every actor's statement clusters from scratch (and the blocking keys);
    returns the number of actors. For a user who wants a full recompute."""
    conn.execute("DELETE FROM statement_words")
    conn.execute("UPDATE statement_words_state SET backfilled=0")
    _ensure_keys(conn)
    actors = [r[0] for r in conn.execute("SELECT DISTINCT actor_id FROM statements WHERE actor_id IS NOT NULL")]
    for actor_id in actors:
        recluster(conn, actor_id)
    conn.execute("UPDATE statements SET cluster_id=NULL WHERE actor_id IS NULL AND cluster_id IS NOT NULL")
    return len(actors)
