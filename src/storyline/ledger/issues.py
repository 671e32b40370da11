"""Issues: named full-text searches stored in the ledger, and where each actor stands.

An issue is a name and an FTS5 query over statement text (`ceasefire OR truce OR
"cessation of hostilities"`). Its statements are those the query matches; each gets a
position suggestion (`support` / `oppose` / `neutral`, stages/positions.py) with the rule
that decided and its evidence as article offsets, stored in `position_suggestions`.

Corrections plug in on top, never in place: `position_overrides(conn)` reads active rows
of a `corrections` table (when the ledger has one) with `target_type='statement'`,
`target=<statement id>`, `field='position'` and `new_value` = JSON `{"issue": NAME,
"position": "support|oppose|neutral"}`; the effective position is the correction's when
there is one, else the suggestion's, and both are shown.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict

from storyline.errors import E, NotFoundError, StorylineError
from storyline.ledger.queries import export_row
from storyline.ledger.store import Store, now
from storyline.stages import positions as rules

NAME_RE = re.compile(r"[\w][\w .'-]{0,79}")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n")

_SELECT = """
SELECT s.*, a.doc AS article_doc, a.url AS article_url, a.outlet AS article_outlet,
       a.published AS article_published, a.title AS article_title, act.name AS actor_name
FROM statements s JOIN articles a ON a.id = s.article_id
LEFT JOIN actors act ON act.id = s.actor_id
"""


def _bad(option: str, detail: str) -> StorylineError:
    return StorylineError(E.BAD_OPTION, option=option, detail=detail)


def match_expression(query: str) -> str:
    """The FTS5 expression for an issue query: the user's query, on the text column only."""
    return f"text : ({query})"


def check_query(conn: sqlite3.Connection, query: str) -> int:
    """How many statements the query matches; a clear error when FTS5 cannot parse it."""
    if not query or not query.strip():
        raise _bad("QUERY", "the search is empty; give words, e.g. 'ceasefire OR truce'")
    try:
        return conn.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?",
                            (match_expression(query),)).fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise _bad("QUERY", f"{query!r} is not a valid search ({exc}); quote phrases with \"…\" and "
                            "join words with OR, AND, NOT") from None


def add_issue(store: Store, name: str, query: str, description: str | None = None,
              replace: bool = False) -> dict:
    """Store an issue and suggest positions for its statements. Returns the issue."""
    name = (name or "").strip()
    if not NAME_RE.fullmatch(name):
        raise _bad("NAME", f"{name!r}: use up to 80 letters, digits, spaces, dots, dashes or apostrophes")
    check_query(store.conn, query)
    with store.transaction() as conn:
        existing = conn.execute("SELECT id FROM issues WHERE name = ?", (name,)).fetchone()
        if existing and not replace:
            raise _bad("NAME", f"an issue named {name!r} exists; remove it first or use --replace")
        if existing:
            conn.execute("UPDATE issues SET query = ?, description = ? WHERE id = ?",
                         (query, description, existing[0]))
        else:
            conn.execute("INSERT INTO issues(name, query, description, created_at) VALUES (?, ?, ?, ?)",
                         (name, query, description, now()))
    refresh_positions(store, name)
    return get_issue(store.conn, name)


def remove_issue(store: Store, name: str) -> None:
    issue = get_issue(store.conn, name)
    with store.transaction() as conn:
        conn.execute("DELETE FROM position_suggestions WHERE issue_id = ?", (issue["id"],))
        conn.execute("DELETE FROM issues WHERE id = ?", (issue["id"],))


