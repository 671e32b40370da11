"""The contents of a ledger as comparable rows: every table but its clock columns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Columns that record when something happened on this machine, not what was read.
CLOCK_COLUMNS = {
    "articles": {"ingested_at"},
    "article_sources": {"first_seen"},
    "errors": {"first_seen", "last_seen", "attempts"},
    "actors": {"created_at"},
}
TABLES = ("articles", "article_sources", "segments", "statements", "timexes", "events", "actors",
          "actor_aliases", "actor_roles", "minhashes", "errors", "statement_words", "event_keys",
          "event_key_clusters", "position_suggestions")


def dump(db: Path | str) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in TABLES:
            exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone()
            if not exists:
                continue
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                       if r[1] not in CLOCK_COLUMNS.get(table, set())]
            quoted = ", ".join(f'"{c}"' for c in columns)
            out[table] = [tuple(r) for r in conn.execute(f"SELECT {quoted} FROM {table} ORDER BY {quoted}")]
        return out
    finally:
        conn.close()


def differences(a: dict, b: dict, limit: int = 5) -> list[str]:
    """What differs between two dumps (a few rows per table), for assertion messages."""
    found = []
    for table in sorted(set(a) | set(b)):
        left, right = set(a.get(table, [])), set(b.get(table, []))
        if left != right:
            found.append(f"{table}: {len(left - right)} rows only in the first, {len(right - left)} only in the "
                         f"second, e.g. {sorted(left - right, key=str)[:limit]} / {sorted(right - left, key=str)[:limit]}")
    return found
