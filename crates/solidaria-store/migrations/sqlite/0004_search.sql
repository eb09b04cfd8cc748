-- Full-text search over actors, and their claims as rows (for the claims facet and filter).
--
-- `actors_fts` is a contentless FTS5 index (the text is not stored twice): its rowid is the
-- audit-log row of the actor's current version (`actors.seq`), whose `after` holds the record,
-- so a match leads to the record by primary key. The indexed text is every string of the record
-- (name, description, legal form, claims, fact values, sources and notes), folded to lower case
-- without diacritics. Triggers on `actors` keep both tables in step with every write, imports
-- included, in the same transaction.
CREATE VIRTUAL TABLE actors_fts USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE actor_claims (
    actor TEXT NOT NULL,
    claim TEXT NOT NULL,
    PRIMARY KEY (claim, actor)
) WITHOUT ROWID;
CREATE INDEX actor_claims_actor ON actor_claims (actor);

CREATE TRIGGER actors_search_insert AFTER INSERT ON actors
BEGIN
    INSERT INTO actors_fts (rowid, text)
        SELECT NEW.seq, group_concat(t.value, ' ') FROM audit_log l, json_tree(l.after) t
        WHERE l.seq = NEW.seq AND t.type = 'text';
    INSERT INTO actor_claims (actor, claim)
        SELECT NEW.id, c.value FROM audit_log l, json_each(l.after, '$.claims') c WHERE l.seq = NEW.seq;
END;

CREATE TRIGGER actors_search_update AFTER UPDATE OF seq ON actors
BEGIN
    DELETE FROM actors_fts WHERE rowid = OLD.seq;
    INSERT INTO actors_fts (rowid, text)
        SELECT NEW.seq, group_concat(t.value, ' ') FROM audit_log l, json_tree(l.after) t
        WHERE l.seq = NEW.seq AND t.type = 'text';
    DELETE FROM actor_claims WHERE actor = OLD.id;
    INSERT INTO actor_claims (actor, claim)
        SELECT NEW.id, c.value FROM audit_log l, json_each(l.after, '$.claims') c WHERE l.seq = NEW.seq;
END;

CREATE TRIGGER actors_search_delete AFTER DELETE ON actors
BEGIN
    DELETE FROM actors_fts WHERE rowid = OLD.seq;
    DELETE FROM actor_claims WHERE actor = OLD.id;
END;

-- The actors already there.
INSERT INTO actors_fts (rowid, text)
    SELECT r.seq, (SELECT group_concat(t.value, ' ') FROM json_tree(l.after) t WHERE t.type = 'text')
    FROM actors r JOIN audit_log l ON l.seq = r.seq;
INSERT INTO actor_claims (actor, claim)
    SELECT r.id, c.value FROM actors r JOIN audit_log l ON l.seq = r.seq, json_each(l.after, '$.claims') c;

-- Facet counts group matches by these columns.
CREATE INDEX actors_category ON actors (category);
CREATE INDEX actors_family ON actors (family);
