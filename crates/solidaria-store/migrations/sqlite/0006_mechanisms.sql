-- Financial mechanisms (issue #15): a registry table like `cases`, an index over the audit log
-- (`seq` is the audit row holding the current version). `provider` is the actor that offers the
-- mechanism; import checks it exists, as it checks a case's actors.
CREATE TABLE mechanisms (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    provider  TEXT NOT NULL,
    territory TEXT,
    seq       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX mechanisms_provider ON mechanisms (provider);
