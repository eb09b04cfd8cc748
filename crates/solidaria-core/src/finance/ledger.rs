//! The double-entry ledger of a fund: how each transaction posts to accounts, and the invariants a
//! posting must keep, checked on the balances it would leave. Pure: the store reads the balances
//! and writes the entries in one database transaction around [`post`].
//!
//! Accounts (debit balances positive, credit balances negative): `cash`; `receivable:public`,
//! `receivable:private` (money committed, not yet received); `capital:public`, `capital:private`
//! (money committed to the fund); `investments:ACTOR` (principal outstanding); `income:interest`;
//! `losses:write_off`; `expenses:fees`; and for matchfunding the memo pair
//! `memo:public_allowance` / `memo:allowance_source` (public money unlocked by contributions).
//! A receipt or drawdown beyond what was committed counts the excess as committed on the spot.

use super::eligibility::{Applicant, Ticket};
use super::fund::{Fund, ReleaseRule};
use super::transaction::{Kind, Source, Transaction};
use crate::closed_list;
use std::collections::BTreeMap;
use std::fmt;

/// Balances by account (debit positive, credit negative), in minor units.
pub type Balances = BTreeMap<String, i128>;

/// One line of a posting: an account and a signed amount (debit positive, credit negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The account.
    pub account: String,
    /// Debit (positive) or credit (negative), in minor units.
    pub amount: i128,
}

closed_list! {
    /// The rules a posting must keep; a refusal names the one it would break.
    Invariant {
        /// Debits equal credits.
        Balanced = "balanced",
        /// Public money is drawn only as the fund's release rule allows at that moment.
        ReleaseRule = "release_rule",
        /// An investee meets the fund's eligibility on the day of the investment.
        Eligibility = "eligibility",
        /// Nothing is paid out beyond the cash the fund holds.
        Cash = "cash",
        /// No repayment or write-off beyond the principal outstanding.
        Outstanding = "outstanding",
        /// A reversal reverses one earlier transaction of the same fund, once, for its amount.
        Reversal = "reversal",
        /// A transaction id is posted once; again with the same content it is a no-op.
        Duplicate = "duplicate",
    }
}

/// Why a posting was refused: the invariant, and the figures that break it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The invariant.
    pub invariant: Invariant,
    /// What would happen, with the figures.
    pub message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.invariant, self.message)
    }
}

/// The earlier transaction a reversal names, as the store has it.
#[derive(Debug, Clone)]
pub struct Original<'a> {
    /// The transaction.
    pub tx: &'a Transaction,
    /// Its entries.
    pub entries: &'a [Entry],
    /// Whether a reversal of it was already posted.
    pub reversed: bool,
}

/// What the store and the screening know about a transaction's context.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// For an investment: whether the investee meets the fund's eligibility that day, or why not.
    pub eligibility: Option<Result<(), String>>,
    /// For a reversal: the original, if the ledger has it.
    pub original: Option<Original<'a>>,
}

fn refuse(invariant: Invariant, message: String) -> Refusal {
    Refusal { invariant, message }
}

fn bal(b: &Balances, account: &str) -> i128 {
    b.get(account).copied().unwrap_or(0)
}

/// The account of a source's capital (money committed to the fund).
fn capital(source: Source) -> &'static str {
    match source {
        Source::Public => "capital:public",
        Source::Private => "capital:private",
    }
}

/// The account of a source's money committed and not yet received.
fn receivable(source: Source) -> &'static str {
    match source {
        Source::Public => "receivable:public",
        Source::Private => "receivable:private",
    }
}

/// Money of a source received by the fund: committed, less what is still receivable.
pub fn received(b: &Balances, source: Source) -> i128 {
    received_by(&|a| bal(b, a), source)
}

fn received_by(get: &dyn Fn(&str) -> i128, source: Source) -> i128 {
    -get(capital(source)) - get(receivable(source))
}

/// Money of a source committed to the fund.
pub fn committed(b: &Balances, source: Source) -> i128 {
    -bal(b, capital(source))
}

/// Public money the release rule allows in all, given what has been received so far.
pub fn public_allowed(fund: &Fund, b: &Balances) -> i128 {
    allowed_by(fund, &|a| bal(b, a))
}

