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

from storyline.ledger import store as store_module
from storyline.model import Article

CLUSTER_THRESHOLD = 0.5  # token Jaccard of two statements by one actor in different articles


def token_jaccard(a: str, b: str) -> float:
    ta = set(re.findall(r"\w+", a.casefold()))
    tb = set(re.findall(r"\w+", b.casefold()))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def cluster_article(conn: sqlite3.Connection, article: Article) -> None:
    """Set `cluster_id` on this article's statements (and the stored ones they join):
    statements by the same actor in different articles whose token Jaccard >= 0.5.
    The cluster id is the smallest statement id in the cluster."""
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


def _cluster_candidates(conn: sqlite3.Connection, s, article_id: str) -> list[sqlite3.Row]:
    """Stored statements by the same actor in other articles that share a long word with
    `s` (found through the full-text index, so a prolific speaker costs no full scan)."""
    words = sorted({w for w in re.findall(r"\w+", s.text.casefold()) if len(w) > 3}, key=len, reverse=True)[:6]
    if not words:
        return []
    query = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
    try:
        return conn.execute(
            "SELECT s.id, s.text, s.cluster_id FROM statements_fts f JOIN statements s ON s.rowid = f.rowid "
            "WHERE statements_fts MATCH ? AND s.actor_id = ? AND s.article_id != ? LIMIT 500",
            ("text: (" + query + ")", s.actor_id, article_id),
        ).fetchall()
    except sqlite3.OperationalError:
        return conn.execute("SELECT id, text, cluster_id FROM statements WHERE actor_id=? AND article_id != ?",
                            (s.actor_id, article_id)).fetchall()


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
