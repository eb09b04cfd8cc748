-- The append-only audit log is the store of record: each change writes one row holding the record
-- after the change (canonical JSON) and a link to the row that held it before. The registry tables
-- are indexes over it: filter columns plus `seq`, the audit row holding the current version.
-- Keeping each version once (not in both a table and the log) halves what a bulk import writes.
-- `seq` and `before_seq` are written by the store in the same transaction as the row they point
-- from; they carry no FOREIGN KEY clause because SQLite would then keep a statement journal for
-- every insert (measured: a quarter of bulk-import time). The registry tables are WITHOUT ROWID:
-- their rows are small, and the primary key is then the only B-tree to update.
-- Append-only audit log: one row per change.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    who         TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    record_type TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    before_seq  INTEGER,
    after       TEXT
);

CREATE TABLE actors (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    category  TEXT,
    family    TEXT,
    territory TEXT,
    seq       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX actors_territory ON actors (territory);
-- Listing order: `sort_name` is the name lower-cased in Rust (Unicode-aware) and compared as
-- bytes; a NOCASE index cost 30 % of bulk-import time and folds ASCII letters only.
CREATE INDEX actors_sort_name ON actors (sort_name);

CREATE TABLE relations (
    id      TEXT PRIMARY KEY,
    from_id TEXT NOT NULL REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED,
    kind    TEXT NOT NULL,
    to_id   TEXT NOT NULL REFERENCES actors (id) DEFERRABLE INITIALLY DEFERRED,
    seq     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX relations_from ON relations (from_id);
CREATE INDEX relations_to ON relations (to_id);

CREATE TABLE territories (
    id     TEXT PRIMARY KEY,
    name   TEXT,
    parent TEXT,
    seq    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE cases (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    territory TEXT,
    seq       INTEGER NOT NULL
) WITHOUT ROWID;

-- No index on (record_type, record_key): a record's history is the chain of `before_seq` links
-- from its current version, or from its last deletion (table `deletions`, written only on
-- delete). The index cost 14 % of bulk-import time (BENCHMARKS.md).
CREATE TABLE deletions (
    record_type TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (record_type, record_key)
) WITHOUT ROWID;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
