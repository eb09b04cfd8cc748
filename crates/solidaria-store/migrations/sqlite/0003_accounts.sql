-- Accounts, sessions, API tokens, the moderation queue and the log of account events.
-- Secrets are never stored: passwords as argon2id PHC strings, session and API tokens as the
-- SHA-256 of a random 256-bit value (only its holder knows the value).
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('contributor', 'moderator', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- A proposed change waits here until a moderator decides. `doc` is the proposed record (none
-- for a deletion), `base` the record as it was when proposed (none for a creation), so the
-- moderator sees both what changes and whether the record moved on since.
CREATE TABLE proposals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    proposer    TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('upsert', 'delete')),
    doc         TEXT,
    base        TEXT,
    note        TEXT,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'validated', 'rejected', 'duplicate')),
    decided_by  TEXT,
    decided_at  TEXT,
    message     TEXT
);
CREATE INDEX proposals_state ON proposals (state, id);

-- Append-only log of what accounts did that is not a record change: users added, roles changed,
-- tokens issued or revoked, proposals made and decided, logins.
CREATE TABLE account_events (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    who     TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT
);
CREATE TRIGGER account_events_no_update BEFORE UPDATE ON account_events
BEGIN SELECT RAISE(ABORT, 'account_events is append-only'); END;
CREATE TRIGGER account_events_no_delete BEFORE DELETE ON account_events
BEGIN SELECT RAISE(ABORT, 'account_events is append-only'); END;
