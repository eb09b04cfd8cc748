//! A fund's portfolio as the finance exports read it ([`crate::cids`], [`crate::giving360`]):
//! the fund, its manager and investees as actors, each investee's position and the investments
//! still counted, as of a day. Built by the caller (`solidaria_app::finance::portfolio`).

use solidaria_core::actor::Actor;
use solidaria_core::finance::fund::Fund;
use solidaria_core::finance::reach::{Position, PostedTx};
use solidaria_core::finance::report::Report;
use std::collections::{BTreeMap, HashMap};

/// What the finance exports read.
#[derive(Debug, Clone, Copy)]
pub struct Portfolio<'a> {
    /// The fund.
    pub fund: &'a Fund,
    /// The day the figures are reported for (the `--as-of` day, else the last posting's), if any.
    pub reported: Option<&'a str>,
    /// The first day with a posting counted, if any.
    pub first: Option<&'a str>,
    /// The fund's manager, if in the registry.
    pub manager: Option<&'a Actor>,
    /// The investees found in the registry, by id.
    pub investees: &'a HashMap<String, Actor>,
    /// The declared parents of custom regions (to find an organization's country).
    pub territory_parents: &'a BTreeMap<String, String>,
    /// Each investee's position, by id.
    pub positions: &'a BTreeMap<String, Position>,
    /// The investments counted, with their evidence, in ledger order.
    pub investments: &'a [PostedTx],
    /// The fund's figures.
    pub report: &'a Report,
}

impl Portfolio<'_> {
    /// The name of an investee (its id when it is not in the registry).
    pub fn investee_name(&self, id: &str) -> String {
        self.investees.get(id).map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    /// The country of a territory (its own or an ancestor's ISO country).
    pub fn country(&self, territory: &str) -> Option<String> {
        solidaria_core::finance::reach::country(territory, self.territory_parents)
    }

    /// The manager's name (its id when it is not in the registry).
    pub fn manager_name(&self) -> String {
        self.manager.map_or_else(|| self.fund.manager.to_string(), |a| a.name.clone())
    }
}

/// A small portfolio for the exports' tests: a grant and a loan to a cooperative in Quebec, a
/// grant to an association, a reversed grant left out by the caller.
#[cfg(test)]
pub(crate) mod sample {
    use serde_json::{Value, json};
    use solidaria_core::actor::Actor;
    use solidaria_core::finance::fund::Fund;
    use solidaria_core::finance::reach::{self, Position, PostedTx};
    use solidaria_core::finance::report::Report;
    use solidaria_core::finance::transaction::Transaction;
    use solidaria_core::record::{Record, parse_record};
    use std::collections::{BTreeMap, HashMap};

    /// What a [`super::Portfolio`] borrows.
    pub struct Owned {
        pub fund: Fund,
        pub manager: Actor,
        pub investees: HashMap<String, Actor>,
        pub positions: BTreeMap<String, Position>,
        pub investments: Vec<PostedTx>,
        pub report: Report,
        pub parents: BTreeMap<String, String>,
    }

    fn actor(v: Value) -> Actor {
        match parse_record(&v) {
            Ok(Record::Actor(a)) => a,
            other => panic!("{other:?}"),
        }
    }

    pub fn owned() -> Owned {
        let fund =
            Fund::parse(&json!({"type": "fund", "id": "sff", "name": "Matched <fund>", "manager": "cap-finance",
            "currency": "CAD", "eligibility": {"profiles": ["qc-2013"]}}))
            .unwrap();
        let tx = |v: Value, verdict: Option<&str>| {
            let mut v = v;
            v["type"] = json!("transaction");
            v["fund"] = json!("sff");
            PostedTx {
                tx: Transaction::parse(&v, &fund).unwrap(),
                evidence: verdict
                    .map(|x| json!({"screenings": [{"profile": "qc-2013", "version": "1", "verdict": x}]})),
            }
        };
        let all = vec![
            tx(json!({"id": "r1", "date": "2024-01-10", "kind": "receipt", "amount": "100000.00"}), None),
            tx(
                json!({"id": "g1", "date": "2024-02-01", "kind": "investment", "amount": "5000.50", "counterparty": "coop", "instrument": "grant", "note": "seed"}),
                Some("qualifies"),
            ),
            tx(
                json!({"id": "l1", "date": "2024-02-02", "kind": "investment", "amount": "20000.00", "counterparty": "coop", "instrument": "loan"}),
                Some("qualifies"),
            ),
            tx(
                json!({"id": "g2", "date": "2024-03-01", "kind": "investment", "amount": "1000.00", "counterparty": "asso", "instrument": "grant"}),
                Some("qualifies"),
            ),
            tx(
                json!({"id": "g3", "date": "2024-03-02", "kind": "investment", "amount": "10.00", "counterparty": "asso", "instrument": "grant"}),
                Some("qualifies"),
            ),
            tx(json!({"id": "x3", "date": "2024-03-03", "kind": "reversal", "amount": "10.00", "of": "g3"}), None),
            tx(
                json!({"id": "p1", "date": "2024-04-01", "kind": "repayment", "amount": "2000.00", "counterparty": "coop"}),
                None,
            ),
        ];
        let counted = reach::effective(&all, None);
        let positions = reach::positions(&counted);
        let investments = counted
            .iter()
            .filter(|t| t.tx.kind == solidaria_core::finance::transaction::Kind::Investment)
            .map(|t| (*t).clone())
            .collect();
        let investees = HashMap::from([
            (
                "coop".to_string(),
                actor(json!({"type": "actor", "id": "coop", "name": "Coop & Co", "territory": "CA-QC",
                "category": "sse_organization", "website": "https://coop.example.org",
                "identifiers": {"gb_companies_house": "IP12345"}})),
            ),
            ("asso".to_string(), actor(json!({"type": "actor", "id": "asso", "name": "Asso", "territory": "CA-QC"}))),
        ]);
        let manager =
            actor(json!({"type": "actor", "id": "cap-finance", "name": "CAP Finance", "category": "finance_provider"}));
        let report = Report {
            public_committed: 0,
            private_committed: 10_000_000,
            public_received: 0,
            private_received: 10_000_000,
            leverage: None,
            headroom: 0,
            invested: 2_600_050,
            repaid: 200_000,
            written_off: 0,
            interest: 0,
            fees: 0,
            outstanding: 2_400_050,
            by_investee: BTreeMap::new(),
            cash: 7_599_950,
        };
        Owned { fund, manager, investees, positions, investments, report, parents: BTreeMap::new() }
    }

    impl Owned {
        pub fn view(&self) -> super::Portfolio<'_> {
            super::Portfolio {
                fund: &self.fund,
                reported: Some("2024-12-31"),
                first: Some("2024-01-10"),
                manager: Some(&self.manager),
                investees: &self.investees,
                territory_parents: &self.parents,
                positions: &self.positions,
                investments: &self.investments,
                report: &self.report,
            }
        }
    }
}
