//! The ledger on PostgreSQL (schema in `migrations/postgres/0005_ledger.sql`). A batch locks its
//! fund's row (`SELECT … FOR UPDATE`) before reading the balances, so concurrent writers of one
//! fund run one after the other and each check sees the balances the previous one left.

use super::PgStore;
use crate::StoreError;
use crate::ledger::{
    Batch, Check, FundBatch, Ledger, Outcome, Posted, Prior, Seen, Sums, add_entries, decode_entries, encode_entries,
    stored,
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
        batches: &[FundBatch<'_>],
        check: &mut Check<'_>,
    ) -> Result<Vec<Vec<Outcome>>, StoreError> {
        let mut tx = self.client.transaction()?;
        // Lock every fund first, in id order, so that two writers never wait on each other.
        let mut funds: Vec<&str> = batches.iter().map(|b| b.fund).collect();
        funds.sort_unstable();
        funds.dedup();
        let locked = tx.query("SELECT id FROM ledger_funds WHERE id = ANY($1) ORDER BY id FOR UPDATE", &[&funds])?;
        if locked.len() < funds.len() {
            let found: std::collections::HashSet<String> = locked.iter().map(|r| r.get(0)).collect();
            let missing = funds.iter().find(|f| !found.contains(**f)).copied().unwrap_or_default();
            return Err(StoreError::Conflict(format!("no fund {missing}")));
        }
        // What the checks need, read in a few round trips for the whole call rather than per
        // posting: the funds' balances, the ids already posted, and the transactions reversed.
        let mut balances: std::collections::HashMap<String, Sums> = std::collections::HashMap::new();
        for row in tx.query("SELECT fund, account, balance FROM ledger_balances WHERE fund = ANY($1)", &[&funds])? {
            let (fund, account, balance): (String, String, i64) = (row.get(0), row.get(1), row.get(2));
            balances.entry(fund).or_default().insert(account, i128::from(balance));
        }
        let ids: Vec<&str> = batches.iter().flat_map(|b| b.postings.iter().map(|p| p.id)).collect();
        let existing: std::collections::HashMap<String, String> = tx
            .query("SELECT id, doc FROM ledger_transactions WHERE id = ANY($1)", &[&ids])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let reversed_ids: Vec<&str> = batches.iter().flat_map(|b| b.postings.iter().filter_map(|p| p.of)).collect();
        let mut priors: std::collections::HashMap<String, Prior> = std::collections::HashMap::new();
        if !reversed_ids.is_empty() {
            let already: std::collections::HashSet<String> = tx
                .query("SELECT reverses FROM ledger_transactions WHERE reverses = ANY($1)", &[&reversed_ids])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            for r in
                tx.query("SELECT id, doc, fund, entries FROM ledger_transactions WHERE id = ANY($1)", &[&reversed_ids])?
            {
                let id: String = r.get(0);
                let entries: String = r.get(3);
                let reversed = already.contains(&id);
                priors
                    .insert(id, Prior { doc: r.get(1), fund: r.get(2), entries: decode_entries(&entries)?, reversed });
            }
        }
        let mut rows: Vec<[Option<String>; 10]> = Vec::new();
        let mut all = Vec::with_capacity(batches.len());
        let mut ok = true;
        let mut seen = Seen::default();
        let mut new_balances: Vec<(String, String, i64)> = Vec::new();
        for (f, batch) in batches.iter().enumerate() {
            let fund = batch.fund;
            let mut b = Batch::new(balances.remove(fund).unwrap_or_default(), seen);
            for (i, p) in batch.postings.iter().enumerate() {
                let known = match b.seen.earlier.get(p.id) {
                    Some(e) => Some(e.doc),
                    None => existing.get(p.id).map(String::as_str),
                };
                if let Some(doc) = known {
                    b.push(if doc == p.doc { Outcome::Unchanged } else { Outcome::Conflict(doc.to_string()) });
                    continue;
                }
                let prior = match p.of {
                    None => None,
                    Some(of) => match b.earlier_prior(of) {
                        Some(e) => Some(e),
                        None => b.seen(of, priors.get(of).cloned()),
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
                    rows.push([
                        Some(p.id.to_string()),
                        Some(fund.to_string()),
                        Some(p.date.to_string()),
                        Some(p.kind.to_string()),
                        p.of.map(str::to_string),
                        Some(decision.flow_kind.to_string()),
                        Some(decision.flow_amount.to_string()),
                        Some(p.doc.clone()),
                        Some(encode_entries(&decision.entries)),
                        decision.evidence.clone(),
                    ]);
                }
                b.accept(p, fund, decision);
            }
            ok &= b.ok();
            if ok {
                for (account, balance) in b.changed() {
                    new_balances.push((fund.to_string(), account.clone(), stored(balance)?));
                }
            }
            // A fund named again later in the call goes on from these balances.
            balances.insert(fund.to_string(), std::mem::take(&mut b.balances));
            let (outcomes, next) = b.finish();
            seen = next;
            all.push(outcomes);
        }
        if !ok {
            return Ok(all);
        }
        // The postings in one statement per 10,000 (arrays of columns, unnested), in call order.
        for chunk in rows.chunks(10_000) {
            let col = |k: usize| -> Vec<Option<&str>> { chunk.iter().map(|r| r[k].as_deref()).collect() };
            let cols: Vec<Vec<Option<&str>>> = (0..10).map(col).collect();
            tx.execute(
                "INSERT INTO ledger_transactions (id, fund, date, kind, reverses, flow_kind, flow_amount, doc, entries, evidence, who) \
                 SELECT id, fund, date, kind, reverses, flow_kind, flow_amount::BIGINT, doc, entries, evidence, $11 \
                 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) \
                 WITH ORDINALITY AS t (id, fund, date, kind, reverses, flow_kind, flow_amount, doc, entries, evidence, n) ORDER BY n",
                &[&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &cols[6], &cols[7], &cols[8], &cols[9], &who],
            )?;
        }
        if !new_balances.is_empty() {
            let f: Vec<&str> = new_balances.iter().map(|b| b.0.as_str()).collect();
            let a: Vec<&str> = new_balances.iter().map(|b| b.1.as_str()).collect();
            let v: Vec<i64> = new_balances.iter().map(|b| b.2).collect();
            tx.execute(
                "INSERT INTO ledger_balances (fund, account, balance) SELECT * FROM UNNEST($1::text[], $2::text[], $3::bigint[]) \
                 ON CONFLICT (fund, account) DO UPDATE SET balance = excluded.balance",
                &[&f, &a, &v],
            )?;
        }
        tx.commit()?;
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
