-- The social-finance ledger: fund definitions, transactions with their double entries (kept on
-- the transaction's row: one row per posting is what makes bulk posting fast), and the running
-- balance of each fund's accounts (kept in the posting's own transaction). Append-only: a
-- correction is a reversal.
CREATE TABLE ledger_funds (
    id         TEXT PRIMARY KEY,
    doc        TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE ledger_transactions (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE INDEX ledger_transactions_fund ON ledger_transactions (fund, date);
-- A transaction is reversed at most once; most rows reverse nothing and stay out of the index.
CREATE UNIQUE INDEX ledger_transactions_reverses ON ledger_transactions (reverses) WHERE reverses IS NOT NULL;

CREATE TABLE ledger_balances (
    fund    TEXT NOT NULL,
    account TEXT NOT NULL,
    balance INTEGER NOT NULL,
    PRIMARY KEY (fund, account)
) WITHOUT ROWID;

CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: post a reversal'); END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: post a reversal'); END;
