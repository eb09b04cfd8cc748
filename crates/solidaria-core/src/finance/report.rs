//! A fund's report as of a date: money committed and received by source, the leverage achieved
//! against the release rule, what could still be drawn, invested, outstanding, repaid, written off,
//! and cash. Pure: the store gives the balances and the flows up to the date.

use super::fund::{Fund, ReleaseRule};
use super::ledger::{self, Balances};
use super::transaction::{Kind, Source};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Totals by kind of transaction (reversals subtract from the kind they reverse), in minor units.
pub type Flows = BTreeMap<Kind, i128>;

/// A fund's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Public money committed.
    pub public_committed: i128,
    /// Private money committed.
    pub private_committed: i128,
    /// Public money received (drawn).
    pub public_received: i128,
    /// Private money received.
    pub private_received: i128,
    /// Private received per public received, as decimal text (`None` before any public money).
    pub leverage: Option<String>,
    /// Public money the release rule would still allow to be drawn now.
    pub headroom: i128,
    /// Invested in all.
    pub invested: i128,
    /// Principal repaid.
    pub repaid: i128,
    /// Principal written off.
    pub written_off: i128,
    /// Interest received.
    pub interest: i128,
    /// Fees paid.
    pub fees: i128,
    /// Principal outstanding, in all and by investee.
    pub outstanding: i128,
    /// Outstanding by investee.
    pub by_investee: BTreeMap<String, i128>,
    /// Cash held.
    pub cash: i128,
}

/// The report of a fund from its balances and flows.
pub fn report(fund: &Fund, b: &Balances, flows: &Flows) -> Report {
    let flow = |k: Kind| flows.get(&k).copied().unwrap_or(0);
    let public_received = ledger::received(b, Source::Public);
    let private_received = ledger::received(b, Source::Private);
    let leverage = (public_received > 0).then(|| {
        // Two decimals, rounded down: 2.00 means the 2:1 target is met exactly.
        let hundredths = private_received * 100 / public_received;
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    });
    let by_investee: BTreeMap<String, i128> =
        ledger::outstanding(b).filter(|(_, v)| *v != 0).map(|(k, v)| (k.to_string(), v)).collect();
    Report {
        public_committed: ledger::committed(b, Source::Public),
        private_committed: ledger::committed(b, Source::Private),
        public_received,
        private_received,
        leverage,
        headroom: (ledger::public_allowed(fund, b) - public_received).max(0),
        invested: flow(Kind::Investment),
        repaid: flow(Kind::Repayment),
        written_off: flow(Kind::WriteOff),
        interest: flow(Kind::Interest),
        fees: flow(Kind::Fee),
        outstanding: by_investee.values().sum(),
        by_investee,
        cash: b.get("cash").copied().unwrap_or(0),
    }
}

impl Report {
    /// The report as JSON, amounts as decimal text in the fund's currency, with the rule it is
    /// measured against.
    pub fn to_json(&self, fund: &Fund) -> Value {
        let c = fund.currency;
        let m = |x: i128| json!(c.format(x));
        let target = match &fund.release {
            ReleaseRule::Leverage { private_per_public } => json!(private_per_public.text()),
            _ => Value::Null,
        };
        json!({
            "fund": fund.id, "name": fund.name, "currency": c.code(),
            "public": {"committed": m(self.public_committed), "received": m(self.public_received)},
            "private": {"committed": m(self.private_committed), "received": m(self.private_received)},
            "leverage": {"achieved": self.leverage, "target": target, "headroom": m(self.headroom)},
            "invested": m(self.invested), "repaid": m(self.repaid), "written_off": m(self.written_off),
            "interest": m(self.interest), "fees": m(self.fees), "outstanding": m(self.outstanding),
            "outstanding_by_investee": self.by_investee.iter().map(|(k, v)| (k.clone(), m(*v))).collect::<serde_json::Map<_, _>>(),
            "cash": m(self.cash),
        })
    }
}
