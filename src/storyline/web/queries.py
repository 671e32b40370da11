"""Every SQL query the web app runs, parameterised only.

User values (filters, search words, ids) always travel as `?` parameters; the only
text ever formatted into SQL is fixed clause text chosen in this module and runs of
`?` placeholders. Filters are parsed and checked first (`parse_*_filters`), so a bad
value is a clear 400 error, never a SQL error.

The statement filter is our own rather than `ledger.queries.find_statements`: the
web pages need counts, facets and keyset-friendly ordering over the same WHERE clause,
which that generator does not expose. The filter semantics match it (speaker by name or
registry alias, outlet case-blind, dates inclusive on the statement's date or else the
article's published day, FTS5 words all required).
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

from storyline.errors import E, NotFoundError, StorylineError

KINDS = ("direct", "indirect", "mixed")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class BadFilter(StorylineError):
    """A filter value the API cannot use (HTTP 400)."""

    def __init__(self, option: str, detail: str):
        super().__init__(E.BAD_OPTION, option=option, detail=detail)


# Memory-mapped reads share the OS page cache across the app's pooled connections.
MMAP_BYTES = 256 * 1024 * 1024


def tune_reader(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA mmap_size={int(MMAP_BYTES)}")


# --- parsing filters ----------------------------------------------------------------


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _date(params: Mapping[str, str], name: str) -> str | None:
    value = _text(params, name)
    if value is not None and not _DATE.match(value):
        raise BadFilter(name, f"{value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _int(params: Mapping[str, str], name: str) -> int | None:
    value = _text(params, name)
    if value is None:
        return None
    if not re.fullmatch(r"\d{1,12}", value):
        raise BadFilter(name, f"{value!r} is not a whole number")
    return int(value)


def _bool(params: Mapping[str, str], name: str) -> bool | None:
    value = _text(params, name)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "hedged"):
        return True
    if lowered in ("0", "false", "no", "plain"):
        return False
    raise BadFilter(name, f"{value!r} is not true/false (use 1 or 0)")


class _Filters:
    """Query-string round trip shared by the filter sets below."""

    def as_params(self, **changes) -> dict[str, str]:
        """The filters as query-string parameters (for links), with some changed."""
        out = {}
        for f in fields(self):
            value = changes.get(f.name, getattr(self, f.name))
            if value is None or value == "":
                continue
            out[f.name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return out

    def active(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))


@dataclass(frozen=True)
class StatementFilters(_Filters):
    speaker: str | None = None
    actor: int | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    kind: str | None = None
    hedged: bool | None = None
    q: str | None = None
    article: str | None = None
    cluster: str | None = None


def parse_statement_filters(params: Mapping[str, str]) -> StatementFilters:
    kind = _text(params, "kind")
    if kind is not None and kind not in KINDS:
        raise BadFilter("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    return StatementFilters(
        speaker=_text(params, "speaker"), actor=_int(params, "actor"), outlet=_text(params, "outlet"),
        since=_date(params, "since"), until=_date(params, "until"), kind=kind,
        hedged=_bool(params, "hedged"), q=_text(params, "q"), article=_text(params, "article"),
        cluster=_text(params, "cluster"),
    )


@dataclass(frozen=True)
class EventFilters(_Filters):
    actor: str | None = None
    type: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    article: str | None = None
    cluster: str | None = None


def parse_event_filters(params: Mapping[str, str]) -> EventFilters:
    kind = _text(params, "type")
    if kind is not None and not re.fullmatch(r"[A-Za-z_]{1,40}", kind):
        raise BadFilter("type", f"{kind!r} is not an event type (e.g. CONSULT, AGREE)")
    return EventFilters(
        actor=_text(params, "actor"), type=kind.upper() if kind else None, outlet=_text(params, "outlet"),
        since=_date(params, "since"), until=_date(params, "until"), article=_text(params, "article"),
        cluster=_text(params, "cluster"),
    )


@dataclass(frozen=True)
class ArticleFilters(_Filters):
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    q: str | None = None
    language: str | None = None


def parse_article_filters(params: Mapping[str, str]) -> ArticleFilters:
    return ArticleFilters(
        outlet=_text(params, "outlet"), since=_date(params, "since"), until=_date(params, "until"),
        q=_text(params, "q"), language=_text(params, "language"),
    )


# --- full-text search -----------------------------------------------------------------

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(text: str) -> str | None:
    """User text as a safe FTS5 query: "quoted phrases" kept, every other word quoted.

    A trailing `*` on a word is kept as a prefix search. Operators, column filters,
    brackets and stray quotes lose their meaning, so no input is an FTS5 syntax error.
    Returns None when nothing searchable is left (the search then matches nothing).
    """
    terms = []
    for phrase, word in _TOKEN.findall(text):
        raw = phrase if phrase else word
        prefix = bool(word) and word.endswith("*") and len(word) > 1
        if prefix:
            raw = raw.rstrip("*")
        if not re.search(r"\w", raw):
            continue
        term = '"' + raw.replace('"', '""') + '"'
        terms.append(term + ("*" if prefix else ""))
    return " ".join(terms) if terms else None


def normalize_name(name: str) -> str:
    """Casefolded, accents and dots removed, spaces collapsed (the alias key)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace(".", "")
    return " ".join(text.casefold().split())


