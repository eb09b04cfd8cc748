-- Screening history: every saved screening with the profile version and the facts it read, so a
-- verdict can be reproduced and explained later. Append-only, like the audit log.
CREATE TABLE screenings (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    at              TEXT NOT NULL,
    who             TEXT NOT NULL,
    subject         TEXT NOT NULL,
    profile         TEXT NOT NULL,
    profile_version TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    doc             TEXT NOT NULL
);
CREATE INDEX screenings_subject ON screenings (subject, profile, seq);

CREATE TRIGGER screenings_no_update BEFORE UPDATE ON screenings
BEGIN SELECT RAISE(ABORT, 'screenings are append-only'); END;
CREATE TRIGGER screenings_no_delete BEFORE DELETE ON screenings
BEGIN SELECT RAISE(ABORT, 'screenings are append-only'); END;
