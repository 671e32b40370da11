"""The read layer: one statement filter and one WHERE builder, for the CLI, the
exporter, the evaluation and the web app (Datasette's `filters.py` is the model).

- `StatementFilter` is the filter object; `parse_statement_filter(params)` builds one
  from text values (query strings, CLI options) and turns a bad value into `BadFilter`
  (a clear `[BAD_OPTION]` error / HTTP 400), never a SQL error.
- `statement_where(f, ...)` is the only place statement filters become SQL; user values
  always travel as `?` parameters, and the only text formatted into SQL is fixed clause
  text chosen here and runs of `?` placeholders. `statement_sql` wraps it in a SELECT.
- `speaker_actor_ids` is what a speaker filter stands for: every actor whose name or
  any alias has the same name key (`actors.normalize_name`: case-, accent- and
  punctuation-blind), or whose alias ends with it as whole words (a surname: "Varga"
  finds "Ilse Varga"; people only), following merges up to the surviving actor and
  back down to every actor merged into it.
- `find_statements(conn, f)` streams matching statements as export rows (article then
  text order) straight from the cursor, so an export of a million rows keeps memory flat.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

from storyline.errors import E, StorylineError
from storyline.ledger.actors import normalize_name

KINDS = ("direct", "indirect", "mixed")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Whole numbers in filters and ids: at most 18 digits, so every value fits SQLite's
# 64-bit integers (a larger one is a 400, never an OverflowError).
MAX_ID_DIGITS = 18


class BadFilter(StorylineError):
    """A filter value that cannot be used (CLI exit 2, HTTP 400)."""

    def __init__(self, option: str, detail: str):
        super().__init__(E.BAD_OPTION, option=option, detail=detail)


# --- parsing text values ---------------------------------------------------------------


def text_param(params: Mapping[str, object], name: str) -> str | None:
    """The value stripped, or None when missing or blank."""
    value = params.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def date_param(params: Mapping[str, object], name: str) -> str | None:
    value = text_param(params, name)
    if value is not None and not _DATE.match(value):
        raise BadFilter(name, f"{value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def int_param(params: Mapping[str, object], name: str) -> int | None:
    value = text_param(params, name)
    if value is None:
        return None
    if not re.fullmatch(rf"\d{{1,{MAX_ID_DIGITS}}}", value):
        raise BadFilter(name, f"{value!r} is not a whole number")
    return int(value)


def bool_param(params: Mapping[str, object], name: str) -> bool | None:
    value = params.get(name)
    if isinstance(value, bool):
        return value
    value = text_param(params, name)
    if value is None:
        return None
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "hedged"):
        return True
    if lowered in ("0", "false", "no", "plain"):
        return False
    raise BadFilter(name, f"{value!r} is not true/false (use 1 or 0)")


def fraction_param(params: Mapping[str, object], name: str) -> float | None:
    """A number from 0 to 1 (a confidence)."""
    value = text_param(params, name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not 0.0 <= number <= 1.0:
        raise BadFilter(name, f"{value!r} is not a number from 0 to 1")
    return number


class Filters:
    """Query-string round trip shared by every filter set."""

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
class StatementFilter(Filters):
    """Which statements to read. Every field is optional; all given ones must hold.

    speaker: a name or alias of an actor, or a surname (see `speaker_actor_ids`), or the
        stored speaker string itself (case-blind).
    actor: an actor id (with every actor merged into it).
    outlet: the article's outlet (case-blind).
    since/until: YYYY, YYYY-MM or YYYY-MM-DD, inclusive (a month covers all its days), on
        the statement's date or, when it has none, the article's published date.
    kind: direct, indirect or mixed. hedged: True / False.
    q: words that must all occur in the statement or its speaker ("a phrase", word*).
    article: an article id. cluster: a statement cluster id.
    min_confidence: only statements whose confidence is at least this (0 to 1).
    speaker_type: person, organization, media, anonymous or unknown.
    via: an outlet or agency the article says it got the statement through (case-blind).
    """

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
    min_confidence: float | None = None
    speaker_type: str | None = None
    via: str | None = None


SPEAKER_TYPES = ("person", "organization", "media", "anonymous", "unknown")

# Older keyword names still accepted by `find_statements` and `parse_statement_filter`.
_ALIASES = {"search": "q", "article_id": "article", "actor_id": "actor", "cluster_id": "cluster"}


def parse_statement_filter(params: Mapping[str, object]) -> StatementFilter:
    """A StatementFilter from text values; BadFilter names the first bad one."""
    params = {_ALIASES.get(k, k): v for k, v in params.items()}
    unknown = sorted(set(params) - {f.name for f in fields(StatementFilter)})
    if unknown:
        raise BadFilter(unknown[0], "is not a statement filter")
    kind = text_param(params, "kind")
    if kind is not None and kind not in KINDS:
        raise BadFilter("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    return StatementFilter(
        speaker=text_param(params, "speaker"), actor=int_param(params, "actor"), outlet=text_param(params, "outlet"),
        since=date_param(params, "since"), until=date_param(params, "until"), kind=kind,
        hedged=bool_param(params, "hedged"), q=text_param(params, "q"), article=text_param(params, "article"),
        cluster=text_param(params, "cluster"), min_confidence=fraction_param(params, "min_confidence"),
        speaker_type=_speaker_type(params), via=text_param(params, "via"),
    )


def _speaker_type(params: Mapping[str, object]) -> str | None:
    value = text_param(params, "speaker_type")
    if value is not None and value not in SPEAKER_TYPES:
        raise BadFilter("speaker_type", f"{value!r} is not one of {', '.join(SPEAKER_TYPES)}")
    return value


# --- full-text search ------------------------------------------------------------------

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


def until_bound(value: str) -> str:
    """Inclusive upper bound for a date prefix: '2026-03' covers every day of March."""
    return value + "~"


def placeholders(n: int) -> str:
    return ",".join("?" * n)


# --- actors behind a name --------------------------------------------------------------

# The actor and every actor merged into it (recursively).
ACTOR_FAMILY = ("WITH RECURSIVE actor_family(id) AS (SELECT ? UNION "
                "SELECT m.id FROM actors m JOIN actor_family f ON m.merged_into = f.id)")


def actor_family(conn: sqlite3.Connection, actor_id: int) -> list[int]:
    return [r[0] for r in conn.execute(ACTOR_FAMILY + " SELECT id FROM actor_family", (actor_id,))]


def surviving_actor(conn: sqlite3.Connection, actor_id: int) -> int:
    """The actor `actor_id` was merged into, following the chain (itself if none)."""
    seen: set[int] = set()
    while actor_id not in seen:
        seen.add(actor_id)
        row = conn.execute("SELECT merged_into FROM actors WHERE id = ?", (actor_id,)).fetchone()
        if row is None or row[0] is None:
            break
        actor_id = row[0]
    return actor_id


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def speaker_actor_ids(conn: sqlite3.Connection, name: str) -> list[int]:
    """Every actor a speaker filter `name` stands for, merges followed both ways.

    An actor matches when its name (case-blind) or any alias has `name`'s key, or, for
    people, when an alias ends with that key as whole words (the surname).
    """
    key = normalize_name(name)
    if not key:
        return []
    rows = conn.execute(
        "SELECT actor_id FROM actor_aliases WHERE norm = ? "
        "UNION SELECT id FROM actors WHERE name = ? COLLATE NOCASE "
        "UNION SELECT al.actor_id FROM actor_aliases al JOIN actors ac ON ac.id = al.actor_id "
        "WHERE ac.type = 'person' AND al.norm LIKE ? ESCAPE '\\'",
        (key, name, "% " + _like_escape(key)),
    ).fetchall()
    ids: set[int] = set()
    for (actor_id,) in rows:
        ids.update(actor_family(conn, surviving_actor(conn, actor_id)))
    return sorted(ids)


def resolve_actors(conn: sqlite3.Connection, f: StatementFilter) -> dict:
    """Actor ids behind the speaker filter and the actor filter (see above)."""
    out: dict = {}
    if f.speaker is not None:
        out["speaker"] = speaker_actor_ids(conn, f.speaker)
    if f.actor is not None:
        out["actor"] = actor_family(conn, f.actor)
    return out


# --- the WHERE builder -----------------------------------------------------------------

# Filters that narrow statements through an index of their own.
SELECTIVE = ("speaker", "actor", "outlet", "since", "until", "article", "cluster")


def statement_where(f: StatementFilter, *, fts: str = "in", ids_for: dict | None = None) -> tuple[list[str], list]:
    """WHERE clauses over `statements s` and their parameters.

    Every clause is a test on `s`'s own columns or a subquery, so counts and facets need
    no join. The search test comes first and is written one of three ways (`fts`): "in"
    (SQLite picks the plan), "dense" (walk the date index in order and check membership:
    fast first pages for common words), "join" (the FTS table drives, for one pass over
    every match; `statement_sql` adds the join). `ids_for` holds the actor ids the
    speaker and actor filters stand for (`resolve_actors`), so SQLite sees plain index
    lookups.
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
            where.append(f"(s.speaker = ? COLLATE NOCASE OR s.actor_id IN ({placeholders(len(ids))}))")
        else:
            where.append("s.speaker = ? COLLATE NOCASE")
        params += [f.speaker, *ids]
    if f.actor is not None:
        ids = ids_for.get("actor") or [f.actor]
        where.append(f"s.actor_id IN ({placeholders(len(ids))})")
        params += ids
    if f.outlet is not None:
        where.append("s.article_id IN (SELECT id FROM articles WHERE outlet = ? COLLATE NOCASE)")
        params.append(f.outlet)
    if f.since is not None or f.until is not None:
        # The statement's date, or the article's published day when it has none; written
        # as an OR of two index ranges (statements.date, articles.published).
        since, until = f.since or "", until_bound(f.until) if f.until else "~"
        where.append("((s.date >= ? AND s.date <= ?) OR (s.date IS NULL AND s.article_id IN "
                     "(SELECT id FROM articles WHERE published >= ? AND published <= ?)))")
        params += [since, until, since, until]
    # kind and hedge split statements in a few large groups: with a selective filter
    # beside them, `+` keeps SQLite from driving the query by their index.
    plus = "+" if any(getattr(f, k) is not None for k in SELECTIVE) or (f.q is not None and fts != "dense") else ""
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
    if f.min_confidence is not None:
        where.append("s.confidence >= ?")
        params.append(f.min_confidence)
    if f.speaker_type is not None:
        where.append(f"{plus}s.speaker_type = ?")
        params.append(f.speaker_type)
    if f.via is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(s.via) j WHERE j.value = ? COLLATE NOCASE)")
        params.append(f.via)
    return where, params


