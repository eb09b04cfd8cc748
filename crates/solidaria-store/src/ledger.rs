//! The storage half of the social-finance ledger: fund definitions, and postings written with
//! their entries in one database transaction, all or nothing, after a check that the caller gives
//! (the pure rules of `solidaria_core::finance::ledger`) runs on the balances read inside that
//! transaction. Writers of the same fund are serialised (SQLite: one writer at a time; PostgreSQL:
//! the fund's row is locked), so a check never runs on stale balances.
//!
//! The ledger is append-only (triggers refuse updates and deletions): a correction is a reversal.
//! A transaction id posted again with the same content is a no-op; with other content it is
//! refused. Amounts are whole minor units (`i64` per entry; balances and sums as `i128`).

use crate::StoreError;
use std::collections::BTreeMap;

/// Balances or totals by account or kind, in minor units.
pub type Sums = BTreeMap<String, i128>;

/// A transaction to post (its fields borrowed from the caller's parsed transaction: a call may
/// hold a million).
#[derive(Debug, Clone)]
pub struct Posting<'a> {
    /// Its id, unique across the ledger.
    pub id: &'a str,
    /// Its day, `YYYY-MM-DD`.
    pub date: &'a str,
    /// Its kind (`receipt`, `reversal`, …).
    pub kind: &'a str,
    /// For a reversal, the id of the transaction it reverses.
    pub of: Option<&'a str>,
    /// Its canonical JSON (compared when the id is posted again).
    pub doc: String,
}

/// A transaction already in the ledger (or earlier in the same batch), as a reversal's check needs.
#[derive(Debug, Clone)]
pub struct Prior {
    /// Its canonical JSON.
    pub doc: String,
    /// Its fund.
    pub fund: String,
    /// Its entries.
    pub entries: Vec<(String, i64)>,
    /// Whether a reversal of it is already posted.
    pub reversed: bool,
}

/// What the check decided for an accepted posting.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The entries (account, signed minor units; debits positive).
    pub entries: Vec<(String, i64)>,
    /// The kind it counts as in the flows (a reversal counts against the kind it reverses).
    pub flow_kind: &'static str,
    /// The signed amount it adds to that flow.
    pub flow_amount: i64,
    /// What was checked and found (the eligibility screening, as JSON), kept with the posting.
    pub evidence: Option<String>,
}

/// The check run on each posting: the index of its fund's batch and its index there, the fund's
/// balances at that point, and the transaction it reverses if any. `Err` is the refusal, in words.
pub type Check<'a> = dyn FnMut(usize, usize, &Sums, Option<&Prior>) -> Result<Decision, String> + 'a;

/// The postings of one fund.
#[derive(Debug, Clone)]
pub struct FundBatch<'a> {
    /// The fund.
    pub fund: &'a str,
    /// Its postings, in order.
    pub postings: Vec<Posting<'a>>,
}

/// What became of one posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written (or would be, had the batch been kept).
    Posted,
    /// Already in the ledger with the same content: nothing to do.
    Unchanged,
    /// The id is in the ledger with other content (given).
    Conflict(String),
    /// Refused by the check, with the reason.
    Refused(String),
}

/// A posted transaction as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    /// Ledger order.
    pub seq: i64,
    /// Canonical JSON.
    pub doc: String,
    /// The check's evidence.
    pub evidence: Option<String>,
    /// Who posted it.
    pub who: String,
    /// When (UTC).
    pub at: String,
}

/// The ledger's storage.
pub trait Ledger {
    /// Saves a fund definition (canonical JSON). Once the fund has postings its definition is
    /// fixed (`Conflict`): the rule a posting was checked under must stay the rule on record.
    /// Returns whether anything changed.
    fn put_fund(&mut self, who: &str, id: &str, doc: &str) -> Result<bool, StoreError>;

    /// A fund definition.
    fn fund_doc(&mut self, id: &str) -> Result<Option<String>, StoreError>;

    /// Every fund definition, by id.
    fn fund_docs(&mut self) -> Result<Vec<String>, StoreError>;

    /// Posts the transactions of one or more funds in one database transaction, all or nothing:
    /// kept only when every outcome is `Posted` or `Unchanged`. The funds are locked in id order.
    /// Returns the outcome of each posting, per fund batch, in order.
    fn post(
        &mut self,
        who: &str,
        batches: &[FundBatch<'_>],
        check: &mut Check<'_>,
    ) -> Result<Vec<Vec<Outcome>>, StoreError>;

    /// A fund's balances by account, counting postings up to `as_of` (a day) when given.
    fn balances(&mut self, fund: &str, as_of: Option<&str>) -> Result<Sums, StoreError>;

    /// A fund's flows by kind up to `as_of`.
    fn flows(&mut self, fund: &str, as_of: Option<&str>) -> Result<Sums, StoreError>;

    /// A fund's transactions in ledger order.
    fn postings(&mut self, fund: &str) -> Result<Vec<Posted>, StoreError>;
}

/// A transaction accepted earlier in the same call, borrowed from the call's postings (a call
/// may hold a million: nothing is copied but the entries, which the check made).
pub(crate) struct Earlier<'a> {
    /// Its canonical JSON.
    pub doc: &'a str,
    /// Its fund.
    fund: &'a str,
    /// Its entries.
    entries: Vec<(String, i64)>,
    /// Whether a reversal of it came later in the call.
    reversed: bool,
}

