"""The ledger: one SQLite file in WAL mode, migrated in code, with FTS5 search.

Writes go through `Store` only. An article and everything extracted from it are
written in one transaction (`save_article`), so an ingest killed at any point leaves
either the whole article or none of it, and re-running finishes the rest.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from storyline.errors import E, NotFoundError, SetupError
from storyline.ledger.migrations import MIGRATIONS
from storyline.model import Article, Statement


# Writers that add to an article's save, in the same transaction, registered by the
# modules that own those tables (e.g. the actor registry sets `Statement.actor_id`).
# Each is called as hook(store, article) before the article's statements are written.
SAVE_HOOKS: list[Callable[["Store", Article], None]] = []


def event_ids(article_id: str, events: list) -> list[str]:
    """Stored event ids: article:start-end:TYPE, with :2, :3 … for further reports of
    the same type in the same sentence ("the meeting … the talks")."""
    seen: dict[str, int] = {}
    out = []
    for e in events:
        base = f"{article_id}:{e.start}-{e.end}:{e.event_type}"
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}:{seen[base]}")
    return out


# Attributes of a `Store` that hold in-memory indexes over its tables (set by the
# modules that build them); `Store.forget_caches` drops them.
CACHES = ("_actor_index", "_near_duplicates")


def on_save(func: Callable[["Store", Article], None]) -> Callable[["Store", Article], None]:
    """Register `func(store, article)` to run in each article's save transaction, after the
    hooks registered before it."""
    SAVE_HOOKS.append(func)
    return func


def on_save_first(func: Callable[["Store", Article], None]) -> Callable[["Store", Article], None]:
    """Register a save hook that runs before every other (it prepares what they read)."""
    SAVE_HOOKS.insert(0, func)
    return func


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def check_fts5(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp._fts5_probe")
    except sqlite3.OperationalError as exc:
        raise SetupError(E.NO_FTS5, detail=str(exc)) from exc


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    path = str(path)
    if path != ":memory:" and Path(path).is_dir():
        raise SetupError(E.DB_UNUSABLE, db=path, detail="it is a folder, not a file")
    if readonly:
        if path != ":memory:" and not Path(path).exists():
            raise SetupError(E.NO_DB, db=path)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
    else:
        # isolation_level=None: no implicit transactions; writers use Store.transaction().
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            # Some other program's SQLite database: never write the ledger's tables into it.
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise SetupError(E.DB_UNUSABLE, db=path, detail=str(exc)) from exc
        if tables and "schema_migrations" not in tables:
            conn.close()
            raise SetupError(E.DB_UNUSABLE, db=path, detail="not a storyline ledger: an SQLite file of another program")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    if readonly and path != ":memory:":
        # A file that is not SQLite, or SQLite that is not a ledger: a clear [DB_UNUSABLE], not a traceback.
        try:
            ledger = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='statements'").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise SetupError(E.DB_UNUSABLE, db=path, detail=str(exc)) from exc
        if ledger is None:
            conn.close()
            raise SetupError(E.DB_UNUSABLE, db=path, detail="not a storyline ledger: it has no statements table")
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection, db: str = "") -> int:
    """Apply pending migrations, each in its own transaction. Returns the version."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = schema_version(conn)
    known = max(v for v, _, _ in MIGRATIONS)
    if current > known:
        raise SetupError(E.SCHEMA_NEWER, db=db, found=current, known=known)
    for version, name, sql in sorted(MIGRATIONS):
        if version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied it since `current` was read: check under the lock.
            if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                conn.execute("COMMIT")
                continue
            for statement in _split_sql(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(conn)


def _split_sql(sql: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner `;`)."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


class Store:
    """The ledger's single writer (and a reader). Use as a context manager."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = str(path)
        self.readonly = readonly
        self.conn = connect(self.path, readonly=readonly)
        check_fts5(self.conn)
        if not readonly:
            migrate(self.conn, self.path)
        self._data_version = self._version()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def forget_caches(self) -> None:
        """Drop the in-memory indexes built over this ledger (the actor registry's
        look-ups, the near-duplicate index); they are rebuilt from the tables on next use."""
        for name in CACHES:
            self.__dict__.pop(name, None)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. In-memory indexes are dropped when another connection
        has committed since this one last wrote (they would be stale) and when the
        transaction rolls back (they would hold what was undone)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            if self._version() != self._data_version:
                self.forget_caches()
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            self.forget_caches()
            raise
        else:
            self.conn.execute("COMMIT")
            self._data_version = self._version()

    # --- articles -----------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def add_source(self, article_id: str, source: str, doc: str, outlet: str | None = None) -> bool:
        """Record one more input an already stored article arrived from. True when new."""
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO article_sources(article_id, source, doc, outlet, first_seen) VALUES (?,?,?,?,?)",
            (article_id, source, doc, outlet, now()),
        )
        return cur.rowcount > 0

    def save_article(self, article: Article) -> None:
        """Write an article and all it carries, replacing what was stored for its id.

        Call inside `transaction()`; the caller decides how many articles a
        transaction holds.
        """
        c = self.conn
        known = c.execute(
            "SELECT source, doc, outlet FROM article_sources WHERE article_id=?", (article.id,)
        ).fetchall()
        c.execute("DELETE FROM articles WHERE id=?", (article.id,))
        c.execute(
            """INSERT INTO articles(id, doc, source, format, url, outlet, outlet_method, title, authors,
                   published, published_precision, published_method, updated, language, language_score,
                   analysed, not_analysed_reason, text, length, meta, stages, ingested_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (
                article.id, article.doc, article.source, article.format, article.url, article.outlet,
                article.outlet_method, article.title, _json(article.authors), article.published,
                article.published_precision, article.published_method, article.updated, article.language,
                article.language_score, int(article.analysed), article.not_analysed_reason, article.text,
                len(article.text), _json(article.meta), _json(sorted(article.done)), now(),
            ),
        )
        for source in article.sources or [article.source]:
            self.add_source(article.id, source, article.doc if source == article.source else source, article.outlet)
        for row in known:
            self.add_source(article.id, row["source"], row["doc"], row["outlet"])
        c.executemany(
            'INSERT INTO segments(article_id, idx, start, "end", kind, boilerplate, reason, section_date) '
            "VALUES (?,?,?,?,?,?,?,?)",
            [
                (article.id, i, s.start, s.end, s.kind, int(s.boilerplate), s.reason, s.section_date)
                for i, s in enumerate(article.segments)
            ],
        )
        for hook in SAVE_HOOKS:
            hook(self, article)
        c.executemany(
            """INSERT OR REPLACE INTO statements(id, article_id, start, "end", text, parts, kind, speaker,
                   speaker_type, actor_id, speaker_start, speaker_end, speaker_text, speaker_role,
                   speaker_affiliation, speaker_description, cue, cue_start, cue_end, cue_text, channel,
                   via, hedged, date, date_basis, date_start, date_end, date_text, confidence, extractor,
                   cluster_id)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [_statement_row(article.id, s) for s in article.statements],
        )
        c.executemany(
            'INSERT OR REPLACE INTO timexes(article_id, start, "end", text, value, precision, basis, anchor) '
            "VALUES (?,?,?,?,?,?,?,?)",
            [(article.id, t.start, t.end, t.text, t.value, t.precision, t.basis, t.anchor) for t in article.timexes],
        )
        c.executemany(
            """INSERT OR REPLACE INTO events(id, article_id, start, "end", text, event_type, mode, actors,
                   recipients, location, date, precision, date_basis, negated, hypothetical, future,
                   trigger_start, trigger_end, trigger_text, confidence, extractor, cluster_id)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [
                (
                    eid, article.id, e.start, e.end, e.text,
                    e.event_type, e.mode, _json(e.actors), _json(e.recipients), e.location, e.date,
                    e.precision, e.date_basis, int(e.negated), int(e.hypothetical), int(e.future),
                    e.trigger.start if e.trigger else None, e.trigger.end if e.trigger else None,
                    e.trigger.text if e.trigger else None, e.confidence, e.extractor, e.cluster_id,
                )
                for eid, e in zip(event_ids(article.id, article.events), article.events)
            ],
        )

    def article_row(self, article_id: str) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT * FROM articles WHERE id LIKE ? ORDER BY id LIMIT 2", (article_id + "%",)
            ).fetchall()
            if len(row) != 1:
                raise NotFoundError(E.NOT_FOUND_ID, what="article", id=article_id)
            row = row[0]
        return row

    # --- errors ---------------------------------------------------------------------

    def record_error(self, source: str, code: str, message: str, detail: str | None = None) -> None:
        """A failed input is a row: one per (source, code), counted on each attempt."""
        stamp = now()
        self.conn.execute(
            """INSERT INTO errors(source, code, message, detail, first_seen, last_seen) VALUES (?,?,?,?,?,?)
               ON CONFLICT(source, code) DO UPDATE SET message=excluded.message, detail=excluded.detail,
                   last_seen=excluded.last_seen, attempts=attempts+1""",
            (source, code, message, detail, stamp, stamp),
        )

    def clear_errors(self, source: str) -> None:
        """An input that now succeeds no longer counts as failed."""
        self.conn.execute("DELETE FROM errors WHERE source=?", (source,))


def statement_id(article_id: str, s: Statement) -> str:
    return f"{article_id}:{s.start}-{s.end}"


def _statement_row(article_id: str, s: Statement) -> tuple:
    m, cue, de = s.speaker_mention, s.cue_span, s.date_evidence
    return (
        s.id or statement_id(article_id, s), article_id, s.start, s.end, s.text, _json(s.parts), s.kind,
        s.speaker, s.speaker_type, s.actor_id, m.start if m else None, m.end if m else None,
        m.text if m else None, s.speaker_role, s.speaker_affiliation, s.speaker_description, s.cue,
        cue.start if cue else None, cue.end if cue else None, cue.text if cue else None, s.channel,
        _json(s.via), int(s.hedged), s.date, s.date_basis, de.start if de else None,
        de.end if de else None, de.text if de else None, s.confidence, s.extractor, s.cluster_id,
    )