def statement_sql(conn: sqlite3.Connection, f: StatementFilter, select: str, *, join_article: bool,
                  tail: str = "", fts: str = "in", extra: str | None = None) -> tuple[str, list]:
    """SELECT `select` over the statements matching `f` (`extra`: one more fixed clause;
    `join_article`: `a` is the statement's article)."""
    if fts == "join" and (f.q is None or fts_query(f.q) is None):
        fts = "in"
    where, params = statement_where(f, fts=fts, ids_for=resolve_actors(conn, f))
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


# --- export rows -----------------------------------------------------------------------

# The columns every export row carries, in order (CSV header).
EXPORT_FIELDS = [
    "id", "article_id", "doc", "outlet", "published", "title", "start", "end", "text", "kind", "speaker",
    "speaker_type", "speaker_mention", "speaker_role", "speaker_affiliation", "speaker_description",
    "actor_id", "cue", "channel", "via", "hedged", "date", "date_basis", "confidence", "extractor",
    "cluster_id", "parts", "corrected",
]

_EXPORT_SELECT = ("s.*, a.doc AS article_doc, a.url AS article_url, a.outlet AS article_outlet, "
                  "a.published AS article_published, a.title AS article_title")
_EXPORT_ORDER = ' ORDER BY a.published IS NULL, a.published, s.article_id, s.start, s."end"'


def find_statements(conn: sqlite3.Connection, f: StatementFilter | None = None, *, limit: int | None = None,
                    offset: int = 0, **filters) -> Iterator[dict]:
    """Statements matching `f` (or the same filters as keywords), as export rows, in
    article (publication) then text order, streamed from the cursor."""
    if f is None:
        f = parse_statement_filter({k: v for k, v in filters.items() if v is not None})
    elif filters:
        raise TypeError("give a StatementFilter or keyword filters, not both")
    sql, params = statement_sql(conn, f, _EXPORT_SELECT, join_article=True, tail=_EXPORT_ORDER)
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params = params + [limit if limit is not None else -1, offset]
    cursor = conn.execute(sql, params)
    cursor.row_factory = sqlite3.Row
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
        "title": row["article_title"],
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
        "corrected": json.loads(row["corrected"] or "[]"),  # fields a person corrected (ledger/corrections.py)
    }
