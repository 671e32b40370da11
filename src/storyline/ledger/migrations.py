"""Schema migrations, registered in code and applied in order, each in a transaction.

Add a migration by appending `(version, name, sql)` to MIGRATIONS; never edit one that
has shipped. `schema_migrations` records what was applied.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = []


def migration(version: int, name: str, sql: str) -> None:
    MIGRATIONS.append((version, name, sql))


migration(1, "initial ledger", """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,            -- content hash of the stored text
    doc TEXT NOT NULL,                  -- file name, or URL when there is one
    source TEXT NOT NULL,               -- first input it came from
    format TEXT,
    url TEXT,
    outlet TEXT,
    outlet_method TEXT,
    title TEXT,
    authors TEXT NOT NULL DEFAULT '[]', -- JSON list
    published TEXT,                     -- ISO; NULL when unknown (never guessed)
    published_precision TEXT,
    published_method TEXT,
    updated TEXT,
    language TEXT,
    language_score REAL,
    analysed INTEGER NOT NULL DEFAULT 1,
    not_analysed_reason TEXT,
    text TEXT NOT NULL,
    length INTEGER NOT NULL,
    cluster_id TEXT,                    -- near-duplicate cluster (smallest member id)
    cluster_similarity REAL,
    meta TEXT NOT NULL DEFAULT '{}',
    stages TEXT NOT NULL DEFAULT '[]',  -- stages that ran, JSON list
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_cluster ON articles(cluster_id);

CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    doc TEXT NOT NULL,
    outlet TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (article_id, source)
);
CREATE INDEX article_sources_source ON article_sources(source);

CREATE TABLE segments (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL,
    boilerplate INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    section_date TEXT,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE minhashes (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature BLOB NOT NULL
);

CREATE TABLE errors (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    detail TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    UNIQUE (source, code)
);

CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,          -- canonical name
    type TEXT NOT NULL DEFAULT 'person',-- person | organization | media | anonymous
    affiliation TEXT,
    origin TEXT NOT NULL DEFAULT 'auto',-- auto | user | file
    merged_into INTEGER REFERENCES actors(id),
    created_at TEXT NOT NULL
);

CREATE TABLE actor_aliases (
    norm TEXT NOT NULL,                 -- normalised alias: casefolded, no accents or dots
    alias TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    origin TEXT NOT NULL DEFAULT 'auto',
    PRIMARY KEY (norm, actor_id)
);
CREATE INDEX actor_aliases_actor ON actor_aliases(actor_id);

CREATE TABLE actor_roles (
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    affiliation TEXT,
    first_seen TEXT,                    -- date of the earliest article that gave the role
    last_seen TEXT,
    article_id TEXT,
    PRIMARY KEY (actor_id, role)
);

CREATE TABLE statements (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,            -- article_id:start-end
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    parts TEXT NOT NULL DEFAULT '[]',
    kind TEXT NOT NULL,
    speaker TEXT,
    speaker_type TEXT NOT NULL DEFAULT 'unknown',
    actor_id INTEGER REFERENCES actors(id) ON DELETE SET NULL,
    speaker_start INTEGER,
    speaker_end INTEGER,
    speaker_text TEXT,
    speaker_role TEXT,
    speaker_affiliation TEXT,
    speaker_description TEXT,
    cue TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    cue_text TEXT,
    channel TEXT,
    via TEXT NOT NULL DEFAULT '[]',
    hedged INTEGER NOT NULL DEFAULT 0,
    date TEXT,
    date_basis TEXT NOT NULL DEFAULT 'none',
    date_start INTEGER,
    date_end INTEGER,
    date_text TEXT,
    confidence REAL,
    extractor TEXT NOT NULL,
    cluster_id TEXT                     -- the same statement reported elsewhere
);
CREATE INDEX statements_article ON statements(article_id);
CREATE INDEX statements_speaker ON statements(speaker);
CREATE INDEX statements_actor ON statements(actor_id);
CREATE INDEX statements_date ON statements(date);
CREATE INDEX statements_cluster ON statements(cluster_id);

