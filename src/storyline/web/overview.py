"""Queries for the overview, actors and errors pages and their API lists (parameterised
only, like web/queries.py, whose statement and event queries they build on)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from storyline.errors import E, NotFoundError
from storyline.ledger.queries import actor_family, placeholders
from storyline.web.queries import (
    EVENT_COLUMNS,
    StatementFilters,
    count_statements,
    event_dict,
    list_statements,
    names_of_actor,
    statements_by_day,
)


# --- actors -------------------------------------------------------------------------


def _actor_where(q: str | None) -> tuple[str, list]:
    where, params = ["ac.merged_into IS NULL"], []
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(ac.name LIKE ? ESCAPE '\\' OR ac.id IN "
                     "(SELECT actor_id FROM actor_aliases WHERE alias LIKE ? ESCAPE '\\'))")
        params += [pattern, pattern]
    return " WHERE " + " AND ".join(where), params


_ACTOR_SELECT = (
    "SELECT ac.id, ac.name, ac.type, ac.affiliation, ac.origin, "
    "(SELECT count(*) FROM statements s WHERE s.actor_id = ac.id) AS statements, "
    "(SELECT group_concat(role, '; ') FROM actor_roles r WHERE r.actor_id = ac.id) AS roles FROM actors ac"
)


def list_actors(conn: sqlite3.Connection, q: str | None, limit: int, offset: int) -> tuple[int, list[dict]]:
    where_sql, params = _actor_where(q)
    total = conn.execute("SELECT count(*) FROM actors ac" + where_sql, params).fetchone()[0]
    rows = conn.execute(_ACTOR_SELECT + where_sql + " ORDER BY statements DESC, ac.name LIMIT ? OFFSET ?",
                        params + [limit, offset]).fetchall()
    return total, [dict(r) for r in rows]


def iter_actors(conn: sqlite3.Connection, q: str | None) -> Iterator[dict]:
    where_sql, params = _actor_where(q)
    for row in conn.execute(_ACTOR_SELECT + where_sql + " ORDER BY ac.id", params):
        yield dict(row)


def actor(conn: sqlite3.Connection, actor_id: int) -> dict:
    row = conn.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        raise NotFoundError(E.NOT_FOUND_ID, what="actor", id=actor_id)
    d = dict(row)
    family = actor_family(conn, actor_id)
    d["merged"] = [dict(r) for r in conn.execute(
        f"SELECT id, name FROM actors WHERE id IN ({placeholders(len(family))}) AND id != ? ORDER BY name",
        family + [actor_id])]
    d["merged_into_name"] = None
    if d["merged_into"] is not None:
        target = conn.execute("SELECT name FROM actors WHERE id = ?", (d["merged_into"],)).fetchone()
        d["merged_into_name"] = target[0] if target else None
    d["aliases"] = [dict(r) for r in conn.execute(
        f"SELECT DISTINCT alias, origin FROM actor_aliases WHERE actor_id IN ({placeholders(len(family))}) "
        "ORDER BY alias", family)]
    d["roles"] = [dict(r) for r in conn.execute(
        f"SELECT role, affiliation, first_seen, last_seen, article_id FROM actor_roles "
        f"WHERE actor_id IN ({placeholders(len(family))}) ORDER BY first_seen IS NULL, first_seen, role", family)]
    d["statement_count"] = count_statements(conn, StatementFilters(actor=actor_id))
    d["statements_by_day"], d["undated_statements"] = statements_by_day(conn, StatementFilters(actor=actor_id))
    names = set()
    for member in family:
        names |= names_of_actor(conn, member)
    names_list = sorted(names)
    marks = placeholders(len(names_list))
    d["events"] = [event_dict(r) for r in conn.execute(
        f"SELECT {EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
        f"WHERE EXISTS (SELECT 1 FROM json_each(e.actors) j WHERE j.value IN ({marks})) "
        f"OR EXISTS (SELECT 1 FROM json_each(e.recipients) j WHERE j.value IN ({marks})) "
        "ORDER BY e.date IS NULL, e.date, e.rowid LIMIT 500", names_list + names_list)]
    return d


def top_speakers(conn: sqlite3.Connection, limit: int = 10) -> list[dict]:
    rows = conn.execute(
        "SELECT speaker, min(actor_id) AS actor_id, count(*) AS n FROM statements "
        "WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY n DESC, speaker LIMIT ?", (limit,))
    return [{"speaker": r["speaker"], "actor_id": r["actor_id"], "count": r["n"]} for r in rows]


# --- overview and errors ---------------------------------------------------------------


def overview(conn: sqlite3.Connection) -> dict:
    one = lambda sql, *p: conn.execute(sql, p).fetchone()[0]  # noqa: E731
    span = conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "statements": one("SELECT count(*) FROM statements"),
        "events": one("SELECT count(*) FROM events"),
        "actors": one("SELECT count(*) FROM actors WHERE merged_into IS NULL"),
        "errors": one("SELECT count(*) FROM errors"),
        "first_published": span[0],
        "last_published": span[1],
        "outlets": [{"outlet": r[0], "count": r[1]} for r in conn.execute(
            "SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC, outlet LIMIT 20")],
        "outlet_count": one("SELECT count(DISTINCT outlet) FROM articles"),
        "top_speakers": top_speakers(conn),
        "latest_statements": list_statements(conn, StatementFilters(), 8, 0),
    }


def outlets(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet COLLATE NOCASE")]


ERROR_FIELDS = ["id", "source", "code", "message", "detail", "first_seen", "last_seen", "attempts"]


def count_errors(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM errors").fetchone()[0]


def list_errors(conn: sqlite3.Connection, limit: int, offset: int) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT * FROM errors ORDER BY last_seen DESC, id DESC LIMIT ? OFFSET ?", (limit, offset))]


def iter_errors(conn: sqlite3.Connection) -> Iterator[dict]:
    for row in conn.execute("SELECT * FROM errors ORDER BY id"):
        yield dict(row)



ACTOR_FIELDS = ["id", "name", "type", "affiliation", "origin", "statements", "roles"]
