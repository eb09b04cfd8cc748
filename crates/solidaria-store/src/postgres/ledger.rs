//! The ledger on PostgreSQL (schema in `migrations/postgres/0005_ledger.sql`). A batch locks its
//! fund's row (`SELECT … FOR UPDATE`) before reading the balances, so concurrent writers of one
//! fund run one after the other and each check sees the balances the previous one left.

use super::PgStore;
use crate::StoreError;
use crate::ledger::{
    Batch, Check, FundBatch, Ledger, Outcome, Posted, Prior, Sums, add_entries, decode_entries, encode_entries, stored,
};
use postgres::GenericClient;

fn sums(c: &mut impl GenericClient, sql: &str, fund: &str, as_of: Option<&str>) -> Result<Sums, StoreError> {
    let mut out = Sums::new();
    for row in c.query(sql, &[&fund, &as_of])? {
        let k: String = row.get(0);
        let v: i64 = row.get(1);
        *out.entry(k).or_insert(0) += i128::from(v);
    }
    Ok(out)
}

fn prior(c: &mut impl GenericClient, id: &str) -> Result<Option<Prior>, StoreError> {
    let Some(row) = c.query_opt("SELECT doc, fund, entries FROM ledger_transactions WHERE id = $1", &[&id])? else {
        return Ok(None);
    };
    let reversed = c.query_opt("SELECT 1 FROM ledger_transactions WHERE reverses = $1", &[&id])?.is_some();
    let entries: String = row.get(2);
    Ok(Some(Prior { doc: row.get(0), fund: row.get(1), entries: decode_entries(&entries)?, reversed }))
}

