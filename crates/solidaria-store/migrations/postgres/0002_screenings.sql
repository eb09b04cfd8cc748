-- Screening history: every saved screening with the profile version and the facts it read, so a
-- verdict can be reproduced and explained later. Append-only, like the audit log.
CREATE TABLE screenings (
    seq             BIGSERIAL PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    who             TEXT NOT NULL,
    subject         TEXT NOT NULL,
    profile         TEXT NOT NULL,
    profile_version TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    doc             JSONB NOT NULL
);
CREATE INDEX screenings_subject ON screenings (subject, profile, seq);

CREATE FUNCTION screenings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'screenings are append-only';
END;
$$;
CREATE TRIGGER screenings_no_change BEFORE UPDATE OR DELETE ON screenings
    FOR EACH ROW EXECUTE FUNCTION screenings_append_only();
CREATE TRIGGER screenings_no_truncate BEFORE TRUNCATE ON screenings
    FOR EACH STATEMENT EXECUTE FUNCTION screenings_append_only();
