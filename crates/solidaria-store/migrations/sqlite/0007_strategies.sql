-- Co-construction (issue #16): strategies as registry records, the append-only log of their
-- deliberation, and the actor an account speaks for.
CREATE TABLE strategies (
    id        TEXT PRIMARY KEY,
    title     TEXT NOT NULL,
    territory TEXT NOT NULL,
    seq       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX strategies_territory ON strategies (territory);

-- One row per event: a round opened (doc: the text put to the vote), a vote (actor, college,
-- choice, reason), an amendment proposed (text), results reported from a tool the territory
-- deliberates in (external: text and doc), a round closed (doc: the outcome). Never changed.
CREATE TABLE deliberation_events (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy TEXT NOT NULL,
    at       TEXT NOT NULL,
    who      TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('open', 'vote', 'amendment', 'external', 'close')),
    actor    TEXT,
    college  TEXT,
    choice   TEXT CHECK (choice IN ('for', 'against', 'abstain', 'object')),
    text     TEXT,
    doc      TEXT
);
CREATE INDEX deliberation_events_strategy ON deliberation_events (strategy, seq);
CREATE TRIGGER deliberation_events_no_update BEFORE UPDATE ON deliberation_events
BEGIN SELECT RAISE(ABORT, 'deliberation_events is append-only'); END;
CREATE TRIGGER deliberation_events_no_delete BEFORE DELETE ON deliberation_events
BEGIN SELECT RAISE(ABORT, 'deliberation_events is append-only'); END;

-- The actor an account represents (one account speaks for at most one actor).
ALTER TABLE users ADD COLUMN actor TEXT;