impl Ledger for PgStore {
    fn put_fund(&mut self, who: &str, id: &str, doc: &str) -> Result<bool, StoreError> {
        let mut tx = self.client.transaction()?;
        let current = tx.query_opt("SELECT doc FROM ledger_funds WHERE id = $1 FOR UPDATE", &[&id])?;
        let current: Option<String> = current.map(|r| r.get(0));
        if current.as_deref() == Some(doc) {
            return Ok(false);
        }
        if current.is_some()
            && tx.query_opt("SELECT 1 FROM ledger_transactions WHERE fund = $1 LIMIT 1", &[&id])?.is_some()
        {
            return Err(StoreError::Conflict(format!(
                "fund {id} has postings: its definition is fixed (make a new fund for new terms)"
            )));
        }
        tx.execute(
            "INSERT INTO ledger_funds (id, doc, updated_by) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, updated_by = excluded.updated_by, updated_at = now()",
            &[&id, &doc, &who],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn fund_doc(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self.client.query_opt("SELECT doc FROM ledger_funds WHERE id = $1", &[&id])?.map(|r| r.get(0)))
    }

    fn fund_docs(&mut self) -> Result<Vec<String>, StoreError> {
        Ok(self.client.query("SELECT doc FROM ledger_funds ORDER BY id", &[])?.iter().map(|r| r.get(0)).collect())
    }

    fn post(
        &mut self,
        who: &str,
        batches: &[FundBatch],
        check: &mut Check<'_>,
    ) -> Result<Vec<Vec<Outcome>>, StoreError> {
        let mut tx = self.client.transaction()?;
        // Lock every fund first, in id order, so that two writers never wait on each other.
        let mut ids: Vec<&str> = batches.iter().map(|b| b.fund.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        for id in &ids {
            if tx.query_opt("SELECT 1 FROM ledger_funds WHERE id = $1 FOR UPDATE", &[id])?.is_none() {
                return Err(StoreError::Conflict(format!("no fund {id}")));
            }
        }
        let insert_tx = tx.prepare(
            "INSERT INTO ledger_transactions (id, fund, date, kind, reverses, flow_kind, flow_amount, doc, entries, evidence, who) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )?;
        let mut all = Vec::with_capacity(batches.len());
        let mut ok = true;
        let mut earlier: std::collections::HashMap<String, Prior> = Default::default();
        let mut reversed: std::collections::BTreeSet<String> = Default::default();
        for (f, batch) in batches.iter().enumerate() {
            let fund = batch.fund.as_str();
            let balances = sums(
                &mut tx,
                "SELECT account, balance FROM ledger_balances WHERE fund = $1 AND $2::text IS NULL",
                fund,
                None,
            )?;
            let mut b = Batch::new(balances);
            b.earlier = std::mem::take(&mut earlier);
            b.reversed = std::mem::take(&mut reversed);
            for (i, p) in batch.postings.iter().enumerate() {
                let existing = match b.earlier.get(&p.id) {
                    Some(e) => Some(e.doc.clone()),
                    None => {
                        tx.query_opt("SELECT doc FROM ledger_transactions WHERE id = $1", &[&p.id])?.map(|r| r.get(0))
                    }
                };
                if let Some(doc) = existing {
                    b.push(if doc == p.doc { Outcome::Unchanged } else { Outcome::Conflict(doc) });
                    continue;
                }
                let prior = match &p.of {
                    None => None,
                    Some(of) => match b.earlier.get(of) {
                        Some(e) => Some(e.clone()),
                        None => b.seen(of, prior(&mut tx, of)?),
                    },
                };
                let decision = match check(f, i, &b.balances, prior.as_ref()) {
                    Ok(d) => d,
                    Err(why) => {
                        b.push(Outcome::Refused(why));
                        continue;
                    }
                };
                if ok && b.ok() {
                    let entries = encode_entries(&decision.entries);
                    tx.execute(
                        &insert_tx,
                        &[
                            &p.id,
                            &fund,
                            &p.date,
                            &p.kind,
                            &p.of,
                            &decision.flow_kind,
                            &decision.flow_amount,
                            &p.doc,
                            &entries,
                            &decision.evidence,
                            &who,
                        ],
                    )?;
                }
                b.accept(p, fund, decision);
            }
            ok &= b.ok();
            if ok {
                for (account, balance) in b.changed() {
                    let balance = stored(balance)?;
                    tx.execute(
                        "INSERT INTO ledger_balances (fund, account, balance) VALUES ($1, $2, $3) \
                         ON CONFLICT (fund, account) DO UPDATE SET balance = excluded.balance",
                        &[&fund, account, &balance],
                    )?;
                }
            }
            earlier = std::mem::take(&mut b.earlier);
            reversed = std::mem::take(&mut b.reversed);
            all.push(b.outcomes);
        }
        if ok {
            tx.commit()?;
        }
        Ok(all)
    }

    fn balances(&mut self, fund: &str, as_of: Option<&str>) -> Result<Sums, StoreError> {
        match as_of {
            None => sums(
                &mut self.client,
                "SELECT account, balance FROM ledger_balances WHERE fund = $1 AND $2::text IS NULL",
                fund,
                None,
            ),
            Some(d) => {
                let mut out = Sums::new();
                for row in self
                    .client
                    .query("SELECT entries FROM ledger_transactions WHERE fund = $1 AND date <= $2", &[&fund, &d])?
                {
                    add_entries(&mut out, row.get::<_, &str>(0))?;
                }
                Ok(out)
            }
        }
    }

    fn flows(&mut self, fund: &str, as_of: Option<&str>) -> Result<Sums, StoreError> {
        sums(
            &mut self.client,
            "SELECT flow_kind, SUM(flow_amount)::BIGINT FROM ledger_transactions \
             WHERE fund = $1 AND ($2::text IS NULL OR date <= $2) GROUP BY flow_kind",
            fund,
            as_of,
        )
    }

    fn postings(&mut self, fund: &str) -> Result<Vec<Posted>, StoreError> {
        let rows = self.client.query(
            "SELECT seq, doc, evidence, who, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') \
             FROM ledger_transactions WHERE fund = $1 ORDER BY seq",
            &[&fund],
        )?;
        Ok(rows
            .iter()
            .map(|r| Posted { seq: r.get(0), doc: r.get(1), evidence: r.get(2), who: r.get(3), at: r.get(4) })
            .collect())
    }
}
