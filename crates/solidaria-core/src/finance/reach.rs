//! A fund's reach as of a date: where its money went (the investees' territories and countries,
//! legal-form families, building blocks and target groups), the verdicts its portfolio was
//! invested under and holds now, and public and private money received over time. Pure: the
//! caller gives the posted transactions (with the evidence kept with each), the investee actors,
//! the custom territories' parents and the verdicts screened now.

use super::fund::Instrument;
use super::transaction::{Kind, Transaction};
use crate::actor::Actor;
use crate::fact::FactValue;
use crate::screening::Verdict;
use crate::territory;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The group an unknown value falls in (an investee without territory, legal form, role…).
pub const UNKNOWN: &str = "unknown";

/// The target-group facts reach reads: shares of people from vulnerable or disadvantaged groups
/// (the fact vocabulary has no list of equity-deserving groups; these two shares are what it has).
pub const TARGET_FACTS: &[&str] = &["beneficiaries.vulnerable_share", "workers.disadvantaged_share"];

/// One investee's position in a fund.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Position {
    /// Invested in all (reversed investments left out), in minor units.
    pub invested: i128,
    /// Principal outstanding.
    pub outstanding: i128,
    /// Invested through each instrument.
    pub by_instrument: BTreeMap<String, i128>,
    /// Day of the first investment still counted.
    pub first: Option<String>,
    /// Day of the last investment still counted.
    pub last: Option<String>,
    /// The verdicts kept with its last investment still counted: profile → verdict.
    pub verdicts_at_investment: BTreeMap<String, String>,
}

/// A posted transaction with the evidence kept with it.
#[derive(Debug, Clone)]
pub struct PostedTx {
    /// The transaction.
    pub tx: Transaction,
    /// What was checked when it was posted (for an investment: the screenings and readiness).
    pub evidence: Option<Value>,
}

/// The transactions counted as of a day (all when `None`), reversed ones and their reversals
/// left out, in ledger order. A reversal dated after `as_of` leaves its original counted.
pub fn effective<'a>(txs: &'a [PostedTx], as_of: Option<&str>) -> Vec<&'a PostedTx> {
    let within = |t: &PostedTx| as_of.is_none_or(|d| t.tx.date.as_str() <= d);
    let reversed: BTreeSet<&str> = txs
        .iter()
        .filter(|t| t.tx.kind == Kind::Reversal && within(t))
        .filter_map(|t| t.tx.of.as_ref().map(|o| o.as_str()))
        .collect();
    txs.iter().filter(|t| within(t) && t.tx.kind != Kind::Reversal && !reversed.contains(t.tx.id.as_str())).collect()
}

/// Each investee's position from the effective transactions.
pub fn positions(txs: &[&PostedTx]) -> BTreeMap<String, Position> {
    let mut out: BTreeMap<String, Position> = BTreeMap::new();
    for t in txs {
        let Some(who) = &t.tx.counterparty else { continue };
        let a = i128::from(t.tx.amount);
        match t.tx.kind {
            Kind::Investment => {
                let p = out.entry(who.to_string()).or_default();
                p.invested += a;
                p.outstanding += a;
                let instrument = t.tx.instrument.as_ref().map_or(UNKNOWN, Instrument::as_str);
                *p.by_instrument.entry(instrument.to_string()).or_insert(0) += a;
                let day = t.tx.date.as_str().to_string();
                if p.first.as_ref().is_none_or(|f| &day < f) {
                    p.first = Some(day.clone());
                }
                if p.last.as_ref().is_none_or(|l| &day >= l) {
                    p.last = Some(day);
                    p.verdicts_at_investment = screenings(t.evidence.as_ref());
                }
            }
            Kind::Repayment | Kind::WriteOff => out.entry(who.to_string()).or_default().outstanding -= a,
            _ => {}
        }
    }
    out
}

/// The verdicts kept in an investment's evidence: profile → verdict.
fn screenings(evidence: Option<&Value>) -> BTreeMap<String, String> {
    evidence
        .and_then(|e| e.get("screenings"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| Some((s.get("profile")?.as_str()?.to_string(), s.get("verdict")?.as_str()?.to_string())))
        .collect()
}

/// A group of investees: how many, invested and outstanding.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Group {
    /// Investees in the group.
    pub investees: usize,
    /// Invested in them, in minor units.
    pub invested: i128,
    /// Principal they still owe.
    pub outstanding: i128,
}

impl Group {
    fn add(&mut self, p: &Position) {
        self.investees += 1;
        self.invested += p.invested;
        self.outstanding += p.outstanding;
    }
}

/// Groups by key.
pub type Groups = BTreeMap<String, Group>;