def _until(value: str) -> str:
    """Inclusive upper bound for a date prefix: '2026-03' covers every day of March."""
    return value + "~"


# The actor filter follows merges: the actor plus every actor merged into it.
_ACTOR_FAMILY = ("WITH RECURSIVE actor_family(id) AS (SELECT ? UNION "
                 "SELECT m.id FROM actors m JOIN actor_family f ON m.merged_into = f.id)")

# --- statements -----------------------------------------------------------------------

_STATEMENT_COLUMNS = """s.rowid AS rowid, s.id, s.article_id, s.start, s."end", s.text, s.parts, s.kind, s.speaker,
    s.speaker_type, s.actor_id, s.speaker_start, s.speaker_end, s.speaker_text, s.speaker_role,
    s.speaker_affiliation, s.speaker_description, s.cue, s.channel, s.via, s.hedged, s.date, s.date_basis,
    s.confidence, s.extractor, s.cluster_id, a.outlet AS outlet, a.title AS title, a.published AS published,
    a.doc AS doc, a.url AS url"""

STATEMENT_FIELDS = [
    "id", "article_id", "start", "end", "text", "kind", "speaker", "speaker_type", "actor_id",
    "speaker_text", "speaker_role", "speaker_affiliation", "speaker_description", "cue", "channel", "via",
    "hedged", "date", "date_basis", "confidence", "extractor", "cluster_id", "outlet", "title", "published",
    "doc", "url", "parts",
]


def _statement_where(f: StatementFilters, *, fts: str = "in", ids_for: dict | None = None) -> tuple[list[str], list]:
    """WHERE clauses over `statements s` and their parameters.

    Every clause is a subquery on `s`'s own columns, so counts and facets need no join.
    The search test comes first and is written one of three ways (`fts`):
    "in" (SQLite picks the plan), "dense" (walk the date index in order and check
    membership: fast first pages for common words), "join" (the FTS table drives, for
    one pass over every match; `_statement_sql` adds the join). `ids_for` holds the
    actor ids the speaker and actor filters stand for (`resolve_actors`), so SQLite
    sees plain index lookups.
    """
    ids_for = ids_for or {}
    where: list[str] = []
    params: list = []
    if f.q is not None:
        match = fts_query(f.q)
        if match is None:
            where.append("0")
        else:
            if fts == "join":
                where.append("statements_fts MATCH ?")
            else:
                rowid = "+s.rowid" if fts == "dense" else "s.rowid"
                where.append(f"{rowid} IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)")
            params.append(match)
    if f.speaker is not None:
        ids = ids_for.get("speaker") or []
        if ids:
            where.append(f"(s.speaker = ? OR s.actor_id IN ({_placeholders(len(ids))}))")
        else:
            where.append("s.speaker = ?")
        params += [f.speaker, *ids]
    if f.actor is not None:
        ids = ids_for.get("actor") or [f.actor]
        where.append(f"s.actor_id IN ({_placeholders(len(ids))})")
        params += ids
    if f.outlet is not None:
        where.append("s.article_id IN (SELECT id FROM articles WHERE outlet = ? COLLATE NOCASE)")
        params.append(f.outlet)
    if f.since is not None or f.until is not None:
        # The statement's date, or the article's published day when it has none; written
        # as an OR of two index ranges (statements.date, articles.published).
        since, until = f.since or "", _until(f.until) if f.until else "~"
        where.append("((s.date >= ? AND s.date <= ?) OR (s.date IS NULL AND s.article_id IN "
                     "(SELECT id FROM articles WHERE published >= ? AND published <= ?)))")
        params += [since, until, since, until]
    # kind and hedge split statements in a few large groups: with a selective filter
    # beside them, `+` keeps SQLite from driving the query by their index.
    plus = "+" if any(getattr(f, k) is not None for k in _SELECTIVE) or (f.q is not None and fts != "dense") else ""
    if f.kind is not None:
        where.append(f"{plus}s.kind = ?")
        params.append(f.kind)
    if f.hedged is not None:
        where.append(f"{plus}s.hedged = ?")
        params.append(int(f.hedged))
    if f.article is not None:
        where.append("s.article_id = ?")
        params.append(f.article)
    if f.cluster is not None:
        where.append("s.cluster_id = ?")
        params.append(f.cluster)
    return where, params


