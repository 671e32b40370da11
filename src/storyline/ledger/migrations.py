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

# The read layer matches the speaker filter case-blind (`s.speaker = ? COLLATE NOCASE`,
# ledger/queries.py); this index answers it without a scan.
migration(4, "queries: case-blind speaker index", """
CREATE INDEX IF NOT EXISTS statements_speaker_nocase ON statements(speaker COLLATE NOCASE);
""")

# Which version of each stage made an article's stored results (pipeline.stage_version),
# so `storyline reanalyse --stale` knows what to re-run. '{}' for articles stored before.
migration(5, "versions: stage versions per article", """
ALTER TABLE articles ADD COLUMN stage_versions TEXT NOT NULL DEFAULT '{}';
""")

# Added by the workbench engineer (issue 14). Corrections: one row per change a person
# made on top of extraction. No foreign key to statements or articles, so a correction
# outlives the re-ingest or reanalysis that rewrites those rows; the triggers below put
# it back on every statement row written again under the same id.
# Also: FTS tables declared with content="..." (the spelling Datasette detects), and the
# views `statements_view` / `events_view` for SQL users.
migration(6, "workbench: corrections, Datasette-visible FTS, statements_view and events_view", """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL,          -- statement | actor
    target TEXT NOT NULL,               -- statement id (article_id:start-end) or actor id
    article_id TEXT,                    -- the statement's article (kept after the article goes)
    field TEXT NOT NULL,                -- not_statement | speaker | kind | date | merge | split | alias
    old_value TEXT,                     -- JSON: the value before this correction
    new_value TEXT,                     -- JSON: the value it set
    note TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT,                    -- the user, when the token or --by names one
    undone_at TEXT,
    undone_by TEXT
);
CREATE INDEX corrections_target ON corrections(target, field);
CREATE INDEX corrections_article ON corrections(article_id);

ALTER TABLE statements ADD COLUMN corrected TEXT;  -- JSON list of corrected fields, NULL when none
-- The statements page's speaker-type, via and confidence facets, answered from an index.
CREATE INDEX statements_type_confidence_via ON statements(speaker_type, confidence, via);

CREATE TRIGGER statements_corrections_ai AFTER INSERT ON statements
WHEN EXISTS (SELECT 1 FROM corrections c WHERE c.target = new.id AND c.target_type = 'statement'
             AND c.undone_at IS NULL)
BEGIN
    UPDATE statements SET
        speaker = (SELECT json_extract(c.new_value, '$.speaker') FROM corrections c WHERE c.target = new.id
                   AND c.field = 'speaker' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1),
        speaker_type = (SELECT json_extract(c.new_value, '$.speaker_type') FROM corrections c WHERE c.target = new.id
                   AND c.field = 'speaker' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1),
        actor_id = (SELECT a.id FROM corrections c JOIN actors a ON a.id = json_extract(c.new_value, '$.actor_id')
                   WHERE c.target = new.id AND c.field = 'speaker' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1)
    WHERE rowid = new.rowid AND EXISTS (SELECT 1 FROM corrections c WHERE c.target = new.id
                                        AND c.field = 'speaker' AND c.undone_at IS NULL);
    UPDATE statements SET
        kind = (SELECT json_extract(c.new_value, '$.kind') FROM corrections c WHERE c.target = new.id
                AND c.field = 'kind' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1)
    WHERE rowid = new.rowid AND EXISTS (SELECT 1 FROM corrections c WHERE c.target = new.id
                                        AND c.field = 'kind' AND c.undone_at IS NULL);
    UPDATE statements SET
        date = (SELECT json_extract(c.new_value, '$.date') FROM corrections c WHERE c.target = new.id
                AND c.field = 'date' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1),
        date_basis = (SELECT json_extract(c.new_value, '$.date_basis') FROM corrections c WHERE c.target = new.id
                AND c.field = 'date' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1)
    WHERE rowid = new.rowid AND EXISTS (SELECT 1 FROM corrections c WHERE c.target = new.id
                                        AND c.field = 'date' AND c.undone_at IS NULL);
    UPDATE statements SET
        corrected = (SELECT json_group_array(field) FROM (SELECT DISTINCT c.field FROM corrections c
                     WHERE c.target = new.id AND c.target_type = 'statement' AND c.undone_at IS NULL ORDER BY c.field))
    WHERE rowid = new.rowid;
    DELETE FROM statements WHERE rowid = new.rowid AND EXISTS (SELECT 1 FROM corrections c
        WHERE c.target = new.id AND c.field = 'not_statement' AND c.undone_at IS NULL);
END;

DROP TABLE statements_fts;
CREATE VIRTUAL TABLE statements_fts USING fts5(text, speaker, content="statements", content_rowid="rowid");
INSERT INTO statements_fts(statements_fts) VALUES ('rebuild');
-- Created again after statements_corrections_ai: SQLite fires the newest trigger first,
-- and the FTS row must exist before the corrections trigger updates or deletes it.
DROP TRIGGER statements_fts_ai;
CREATE TRIGGER statements_fts_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker);
END;
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content="articles", content_rowid="rowid");
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');

CREATE VIEW statements_view AS
SELECT s.id AS id, s.text AS statement, s.kind AS kind, s.speaker AS speaker, s.speaker_type AS speaker_type,
       ac.name AS actor, s.speaker_role AS speaker_role, s.cue AS cue, s.via AS via, s.date AS date,
       s.date_basis AS date_basis, s.confidence AS confidence, s.corrected AS corrected,
       a.title AS article_title, a.outlet AS outlet, a.published AS published, COALESCE(a.url, a.doc) AS url,
       s.article_id AS article_id, s.start AS start, s."end" AS "end", s.rowid AS statement_rowid
FROM statements s JOIN articles a ON a.id = s.article_id LEFT JOIN actors ac ON ac.id = s.actor_id;

CREATE VIEW events_view AS
SELECT e.id AS id, e.event_type AS event_type, e.text AS text, e.trigger_text AS trigger, e.actors AS actors,
       e.recipients AS recipients, e.location AS location, e.date AS date, e.precision AS precision,
       e.date_basis AS date_basis, e.negated AS negated, e.hypothetical AS hypothetical, e.confidence AS confidence,
       a.title AS article_title, a.outlet AS outlet, a.published AS published, COALESCE(a.url, a.doc) AS url,
       e.article_id AS article_id, e.start AS start, e."end" AS "end", e.cluster_id AS cluster_id
FROM events e JOIN articles a ON a.id = e.article_id;
""")


