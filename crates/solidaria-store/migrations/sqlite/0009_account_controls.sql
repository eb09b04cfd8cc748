-- Accounts may be disabled and API tokens may be read-only (issue #18, item 15).
-- A disabled account cannot log in, and its sessions and API tokens stop working at once (the
-- sessions are deleted when it is disabled, the tokens are refused while it is); enabling it
-- again brings its tokens back (revoking is what ends a token for good). A read-only token's
-- writes are refused by the web app.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE api_tokens ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0 CHECK (read_only IN (0, 1));
