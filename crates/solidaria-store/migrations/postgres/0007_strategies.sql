-- Co-construction (see the SQLite migration of the same number).
CREATE TABLE strategies (
    id        TEXT PRIMARY KEY,
    title     TEXT NOT NULL,
    territory TEXT NOT NULL,
    doc       JSONB NOT NULL
);
CREATE INDEX strategies_territory ON strategies (territory);

CREATE TABLE deliberation_events (
    seq      BIGSERIAL PRIMARY KEY,
    strategy TEXT NOT NULL,
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    who      TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('open', 'vote', 'amendment', 'external', 'close')),
    actor    TEXT,
    college  TEXT,
    choice   TEXT CHECK (choice IN ('for', 'against', 'abstain', 'object')),
    text     TEXT,
    doc      TEXT
);
CREATE INDEX deliberation_events_strategy ON deliberation_events (strategy, seq);
CREATE FUNCTION deliberation_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'deliberation_events is append-only';
END;
$$;
CREATE TRIGGER deliberation_events_no_change BEFORE UPDATE OR DELETE ON deliberation_events
    FOR EACH ROW EXECUTE FUNCTION deliberation_events_append_only();
CREATE TRIGGER deliberation_events_no_truncate BEFORE TRUNCATE ON deliberation_events
    FOR EACH STATEMENT EXECUTE FUNCTION deliberation_events_append_only();

ALTER TABLE users ADD COLUMN actor TEXT;
