-- The social-finance ledger (see the SQLite migration of the same number). Postings of a fund
-- lock its row (SELECT … FOR UPDATE), so concurrent writers of one fund are serialised.
CREATE TABLE ledger_funds (
    id         TEXT PRIMARY KEY,
    doc        TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE ledger_transactions (
    seq         BIGSERIAL PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    fund        TEXT NOT NULL REFERENCES ledger_funds (id),
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    reverses    TEXT,
    flow_kind   TEXT NOT NULL,
    flow_amount BIGINT NOT NULL,
    doc         TEXT NOT NULL,
    -- The double entries, as JSON: [[account, signed minor units], …] (debits positive).
    entries     TEXT NOT NULL,
    evidence    TEXT,
    who         TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_transactions_fund ON ledger_transactions (fund, date);
-- A transaction is reversed at most once; most rows reverse nothing and stay out of the index.
CREATE UNIQUE INDEX ledger_transactions_reverses ON ledger_transactions (reverses) WHERE reverses IS NOT NULL;

CREATE TABLE ledger_balances (
    fund    TEXT NOT NULL,
    account TEXT NOT NULL,
    balance BIGINT NOT NULL,
    PRIMARY KEY (fund, account)
);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: post a reversal';
END $$;
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