fn allowed_by(fund: &Fund, get: &dyn Fn(&str) -> i128) -> i128 {
    match &fund.release {
        ReleaseRule::None => 0,
        ReleaseRule::Leverage { private_per_public: r } => received_by(get, Source::Private) * r.den / r.num,
        ReleaseRule::Match { .. } => get("memo:public_allowance"),
    }
}

/// The principal outstanding of every investee.
pub fn outstanding(b: &Balances) -> impl Iterator<Item = (&str, i128)> {
    b.iter().filter_map(|(k, v)| k.strip_prefix("investments:").map(|a| (a, *v)))
}

/// Money received from a source: debit cash, credit the receivable (as far as committed) and
/// count the excess as committed on the spot.
fn money_in(b: &Balances, source: Source, amount: i128, out: &mut Vec<Entry>) {
    let owed = bal(b, receivable(source)).max(0);
    let from_commitment = amount.min(owed);
    out.push(Entry { account: "cash".into(), amount });
    if from_commitment > 0 {
        out.push(Entry { account: receivable(source).into(), amount: -from_commitment });
    }
    if amount > from_commitment {
        out.push(Entry { account: capital(source).into(), amount: -(amount - from_commitment) });
    }
}

/// The entries of a transaction, before the invariants are checked.
fn entries_of(fund: &Fund, b: &Balances, tx: &Transaction, ctx: &Context<'_>) -> Result<Vec<Entry>, Refusal> {
    let a = i128::from(tx.amount);
    let c = fund.currency;
    let party = || tx.counterparty.as_ref().map(|p| p.to_string()).unwrap_or_default();
    let mut out = Vec::with_capacity(4);
    match tx.kind {
        Kind::Commitment => {
            let s = tx.source.unwrap_or(Source::Private);
            out.push(Entry { account: receivable(s).into(), amount: a });
            out.push(Entry { account: capital(s).into(), amount: -a });
        }
        Kind::Receipt => {
            money_in(b, Source::Private, a, &mut out);
            if let ReleaseRule::Match { ratio, cap_per_contribution } = &fund.release {
                let unlocked = ratio.times_floor(a).min(cap_per_contribution.map_or(i128::MAX, i128::from));
                if unlocked > 0 {
                    out.push(Entry { account: "memo:public_allowance".into(), amount: unlocked });
                    out.push(Entry { account: "memo:allowance_source".into(), amount: -unlocked });
                }
            }
        }
        Kind::Drawdown => money_in(b, Source::Public, a, &mut out),
        Kind::Investment => {
            match &ctx.eligibility {
                Some(Ok(())) => {}
                Some(Err(why)) => {
                    return Err(refuse(
                        Invariant::Eligibility,
                        format!("{} may not receive this investment: {why}", party()),
                    ));
                }
                None => {
                    return Err(refuse(
                        Invariant::Eligibility,
                        format!("the eligibility of {} was not checked", party()),
                    ));
                }
            }
            out.push(Entry { account: format!("investments:{}", party()), amount: a });
            out.push(Entry { account: "cash".into(), amount: -a });
        }
        Kind::Repayment => {
            out.push(Entry { account: "cash".into(), amount: a });
            out.push(Entry { account: format!("investments:{}", party()), amount: -a });
        }
        Kind::Interest => {
            out.push(Entry { account: "cash".into(), amount: a });
            out.push(Entry { account: "income:interest".into(), amount: -a });
        }
        Kind::WriteOff => {
            out.push(Entry { account: "losses:write_off".into(), amount: a });
            out.push(Entry { account: format!("investments:{}", party()), amount: -a });
        }
        Kind::Fee => {
            out.push(Entry { account: "expenses:fees".into(), amount: a });
            out.push(Entry { account: "cash".into(), amount: -a });
        }
        Kind::Reversal => {
            let of = tx.of.as_ref().map(|o| o.to_string()).unwrap_or_default();
            let Some(orig) = &ctx.original else {
                return Err(refuse(Invariant::Reversal, format!("no transaction {of} in this fund's ledger")));
            };
            if orig.tx.fund != tx.fund {
                return Err(refuse(Invariant::Reversal, format!("{of} belongs to fund {}", orig.tx.fund)));
            }
            if orig.tx.kind == Kind::Reversal {
                return Err(refuse(Invariant::Reversal, format!("{of} is itself a reversal: post the original again")));
            }
            if orig.reversed {
                return Err(refuse(Invariant::Reversal, format!("{of} was already reversed")));
            }
            if orig.tx.amount != tx.amount {
                return Err(refuse(
                    Invariant::Reversal,
                    format!(
                        "a reversal is for the whole amount of {of}, {}, not {}",
                        c.format(i128::from(orig.tx.amount)),
                        c.format(a)
                    ),
                ));
            }
            out.extend(orig.entries.iter().map(|e| Entry { account: e.account.clone(), amount: -e.amount }));
        }
    }
    Ok(out)
}