def resolve_actors(conn: sqlite3.Connection, f: StatementFilters) -> dict:
    """Actor ids behind the speaker filter (registry names and aliases, following merges)
    and the actor filter (the actor and every actor merged into it)."""
    out: dict = {}
    if f.speaker is not None:
        rows = conn.execute(
            "SELECT actor_id FROM actor_aliases WHERE norm = ? UNION SELECT id FROM actors WHERE name = ? COLLATE NOCASE",
            (normalize_name(f.speaker), f.speaker)).fetchall()
        ids: set[int] = set()
        for (actor_id,) in rows:
            # up to the actor it was merged into, then everything merged into that
            seen: set[int] = set()
            while actor_id is not None and actor_id not in seen:
                seen.add(actor_id)
                row = conn.execute("SELECT merged_into FROM actors WHERE id = ?", (actor_id,)).fetchone()
                if row is None or row[0] is None:
                    break
                actor_id = row[0]
            ids.update(r[0] for r in conn.execute(_ACTOR_FAMILY + " SELECT id FROM actor_family", (actor_id,)))
        out["speaker"] = sorted(ids)
    if f.actor is not None:
        out["actor"] = [r[0] for r in conn.execute(_ACTOR_FAMILY + " SELECT id FROM actor_family", (f.actor,))]
    return out


def _statement_sql(conn: sqlite3.Connection, f: StatementFilters, select: str, *, join_article: bool,
                   tail: str = "", fts: str = "in", extra: str | None = None) -> tuple[str, list]:
    """SELECT `select` over the statements matching `f` (`extra`: one more fixed clause)."""
    if fts == "join" and (f.q is None or fts_query(f.q) is None):
        fts = "in"
    where, params = _statement_where(f, fts=fts, ids_for=resolve_actors(conn, f))
    if extra:
        where.append(extra)
    if fts == "join":
        sql = f"SELECT {select} FROM statements_fts CROSS JOIN statements s ON s.rowid = statements_fts.rowid"
    else:
        sql = f"SELECT {select} FROM statements s"
    if join_article:
        # CROSS JOIN keeps `statements` the outer loop, driven by the filters' indexes.
        sql += " CROSS JOIN articles a ON a.id = s.article_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + tail, params


# Facets of up to this many matches are counted in one pass (see statement_facets).
FACET_PASS_LIMIT = 10_000
# Above this many FTS matches a search counts as "dense" (see _statement_where).
DENSE_FTS_MATCHES = 2000


def fts_matches(conn: sqlite3.Connection, f: StatementFilters) -> int | None:
    """How many statements the search words alone match (cheap: the FTS index only)."""
    if f.q is None:
        return None
    match = fts_query(f.q)
    if match is None:
        return 0
    return conn.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?", (match,)).fetchone()[0]


# Filters that narrow statements through an index of their own.
_SELECTIVE = ("speaker", "actor", "outlet", "since", "until", "article", "cluster")


def _shape(conn: sqlite3.Connection, f: StatementFilters) -> tuple[int | None, bool, bool]:
    """(FTS matches or None, any selective filter, any filter besides the search)."""
    selective = any(getattr(f, k) is not None for k in _SELECTIVE)
    return fts_matches(conn, f), selective, selective or f.kind is not None or f.hedged is not None


def _membership(matches: int | None) -> str:
    """A search matching many statements is checked by membership, not used to drive."""
    return "dense" if (matches or 0) > DENSE_FTS_MATCHES else "in"


def count_statements(conn: sqlite3.Connection, f: StatementFilters) -> int:
    matches, _, others = _shape(conn, f)
    if matches is not None and not others:
        return matches
    sql, params = _statement_sql(conn, f, "count(*)", join_article=False, fts=_membership(matches))
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
    sql, params = _statement_sql(conn, f, "s.rowid", join_article=False, fts=_membership(matches),
                                 tail=f" ORDER BY {order} LIMIT ? OFFSET ?")
    rowids = [r[0] for r in conn.execute(sql, params + [limit, offset])]
    if not rowids:
        return []
    rows = conn.execute(
        f"SELECT {_STATEMENT_COLUMNS} FROM statements s CROSS JOIN articles a ON a.id = s.article_id "
        f"WHERE s.rowid IN ({_placeholders(len(rowids))})", rowids).fetchall()
    by_rowid = {r["rowid"]: r for r in rows}
    return [statement_dict(by_rowid[i]) for i in rowids if i in by_rowid]