/// A fund's reach.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Reach {
    /// Investees counted.
    pub investees: usize,
    /// By the investee's territory (`unknown` when it has none).
    pub territory: Groups,
    /// By the country the territory is in.
    pub country: Groups,
    /// By legal-form family.
    pub legal_family: Groups,
    /// By building block (an investee with several roles counts in each; `none` when it has none).
    pub building_block: Groups,
    /// By instrument (an investee counts in each instrument it received).
    pub instrument: Groups,
    /// By target group: for each of [`TARGET_FACTS`], the band of its value (`majority` ≥ 0.5,
    /// `some` above 0, `none` 0, `unknown`), keyed `fact: band`.
    pub target_group: Groups,
    /// By the verdict kept with the investment (the last one counted), keyed `profile: verdict`;
    /// `unscreened` when its evidence holds no screening.
    pub verdict_at_investment: Groups,
    /// By the verdict under each of the fund's profiles now, keyed `profile: verdict`.
    pub verdict_now: Groups,
}

impl Reach {
    /// The reach as JSON, amounts as decimal text in the fund's currency: each dimension an
    /// object of groups `{"investees", "invested", "outstanding"}`.
    pub fn to_json(&self, currency: super::money::Currency) -> Value {
        let groups = |g: &Groups| -> Value {
            g.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        serde_json::json!({"investees": v.investees, "invested": currency.format(v.invested),
                            "outstanding": currency.format(v.outstanding)}),
                    )
                })
                .collect::<serde_json::Map<_, _>>()
                .into()
        };
        serde_json::json!({
            "investees": self.investees,
            "territory": groups(&self.territory), "country": groups(&self.country),
            "legal_family": groups(&self.legal_family), "building_block": groups(&self.building_block),
            "instrument": groups(&self.instrument), "target_group": groups(&self.target_group),
            "verdict_at_investment": groups(&self.verdict_at_investment), "verdict_now": groups(&self.verdict_now),
        })
    }

    /// The dimensions with their titles, in the order reports show them.
    pub fn dimensions(&self) -> [(&'static str, &Groups); 8] {
        [
            ("territory", &self.territory),
            ("country", &self.country),
            ("legal-form family", &self.legal_family),
            ("building block", &self.building_block),
            ("instrument", &self.instrument),
            ("target group", &self.target_group),
            ("verdict at investment", &self.verdict_at_investment),
            ("verdict now", &self.verdict_now),
        ]
    }
}

/// The band of a share, as [`Reach::target_group`] counts it.
pub fn band(share: Option<f64>) -> &'static str {
    match share {
        None => UNKNOWN,
        Some(x) if x >= 0.5 => "majority",
        Some(x) if x > 0.0 => "some",
        Some(_) => "none",
    }
}

/// The country of a territory: the last ISO country among it and its ancestors.
pub fn country(territory: &str, custom_parents: &BTreeMap<String, String>) -> Option<String> {
    territory::ancestors(territory, custom_parents)
        .into_iter()
        .rfind(|t| territory::iso(t).is_some_and(|e| e.parent.is_none()))
}

/// A share fact's value, if documented.
fn share(a: &Actor, key: &str) -> Option<f64> {
    match a.facts.get(key).map(|f| &f.value) {
        Some(FactValue::Number(x)) => Some(*x),
        _ => None,
    }
}

/// The reach of positions: `actors` are the investees (one missing counts as `unknown`
/// everywhere), `now` their verdicts under the fund's profiles today.
pub fn reach(
    positions: &BTreeMap<String, Position>,
    actors: &HashMap<String, Actor>,
    custom_parents: &BTreeMap<String, String>,
    now: &BTreeMap<String, Vec<(String, Verdict)>>,
) -> Reach {
    let mut r = Reach { investees: positions.len(), ..Reach::default() };
    for (id, p) in positions {
        let a = actors.get(id);
        let t = a.and_then(|a| a.territory.as_ref()).map(|t| t.to_string());
        r.territory.entry(t.clone().unwrap_or_else(|| UNKNOWN.into())).or_default().add(p);
        let c = t.as_deref().and_then(|t| country(t, custom_parents));
        r.country.entry(c.unwrap_or_else(|| UNKNOWN.into())).or_default().add(p);
        let family = a.and_then(|a| a.legal_form.family).map_or(UNKNOWN, |f| f.as_str());
        r.legal_family.entry(family.to_string()).or_default().add(p);
        let roles: Vec<&str> = a.map(|a| a.roles.iter().map(|b| b.as_str()).collect()).unwrap_or_default();
        if roles.is_empty() {
            r.building_block.entry(if a.is_some() { "none" } else { UNKNOWN }.to_string()).or_default().add(p);
        }
        for role in roles {
            r.building_block.entry(role.to_string()).or_default().add(p);
        }
        for instrument in p.by_instrument.keys() {
            r.instrument.entry(instrument.clone()).or_default().add(p);
        }
        for key in TARGET_FACTS {
            let b = band(a.and_then(|a| share(a, key)));
            r.target_group.entry(format!("{key}: {b}")).or_default().add(p);
        }
        if p.verdicts_at_investment.is_empty() {
            r.verdict_at_investment.entry("unscreened".into()).or_default().add(p);
        }
        for (profile, verdict) in &p.verdicts_at_investment {
            r.verdict_at_investment.entry(format!("{profile}: {verdict}")).or_default().add(p);
        }
        for (profile, verdict) in now.get(id).into_iter().flatten() {
            r.verdict_now.entry(format!("{profile}: {}", verdict.as_str())).or_default().add(p);
        }
    }
    r
}

