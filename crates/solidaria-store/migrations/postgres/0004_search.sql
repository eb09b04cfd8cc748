-- Full-text search over actors: every string of the record (name, description, legal form,
-- claims, fact values, sources and notes) as a `simple` tsvector (lower-cased, no stemming, so
-- that names in any language match as written), kept by PostgreSQL itself (a stored generated
-- column) and indexed with GIN; claims kept as a column (written by the store, like SQLite's)
-- and indexed through the document for their filter.
ALTER TABLE actors
    ADD COLUMN search tsvector GENERATED ALWAYS AS (jsonb_to_tsvector('simple'::regconfig, doc, '["string"]')) STORED;
ALTER TABLE actors ADD COLUMN claims TEXT;
UPDATE actors SET claims = (doc -> 'claims')::text WHERE jsonb_array_length(COALESCE(doc -> 'claims', '[]')) > 0;
CREATE INDEX actors_search ON actors USING gin (search);
CREATE INDEX actors_claims ON actors USING gin ((doc -> 'claims'));
CREATE INDEX actors_category ON actors (category);
CREATE INDEX actors_family ON actors (family);
