-- Merges of duplicate actors (see the SQLite migration of the same number).
CREATE TABLE merges (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    who         TEXT NOT NULL,
    keep_id     TEXT NOT NULL,
    absorbed_id TEXT NOT NULL,
    doc         JSONB NOT NULL,
    undone_at   TIMESTAMPTZ,
    undone_by   TEXT
);
CREATE INDEX merges_absorbed ON merges (absorbed_id, id);
