-- Financial mechanisms (see the SQLite migration of the same number).
CREATE TABLE mechanisms (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    provider  TEXT NOT NULL,
    territory TEXT,
    doc       JSONB NOT NULL
);
CREATE INDEX mechanisms_provider ON mechanisms (provider);