/// Balances with a posting's entries added, read account by account without copying the
/// fund's balances (a fund may have thousands of investee accounts).
struct After<'a> {
    before: &'a Balances,
    entries: &'a [Entry],
}

impl After<'_> {
    fn get(&self, account: &str) -> i128 {
        bal(self.before, account) + self.entries.iter().filter(|e| e.account == account).map(|e| e.amount).sum::<i128>()
    }
}

/// Posts a transaction on balances: its entries, or the invariant it would break with the
/// figures. The balances are not changed; [`apply`] adds the entries. The balances are assumed
/// to keep every invariant already (as the ledger's always do), so only the accounts the
/// posting touches are checked.
pub fn post(fund: &Fund, b: &Balances, tx: &Transaction, ctx: &Context<'_>) -> Result<Vec<Entry>, Refusal> {
    let c = fund.currency;
    let entries = entries_of(fund, b, tx, ctx)?;
    let sum: i128 = entries.iter().map(|e| e.amount).sum();
    if sum != 0 {
        return Err(refuse(Invariant::Balanced, format!("debits exceed credits by {}", c.format(sum))));
    }
    let after = After { before: b, entries: &entries };
    if after.get("cash") < 0 {
        return Err(refuse(
            Invariant::Cash,
            format!(
                "this {} of {} needs that much cash; the fund holds {}",
                tx.kind,
                c.format(i128::from(tx.amount)),
                c.format(bal(b, "cash"))
            ),
        ));
    }
    for e in entries.iter().filter(|e| e.account.starts_with("investments:")) {
        let left = after.get(&e.account);
        if left < 0 {
            let who = &e.account["investments:".len()..];
            return Err(refuse(
                Invariant::Outstanding,
                format!(
                    "{} principal outstanding from {who}; this {} of {} would leave {}",
                    c.format(bal(b, &e.account)),
                    tx.kind,
                    c.format(i128::from(tx.amount)),
                    c.format(left)
                ),
            ));
        }
    }
    let get = |a: &str| after.get(a);
    let public = received_by(&get, Source::Public);
    let allowed = allowed_by(fund, &get);
    if public > allowed {
        let rule = match &fund.release {
            ReleaseRule::None => "the fund takes no public money".to_string(),
            ReleaseRule::Leverage { private_per_public } => format!(
                "at most 1 public per {} private received: {} private received allows {} public",
                private_per_public.text(),
                c.format(received_by(&get, Source::Private)),
                c.format(allowed)
            ),
            ReleaseRule::Match { .. } => {
                format!("contributions received so far unlock {} public", c.format(allowed))
            }
        };
        return Err(refuse(
            Invariant::ReleaseRule,
            format!("{rule}; after this {} public money received would be {}", tx.kind, c.format(public)),
        ));
    }
    Ok(entries)
}

/// Adds entries to balances.
pub fn apply(b: &mut Balances, entries: &[Entry]) {
    for e in entries {
        *b.entry(e.account.clone()).or_insert(0) += e.amount;
    }
}

/// Whether an investee meets a fund's eligibility for an investment: its verdicts under the
/// fund's profiles and its readiness (computed that day), its territory with its ancestors, the
/// instrument and the ticket. `Err` says why not. The conditions are
/// [`super::eligibility::check`]'s, the ones matching reports.
pub fn eligibility(fund: &Fund, tx: &Transaction, applicant: &Applicant<'_>) -> Result<(), String> {
    let ticket = Ticket { instrument: tx.instrument, amount: tx.amount };
    super::eligibility::decide(&super::eligibility::check(fund, applicant, Some(ticket)))
}
