"""Corrections: what a person changed on top of extraction, kept, undoable, exportable.

A correction is a row of the `corrections` table (migration 6): what it targets (a
statement id, or an actor), the field (`not_statement`, `speaker`, `kind`, `date`,
`position`; for actors `merge`, `split`, `alias`), the value before and the value it set
(JSON), a note, when, and by whom when the user is named (the web token `NAME:SECRET`, or
`--by`).

Applying a correction writes its value into the statement row, so every view, the web
app, the API, the exports and SQL users (`statements_view`) see the corrected ledger
through the one read path; the row's `corrected` column lists the fields changed. A
trigger puts the active corrections back on every statement row written again under the
same id, so corrections last through re-ingest and reanalysis; a statement marked "not a
statement" is removed from `statements` (its row is kept in the correction) and comes
back on undo. A `position` correction (value `{"issue", "position"}`) says where the
statement stands on one issue; it lives per issue and never touches the statement row
(ledger/issues.py reads it as an override of the rules' suggestion). Actor merges,
splits and aliases are kept by the actor registry itself (user origin); they are logged
here so they can be listed and undone.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import date

from storyline.errors import E, NotFoundError, StorylineError
from storyline.ledger import actors as actors_module
from storyline.ledger.store import now

STATEMENT_FIELDS = ("not_statement", "speaker", "kind", "date", "position")
POSITIONS = ("support", "oppose", "neutral")
ACTOR_FIELDS = ("merge", "split", "alias")
KINDS = ("direct", "indirect", "mixed")
SPEAKER_TYPES = ("person", "organization", "media", "anonymous", "unknown")
DATE_BASES = ("explicit", "section", "published", "none")

# The fields of a gold record (shared/annotation/GUIDE.md), in order.
GOLD_FIELDS = ("doc", "text", "kind", "speaker", "speaker_type", "cue", "via", "date", "date_basis")

EXPORT_FIELDS = ["id", "target_type", "target", "article_id", "field", "old_value", "new_value", "note",
                 "created_at", "created_by", "undone_at", "undone_by", "applied"]


def user_of_token(token: str | None) -> str | None:
    """The user a server token names: `alice:SECRET` names alice; a bare secret names no one."""
    if token and ":" in token:
        name = token.split(":", 1)[0].strip()
        return name or None
    return None


def _bad(option: str, detail: str) -> StorylineError:
    return StorylineError(E.BAD_OPTION, option=option, detail=detail)


def _statement_row(conn: sqlite3.Connection, statement_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM statements WHERE id = ?", (statement_id,)).fetchone()
    if row is None:
        raise NotFoundError(E.NOT_FOUND_ID, what="statement", id=statement_id)
    return row


def _record(conn, target_type: str, target: str, article_id: str | None, field: str, old, new,
            note: str | None, by: str | None) -> int:
    cur = conn.execute(
        "INSERT INTO corrections(target_type, target, article_id, field, old_value, new_value, note, created_at,"
        " created_by) VALUES (?,?,?,?,?,?,?,?,?)",
        (target_type, target, article_id, field, json.dumps(old, ensure_ascii=False),
         json.dumps(new, ensure_ascii=False), (note or "").strip() or None, now(), by),
    )
    return cur.lastrowid


def _mark_corrected(conn, statement_id: str) -> None:
    fields = [r[0] for r in conn.execute(
        "SELECT DISTINCT field FROM corrections WHERE target = ? AND target_type = 'statement' AND undone_at IS NULL "
        "AND field != 'position' ORDER BY field", (statement_id,))]
    conn.execute("UPDATE statements SET corrected = ? WHERE id = ?",
                 (json.dumps(fields) if fields else None, statement_id))


def _values(row: sqlite3.Row, field: str) -> dict:
    if field == "speaker":
        return {"speaker": row["speaker"], "speaker_type": row["speaker_type"], "actor_id": row["actor_id"]}
    if field == "kind":
        return {"kind": row["kind"]}
    return {"date": row["date"], "date_basis": row["date_basis"]}


def _set(conn, statement_id: str, values: dict) -> None:
    columns = ", ".join(f"{k} = ?" for k in values)  # keys come from _values / speaker_values only
    conn.execute(f"UPDATE statements SET {columns} WHERE id = ?", [*values.values(), statement_id])


def speaker_values(store, speaker: str | None = None, actor: str | int | None = None,
                   speaker_type: str | None = None) -> dict:
    """The speaker columns a speaker correction sets: an actor (id, name or alias), or a
    typed name (an actor is found or created, origin user), `anonymous`, or none (unknown)."""
    conn = store.conn
    if speaker_type is not None and speaker_type not in SPEAKER_TYPES:
        raise _bad("speaker_type", f"{speaker_type!r}; choose one of {', '.join(SPEAKER_TYPES)}")
    if actor not in (None, ""):
        row = actors_module.find_actor(conn, str(actor))
        return {"speaker": row["name"], "speaker_type": row["type"], "actor_id": row["id"]}
    name = (speaker or "").strip()
    if not name or speaker_type == "unknown":
        return {"speaker": None, "speaker_type": "unknown", "actor_id": None}
    if name.casefold() == "anonymous" or speaker_type == "anonymous":
        return {"speaker": "anonymous", "speaker_type": "anonymous", "actor_id": None}
    try:
        row = actors_module.find_actor(conn, name)
    except NotFoundError:
        type_ = speaker_type or "person"
        actor_id = actors_module.resolve_actor(store, name, type_)
        conn.execute("UPDATE actors SET origin = 'user' WHERE id = ? AND origin = 'auto'", (actor_id,))
        row = conn.execute("SELECT * FROM actors WHERE id = ?", (actor_id,)).fetchone()
    return {"speaker": row["name"], "speaker_type": speaker_type or row["type"], "actor_id": row["id"]}


def correct_statement(store, statement_id: str, field: str, value=None, *, note: str | None = None,
                      by: str | None = None, speaker_type: str | None = None, actor: str | int | None = None,
                      date_basis: str | None = None, issue: str | None = None) -> dict:
    """Correct one field of a statement; returns the correction.

    field `not_statement` (value ignored), `speaker` (value: a name, or `actor`: an actor
    id/name), `kind` (direct | indirect | mixed), `date` (YYYY-MM-DD or YYYY-MM, or empty
    for unknown; `date_basis` says how the date is known, default explicit), `position`
    (value: support | oppose | neutral on `issue`, or `ISSUE=POSITION`).
    """
    if field not in STATEMENT_FIELDS:
        raise _bad("field", f"{field!r}; choose one of {', '.join(STATEMENT_FIELDS)}")
    if field == "position":
        return correct_position(store, statement_id, value, issue=issue, note=note, by=by)
    conn = store.conn
    with store.transaction():
        row = _statement_row(conn, statement_id)
        if field == "not_statement":
            old = {k: row[k] for k in row.keys() if k != "rowid"}
            correction_id = _record(conn, "statement", statement_id, row["article_id"], field, old, True, note, by)
            conn.execute("DELETE FROM statements WHERE id = ?", (statement_id,))
        else:
            if field == "speaker":
                new = speaker_values(store, value, actor, speaker_type)
            elif field == "kind":
                if value not in KINDS:
                    raise _bad("kind", f"{value!r}; choose one of {', '.join(KINDS)}")
                new = {"kind": value}
            else:
                new = {"date": _check_date(value), "date_basis": _check_basis(value, date_basis)}
            old = _values(row, field)
            if old == new:
                raise _bad(field, "the statement already has that value")
            correction_id = _record(conn, "statement", statement_id, row["article_id"], field, old, new, note, by)
            _set(conn, statement_id, new)
            _mark_corrected(conn, statement_id)
    return get_correction(conn, correction_id)


def parse_position(text: str) -> tuple[str, str]:
    """`ISSUE=POSITION` (as `storyline correct --position` takes it) → (issue, position)."""
    issue, sep, position = (text or "").rpartition("=")
    if not sep or not issue.strip() or not position.strip():
        raise _bad("position", f"{text!r}; write ISSUE=POSITION, e.g. ceasefire=support")
    return issue.strip(), position.strip().lower()


def correct_position(store, statement_id: str, position: str | None, *, issue: str | None = None,
                     note: str | None = None, by: str | None = None) -> dict:
    """Set where a statement stands on an issue (support | oppose | neutral). The issue
    must exist and its search must find the statement. Recorded with the position
    before it (the standing correction's, else the rules' suggestion, `from` says which);
    the statement row is not changed. Setting the suggested position confirms it."""
    from storyline.ledger import issues as issues_module  # issues reads corrections, not the other way

    if issue is None:
        issue, position = parse_position(position or "")
    position = (position or "").strip().lower()
    if position not in POSITIONS:
        raise _bad("position", f"{position!r}; choose one of {', '.join(POSITIONS)}")
    conn = store.conn
    with store.transaction():
        row = _statement_row(conn, statement_id)
        try:
            name = issues_module.get_issue(conn, (issue or "").strip())["name"]
        except NotFoundError:
            known = [r[0] for r in conn.execute("SELECT name FROM issues ORDER BY name COLLATE NOCASE")]
            raise _bad("issue", f"no issue named {issue!r}; " + (f"the ledger has {', '.join(known)}" if known else
                       "add one first with `storyline issues add NAME QUERY`")) from None
        now_at = issues_module.statement_position(conn, statement_id, name)
        if now_at is None:
            raise _bad("issue", f"the search of issue {name!r} does not find statement {statement_id}; "
                                "a position is set on an issue the statement is about")
        if now_at["correction"] == position:
            raise _bad("position", f"the statement already has that position on {name!r}")
        old = {"issue": name, "position": now_at["position"],
               "from": "correction" if now_at["correction"] else "suggestion"}
        correction_id = _record(conn, "statement", statement_id, row["article_id"], "position", old,
                                {"issue": name, "position": position}, note, by)
    return get_correction(conn, correction_id)


def _check_date(value) -> str | None:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
            raise ValueError(text)
        date.fromisoformat(text if len(text) == 10 else text + "-01")
    except ValueError:
        raise _bad("date", f"{text!r} is not a date; use YYYY-MM-DD, YYYY-MM, or nothing for unknown") from None
    return text


def _check_basis(value, basis: str | None) -> str:
    if not (value or "").strip():
        return "none"
    basis = basis or "explicit"
    if basis not in DATE_BASES:
        raise _bad("date_basis", f"{basis!r}; choose one of {', '.join(DATE_BASES)}")
    return basis


def log_actor_change(store, field: str, target: int, old, new, note: str | None = None,
                     by: str | None = None) -> dict:
    """Record an actor merge, split or alias made through the registry (already applied)."""
    if field not in ACTOR_FIELDS:
        raise _bad("field", f"{field!r}; choose one of {', '.join(ACTOR_FIELDS)}")
    with store.transaction():
        correction_id = _record(store.conn, "actor", str(target), None, field, old, new, note, by)
    return get_correction(store.conn, correction_id)


def merge(store, into: str, other: str, note: str | None = None, by: str | None = None) -> dict:
    a, b = actors_module.find_actor(store.conn, into), actors_module.find_actor(store.conn, other)
    moved = [r[0] for r in store.conn.execute("SELECT id FROM statements WHERE actor_id = ?", (b["id"],))]
    kept = actors_module.merge_actors(store, into, other)
    return log_actor_change(store, "merge", kept["id"], {"id": b["id"], "name": b["name"], "statements": moved},
                            {"id": a["id"], "name": a["name"]}, note, by)


def split(store, actor: str, alias: str, note: str | None = None, by: str | None = None) -> dict:
    old = actors_module.find_actor(store.conn, actor)
    new = actors_module.split_actor(store, actor, alias)
    return log_actor_change(store, "split", old["id"], {"id": old["id"], "name": old["name"]},
                            {"id": new["id"], "name": new["name"], "alias": alias}, note, by)


def alias(store, actor: str, name: str, note: str | None = None, by: str | None = None) -> dict:
    info = actors_module.add_alias(store, actor, name)
    return log_actor_change(store, "alias", info["id"], None, {"id": info["id"], "alias": name}, note, by)


# --- undo -----------------------------------------------------------------------------------


def undo(store, correction_id: int, by: str | None = None) -> dict:
    """Take a correction back: the statement returns to the value before it (or to the
    latest correction of the same field still standing); a removed statement returns;
    a merge is split again, a split merged again, a user alias removed."""
    conn = store.conn
    c = get_correction(conn, correction_id)
    if c["undone_at"]:
        raise _bad("correction", f"correction {correction_id} was already undone at {c['undone_at']}")
    if c["target_type"] == "actor":
        _undo_actor(store, c)
        with store.transaction():
            conn.execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ?", (now(), by, correction_id))
        return get_correction(conn, correction_id)
    with store.transaction():
        conn.execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ?", (now(), by, correction_id))
        statement_id, field = c["target"], c["field"]
        if field == "position":  # lives per issue: the standing one before it (or the suggestion) holds again
            return get_correction(conn, correction_id)
        if field == "not_statement":
            still_removed = conn.execute(
                "SELECT 1 FROM corrections WHERE target = ? AND field = 'not_statement' AND undone_at IS NULL",
                (statement_id,)).fetchone()
            article = conn.execute("SELECT 1 FROM articles WHERE id = ?", (c["article_id"],)).fetchone()
            exists = conn.execute("SELECT 1 FROM statements WHERE id = ?", (statement_id,)).fetchone()
            if not still_removed and article and not exists:
                row = dict(c["old_value"])
                row.pop("corrected", None)
                names = [k for k in row if k != "rowid"]
                cols = ", ".join(f'"{k}"' for k in names)  # column names read back from the table itself
                conn.execute(f"INSERT INTO statements({cols}) VALUES ({','.join('?' * len(names))})",
                             [row[k] for k in names])
        elif conn.execute("SELECT 1 FROM statements WHERE id = ?", (statement_id,)).fetchone():
            latest = conn.execute(
                "SELECT new_value FROM corrections WHERE target = ? AND field = ? AND undone_at IS NULL "
                "ORDER BY id DESC LIMIT 1", (statement_id, field)).fetchone()
            if latest is not None:
                values = json.loads(latest[0])
            else:
                first = conn.execute("SELECT old_value FROM corrections WHERE target = ? AND field = ? "
                                     "ORDER BY id LIMIT 1", (statement_id, field)).fetchone()
                values = json.loads(first[0])
            if field == "speaker" and values.get("actor_id") is not None and not conn.execute(
                    "SELECT 1 FROM actors WHERE id = ?", (values["actor_id"],)).fetchone():
                values["actor_id"] = None
            _set(conn, statement_id, values)
        if conn.execute("SELECT 1 FROM statements WHERE id = ?", (statement_id,)).fetchone():
            _mark_corrected(conn, statement_id)
    return get_correction(conn, correction_id)


def _undo_actor(store, c: dict) -> None:
    old, new = c["old_value"], c["new_value"]
    if c["field"] == "merge":
        revived = actors_module.split_actor(store, str(new["id"]), old["name"])
        moved = old.get("statements") or []
        with store.transaction():
            store.conn.executemany("UPDATE statements SET actor_id = ?, speaker = ? WHERE id = ? AND actor_id = ?",
                                   [(revived["id"], revived["name"], i, new["id"]) for i in moved])
    elif c["field"] == "split":
        actors_module.merge_actors(store, str(old["id"]), str(new["id"]))
    else:
        actors_module.remove_alias(store, str(new["id"]), new["alias"])


# --- reading ----------------------------------------------------------------------------------


def _as_dict(row: sqlite3.Row) -> dict:
    d = dict(row)
    for key in ("old_value", "new_value"):
        d[key] = json.loads(d[key]) if d[key] is not None else None
    return d


def get_correction(conn: sqlite3.Connection, correction_id: int) -> dict:
    row = conn.execute("SELECT * FROM corrections WHERE id = ?", (correction_id,)).fetchone()
    if row is None:
        raise NotFoundError(E.NOT_FOUND_ID, what="correction", id=correction_id)
    return _as_dict(row)


def list_corrections(conn: sqlite3.Connection, target: str | None = None, include_undone: bool = True,
                     limit: int | None = None) -> list[dict]:
    return list(iter_corrections(conn, target, include_undone, limit))


def iter_corrections(conn: sqlite3.Connection, target: str | None = None, include_undone: bool = True,
                     limit: int | None = None) -> Iterator[dict]:
    where, params = [], []
    if target is not None:
        where.append("c.target = ?")
        params.append(target)
    if not include_undone:
        where.append("c.undone_at IS NULL")
    # applied: whether a standing statement correction holds in the ledger now (its statement
    # is there, or for not_statement gone); 0 when reanalysis no longer finds those words.
    applied = ("CASE WHEN c.undone_at IS NOT NULL OR c.target_type != 'statement' THEN NULL "
               "WHEN c.field = 'not_statement' THEN NOT EXISTS (SELECT 1 FROM statements s WHERE s.id = c.target) "
               "ELSE EXISTS (SELECT 1 FROM statements s WHERE s.id = c.target) END AS applied")
    sql = (f"SELECT c.*, {applied} FROM corrections c" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY c.id")
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    issue_names = None
    for row in conn.execute(sql, params):
        d = _as_dict(row)
        d["applied"] = None if d["applied"] is None else bool(d["applied"])
        if d["field"] == "position" and d["applied"]:  # a position holds while its issue is there too
            if issue_names is None:
                issue_names = _issue_names(conn)
            d["applied"] = str((d["new_value"] or {}).get("issue", "")).casefold() in issue_names
        yield d


def _issue_names(conn: sqlite3.Connection) -> set[str]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'issues'").fetchone():
        return set()  # a ledger from before issues (opened read-only, not migrated)
    return {r[0].casefold() for r in conn.execute("SELECT name FROM issues")}


def removed_statement(conn: sqlite3.Connection, statement_id: str) -> dict | None:
    """The standing not-a-statement correction of a statement id, or None."""
    row = conn.execute("SELECT * FROM corrections WHERE target = ? AND field = 'not_statement' AND undone_at IS NULL "
                       "ORDER BY id DESC LIMIT 1", (statement_id,)).fetchone()
    return _as_dict(row) if row else None


def iter_gold(conn: sqlite3.Connection) -> Iterator[dict]:
    """Gold records in the GUIDE's shape for every article with a standing correction:
    each of its statements as now corrected (statements marked not a statement are left
    out), so a team's reviewed articles become an evaluation set (`storyline eval
    statements --gold`). Position corrections are left out: the GUIDE's shape has no
    position, and a position set on one statement says nothing about whether the rest of
    its article was reviewed (`iter_position_gold` exports them on their own). `doc` is the name of the file the article was read from, else its URL."""
    articles = [r[0] for r in conn.execute(
        "SELECT DISTINCT c.article_id FROM corrections c JOIN articles a ON a.id = c.article_id "
        "WHERE c.target_type = 'statement' AND c.field != 'position' AND c.undone_at IS NULL ORDER BY c.article_id")]
    for article_id in articles:
        rows = conn.execute(
            'SELECT s.*, a.source AS article_source, COALESCE(a.url, a.doc) AS article_doc FROM statements s '
            'JOIN articles a ON a.id = s.article_id WHERE s.article_id = ? ORDER BY s.start, s."end"', (article_id,))
        for row in rows:
            yield {
                "doc": gold_doc(row["article_source"], row["article_doc"]), "text": row["text"], "kind": row["kind"],
                "speaker": row["speaker"], "speaker_type": row["speaker_type"], "cue": row["cue"],
                "via": json.loads(row["via"] or "[]"), "date": row["date"], "date_basis": row["date_basis"],
            }


# Inputs that hold many articles: their file name does not name one article.
CONTAINERS = (".jsonl", ".ndjson", ".json", ".xml", ".rss", ".atom")


def gold_doc(source: str, doc: str) -> str:
    """The gold `doc` of an article: the name of the file it was read from (what
    `storyline eval statements --corpus FOLDER` looks for), else its URL or doc."""
    if source and "://" not in source and source != "-":
        name = source.replace("\\", "/").rsplit("/", 1)[-1]
        if name and "#" not in name and not name.lower().endswith(CONTAINERS):  # "feed.xml#entry-3": one of many
            return name
    return doc


def iter_position_gold(conn: sqlite3.Connection) -> Iterator[dict]:
    """Labelled positions from the standing position corrections (the latest per statement
    and issue), in the shape `storyline eval positions --gold` reads: the statement's
    sentence, cue and statement spans as offsets into that sentence, issue, its search
    (`query`) and the label; plus doc, statement id and the position suggested before."""
    from storyline.ledger.issues import frame_span

    rows = conn.execute(
        "SELECT c.id AS cid, c.target, c.old_value, c.new_value, s.text AS s_text, s.start AS s_start, "
        "s.\"end\" AS s_end, s.cue, s.cue_start, s.cue_end, a.text AS article_text, a.source AS article_source, "
        "COALESCE(a.url, a.doc) AS article_doc, i.name AS issue, i.query AS query FROM corrections c "
        "JOIN statements s ON s.id = c.target JOIN articles a ON a.id = s.article_id "
        "JOIN issues i ON i.name = json_extract(c.new_value, '$.issue') "
        "WHERE c.target_type = 'statement' AND c.field = 'position' AND c.undone_at IS NULL ORDER BY c.id")
    latest: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (row["target"], row["issue"].casefold())
        old = json.loads(row["old_value"] or "{}")
        suggested = latest[key]["suggested"] if key in latest else (
            old.get("position") if old.get("from") == "suggestion" else None)
        lo, hi = row["s_start"], row["s_end"]
        cue = row["cue_start"] is not None and row["cue_end"] is not None
        if cue:
            lo, hi = min(lo, row["cue_start"]), max(hi, row["cue_end"])
        f0, f1 = frame_span(row["article_text"], lo, hi)
        latest[key] = {
            "id": f"correction-{row['cid']}", "issue": row["issue"], "query": row["query"],
            "label": json.loads(row["new_value"])["position"], "sentence": row["article_text"][f0:f1],
            "cue": row["cue"], "cue_start": row["cue_start"] - f0 if cue else None,
            "cue_end": row["cue_end"] - f0 if cue else None, "text": row["s_text"],
            "start": row["s_start"] - f0, "end": row["s_end"] - f0,
            "doc": gold_doc(row["article_source"], row["article_doc"]), "statement_id": row["target"],
            "suggested": suggested,
        }
    yield from latest.values()