# Issue 16: user-defined issues (named full-text searches) and position suggestions per
# statement and issue. A suggestion keeps its rule (method), extractor and evidence; a
# user correction overrides it without erasing it (ledger/issues.py: `position_overrides`).
migration(7, "issues: named searches and position suggestions", """
CREATE TABLE IF NOT EXISTS issues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query TEXT NOT NULL,                -- FTS5 query over statement text and speaker
    description TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS position_suggestions (
    statement_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    position TEXT NOT NULL,             -- support | oppose | neutral
    method TEXT NOT NULL,               -- the rule that decided (cue:support, content, default …)
    covered INTEGER NOT NULL,           -- 0 when no rule fired (the neutral default)
    evidence TEXT NOT NULL DEFAULT '[]',-- JSON [{start, end, text, role}], article offsets
    extractor TEXT NOT NULL,            -- positions.rules.v1
    created_at TEXT NOT NULL,
    PRIMARY KEY (statement_id, issue_id)
);
CREATE INDEX IF NOT EXISTS position_suggestions_issue ON position_suggestions(issue_id, position);
""")


# Added by the events engineer (issue 10): blocking keys for event clustering, so the save
# hook looks up a bounded set of candidate clusters instead of scanning a date window.
# event_keys: one row per (stored dated report, key); event_key_clusters: how many reports
# stand behind each (family, key, date, basis, cluster), kept by triggers. A ledger with
# events from before this migration is indexed on first save (event_key_state).
migration(8, "events: blocking-key index for clustering", """
CREATE TABLE event_keys (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    family TEXT NOT NULL,
    key TEXT NOT NULL,
    date TEXT NOT NULL,
    date_basis TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    PRIMARY KEY (event_id, key)
);
CREATE TABLE event_key_clusters (
    family TEXT NOT NULL,
    key TEXT NOT NULL,
    date TEXT NOT NULL,
    date_basis TEXT NOT NULL,
    cluster_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (family, key, date, date_basis, cluster_id)
) WITHOUT ROWID;
CREATE TABLE event_key_state (indexed INTEGER NOT NULL);
INSERT INTO event_key_state(indexed) SELECT NOT EXISTS (SELECT 1 FROM events);
CREATE TRIGGER event_keys_ai AFTER INSERT ON event_keys BEGIN
    INSERT INTO event_key_clusters(family, key, date, date_basis, cluster_id, n)
    VALUES (new.family, new.key, new.date, new.date_basis, new.cluster_id, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER event_keys_ad AFTER DELETE ON event_keys BEGIN
    UPDATE event_key_clusters SET n = n - 1 WHERE family = old.family AND key = old.key AND date = old.date
        AND date_basis = old.date_basis AND cluster_id = old.cluster_id;
    DELETE FROM event_key_clusters WHERE family = old.family AND key = old.key AND date = old.date
        AND date_basis = old.date_basis AND cluster_id = old.cluster_id AND n <= 0;
END;
CREATE TRIGGER event_keys_au AFTER UPDATE OF cluster_id ON event_keys BEGIN
    UPDATE event_key_clusters SET n = n - 1 WHERE family = old.family AND key = old.key AND date = old.date
        AND date_basis = old.date_basis AND cluster_id = old.cluster_id;
    DELETE FROM event_key_clusters WHERE family = old.family AND key = old.key AND date = old.date
        AND date_basis = old.date_basis AND cluster_id = old.cluster_id AND n <= 0;
    INSERT INTO event_key_clusters(family, key, date, date_basis, cluster_id, n)
    VALUES (new.family, new.key, new.date, new.date_basis, new.cluster_id, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER events_cluster_au AFTER UPDATE OF cluster_id ON events BEGIN
    UPDATE event_keys SET cluster_id = new.cluster_id WHERE event_id = new.id AND new.cluster_id IS NOT NULL;
    DELETE FROM event_keys WHERE event_id = new.id AND new.cluster_id IS NULL;
END;
""")