def iter_statements(conn: sqlite3.Connection, f: StatementFilters) -> Iterator[dict]:
    """Every matching statement, streamed from the cursor (exports; no row cap)."""
    sql, params = _statement_sql(conn, f, _STATEMENT_COLUMNS, join_article=True, tail=" ORDER BY s.rowid")
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
        sql, params = _statement_sql(conn, f, "s.speaker, s.kind, s.article_id", join_article=False,
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
                    f"SELECT id, outlet FROM articles WHERE id IN ({_placeholders(len(chunk))})", list(chunk)):
                outlets[outlet] = outlets.get(outlet, 0) + chunk[article_id]
        tallies = {"speaker": counts["speaker"], "outlet": outlets, "kind": counts["kind"]}
        return {name: _top(tallies[name], size) for name in FACETS}
    out = {}
    for name, column in (("speaker", "s.speaker"), ("kind", "s.kind")):
        sql, params = _statement_sql(conn, f, f"{column} AS value, count(*) AS n", join_article=False,
                                     tail=f" GROUP BY {column} ORDER BY n DESC, value LIMIT ?")
        out[name] = [{"value": r["value"], "count": r["n"]} for r in conn.execute(sql, params + [size])]
    inner, params = _statement_sql(conn, f, "s.article_id, count(*) AS n", join_article=False,
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
        params.append(_until(f.until))
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
    """A name plus, when it is an actor in the registry, its canonical name and aliases."""
    names = {name}
    rows = conn.execute(
        "SELECT id FROM actors WHERE name = ? COLLATE NOCASE UNION "
        "SELECT actor_id FROM actor_aliases WHERE norm = ?", (name, normalize_name(name))).fetchall()
    for (actor_id,) in rows:
        names.update(_names_of_actor(conn, actor_id))
    return sorted(names)


def _names_of_actor(conn: sqlite3.Connection, actor_id: int) -> set[str]:
    names = set()
    for (value,) in conn.execute(
        "SELECT name FROM actors WHERE id = ? UNION SELECT alias FROM actor_aliases WHERE actor_id = ?",
        (actor_id, actor_id),
    ):
        names.add(value)
    return names


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


def _event_where(conn: sqlite3.Connection, f: EventFilters) -> tuple[list[str], list]:
    where, params = [], []
    if f.actor is not None:
        names = actor_names(conn, f.actor)
        marks = _placeholders(len(names))
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
        params.append(_until(f.until))
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
            f"WHERE e.id IN ({_placeholders(len(chunk))})", chunk):
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
    sql, params = _statement_sql(conn, f, "s.date AS day, count(*) AS n", join_article=False,
                                 tail=" GROUP BY s.date", extra="s.date IS NOT NULL")
    for day, n in conn.execute(sql, params):
        counts[day] = counts.get(day, 0) + n
    sql, params = _statement_sql(conn, f, "substr(a.published, 1, 10) AS day, count(*) AS n", join_article=True,
                                 tail=" GROUP BY day", extra="s.date IS NULL")
    undated = 0
    for day, n in conn.execute(sql, params):
        if day is None:
            undated += n
        else:
            counts[day] = counts.get(day, 0) + n
    return [{"date": day, "count": n} for day, n in sorted(counts.items())], undated


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
    family = [r[0] for r in conn.execute(_ACTOR_FAMILY + " SELECT id FROM actor_family", (actor_id,))]
    d["merged"] = [dict(r) for r in conn.execute(
        f"SELECT id, name FROM actors WHERE id IN ({_placeholders(len(family))}) AND id != ? ORDER BY name",
        family + [actor_id])]
    d["merged_into_name"] = None
    if d["merged_into"] is not None:
        target = conn.execute("SELECT name FROM actors WHERE id = ?", (d["merged_into"],)).fetchone()
        d["merged_into_name"] = target[0] if target else None
    d["aliases"] = [dict(r) for r in conn.execute(
        f"SELECT DISTINCT alias, origin FROM actor_aliases WHERE actor_id IN ({_placeholders(len(family))}) "
        "ORDER BY alias", family)]
    d["roles"] = [dict(r) for r in conn.execute(
        f"SELECT role, affiliation, first_seen, last_seen, article_id FROM actor_roles "
        f"WHERE actor_id IN ({_placeholders(len(family))}) ORDER BY first_seen IS NULL, first_seen, role", family)]
    d["statement_count"] = count_statements(conn, StatementFilters(actor=actor_id))
    d["statements_by_day"], d["undated_statements"] = statements_by_day(conn, StatementFilters(actor=actor_id))
    names = set()
    for member in family:
        names |= _names_of_actor(conn, member)
    names_list = sorted(names)
    marks = _placeholders(len(names_list))
    d["events"] = [event_dict(r) for r in conn.execute(
        f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id "
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