impl Earlier<'_> {
    /// As a reversal's check needs it (copied: reversals are few).
    pub(crate) fn to_prior(&self) -> Prior {
        Prior {
            doc: self.doc.to_string(),
            fund: self.fund.to_string(),
            entries: self.entries.clone(),
            reversed: self.reversed,
        }
    }
}

/// Transactions accepted earlier in a call, by id, and the ids this call reversed; carried from
/// one fund's batch to the next.
#[derive(Default)]
pub(crate) struct Seen<'a> {
    /// Transactions posted earlier in this call, by id.
    pub earlier: ahash::AHashMap<&'a str, Earlier<'a>>,
    /// Ids reversed by postings of this call (which may not be written yet).
    reversed: ahash::AHashSet<&'a str>,
}

/// The in-memory part of a batch, common to both backends.
pub(crate) struct Batch<'a> {
    /// Balances as the batch goes.
    pub balances: Sums,
    /// What the call accepted before (in this batch or an earlier one).
    pub seen: Seen<'a>,
    /// Outcomes so far.
    pub outcomes: Vec<Outcome>,
    /// Whether an outcome so far was neither posted nor unchanged (kept, not recomputed: a batch
    /// may hold a million postings).
    failed: bool,
    /// The balances at the start, to write back only the accounts that changed.
    start: Sums,
}

impl<'a> Batch<'a> {
    pub(crate) fn new(balances: Sums, seen: Seen<'a>) -> Self {
        Batch { start: balances.clone(), balances, seen, outcomes: Vec::new(), failed: false }
    }

    /// Whether everything so far posted or was unchanged.
    pub(crate) fn ok(&self) -> bool {
        !self.failed
    }

    /// Records an outcome.
    pub(crate) fn push(&mut self, o: Outcome) {
        self.failed |= !matches!(o, Outcome::Posted | Outcome::Unchanged);
        self.outcomes.push(o);
    }

    /// The outcome of a posting whose id was accepted earlier in the call, if it was.
    pub(crate) fn repeated(&self, p: &Posting<'_>) -> Option<Outcome> {
        self.seen
            .earlier
            .get(p.id)
            .map(|e| if e.doc == p.doc { Outcome::Unchanged } else { Outcome::Conflict(e.doc.to_string()) })
    }

    /// The transaction a reversal reverses when this call posted it, as its check needs it.
    pub(crate) fn earlier_prior(&self, of: &str) -> Option<Prior> {
        self.seen.earlier.get(of).map(Earlier::to_prior)
    }

    /// The accounts whose balance changed, with their new balance.
    pub(crate) fn changed(&self) -> impl Iterator<Item = (&String, i128)> {
        self.balances.iter().filter(|(k, v)| self.start.get(*k) != Some(v)).map(|(k, v)| (k, *v))
    }

    /// Applies an accepted posting's entries and remembers it for later reversals in the call.
    pub(crate) fn accept(&mut self, p: &'a Posting<'a>, fund: &'a str, d: Decision) {
        for (account, amount) in &d.entries {
            match self.balances.get_mut(account) {
                Some(b) => *b += i128::from(*amount),
                None => {
                    self.balances.insert(account.clone(), i128::from(*amount));
                }
            }
        }
        if let Some(of) = p.of {
            self.seen.reversed.insert(of);
            if let Some(prior) = self.seen.earlier.get_mut(of) {
                prior.reversed = true;
            }
        }
        self.seen.earlier.insert(p.id, Earlier { doc: &p.doc, fund, entries: d.entries, reversed: false });
        self.push(Outcome::Posted);
    }

    /// A transaction found in the database, marked reversed when this call reversed it.
    pub(crate) fn seen(&self, of: &str, prior: Option<Prior>) -> Option<Prior> {
        prior.map(|mut p| {
            p.reversed |= self.seen.reversed.contains(of);
            p
        })
    }

    /// The batch's outcomes, and what the call has seen so far for the next batch.
    pub(crate) fn finish(self) -> (Vec<Outcome>, Seen<'a>) {
        (self.outcomes, self.seen)
    }
}

/// Entries as stored on their transaction's row: `[[account, amount], …]`.
pub(crate) fn encode_entries(entries: &[(String, i64)]) -> String {
    serde_json::to_string(entries).unwrap_or_else(|_| "[]".into())
}

/// Entries read back from a transaction's row.
pub(crate) fn decode_entries(text: &str) -> Result<Vec<(String, i64)>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Address(format!("stored ledger entries: {e}")))
}

/// Adds a transaction's stored entries to sums.
pub(crate) fn add_entries(sums: &mut Sums, text: &str) -> Result<(), StoreError> {
    for (account, amount) in decode_entries(text)? {
        *sums.entry(account).or_insert(0) += i128::from(amount);
    }
    Ok(())
}

/// A balance as stored (`i64`), refusing one that no longer fits.
pub(crate) fn stored(balance: i128) -> Result<i64, StoreError> {
    i64::try_from(balance).map_err(|_| StoreError::Address(format!("ledger balance {balance} exceeds 64 bits")))
}
