-- Full-text search over actors, their claims as rows, and facet counts kept up to date.
--
-- `actors_fts` is a contentless FTS5 index (the text is not stored twice): its rowid is the
-- audit-log row of the actor's current version (`actors.seq`), whose `after` holds the record,
-- so a match leads to the record by primary key. The indexed text is every string of the record
-- (name, description, legal form, claims, fact values, sources and notes), folded to lower case
-- without diacritics, followed by a word for each facet value, so that a search with text and
-- filters is answered by the index alone; the store writes it with each version of an actor (computing it from the
-- record in Rust costs far less than walking the JSON in SQL: see BENCHMARKS.md).
CREATE VIRTUAL TABLE actors_fts USING fts5(
    text,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The claims of each actor as a JSON array (NULL when none), for the claims filter and facet.
ALTER TABLE actors ADD COLUMN claims TEXT;

CREATE TABLE actor_claims (
    actor TEXT NOT NULL,
    claim TEXT NOT NULL,
    PRIMARY KEY (claim, actor)
) WITHOUT ROWID;
CREATE INDEX actor_claims_actor ON actor_claims (actor);

-- How many actors share each combination of category, legal-form family, territory and claims
-- ('' for none): the facets of any browse without text are sums over these few rows instead of
-- a count over every actor. The store keeps `actor_claims` and `actor_groups` with every write of
-- an actor, in Rust rather than triggers: a statement that fires triggers opens a savepoint, and
-- FTS5 flushes its pending index to disk at every savepoint (measured: import 5x slower).
CREATE TABLE actor_groups (
    category  TEXT NOT NULL,
    family    TEXT NOT NULL,
    territory TEXT NOT NULL,
    claims    TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (category, family, territory, claims)
) WITHOUT ROWID;

-- The actors already there.
UPDATE actors SET claims = (
    SELECT CASE WHEN json_array_length(l.after, '$.claims') > 0 THEN json(json_extract(l.after, '$.claims')) END
    FROM audit_log l WHERE l.seq = actors.seq
);
INSERT INTO actor_claims (actor, claim) SELECT r.id, c.value FROM actors r, json_each(COALESCE(r.claims, '[]')) c;
INSERT INTO actor_groups (category, family, territory, claims, n)
    SELECT COALESCE(category, ''), COALESCE(family, ''), COALESCE(territory, ''), COALESCE(claims, ''), count(*)
    FROM actors GROUP BY 1, 2, 3, 4;
-- The text, then the facet words (see `search::facet_token`: zz, a letter, the value in hex).
INSERT INTO actors_fts (rowid, text)
    SELECT r.seq,
        COALESCE((SELECT group_concat(t.value, ' ') FROM json_tree(l.after) t WHERE t.type = 'text'), '')
        || COALESCE(' zzc' || lower(hex(lower(r.category))), '')
        || COALESCE(' zzf' || lower(hex(lower(r.family))), '')
        || COALESCE(' zzt' || lower(hex(lower(r.territory))), '')
        || COALESCE((SELECT ' ' || group_concat('zzk' || lower(hex(lower(c.value))), ' ') FROM json_each(r.claims) c), '')
    FROM actors r JOIN audit_log l ON l.seq = r.seq;

-- Browsing in name order with filters walks this index and reads the filtered columns from it,
-- never from the table (it replaces the name-only index).
DROP INDEX actors_sort_name;
CREATE INDEX actors_browse ON actors (sort_name, category, family, territory);
