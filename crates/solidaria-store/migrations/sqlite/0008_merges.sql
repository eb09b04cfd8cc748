-- Merges of duplicate actors (issue #14): one row per merge, with the before-images of every
-- record it changed, the merged record and the keys it created (doc, JSON), so that it can be
-- undone exactly; the absorbed id of a merge not undone leads to the kept actor (old links).
CREATE TABLE merges (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    who         TEXT NOT NULL,
    keep_id     TEXT NOT NULL,
    absorbed_id TEXT NOT NULL,
    doc         TEXT NOT NULL,
    undone_at   TEXT,
    undone_by   TEXT
);
CREATE INDEX merges_absorbed ON merges (absorbed_id, id);