# Position corrections (field 'position', value {"issue", "position"}) live per issue and
# never change the statement row: the re-save trigger leaves them out of `corrected`, and
# a statement whose only corrections are positions is not touched at all.
migration(9, "corrections: position corrections leave the statement row alone", """
DROP TRIGGER statements_corrections_ai;
CREATE TRIGGER statements_corrections_ai AFTER INSERT ON statements
WHEN EXISTS (SELECT 1 FROM corrections c WHERE c.target = new.id AND c.target_type = 'statement'
             AND c.field != 'position' AND c.undone_at IS NULL)
BEGIN
    UPDATE statements SET
        speaker = (SELECT json_extract(c.new_value, '$.speaker') FROM corrections c WHERE c.target = new.id
                   AND c.field = 'speaker' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1),
        speaker_type = (SELECT json_extract(c.new_value, '$.speaker_type') FROM corrections c WHERE c.target = new.id
                   AND c.field = 'speaker' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1),
        actor_id = (SELECT a.id FROM corrections c JOIN actors a ON a.id = json_extract(c.new_value, '$.actor_id')
                   WHERE c.target = new.id AND c.field = 'speaker' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1)
    WHERE rowid = new.rowid AND EXISTS (SELECT 1 FROM corrections c WHERE c.target = new.id
                                        AND c.field = 'speaker' AND c.undone_at IS NULL);
    UPDATE statements SET
        kind = (SELECT json_extract(c.new_value, '$.kind') FROM corrections c WHERE c.target = new.id
                AND c.field = 'kind' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1)
    WHERE rowid = new.rowid AND EXISTS (SELECT 1 FROM corrections c WHERE c.target = new.id
                                        AND c.field = 'kind' AND c.undone_at IS NULL);
    UPDATE statements SET
        date = (SELECT json_extract(c.new_value, '$.date') FROM corrections c WHERE c.target = new.id
                AND c.field = 'date' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1),
        date_basis = (SELECT json_extract(c.new_value, '$.date_basis') FROM corrections c WHERE c.target = new.id
                AND c.field = 'date' AND c.undone_at IS NULL ORDER BY c.id DESC LIMIT 1)
    WHERE rowid = new.rowid AND EXISTS (SELECT 1 FROM corrections c WHERE c.target = new.id
                                        AND c.field = 'date' AND c.undone_at IS NULL);
    UPDATE statements SET
        corrected = (SELECT json_group_array(field) FROM (SELECT DISTINCT c.field FROM corrections c
                     WHERE c.target = new.id AND c.target_type = 'statement' AND c.field != 'position'
                     AND c.undone_at IS NULL ORDER BY c.field))
    WHERE rowid = new.rowid;
    DELETE FROM statements WHERE rowid = new.rowid AND EXISTS (SELECT 1 FROM corrections c
        WHERE c.target = new.id AND c.field = 'not_statement' AND c.undone_at IS NULL);
END;
-- Created again after statements_corrections_ai (SQLite fires the newest trigger first):
-- the FTS row must exist before the corrections trigger updates or deletes it.
DROP TRIGGER statements_fts_ai;
CREATE TRIGGER statements_fts_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, text, speaker) VALUES (new.rowid, new.text, new.speaker);
END;
-- Rows the old trigger marked with a position: their own corrected fields only.
UPDATE statements SET corrected = (
    SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_group_array(field) END
    FROM (SELECT DISTINCT c.field FROM corrections c WHERE c.target = statements.id AND c.target_type = 'statement'
          AND c.field != 'position' AND c.undone_at IS NULL ORDER BY c.field))
WHERE corrected IS NOT NULL;
""")


# Added by the ingest engineer: blocking keys for statement clustering, so a new
# statement's candidates are an indexed look-up by (actor, word) instead of a full-text
# query whose posting lists grow with the ledger (issue 10). Filled by
# ledger/clusters.py; statements stored before this migration are keyed on first use.
migration(10, "clusters: (actor, word) blocking keys for statement clustering", """
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
