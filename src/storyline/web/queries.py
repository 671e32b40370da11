"""Every SQL query the web app runs, parameterised only.

User values (filters, search words, ids) always travel as `?` parameters; the only
text ever formatted into SQL is fixed clause text chosen in this module and runs of
`?` placeholders. Filters are parsed and checked first (`parse_*_filters`), so a bad
value is a clear 400 error, never a SQL error.

Statements are filtered by the read layer (`storyline.ledger.queries`: the one filter
object and WHERE builder the CLI, exports and evaluation use too); this module adds
what the pages need over it: counts, facets, pages in date order, the timeline.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

from storyline.errors import E, NotFoundError
from storyline.ledger.queries import (
    KINDS,
    SELECTIVE,
    BadFilter,
    Filters,
    StatementFilter,
    date_param,
    fts_query,
    parse_statement_filter,
    placeholders,
    speaker_actor_ids,
    statement_sql,
    text_param,
    until_bound,
)

__all__ = ["KINDS", "BadFilter", "StatementFilters", "fts_query", "parse_statement_filters"]

# The web's names for the read layer's filter (the same object).
StatementFilters = StatementFilter
parse_statement_filters = parse_statement_filter

# Memory-mapped reads share the OS page cache across the app's pooled connections.
MMAP_BYTES = 256 * 1024 * 1024


def tune_reader(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA mmap_size={int(MMAP_BYTES)}")


# --- parsing filters ----------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters(Filters):
    actor: str | None = None
    type: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    article: str | None = None
    cluster: str | None = None


def parse_event_filters(params: Mapping[str, str]) -> EventFilters:
    kind = text_param(params, "type")
    if kind is not None and not re.fullmatch(r"[A-Za-z_]{1,40}", kind):
        raise BadFilter("type", f"{kind!r} is not an event type (e.g. CONSULT, AGREE)")
    return EventFilters(
        actor=text_param(params, "actor"), type=kind.upper() if kind else None, outlet=text_param(params, "outlet"),
        since=date_param(params, "since"), until=date_param(params, "until"), article=text_param(params, "article"),
        cluster=text_param(params, "cluster"),
    )


@dataclass(frozen=True)
class ArticleFilters(Filters):
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    q: str | None = None
    language: str | None = None


def parse_article_filters(params: Mapping[str, str]) -> ArticleFilters:
    return ArticleFilters(
        outlet=text_param(params, "outlet"), since=date_param(params, "since"), until=date_param(params, "until"),
        q=text_param(params, "q"), language=text_param(params, "language"),
    )


# --- statements -----------------------------------------------------------------------

_STATEMENT_COLUMNS = """s.rowid AS rowid, s.id, s.article_id, s.start, s."end", s.text, s.parts, s.kind, s.speaker,
    s.speaker_type, s.actor_id, s.speaker_start, s.speaker_end, s.speaker_text, s.speaker_role,
    s.speaker_affiliation, s.speaker_description, s.cue, s.channel, s.via, s.hedged, s.date, s.date_basis,
    s.confidence, s.extractor, s.cluster_id, s.corrected, a.outlet AS outlet, a.title AS title, a.published AS published,
    a.doc AS doc, a.url AS url"""

STATEMENT_FIELDS = [
    "id", "article_id", "start", "end", "text", "kind", "speaker", "speaker_type", "actor_id",
    "speaker_text", "speaker_role", "speaker_affiliation", "speaker_description", "cue", "channel", "via",
    "hedged", "date", "date_basis", "confidence", "extractor", "cluster_id", "outlet", "title", "published",
    "doc", "url", "parts", "corrected",
]

# Facets of up to this many matches are counted in one pass (see statement_facets).
FACET_PASS_LIMIT = 10_000
# Above this many FTS matches a search counts as "dense" (see ledger.queries.statement_where).
DENSE_FTS_MATCHES = 2000


def fts_matches(conn: sqlite3.Connection, f: StatementFilters) -> int | None:
    """How many statements the search words alone match (cheap: the FTS index only)."""
    if f.q is None:
        return None
    match = fts_query(f.q)
    if match is None:
        return 0
    return conn.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?", (match,)).fetchone()[0]


def _shape(conn: sqlite3.Connection, f: StatementFilters) -> tuple[int | None, bool, bool]:
    """(FTS matches or None, any selective filter, any filter besides the search)."""
    selective = any(getattr(f, k) is not None for k in SELECTIVE)
    others = any(getattr(f, field.name) is not None for field in fields(f) if field.name != "q")
    return fts_matches(conn, f), selective, others


def _membership(matches: int | None) -> str:
    """A search matching many statements is checked by membership, not used to drive."""
    return "dense" if (matches or 0) > DENSE_FTS_MATCHES else "in"


def count_statements(conn: sqlite3.Connection, f: StatementFilters) -> int:
    matches, _, others = _shape(conn, f)
    if matches is not None and not others:
        return matches
    sql, params = statement_sql(conn, f, "count(*)", join_article=False, fts=_membership(matches))
    return conn.execute(sql, params).fetchone()[0]


def list_statements(conn: sqlite3.Connection, f: StatementFilters, limit: int, offset: int) -> list[dict]:
    """One page of matching statements, newest statement date first.

    With a selective filter its index drives and the few matches are sorted (`+s.date`
    keeps SQLite from walking the date index instead); otherwise SQLite walks the date
    index newest first and stops after one page.
    """
    matches, selective, _ = _shape(conn, f)
    order = "+s.date DESC, s.rowid DESC" if selective else "s.date DESC, s.rowid DESC"
    # Find the page's rowids first (answered from indexes, no wide rows read), then
    # fetch just those rows.
    sql, params = statement_sql(conn, f, "s.rowid", join_article=False, fts=_membership(matches),
                                 tail=f" ORDER BY {order} LIMIT ? OFFSET ?")
    rowids = [r[0] for r in conn.execute(sql, params + [limit, offset])]
    if not rowids:
        return []
    rows = conn.execute(
        f"SELECT {_STATEMENT_COLUMNS} FROM statements s CROSS JOIN articles a ON a.id = s.article_id "
        f"WHERE s.rowid IN ({placeholders(len(rowids))})", rowids).fetchall()
    by_rowid = {r["rowid"]: r for r in rows}
    return [statement_dict(by_rowid[i]) for i in rowids if i in by_rowid]


def iter_statements(conn: sqlite3.Connection, f: StatementFilters) -> Iterator[dict]:
    """Every matching statement, streamed from the cursor (exports; no row cap)."""
    sql, params = statement_sql(conn, f, _STATEMENT_COLUMNS, join_article=True, tail=" ORDER BY s.rowid")
    for row in conn.execute(sql, params):
        yield statement_dict(row)


FACETS = ("speaker", "outlet", "kind")


def statement_facets(conn: sqlite3.Connection, f: StatementFilters, size: int = 12,
                     total: int | None = None) -> dict[str, list[dict]]:
    """Counts of the matching statements by speaker, outlet and kind (top `size` each).

    With a search, or up to FACET_PASS_LIMIT matches, one pass over (speaker, kind,
    article) of the matches counts all three (the filters' indexes drive it). Above
    that, each facet is a GROUP BY that SQLite answers from the covering indexes
    (migration "web: covering indexes for filters and facets").
    """
    if total is None:
        total = count_statements(conn, f)
    if f.q is not None or total <= FACET_PASS_LIMIT:
        matches, _, others = _shape(conn, f)
        sql, params = statement_sql(conn, f, "s.speaker, s.kind, s.article_id", join_article=False,
                                     fts=_membership(matches) if others else "join")
        cursor = conn.cursor()
        cursor.row_factory = None  # plain tuples: this pass may read every match
        rows = cursor.execute(sql, params).fetchall()
        counts = {"speaker": Counter(r[0] for r in rows), "kind": Counter(r[1] for r in rows),
                  "article": Counter(r[2] for r in rows)}
        outlets: dict = {}
        articles = list(counts["article"].items())
        for i in range(0, len(articles), 500):
            chunk = dict(articles[i:i + 500])
            for article_id, outlet in conn.execute(
                    f"SELECT id, outlet FROM articles WHERE id IN ({placeholders(len(chunk))})", list(chunk)):
                outlets[outlet] = outlets.get(outlet, 0) + chunk[article_id]
        tallies = {"speaker": counts["speaker"], "outlet": outlets, "kind": counts["kind"]}
        return {name: _top(tallies[name], size) for name in FACETS}
    out = {}
    for name, column in (("speaker", "s.speaker"), ("kind", "s.kind")):
        sql, params = statement_sql(conn, f, f"{column} AS value, count(*) AS n", join_article=False,
                                     tail=f" GROUP BY {column} ORDER BY n DESC, value LIMIT ?")
        out[name] = [{"value": r["value"], "count": r["n"]} for r in conn.execute(sql, params + [size])]
    inner, params = statement_sql(conn, f, "s.article_id, count(*) AS n", join_article=False,
                                   tail=" GROUP BY s.article_id")
    rows = conn.execute(
        f"SELECT a.outlet AS value, sum(x.n) AS n FROM ({inner}) x JOIN articles a ON a.id = x.article_id "
        "GROUP BY a.outlet ORDER BY n DESC, value LIMIT ?", params + [size])
    out["outlet"] = [{"value": r["value"], "count": r["n"]} for r in rows]
    return {name: out[name] for name in FACETS}


def _top(tally: dict, size: int) -> list[dict]:
    ordered = sorted(tally.items(), key=lambda kv: (-kv[1], "" if kv[0] is None else str(kv[0])))
    return [{"value": value, "count": n} for value, n in ordered[:size]]


def statement_dict(row: sqlite3.Row) -> dict:
    d = {k: row[k] for k in row.keys() if k != "rowid"}
    d["hedged"] = bool(d.get("hedged"))
    d["via"] = json.loads(d.get("via") or "[]")
    d["parts"] = json.loads(d.get("parts") or "[]")
    d["corrected"] = json.loads(d.get("corrected") or "[]")
    return d


def statement(conn: sqlite3.Connection, statement_id: str) -> dict:
    row = conn.execute(f"SELECT {_STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
                       "WHERE s.id = ?", (statement_id,)).fetchone()
    if row is None:
        raise NotFoundError(E.NOT_FOUND_ID, what="statement", id=statement_id)
    return statement_dict(row)


def statement_cluster(conn: sqlite3.Connection, statement_id: str) -> list[dict]:
    """The statement and every report of it elsewhere (same cluster_id), oldest first."""
    first = statement(conn, statement_id)
    if not first["cluster_id"]:
        return [first]
    rows = conn.execute(
        f"SELECT {_STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
        "WHERE s.cluster_id = ? ORDER BY a.published IS NULL, a.published, a.outlet, s.start",
        (first["cluster_id"],),
    ).fetchall()
    return [statement_dict(r) for r in rows]


# --- articles ---------------------------------------------------------------------------

_ARTICLE_COLUMNS = """a.id, a.doc, a.source, a.format, a.url, a.outlet, a.title, a.authors, a.published,
    a.published_precision, a.published_method, a.updated, a.language, a.analysed, a.not_analysed_reason,
    a.length, a.cluster_id, a.cluster_similarity, a.ingested_at"""

ARTICLE_FIELDS = [
    "id", "doc", "source", "format", "url", "outlet", "title", "authors", "published", "published_precision",
    "published_method", "updated", "language", "analysed", "not_analysed_reason", "length", "cluster_id",
    "cluster_similarity", "ingested_at", "statements", "events",
]


def _article_where(f: ArticleFilters) -> tuple[list[str], list]:
    where, params = [], []
    if f.q is not None:
        match = fts_query(f.q)
        if match is None:
            where.append("0")
        else:
            where.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(match)
    if f.outlet is not None:
        where.append("a.outlet = ? COLLATE NOCASE")
        params.append(f.outlet)
    if f.since is not None:
        where.append("a.published >= ?")
        params.append(f.since)
    if f.until is not None:
        where.append("a.published <= ?")
        params.append(until_bound(f.until))
    if f.language is not None:
        where.append("a.language = ?")
        params.append(f.language)
    return where, params


def article_dict(row: sqlite3.Row) -> dict:
    d = {k: row[k] for k in row.keys()}
    if "authors" in d:
        d["authors"] = json.loads(d["authors"] or "[]")
    if "analysed" in d:
        d["analysed"] = bool(d["analysed"])
    return d


def _article_select(f: ArticleFilters, tail: str) -> tuple[str, list]:
    where, params = _article_where(f)
    sql = (f"SELECT {_ARTICLE_COLUMNS}, "
           "(SELECT count(*) FROM statements s WHERE s.article_id = a.id) AS statements, "
           "(SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events FROM articles a")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + tail, params


def count_articles(conn: sqlite3.Connection, f: ArticleFilters) -> int:
    where, params = _article_where(f)
    sql = "SELECT count(*) FROM articles a" + (" WHERE " + " AND ".join(where) if where else "")
    return conn.execute(sql, params).fetchone()[0]


_ARTICLE_ORDER = " ORDER BY a.published IS NULL, a.published DESC, a.rowid DESC"


def list_articles(conn: sqlite3.Connection, f: ArticleFilters, limit: int, offset: int) -> list[dict]:
    sql, params = _article_select(f, _ARTICLE_ORDER + " LIMIT ? OFFSET ?")
    return [article_dict(r) for r in conn.execute(sql, params + [limit, offset])]


def iter_articles(conn: sqlite3.Connection, f: ArticleFilters) -> Iterator[dict]:
    sql, params = _article_select(f, " ORDER BY a.rowid")
    for row in conn.execute(sql, params):
        yield article_dict(row)


def resolve_article_prefix(conn: sqlite3.Connection, prefix: str) -> str:
    """The one article id starting with `prefix` (6+ characters, as the CLI prints them)."""
    if len(prefix) >= 6:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = conn.execute("SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 2",
                            (pattern,)).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    raise NotFoundError(E.NOT_FOUND_ID, what="article", id=prefix)


def actor_name(conn: sqlite3.Connection, actor_id: int) -> str | None:
    row = conn.execute("SELECT name FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return row[0] if row else None


def article(conn: sqlite3.Connection, article_id: str) -> dict:
    """One article with its text, segments, statements, events and sources."""
    row = conn.execute(f"SELECT {_ARTICLE_COLUMNS}, a.text, a.meta FROM articles a WHERE a.id = ?",
                       (article_id,)).fetchone()
    if row is None:
        full = resolve_article_prefix(conn, article_id)
        row = conn.execute(f"SELECT {_ARTICLE_COLUMNS}, a.text, a.meta FROM articles a WHERE a.id = ?",
                           (full,)).fetchone()
        article_id = full
    d = article_dict(row)
    d["meta"] = json.loads(d["meta"] or "{}")
    d["segments"] = [dict(r) for r in conn.execute(
        'SELECT idx, start, "end", kind, boilerplate, reason, section_date FROM segments '
        "WHERE article_id = ? ORDER BY start, idx", (article_id,))]
    for seg in d["segments"]:
        seg["boilerplate"] = bool(seg["boilerplate"])
    d["statements"] = [statement_dict(r) for r in conn.execute(
        f"SELECT {_STATEMENT_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id "
        'WHERE s.article_id = ? ORDER BY s.start, s."end"', (article_id,))]
    d["events"] = [event_dict(r) for r in conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
        'WHERE e.article_id = ? ORDER BY e.start, e."end"', (article_id,))]
    d["sources"] = [dict(r) for r in conn.execute(
        "SELECT source, doc, outlet, first_seen FROM article_sources WHERE article_id = ? ORDER BY first_seen",
        (article_id,))]
    d["near_duplicates"] = []
    if d["cluster_id"]:
        d["near_duplicates"] = [dict(r) for r in conn.execute(
            "SELECT id, outlet, title, published FROM articles WHERE cluster_id = ? AND id != ? ORDER BY published",
            (d["cluster_id"], article_id))]
    return d


# --- events -------------------------------------------------------------------------

_EVENT_COLUMNS = """e.id, e.article_id, e.start, e."end", e.text, e.event_type, e.mode, e.actors, e.recipients,
    e.location, e.date, e.precision, e.date_basis, e.negated, e.hypothetical, e.future, e.trigger_start,
    e.trigger_end, e.trigger_text, e.confidence, e.extractor, e.cluster_id, a.outlet AS outlet,
    a.title AS title, a.published AS published"""

EVENT_COLUMNS = _EVENT_COLUMNS  # (public: web/overview.py)

EVENT_FIELDS = [
    "id", "article_id", "start", "end", "text", "event_type", "mode", "actors", "recipients", "location",
    "date", "precision", "date_basis", "negated", "hypothetical", "future", "trigger_start", "trigger_end",
    "trigger_text", "confidence", "extractor", "cluster_id", "outlet", "title", "published",
]


def event_dict(row: sqlite3.Row) -> dict:
    d = {k: row[k] for k in row.keys()}
    d["actors"] = json.loads(d["actors"] or "[]")
    d["recipients"] = json.loads(d["recipients"] or "[]")
    for key in ("negated", "hypothetical", "future"):
        d[key] = bool(d[key])
    return d


def actor_names(conn: sqlite3.Connection, name: str) -> list[str]:
    """A name plus the names and aliases of every actor it stands for (the same actors
    as a speaker filter: `ledger.queries.speaker_actor_ids`)."""
    names = {name}
    for actor_id in speaker_actor_ids(conn, name):
        names.update(names_of_actor(conn, actor_id))
    return sorted(names)


def names_of_actor(conn: sqlite3.Connection, actor_id: int) -> set[str]:
    names = set()
    for (value,) in conn.execute(
        "SELECT name FROM actors WHERE id = ? UNION SELECT alias FROM actor_aliases WHERE actor_id = ?",
        (actor_id, actor_id),
    ):
        names.add(value)
    return names


def _event_where(conn: sqlite3.Connection, f: EventFilters) -> tuple[list[str], list]:
    where, params = [], []
    if f.actor is not None:
        names = actor_names(conn, f.actor)
        marks = placeholders(len(names))
        where.append(
            f"(EXISTS (SELECT 1 FROM json_each(e.actors) j WHERE j.value IN ({marks}))"
            f" OR EXISTS (SELECT 1 FROM json_each(e.recipients) j WHERE j.value IN ({marks})))"
        )
        params += names + names
    if f.type is not None:
        where.append("e.event_type = ?")
        params.append(f.type)
    if f.outlet is not None:
        where.append("a.outlet = ? COLLATE NOCASE")
        params.append(f.outlet)
    if f.since is not None:
        where.append("e.date >= ?")
        params.append(f.since)
    if f.until is not None:
        where.append("e.date <= ?")
        params.append(until_bound(f.until))
    if f.article is not None:
        where.append("e.article_id = ?")
        params.append(f.article)
    if f.cluster is not None:
        where.append("e.cluster_id = ?")
        params.append(f.cluster)
    return where, params


def _event_select(conn, f: EventFilters, select: str, tail: str) -> tuple[str, list]:
    where, params = _event_where(conn, f)
    sql = f"SELECT {select} FROM events e JOIN articles a ON a.id = e.article_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + tail, params


def count_events(conn: sqlite3.Connection, f: EventFilters) -> int:
    sql, params = _event_select(conn, f, "count(*)", "")
    return conn.execute(sql, params).fetchone()[0]


def list_events(conn: sqlite3.Connection, f: EventFilters, limit: int, offset: int) -> list[dict]:
    sql, params = _event_select(conn, f, _EVENT_COLUMNS,
                                " ORDER BY e.date IS NULL, e.date, e.rowid LIMIT ? OFFSET ?")
    return [event_dict(r) for r in conn.execute(sql, params + [limit, offset])]


def iter_events(conn: sqlite3.Connection, f: EventFilters) -> Iterator[dict]:
    sql, params = _event_select(conn, f, _EVENT_COLUMNS, " ORDER BY e.rowid")
    for row in conn.execute(sql, params):
        yield event_dict(row)


def event_types(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT event_type FROM events ORDER BY event_type")]


def event_cluster(conn: sqlite3.Connection, event_id: str) -> list[dict]:
    row = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
                       "WHERE e.id = ?", (event_id,)).fetchone()
    if row is None:
        raise NotFoundError(E.NOT_FOUND_ID, what="event", id=event_id)
    first = event_dict(row)
    if not first["cluster_id"]:
        return [first]
    rows = conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
        "WHERE e.cluster_id = ? ORDER BY a.published IS NULL, a.published, a.outlet, e.start",
        (first["cluster_id"],)).fetchall()
    return [event_dict(r) for r in rows]


# --- timeline ---------------------------------------------------------------------------


def timeline(conn: sqlite3.Connection, f: EventFilters, max_points: int = 2000, flagged: bool = False) -> dict:
    """Events grouped by cluster (one point per real-world event) and statements per day.

    Each event point carries the report to link to (the earliest), how many reports
    and outlets tell it; undated events and the count of undated statements come apart.
    Only reports of what happened are drawn unless `flagged`: hypothetical (proposed,
    sought, possible) and negated reports are counted in `flagged_hidden` instead.
    """
    where, params = _event_where(conn, f)
    hidden = 0
    if not flagged:
        sql = ("SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id WHERE "
               + " AND ".join(where + ["(e.negated = 1 OR e.hypothetical = 1)"]))
        hidden = conn.execute(sql, params).fetchone()[0]
        where = where + ["e.negated = 0", "e.hypothetical = 0"]
    sql = (
        "SELECT COALESCE(e.cluster_id, e.id) AS key, min(e.date) AS date, e.event_type AS event_type, "
        "count(*) AS reports, count(DISTINCT a.outlet) AS outlets, "
        "min(COALESCE(a.published, '~') || char(31) || e.id) AS first "
        "FROM events e JOIN articles a ON a.id = e.article_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " GROUP BY key, e.event_type ORDER BY date IS NULL, date, key LIMIT ?"
    )
    points, undated = [], []
    rows = conn.execute(sql, params + [max_points]).fetchall()
    first_ids = [r["first"].split("\x1f", 1)[1] for r in rows]
    details = {}
    for chunk_start in range(0, len(first_ids), 500):
        chunk = first_ids[chunk_start:chunk_start + 500]
        for r in conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
            f"WHERE e.id IN ({placeholders(len(chunk))})", chunk):
            details[r["id"]] = event_dict(r)
    for r, event_id in zip(rows, first_ids):
        item = dict(details[event_id])
        item.update(key=r["key"], date=r["date"], reports=r["reports"], outlets=r["outlets"])
        (points if r["date"] else undated).append(item)
    sf = StatementFilters(speaker=f.actor, outlet=f.outlet, since=f.since, until=f.until)
    by_day, undated_statements = statements_by_day(conn, sf)
    return {"events": points, "undated_events": undated, "statements_by_day": by_day,
            "undated_statements": undated_statements, "truncated": len(rows) >= max_points,
            "flagged": flagged, "flagged_hidden": hidden}


def statements_by_day(conn: sqlite3.Connection, f: StatementFilters) -> tuple[list[dict], int]:
    """Matching statements per day (their date, else the article's published day), and
    how many have neither. Dated statements are counted from the date index alone."""
    counts: dict[str, int] = {}
    sql, params = statement_sql(conn, f, "s.date AS day, count(*) AS n", join_article=False,
                                 tail=" GROUP BY s.date", extra="s.date IS NOT NULL")
    for day, n in conn.execute(sql, params):
        counts[day] = counts.get(day, 0) + n
    sql, params = statement_sql(conn, f, "substr(a.published, 1, 10) AS day, count(*) AS n", join_article=True,
                                 tail=" GROUP BY day", extra="s.date IS NULL")
    undated = 0
    for day, n in conn.execute(sql, params):
        if day is None:
            undated += n
        else:
            counts[day] = counts.get(day, 0) + n
    return [{"date": day, "count": n} for day, n in sorted(counts.items())], undated


# The actors, overview and errors queries live in web/overview.py.
