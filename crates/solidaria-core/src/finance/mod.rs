//! Social finance: funds that match public money with private capital, their transactions, and
//! the append-only double-entry ledger that never loses a cent.
//!
//! - [`money`]: exact amounts in a currency's minor unit, read and written as decimal text.
//! - [`fund`]: a fund, its release rule for public money and its eligibility.
//! - [`eligibility`]: a fund's eligibility checked condition by condition, for matching and for
//!   posting an investment alike.
//! - [`readiness`]: investment readiness by dimension, from readiness profiles (data files).
//! - [`transaction`]: the transactions of a fund's ledger as written in files.
//! - [`ledger`]: how a transaction posts to accounts and the invariants a posting keeps, each
//!   refusal naming its invariant with the figures.
//! - [`reach`]: where a fund's money went (territory, country, legal-form family, building block,
//!   target group) and its portfolio's verdicts, and money received over time.
//! - [`report`]: what a fund has committed, received, invested, repaid and written off, and the
//!   leverage it achieved, from its balances and flows.

pub mod eligibility;
pub mod fund;
pub mod ledger;
pub mod money;
pub mod reach;
pub mod readiness;
pub mod report;
pub mod transaction;

#[cfg(test)]
mod tests;
