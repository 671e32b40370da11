"""Reading statements back from the ledger: one filter function for the CLI, the
exporter, the evaluation and the web app.

`find_statements(conn, ...)` builds parameterised SQL only (user text never becomes
SQL), and yields one plain dict per statement (the export row), streamed from the
cursor so an export of a million statements keeps memory flat.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from storyline.ledger.actors import normalize_name

# The columns every export row carries, in order (CSV header).
EXPORT_FIELDS = [
    "id", "article_id", "doc", "outlet", "published", "start", "end", "text", "kind", "speaker",
    "speaker_type", "speaker_mention", "speaker_role", "speaker_affiliation", "speaker_description",
    "actor_id", "cue", "channel", "via", "hedged", "date", "date_basis", "confidence", "extractor",
    "cluster_id", "parts",
]

_SELECT = """
SELECT s.*, a.doc AS article_doc, a.url AS article_url, a.outlet AS article_outlet,
       a.published AS article_published
FROM statements s JOIN articles a ON a.id = s.article_id
"""


def fts_query(text: str) -> str:
    """User text as an FTS5 query: every word quoted, so `"` or `AND` cannot break it."""
    words = [w for w in text.split() if w.strip()]
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def speaker_actor_ids(conn: sqlite3.Connection, name: str) -> list[int]:
    """Actor ids (following merges) whose name or any alias matches `name`."""
    norm = normalize_name(name)
    rows = conn.execute(
        "SELECT actor_id FROM actor_aliases WHERE norm = ? UNION SELECT id FROM actors WHERE name = ? COLLATE NOCASE",
        (norm, name),
    ).fetchall()
    ids: set[int] = set()
    for (actor_id,) in rows:
        seen = set()
        while actor_id is not None and actor_id not in seen:
            seen.add(actor_id)
            ids.add(actor_id)
            row = conn.execute("SELECT merged_into FROM actors WHERE id = ?", (actor_id,)).fetchone()
            actor_id = row[0] if row else None
    return sorted(ids)


def find_statements(
    conn: sqlite3.Connection,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    search: str | None = None,
    kind: str | None = None,
    hedged: bool | None = None,
    article_id: str | None = None,
    actor_id: int | None = None,
    cluster_id: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[dict]:
    """Statements matching every given filter, as export rows, in article then text order.

    speaker: a name or any alias of an actor in the registry (case- and accent-blind),
        or the stored speaker string itself.
    outlet: the article's outlet (case-blind).
    since/until: ISO dates, inclusive, on the statement's date (or the article's
        published date when the statement has none).
    search: words to find in the statement text or speaker (FTS5, all words must occur).
    """
    where: list[str] = []
    params: list = []
    sql = _SELECT
    if search:
        sql += " JOIN statements_fts f ON f.rowid = s.rowid"
        where.append("statements_fts MATCH ?")
        params.append(fts_query(search))
    if speaker:
        ids = speaker_actor_ids(conn, speaker)
        clause = "s.speaker = ? COLLATE NOCASE"
        params.append(speaker)
        if ids:
            clause += f" OR s.actor_id IN ({','.join('?' * len(ids))})"
            params.extend(ids)
        where.append(f"({clause})")
    if outlet:
        where.append("a.outlet = ? COLLATE NOCASE")
        params.append(outlet)
    if since:
        where.append("COALESCE(s.date, substr(a.published, 1, 10)) >= ?")
        params.append(since)
    if until:
        where.append("substr(COALESCE(s.date, substr(a.published, 1, 10)), 1, ?) <= ?")
        params.extend([len(until), until])
    if kind:
        where.append("s.kind = ?")
        params.append(kind)
    if hedged is not None:
        where.append("s.hedged = ?")
        params.append(int(hedged))
    if article_id:
        where.append("s.article_id = ?")
        params.append(article_id)
    if actor_id is not None:
        where.append("s.actor_id = ?")
        params.append(actor_id)
    if cluster_id:
        where.append("s.cluster_id = ?")
        params.append(cluster_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.published IS NULL, a.published, s.article_id, s.start, s.\"end\""
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params.extend([limit if limit is not None else -1, offset])
    cursor = conn.execute(sql, params)
    for row in cursor:
        yield export_row(row)


def export_row(row: sqlite3.Row) -> dict:
    """One statement as a plain dict (the JSONL / CSV export row)."""
    mention = None
    if row["speaker_text"] is not None:
        mention = {"start": row["speaker_start"], "end": row["speaker_end"], "text": row["speaker_text"]}
    return {
        "id": row["id"],
        "article_id": row["article_id"],
        "doc": row["article_url"] or row["article_doc"],
        "outlet": row["article_outlet"],
        "published": row["article_published"],
        "start": row["start"],
        "end": row["end"],
        "text": row["text"],
        "kind": row["kind"],
        "speaker": row["speaker"],
        "speaker_type": row["speaker_type"],
        "speaker_mention": mention,
        "speaker_role": row["speaker_role"],
        "speaker_affiliation": row["speaker_affiliation"],
        "speaker_description": row["speaker_description"],
        "actor_id": row["actor_id"],
        "cue": row["cue"],
        "channel": row["channel"],
        "via": json.loads(row["via"] or "[]"),
        "hedged": bool(row["hedged"]),
        "date": row["date"],
        "date_basis": row["date_basis"],
        "confidence": row["confidence"],
        "extractor": row["extractor"],
        "cluster_id": row["cluster_id"],
        "parts": json.loads(row["parts"] or "[]"),
    }