CREATE TABLE timexes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT,
    precision TEXT,
    basis TEXT,
    anchor TEXT,
    PRIMARY KEY (article_id, start, "end")
);

CREATE TABLE events (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,            -- article_id:start-end:type
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    event_type TEXT NOT NULL,
    mode TEXT,
    actors TEXT NOT NULL DEFAULT '[]',
    recipients TEXT NOT NULL DEFAULT '[]',
    location TEXT,
    date TEXT,
    precision TEXT,
    date_basis TEXT NOT NULL DEFAULT 'none',
    negated INTEGER NOT NULL DEFAULT 0,
    hypothetical INTEGER NOT NULL DEFAULT 0,
    future INTEGER NOT NULL DEFAULT 0,
    trigger_start INTEGER,
    trigger_end INTEGER,
    trigger_text TEXT,
    confidence REAL,
    extractor TEXT NOT NULL,
    cluster_id TEXT                     -- the same real-world event across reports
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_cluster ON events(cluster_id);
CREATE INDEX events_date ON events(date);

CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

CREATE VIRTUAL TABLE statements_fts USING fts5(text, speaker, content='statements', content_rowid='rowid');
CREATE TRIGGER statements_fts_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker);
END;
CREATE TRIGGER statements_fts_ad AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, text, speaker) VALUES ('delete', old.rowid, old.text, old.speaker);
END;
CREATE TRIGGER statements_fts_au AFTER UPDATE OF text, speaker ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, text, speaker) VALUES ('delete', old.rowid, old.text, old.speaker);
    INSERT INTO statements_fts(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker);
END;
""")

# Added by the web engineer: covering indexes so the web app's statement filters and
# facet counts (speaker, outlet, kind; date ranges) are answered from indexes on
# large ledgers (benchmarks/web.py). Additive only.
migration(2, "web: covering indexes for filters and facets", """
CREATE INDEX IF NOT EXISTS statements_web_speaker ON statements(speaker, kind, hedged, date, actor_id, article_id);
CREATE INDEX IF NOT EXISTS statements_web_date ON statements(date, kind, hedged, speaker, actor_id, article_id);
CREATE INDEX IF NOT EXISTS statements_web_article ON statements(article_id, kind, hedged, speaker, date, actor_id);
CREATE INDEX IF NOT EXISTS statements_web_kind ON statements(kind, hedged);
""")

migration(3, "events: index for event clustering lookups (type, date range)", """
CREATE INDEX IF NOT EXISTS events_type_date ON events(event_type, date);
""")

# Added by the ingest engineer: blocking keys for statement clustering, so a new
# statement's candidates are an indexed look-up by (actor, word) instead of a full-text
# query whose posting lists grow with the ledger (issue 10). Filled by
# ledger/clusters.py; statements stored before this migration are keyed on first use.
migration(4, "clusters: (actor, word) blocking keys for statement clustering", """
CREATE TABLE statement_words (
    actor_id INTEGER NOT NULL,
    word TEXT NOT NULL,
    statement_id TEXT NOT NULL,
    PRIMARY KEY (actor_id, word, statement_id)
) WITHOUT ROWID;
CREATE INDEX statement_words_statement ON statement_words(statement_id);
CREATE TABLE statement_words_state (backfilled INTEGER NOT NULL);
INSERT INTO statement_words_state(backfilled)
    SELECT CASE WHEN EXISTS (SELECT 1 FROM statements WHERE actor_id IS NOT NULL) THEN 0 ELSE 1 END;
CREATE TRIGGER statement_words_ad AFTER DELETE ON statements BEGIN
    DELETE FROM statement_words WHERE statement_id = old.id;
END;
CREATE TRIGGER statement_words_au AFTER UPDATE OF actor_id ON statements BEGIN
    DELETE FROM statement_words WHERE statement_id = old.id AND new.actor_id IS NULL;
    UPDATE statement_words SET actor_id = new.actor_id WHERE statement_id = old.id AND new.actor_id IS NOT NULL;
END;
""")
