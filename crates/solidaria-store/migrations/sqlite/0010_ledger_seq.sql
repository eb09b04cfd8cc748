-- Ledger order without AUTOINCREMENT: AUTOINCREMENT reads and rewrites `sqlite_sequence` on every
-- insert (about 8 % of posting a million transactions). Rows of the ledger are never deleted
-- (the triggers refuse it), so a plain INTEGER PRIMARY KEY (the largest key plus one) gives the
-- same ever-increasing order; a batch that is rolled back takes back its keys either way.
-- The table is rebuilt as SQLite requires; rows keep their seq.
DROP TRIGGER ledger_transactions_no_update;
DROP TRIGGER ledger_transactions_no_delete;

CREATE TABLE ledger_transactions_new (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    fund        TEXT NOT NULL REFERENCES ledger_funds (id),
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    reverses    TEXT,
    flow_kind   TEXT NOT NULL,
    flow_amount INTEGER NOT NULL,
    doc         TEXT NOT NULL,
    -- The double entries, as JSON: [[account, signed minor units], …] (debits positive).
    entries     TEXT NOT NULL,
    evidence    TEXT,
    who         TEXT NOT NULL,
    at          TEXT NOT NULL
);
INSERT INTO ledger_transactions_new (seq, id, fund, date, kind, reverses, flow_kind, flow_amount, doc, entries, evidence, who, at)
    SELECT seq, id, fund, date, kind, reverses, flow_kind, flow_amount, doc, entries, evidence, who, at
    FROM ledger_transactions ORDER BY seq;
DROP TABLE ledger_transactions;
DELETE FROM sqlite_sequence WHERE name = 'ledger_transactions';
ALTER TABLE ledger_transactions_new RENAME TO ledger_transactions;

CREATE INDEX ledger_transactions_fund ON ledger_transactions (fund, date);
-- A transaction is reversed at most once; most rows reverse nothing and stay out of the index.
CREATE UNIQUE INDEX ledger_transactions_reverses ON ledger_transactions (reverses) WHERE reverses IS NOT NULL;

CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: post a reversal'); END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: post a reversal'); END;
