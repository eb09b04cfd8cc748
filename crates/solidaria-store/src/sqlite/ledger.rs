//! The ledger on SQLite (schema in `migrations/sqlite/0005_ledger.sql`). A batch runs in one
//! `BEGIN IMMEDIATE` transaction: SQLite has one writer at a time, so balances read at its start
//! stay current until it commits.

use super::{SqliteStore, now};
use crate::StoreError;
use crate::ledger::{
    Batch, Check, FundBatch, Ledger, Outcome, Posted, Prior, Seen, Sums, add_entries, decode_entries, encode_entries,
    stored,
};
use rusqlite::{Connection, OptionalExtension, params};

fn sums(conn: &Connection, sql: &str, fund: &str, as_of: Option<&str>) -> Result<Sums, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![fund, as_of], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    let mut out = Sums::new();
    for row in rows {
        let (k, v) = row?;
        *out.entry(k).or_insert(0) += i128::from(v);
    }
    Ok(out)
}

fn prior(conn: &Connection, id: &str) -> Result<Option<Prior>, StoreError> {
    let row = conn
        .prepare_cached("SELECT doc, fund, entries FROM ledger_transactions WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
        .optional()?;
    let Some((doc, fund, entries)) = row else { return Ok(None) };
    let reversed = conn
        .prepare_cached("SELECT 1 FROM ledger_transactions WHERE reverses = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some();
    Ok(Some(Prior { doc, fund, entries: decode_entries(&entries)?, reversed }))
}

impl Ledger for SqliteStore {
    fn put_fund(&mut self, who: &str, id: &str, doc: &str) -> Result<bool, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: Option<String> =
            tx.query_row("SELECT doc FROM ledger_funds WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        if current.as_deref() == Some(doc) {
            return Ok(false);
        }
        if current.is_some() {
            let posted: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM ledger_transactions WHERE fund = ?1)", [id], |r| r.get(0))?;
            if posted {
                return Err(StoreError::Conflict(format!(
                    "fund {id} has postings: its definition is fixed (make a new fund for new terms)"
                )));
            }
        }
        let at = now(&tx)?;
        tx.execute(
            "INSERT INTO ledger_funds (id, doc, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            params![id, doc, who, at],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn fund_doc(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row("SELECT doc FROM ledger_funds WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    fn fund_docs(&mut self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT doc FROM ledger_funds ORDER BY id")?;
        let docs = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
        Ok(docs)
    }

    fn post(
        &mut self,
        who: &str,
        batches: &[FundBatch<'_>],
        check: &mut Check<'_>,
    ) -> Result<Vec<Vec<Outcome>>, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = now(&tx)?;
        let mut all = Vec::with_capacity(batches.len());
        let mut ok = true;
        // Earlier postings of the whole call, for reversals and repeated ids across batches.
        let mut seen = Seen::default();
        // Prepared once for the call (looking a statement up in the cache hashes its text).
        // Who and when are the same for every row: bound once, the rest bound row by row.
        let mut insert = tx.prepare_cached(
            "INSERT INTO ledger_transactions (id, fund, date, kind, reverses, flow_kind, flow_amount, doc, entries, evidence, who, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (id) DO NOTHING",
        )?;
        insert.raw_bind_parameter(11, who)?;
        insert.raw_bind_parameter(12, &at)?;
        let mut fund_exists = tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM ledger_funds WHERE id = ?1)")?;
        for (f, batch) in batches.iter().enumerate() {
            let fund = batch.fund;
            let exists: bool = fund_exists.query_row([fund], |r| r.get(0))?;
            if !exists {
                return Err(StoreError::Conflict(format!("no fund {fund}")));
            }
            let balances =
                sums(&tx, "SELECT account, balance FROM ledger_balances WHERE fund = ?1 AND ?2 IS NULL", fund, None)?;
            let mut b = Batch::new(balances, seen);
            for (i, p) in batch.postings.iter().enumerate() {
                // A repeated id: earlier in this call, or (looked up only when the posting cannot
                // be written straight away) already in the ledger.
                if let Some(o) = b.repeated(p) {
                    b.push(o);
                    continue;
                }
                let stored_doc = |tx: &rusqlite::Transaction<'_>| -> Result<Option<String>, StoreError> {
                    Ok(tx
                        .prepare_cached("SELECT doc FROM ledger_transactions WHERE id = ?1")?
                        .query_row([p.id], |r| r.get::<_, String>(0))
                        .optional()?)
                };
                let prior = match p.of {
                    None => None,
                    Some(of) => match b.earlier_prior(of) {
                        Some(e) => Some(e),
                        None => b.seen(of, prior(&tx, of)?),
                    },
                };
                let decision = match check(f, i, &b.balances, prior.as_ref()) {
                    Ok(d) => d,
                    Err(why) => {
                        b.push(match stored_doc(&tx)? {
                            Some(doc) if doc == p.doc => Outcome::Unchanged,
                            Some(doc) => Outcome::Conflict(doc),
                            None => Outcome::Refused(why),
                        });
                        continue;
                    }
                };
                if ok && b.ok() {
                    insert.raw_bind_parameter(1, p.id)?;
                    insert.raw_bind_parameter(2, fund)?;
                    insert.raw_bind_parameter(3, p.date)?;
                    insert.raw_bind_parameter(4, p.kind)?;
                    insert.raw_bind_parameter(5, p.of)?;
                    insert.raw_bind_parameter(6, decision.flow_kind)?;
                    insert.raw_bind_parameter(7, decision.flow_amount)?;
                    insert.raw_bind_parameter(8, &p.doc)?;
                    insert.raw_bind_parameter(9, encode_entries(&decision.entries))?;
                    insert.raw_bind_parameter(10, decision.evidence.as_deref())?;
                    let inserted = insert.raw_execute()?;
                    if inserted == 0 {
                        let doc = stored_doc(&tx)?.unwrap_or_default();
                        b.push(if doc == p.doc { Outcome::Unchanged } else { Outcome::Conflict(doc) });
                        continue;
                    }
                } else if let Some(doc) = stored_doc(&tx)? {
                    b.push(if doc == p.doc { Outcome::Unchanged } else { Outcome::Conflict(doc) });
                    continue;
                }
                b.accept(p, fund, decision);
            }
            ok &= b.ok();
            if ok {
                let mut up = tx.prepare_cached(
                    "INSERT INTO ledger_balances (fund, account, balance) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (fund, account) DO UPDATE SET balance = excluded.balance",
                )?;
                for (account, balance) in b.changed() {
                    up.execute(params![fund, account, stored(balance)?])?;
                }
            }
            let (outcomes, next) = b.finish();
            seen = next;
            all.push(outcomes);
        }
        drop((insert, fund_exists));
        if ok {
            tx.commit()?;
        }
        Ok(all)
    }

    fn balances(&mut self, fund: &str, as_of: Option<&str>) -> Result<Sums, StoreError> {
        match as_of {
            None => sums(
                &self.conn,
                "SELECT account, balance FROM ledger_balances WHERE fund = ?1 AND ?2 IS NULL",
                fund,
                None,
            ),
            Some(d) => {
                let mut out = Sums::new();
                let mut stmt = self
                    .conn
                    .prepare_cached("SELECT entries FROM ledger_transactions WHERE fund = ?1 AND date <= ?2")?;
                let mut rows = stmt.query(params![fund, d])?;
                while let Some(row) = rows.next()? {
                    add_entries(&mut out, row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?)?;
                }
                Ok(out)
            }
        }
    }

    fn flows(&mut self, fund: &str, as_of: Option<&str>) -> Result<Sums, StoreError> {
        sums(
            &self.conn,
            "SELECT flow_kind, SUM(flow_amount) FROM ledger_transactions \
             WHERE fund = ?1 AND (?2 IS NULL OR date <= ?2) GROUP BY flow_kind",
            fund,
            as_of,
        )
    }

    fn postings(&mut self, fund: &str) -> Result<Vec<Posted>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, doc, evidence, who, at FROM ledger_transactions WHERE fund = ?1 ORDER BY seq")?;
        let rows = stmt
            .query_map([fund], |r| {
                Ok(Posted { seq: r.get(0)?, doc: r.get(1)?, evidence: r.get(2)?, who: r.get(3)?, at: r.get(4)? })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