def get_issue(conn: sqlite3.Connection, name: str) -> dict:
    row = conn.execute("SELECT * FROM issues WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFoundError(E.NOT_FOUND_ID, what="issue", id=name)
    return dict(row)


def list_issues(conn: sqlite3.Connection) -> list[dict]:
    """Every issue with its statement count and stored suggestions per position."""
    out = []
    for row in conn.execute("SELECT * FROM issues ORDER BY name COLLATE NOCASE").fetchall():
        issue = dict(row)
        issue["statements"] = check_query(conn, issue["query"])
        counts = dict(conn.execute("SELECT position, count(*) FROM position_suggestions WHERE issue_id = ? "
                                   "GROUP BY position", (issue["id"],)).fetchall())
        issue["positions"] = {p: counts.get(p, 0) for p in rules.POSITIONS}
        out.append(issue)
    return out


def matching_rows(conn: sqlite3.Connection, query: str, since: str | None = None,
                  until: str | None = None) -> list[sqlite3.Row]:
    sql = _SELECT + " JOIN statements_fts f ON f.rowid = s.rowid WHERE statements_fts MATCH ?"
    params: list = [match_expression(query)]
    if since:
        sql += " AND COALESCE(s.date, substr(a.published, 1, 10)) >= ?"
        params.append(since)
    if until:
        sql += " AND substr(COALESCE(s.date, substr(a.published, 1, 10)), 1, ?) <= ?"
        params.extend([len(until), until])
    sql += " ORDER BY COALESCE(s.date, substr(a.published, 1, 10)) IS NULL, COALESCE(s.date, substr(a.published, 1, 10)), s.article_id, s.start"
    return conn.execute(sql, params).fetchall()


def frame_span(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The sentence(s) of `text` holding [lo, hi): from the last sentence end before lo."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, lo):
        start = m.end()
    m = _SENTENCE_END.search(text, hi)
    return start, (m.start() + 1 if m else len(text))


def suggest_row(row: sqlite3.Row, article_text: str, terms: list[str]) -> rules.Suggestion:
    """The suggestion for one statement row, evidence in article offsets."""
    lo, hi = row["start"], row["end"]
    cue_span = None
    if row["cue_start"] is not None and row["cue_end"] is not None:
        cue_span = (row["cue_start"], row["cue_end"])
        lo, hi = min(lo, cue_span[0]), max(hi, cue_span[1])
    f0, f1 = frame_span(article_text, lo, hi)
    frame = article_text[f0:f1]
    got = rules.suggest(frame, row["cue"], (row["start"] - f0, row["end"] - f0),
                        (cue_span[0] - f0, cue_span[1] - f0) if cue_span else None, terms)
    for ev in got.evidence:
        ev.start += f0
        ev.end += f0
    return got


class _Texts:
    """Article texts, read once each."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn, self.cache = conn, {}

    def __call__(self, article_id: str) -> str:
        if article_id not in self.cache:
            self.cache[article_id] = self.conn.execute("SELECT text FROM articles WHERE id = ?",
                                                       (article_id,)).fetchone()[0]
        return self.cache[article_id]


def refresh_positions(store: Store, name: str) -> int:
    """(Re)compute and store the suggestions of an issue's statements. Returns how many."""
    issue = get_issue(store.conn, name)
    terms = rules.issue_terms(issue["query"])
    rows = matching_rows(store.conn, issue["query"])
    texts = _Texts(store.conn)
    stamp = now()
    with store.transaction() as conn:
        conn.execute("DELETE FROM position_suggestions WHERE issue_id = ?", (issue["id"],))
        for row in rows:
            got = suggest_row(row, texts(row["article_id"]), terms)
            conn.execute(
                "INSERT INTO position_suggestions(statement_id, issue_id, position, method, covered, evidence, "
                "extractor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (row["id"], issue["id"], got.position, got.method, int(got.covered),
                 json.dumps([vars(e) for e in got.evidence], ensure_ascii=False), rules.NAME, stamp))
    return len(rows)


def position_overrides(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Active user corrections of positions: (statement id, issue name casefolded) → position."""
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'corrections'").fetchone()
    if not has:
        return {}
    cols = {r[1] for r in conn.execute("PRAGMA table_info(corrections)")}
    if not {"target_type", "target", "field", "new_value"} <= cols:
        return {}
    sql = "SELECT target, new_value FROM corrections WHERE target_type = 'statement' AND field = 'position'"
    if "undone_at" in cols:
        sql += " AND undone_at IS NULL"
    out: dict[tuple[str, str], str] = {}
    for target, value in conn.execute(sql + " ORDER BY rowid"):
        try:
            value = json.loads(value)
        except (TypeError, ValueError):
            continue
        if isinstance(value, dict) and value.get("position") in rules.POSITIONS and value.get("issue"):
            out[(target, str(value["issue"]).casefold())] = value["position"]
    return out


def statement_position(conn: sqlite3.Connection, statement_id: str, name: str) -> dict | None:
    """Where one statement stands on one issue: `issue` (its stored name), `suggestion`
    (stored, else computed now), `correction` (a user's, or None) and `position`; None
    when the issue's search does not find the statement."""
    issue = get_issue(conn, name)
    row = conn.execute(_SELECT + " JOIN statements_fts f ON f.rowid = s.rowid WHERE statements_fts MATCH ? "
                       "AND s.id = ?", (match_expression(issue["query"]), statement_id)).fetchone()
    if row is None:
        return None
    saved = conn.execute("SELECT * FROM position_suggestions WHERE issue_id = ? AND statement_id = ? AND extractor = ?",
                         (issue["id"], statement_id, rules.NAME)).fetchone()
    if saved is not None:
        suggestion = {"position": saved["position"], "method": saved["method"], "covered": bool(saved["covered"]),
                      "evidence": json.loads(saved["evidence"]), "extractor": saved["extractor"], "stored": True}
    else:
        text = conn.execute("SELECT text FROM articles WHERE id = ?", (row["article_id"],)).fetchone()[0]
        suggestion = suggest_row(row, text, rules.issue_terms(issue["query"])).as_dict()
        suggestion.update(extractor=rules.NAME, stored=False)
    correction = position_overrides(conn).get((statement_id, issue["name"].casefold()))
    return {"issue": issue["name"], "suggestion": suggestion, "correction": correction,
            "position": correction or suggestion["position"]}


def statement_positions(conn: sqlite3.Connection, statement_id: str) -> list[dict]:
    """`statement_position` for every issue whose search finds the statement, by issue name."""
    out = []
    for row in conn.execute("SELECT name FROM issues ORDER BY name COLLATE NOCASE").fetchall():
        try:
            got = statement_position(conn, statement_id, row[0])
        except sqlite3.OperationalError:  # a stored search FTS5 no longer parses: no position on it
            continue
        if got is not None:
            out.append(got)
    return out


def issue_positions(conn: sqlite3.Connection, name: str, since: str | None = None,
                    until: str | None = None) -> list[dict]:
    """The issue's statements (export rows) with `actor`, `day` and their position:
    `suggestion` (stored, or computed now when the ledger changed since, `stored: false`),
    `correction` (a user's, or None) and `position` (the correction, else the suggestion)."""
    issue = get_issue(conn, name)
    terms = rules.issue_terms(issue["query"])
    stored = {r["statement_id"]: r for r in conn.execute(
        "SELECT * FROM position_suggestions WHERE issue_id = ? AND extractor = ?", (issue["id"], rules.NAME))}
    overrides = position_overrides(conn)
    texts = _Texts(conn)
    out = []
    for row in matching_rows(conn, issue["query"], since, until):
        item = export_row(row)
        item["actor"] = row["actor_name"] or row["speaker"] or "(unknown speaker)"
        item["day"] = row["date"] or (row["article_published"] or "")[:10] or None
        saved = stored.get(row["id"])
        if saved is not None:
            suggestion = {"position": saved["position"], "method": saved["method"], "covered": bool(saved["covered"]),
                          "evidence": json.loads(saved["evidence"]), "extractor": saved["extractor"], "stored": True}
        else:
            suggestion = suggest_row(row, texts(row["article_id"]), terms).as_dict()
            suggestion.update(extractor=rules.NAME, stored=False)
        item["suggestion"] = suggestion
        item["correction"] = overrides.get((row["id"], issue["name"].casefold()))
        item["position"] = item["correction"] or suggestion["position"]
        out.append(item)
    return out


def utterance(item: dict) -> str:
    """What one thing said is: its statement cluster (the same statement in several
    reports), else the statement itself. Counts of who said what count these once."""
    return item.get("cluster_id") or item["id"]


def actor_timelines(items: list[dict]) -> list[dict]:
    """Per actor: statements (a statement several outlets carried counts once; `reports`
    counts every report), first and last day, positions, and per-day counts by position."""
    actors: dict[str, dict] = {}
    seen: set[tuple] = set()
    for item in items:
        a = actors.setdefault(item["actor"], {"actor": item["actor"], "actor_id": item["actor_id"], "statements": 0,
                                              "reports": 0, "first": None, "last": None,
                                              "positions": dict.fromkeys(rules.POSITIONS, 0),
                                              "days": defaultdict(lambda: dict.fromkeys(rules.POSITIONS, 0)),
                                              "statement_ids": [], "_said": set()})
        said = utterance(item)
        a["reports"] += 1
        a["statement_ids"].append(item["id"])
        if said not in a["_said"]:
            a["_said"].add(said)
            a["statements"] += 1
        if (item["actor"], said, item["position"]) not in seen:
            seen.add((item["actor"], said, item["position"]))
            a["positions"][item["position"]] += 1
        day = item["day"]
        if day:
            if (item["actor"], said, item["position"], day) not in seen:
                seen.add((item["actor"], said, item["position"], day))
                a["days"][day][item["position"]] += 1
            a["first"] = min(a["first"] or day, day)
            a["last"] = max(a["last"] or day, day)
    out = []
    for a in sorted(actors.values(), key=lambda a: (-a["statements"], a["actor"])):
        a["days"] = dict(sorted(a["days"].items()))
        del a["_said"]
        out.append(a)
    return out


def outlet_breakdown(items: list[dict]) -> list[dict]:
    """Per outlet: statements on the issue, by position, and how many speakers it quoted."""
    outlets: dict[str, dict] = {}
    for item in items:
        name = item["outlet"] or "(unknown outlet)"
        o = outlets.setdefault(name, {"outlet": name, "statements": 0, "positions": dict.fromkeys(rules.POSITIONS, 0),
                                      "speakers": set()})
        o["statements"] += 1
        o["positions"][item["position"]] += 1
        o["speakers"].add(item["actor"])
    out = []
    for o in sorted(outlets.values(), key=lambda o: (-o["statements"], o["outlet"])):
        out.append(dict(o, speakers=len(o["speakers"])))
    return out
