-- Accounts, sessions, API tokens, the moderation queue and the log of account events.
-- Secrets are never stored: passwords as argon2id PHC strings, session and API tokens as the
-- SHA-256 of a random 256-bit value (only its holder knows the value).
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('contributor', 'moderator', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);

CREATE TABLE api_tokens (
    id         BIGSERIAL PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ
);

-- A proposed change waits here until a moderator decides. `doc` is the proposed record (none
-- for a deletion), `base` the record as it was when proposed (none for a creation).
CREATE TABLE proposals (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    proposer    TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('upsert', 'delete')),
    doc         JSONB,
    base        JSONB,
    note        TEXT,
    state       TEXT NOT NULL CHECK (state IN ('pending', 'validated', 'rejected', 'duplicate')),
    decided_by  TEXT,
    decided_at  TIMESTAMPTZ,
    message     TEXT
);
CREATE INDEX proposals_state ON proposals (state, id);

-- Append-only log of what accounts did that is not a record change.
CREATE TABLE account_events (
    seq     BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    who     TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT
);
CREATE FUNCTION account_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'account_events is append-only';
END;
$$;
CREATE TRIGGER account_events_no_change BEFORE UPDATE OR DELETE ON account_events
    FOR EACH ROW EXECUTE FUNCTION account_events_append_only();
CREATE TRIGGER account_events_no_truncate BEFORE TRUNCATE ON account_events
    FOR EACH STATEMENT EXECUTE FUNCTION account_events_append_only();
