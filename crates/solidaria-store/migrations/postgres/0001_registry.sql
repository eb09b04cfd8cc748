-- Registry tables. Each record is kept whole as canonical JSON in `doc`; the other columns are
-- copies of fields used for filtering, written from the same record in the same statement.
CREATE TABLE actors (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    category  TEXT,
    family    TEXT,
    territory TEXT,
    doc       JSONB NOT NULL
);
CREATE INDEX actors_territory ON actors (territory);
-- Listing order: the name lower-cased by Solidaria, compared byte-wise (COLLATE "C") so that both
-- backends list in the same order whatever the database's locale.
CREATE INDEX actors_sort_name ON actors (sort_name COLLATE "C");

CREATE TABLE relations (
    id      TEXT PRIMARY KEY,
    from_id TEXT NOT NULL REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED,
    kind    TEXT NOT NULL,
    to_id   TEXT NOT NULL REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED,
    doc     JSONB NOT NULL
);
CREATE INDEX relations_from ON relations (from_id);
CREATE INDEX relations_to ON relations (to_id);

CREATE TABLE territories (
    id     TEXT PRIMARY KEY,
    name   TEXT,
    parent TEXT,
    doc    JSONB NOT NULL
);

CREATE TABLE cases (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    territory TEXT,
    doc       JSONB NOT NULL
);

-- Append-only audit log: one row per change, with the record before and after.
CREATE TABLE audit_log (
    seq         BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    who         TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    record_type TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    before      JSONB,
    after       JSONB
);
CREATE INDEX audit_log_record ON audit_log (record_type, record_key);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