/// Money received by a day: private (receipts) and public (drawdowns), cumulated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Received {
    /// The day.
    pub date: String,
    /// Private money received up to that day, in minor units.
    pub private: i128,
    /// Public money received up to that day.
    pub public: i128,
}

/// Private and public money received, cumulated, one point per day that changed either (the
/// effective transactions, so a reversed receipt never shows).
pub fn received_over_time(txs: &[&PostedTx]) -> Vec<Received> {
    let mut by_day: BTreeMap<&str, (i128, i128)> = BTreeMap::new();
    for t in txs {
        let a = i128::from(t.tx.amount);
        match t.tx.kind {
            Kind::Receipt => by_day.entry(t.tx.date.as_str()).or_default().0 += a,
            Kind::Drawdown => by_day.entry(t.tx.date.as_str()).or_default().1 += a,
            _ => {}
        }
    }
    let (mut private, mut public) = (0, 0);
    by_day
        .into_iter()
        .map(|(d, (p, q))| {
            private += p;
            public += q;
            Received { date: d.to_string(), private, public }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::fund::Fund;
    use serde_json::json;

    fn fund() -> Fund {
        Fund::parse(&json!({"type": "fund", "id": "f", "name": "F", "manager": "m", "currency": "CAD"})).unwrap()
    }

    fn tx(v: Value, evidence: Option<Value>) -> PostedTx {
        let mut v = v;
        v["type"] = json!("transaction");
        v["fund"] = json!("f");
        PostedTx { tx: Transaction::parse(&v, &fund()).unwrap(), evidence }
    }

    fn actor(v: Value) -> Actor {
        match crate::record::parse_record(&v) {
            Ok(crate::record::Record::Actor(a)) => a,
            other => panic!("{other:?}"),
        }
    }

    fn ev(verdict: &str) -> Option<Value> {
        Some(json!({"screenings": [{"profile": "qc-2013", "version": "1", "verdict": verdict}]}))
    }

    fn ledger() -> Vec<PostedTx> {
        vec![
            tx(json!({"id": "r1", "date": "2024-01-10", "kind": "receipt", "amount": "1000.00"}), None),
            tx(json!({"id": "d1", "date": "2024-01-20", "kind": "drawdown", "amount": "500.00"}), None),
            tx(
                json!({"id": "i1", "date": "2024-02-01", "kind": "investment", "amount": "300.00", "counterparty": "coop", "instrument": "loan"}),
                ev("qualifies"),
            ),
            tx(
                json!({"id": "i2", "date": "2024-02-05", "kind": "investment", "amount": "200.00", "counterparty": "asso", "instrument": "grant"}),
                ev("qualifies"),
            ),
            tx(
                json!({"id": "i3", "date": "2024-03-01", "kind": "investment", "amount": "100.00", "counterparty": "coop", "instrument": "grant"}),
                ev("insufficient_evidence"),
            ),
            tx(
                json!({"id": "p1", "date": "2024-04-01", "kind": "repayment", "amount": "50.00", "counterparty": "coop"}),
                None,
            ),
            tx(json!({"id": "x1", "date": "2024-04-02", "kind": "reversal", "amount": "200.00", "of": "i2"}), None),
            tx(json!({"id": "r2", "date": "2024-05-01", "kind": "receipt", "amount": "400.00"}), None),
        ]
    }

    #[test]
    fn positions_count_investments_repayments_and_reversals_as_of_a_day() {
        let l = ledger();
        let all = positions(&effective(&l, None));
        assert_eq!(all.keys().collect::<Vec<_>>(), ["coop"], "the reversed investment is left out");
        let coop = &all["coop"];
        assert_eq!((coop.invested, coop.outstanding), (40000, 35000));
        assert_eq!(coop.by_instrument, BTreeMap::from([("grant".into(), 10000), ("loan".into(), 30000)]));
        assert_eq!(coop.verdicts_at_investment["qc-2013"], "insufficient_evidence", "the last investment's");
        assert_eq!((coop.first.as_deref(), coop.last.as_deref()), (Some("2024-02-01"), Some("2024-03-01")));

        // Before the reversal and the repayment, both investees count.
        let early = positions(&effective(&l, Some("2024-03-31")));
        assert_eq!(early["asso"].invested, 20000);
        assert_eq!(early["coop"].outstanding, 40000);
        assert_eq!(early["coop"].verdicts_at_investment["qc-2013"], "insufficient_evidence");
        let first = positions(&effective(&l, Some("2024-02-01")));
        assert_eq!(first["coop"].verdicts_at_investment["qc-2013"], "qualifies");
    }

    #[test]
    fn reach_groups_by_territory_country_family_role_target_and_verdict() {
        let l = ledger();
        let pos = positions(&effective(&l, Some("2024-03-31")));
        let actors = HashMap::from([
            (
                "coop".to_string(),
                actor(json!({"type": "actor", "id": "coop", "name": "Coop", "territory": "CA-QC",
                    "legal_form": {"family": "cooperative"}, "roles": ["finance", "market_access"],
                    "facts": {"beneficiaries.vulnerable_share": 0.6, "workers.disadvantaged_share": 0.0}})),
            ),
            (
                "asso".to_string(),
                actor(json!({"type": "actor", "id": "asso", "name": "Asso", "territory": "mtl-east",
                    "legal_form": {"family": "association"}, "facts": {"beneficiaries.vulnerable_share": 0.2}})),
            ),
        ]);
        let parents = BTreeMap::from([("mtl-east".to_string(), "CA-QC".to_string())]);
        let now = BTreeMap::from([
            ("coop".to_string(), vec![("qc-2013".to_string(), Verdict::Qualifies)]),
            ("asso".to_string(), vec![("qc-2013".to_string(), Verdict::DoesNotQualify)]),
        ]);
        let r = reach(&pos, &actors, &parents, &now);
        assert_eq!(r.investees, 2);
        assert_eq!(r.territory["CA-QC"], Group { investees: 1, invested: 40000, outstanding: 40000 });
        assert_eq!(r.territory["mtl-east"].invested, 20000);
        assert_eq!(r.country["CA"], Group { investees: 2, invested: 60000, outstanding: 60000 });
        assert_eq!(r.legal_family["cooperative"].investees, 1);
        assert_eq!(r.building_block["finance"].invested, 40000);
        assert_eq!(r.building_block["market_access"].invested, 40000);
        assert_eq!(r.building_block["none"].invested, 20000);
        assert_eq!(r.instrument["grant"].investees, 2);
        assert_eq!(r.target_group["beneficiaries.vulnerable_share: majority"].investees, 1);
        assert_eq!(r.target_group["beneficiaries.vulnerable_share: some"].investees, 1);
        assert_eq!(r.target_group["workers.disadvantaged_share: none"].investees, 1);
        assert_eq!(r.target_group["workers.disadvantaged_share: unknown"].investees, 1);
        assert_eq!(r.verdict_at_investment["qc-2013: insufficient_evidence"].investees, 1);
        assert_eq!(r.verdict_at_investment["qc-2013: qualifies"].investees, 1);
        assert_eq!(r.verdict_now["qc-2013: does_not_qualify"].invested, 20000);
        // Every investee is in exactly one territory, country, family and band of each fact.
        for groups in [&r.territory, &r.country, &r.legal_family] {
            assert_eq!(groups.values().map(|g| g.invested).sum::<i128>(), 60000);
        }
    }

    #[test]
    fn an_investee_missing_from_the_registry_is_unknown_everywhere() {
        let l = ledger();
        let pos = positions(&effective(&l, None));
        let r = reach(&pos, &HashMap::new(), &BTreeMap::new(), &BTreeMap::new());
        for groups in [&r.territory, &r.country, &r.legal_family, &r.building_block] {
            assert_eq!(groups.keys().collect::<Vec<_>>(), [UNKNOWN]);
        }
        assert!(r.verdict_now.is_empty());
    }

    #[test]
    fn received_over_time_cumulates_receipts_and_drawdowns() {
        let l = ledger();
        let pts = received_over_time(&effective(&l, None));
        let got: Vec<(&str, i128, i128)> = pts.iter().map(|p| (p.date.as_str(), p.private, p.public)).collect();
        assert_eq!(got, [("2024-01-10", 100000, 0), ("2024-01-20", 100000, 50000), ("2024-05-01", 140000, 50000)]);
    }

    #[test]
    fn bands_and_countries() {
        assert_eq!(
            [band(None), band(Some(0.0)), band(Some(0.1)), band(Some(0.5))],
            [UNKNOWN, "none", "some", "majority"]
        );
        assert_eq!(country("CA-QC", &BTreeMap::new()).as_deref(), Some("CA"));
        assert_eq!(country("nowhere", &BTreeMap::new()), None);
    }
}
