//! A fund: who manages it, its currency, where its public money comes from, the rule that releases
//! public money against private money, and who may receive its investments.

use super::money::{Currency, Ratio};
use super::readiness::Stage;
use crate::closed_list;
use crate::error::FieldError;
use crate::reader::Reader;
use crate::screening::Verdict;
use crate::territory::TerritoryId;
use crate::text::{ID_EXPECTED, Id};
use serde_json::{Value, json};

closed_list! {
    /// A financial instrument.
    Instrument {
        /// A grant (not repaid).
        Grant = "grant",
        /// A loan.
        Loan = "loan",
        /// Quasi-equity: patient capital repaid from revenue or with a participation.
        QuasiEquity = "quasi_equity",
        /// Equity or member shares.
        Equity = "equity",
        /// A guarantee.
        Guarantee = "guarantee",
        /// Community shares or bonds.
        CommunityShares = "community_shares",
    }
}

/// How public money is released against private money.
#[derive(Debug, Clone, PartialEq)]
pub enum ReleaseRule {
    /// No public money in this fund.
    None,
    /// At most one unit of public money drawn per `private_per_public` units of private money
    /// received (Canada's Social Finance Fund: at least 2 private per public, `"2"`).
    Leverage {
        /// Private units required per public unit.
        private_per_public: Ratio,
    },
    /// Matchfunding: each private contribution unlocks `ratio` times itself in public money, at most
    /// `cap_per_contribution` (Goteo-style doubling: ratio 1).
    Match {
        /// Public per private unit.
        ratio: Ratio,
        /// Largest public amount one contribution unlocks, in minor units.
        cap_per_contribution: Option<i64>,
    },
}

/// Who may receive the fund's investments.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Eligibility {
    /// Screening profiles under which an investee must have `verdict` on the day of investment.
    pub profiles: Vec<String>,
    /// The verdict required (`qualifies` by default).
    pub verdict: Option<Verdict>,
    /// Territories an investee must be in (or within); any when empty.
    pub territories: Vec<TerritoryId>,
    /// Instruments the fund uses; any when empty.
    pub instruments: Vec<Instrument>,
    /// Smallest investment, in minor units.
    pub ticket_min: Option<i64>,
    /// Largest investment, in minor units.
    pub ticket_max: Option<i64>,
    /// The readiness stage an investee needs, if any (`readiness_min`).
    pub readiness_min: Option<Stage>,
    /// The readiness profile that stage is read with (`readiness_profile`; the built-in
    /// [`super::readiness::DEFAULT`] when absent).
    pub readiness_profile: Option<String>,
}

/// A fund.
#[derive(Debug, Clone, PartialEq)]
pub struct Fund {
    /// Id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// The actor that manages it.
    pub manager: Id,
    /// Its currency.
    pub currency: Currency,
    /// Actors whose money is public (governments, public agencies).
    pub public_sources: Vec<Id>,
    /// The release rule of public money.
    pub release: ReleaseRule,
    /// Who may receive investments.
    pub eligibility: Eligibility,
    /// Where the fund says it comes from (a document, a page), and whether its amounts are
    /// illustrative.
    pub note: Option<String>,
}

const FUND_FIELDS: &[&str] =
    &["type", "id", "name", "manager", "currency", "public_sources", "release", "eligibility", "note"];

impl Fund {
    /// Reads a fund from its JSON record (`"type": "fund"`), with every problem located.
    pub fn parse(value: &Value) -> Result<Fund, Vec<FieldError>> {
        let mut errors = Vec::new();
        let fund = {
            let Some(mut r) = Reader::object(value, "", &mut errors) else { return Err(errors) };
            r.deny_unknown(FUND_FIELDS);
            if r.get("type").and_then(Value::as_str) != Some("fund") {
                let found = r.get("type").cloned().unwrap_or(Value::Null);
                r.error("type", "\"fund\"", &found);
            }
            let id = r.req_parse("id", ID_EXPECTED, Id::parse);
            let name = r.req_text("name");
            let manager = r.req_parse("manager", ID_EXPECTED, Id::parse);
            let currency = r.req_parse("currency", &super::money::currency_expected(), Currency::parse);
            let public_sources = r.opt_list("public_sources", Id::parse);
            let note = r.opt_text("note");
            let release = currency.and_then(|c| match r.get("release") {
                None => Some(ReleaseRule::None),
                Some(v) => parse_release(v, c, r.errors),
            });
            let eligibility = currency.and_then(|c| match r.get("eligibility") {
                None => Some(Eligibility::default()),
                Some(v) => parse_eligibility(v, c, r.errors),
            });
            match (id, name, manager, currency, release, eligibility) {
                (Some(id), Some(name), Some(manager), Some(currency), Some(release), Some(eligibility)) => {
                    Some(Fund { id, name, manager, currency, public_sources, release, eligibility, note })
                }
                _ => None,
            }
        };
        match fund {
            Some(f) if errors.is_empty() => Ok(f),
            _ => Err(errors),
        }
    }

    /// The canonical JSON record.
    pub fn to_json(&self) -> Value {
        let c = self.currency;
        let release = match &self.release {
            ReleaseRule::None => json!({"rule": "none"}),
            ReleaseRule::Leverage { private_per_public } => {
                json!({"rule": "leverage", "private_per_public": private_per_public.text()})
            }
            ReleaseRule::Match { ratio, cap_per_contribution } => {
                let mut m = json!({"rule": "match", "ratio": ratio.text()});
                if let Some(cap) = cap_per_contribution {
                    m["cap_per_contribution"] = json!(c.format(i128::from(*cap)));
                }
                m
            }
        };
        let e = &self.eligibility;
        let mut elig = serde_json::Map::new();
        if !e.profiles.is_empty() {
            elig.insert("profiles".into(), json!(e.profiles));
        }
        if let Some(v) = e.verdict {
            elig.insert("verdict".into(), json!(v.as_str()));
        }
        if !e.territories.is_empty() {
            elig.insert("territories".into(), json!(e.territories.iter().map(|t| t.to_string()).collect::<Vec<_>>()));
        }
        if !e.instruments.is_empty() {
            elig.insert("instruments".into(), json!(e.instruments));
        }
        if let Some(m) = e.ticket_min {
            elig.insert("ticket_min".into(), json!(c.format(i128::from(m))));
        }
        if let Some(m) = e.ticket_max {
            elig.insert("ticket_max".into(), json!(c.format(i128::from(m))));
        }
        if let Some(s) = e.readiness_min {
            elig.insert("readiness_min".into(), json!(s.as_str()));
        }
        if let Some(p) = &e.readiness_profile {
            elig.insert("readiness_profile".into(), json!(p));
        }
        let mut v = json!({
            "type": "fund", "id": self.id, "name": self.name, "manager": self.manager,
            "currency": c.code(), "release": release,
        });
        if !self.public_sources.is_empty() {
            v["public_sources"] = json!(self.public_sources);
        }
        if !elig.is_empty() {
            v["eligibility"] = Value::Object(elig);
        }
        if let Some(n) = &self.note {
            v["note"] = json!(n);
        }
        v
    }
}

fn parse_release(v: &Value, c: Currency, errors: &mut Vec<FieldError>) -> Option<ReleaseRule> {
    let mut r = Reader::object(v, "release", errors)?;
    r.deny_unknown(&["rule", "private_per_public", "ratio", "cap_per_contribution"]);
    let rule = r.req_text("rule")?;
    let ratio = |r: &mut Reader<'_>, key: &str| {
        let v = r.get(key)?;
        match Ratio::parse(v) {
            Ok(x) => Some(x),
            Err(e) => {
                r.error(key, e, v);
                None
            }
        }
    };
    match rule.as_str() {
        "none" => Some(ReleaseRule::None),
        "leverage" => {
            if r.get("private_per_public").is_none() {
                let field = r.path("private_per_public");
                r.errors.push(FieldError::missing(field, "private units required per public unit, e.g. \"2\""));
                return None;
            }
            Some(ReleaseRule::Leverage { private_per_public: ratio(&mut r, "private_per_public")? })
        }
        "match" => {
            let ratio = if r.get("ratio").is_some() { ratio(&mut r, "ratio")? } else { Ratio { num: 1, den: 1 } };
            let cap = match r.get("cap_per_contribution") {
                None => None,
                Some(v) => match c.amount(v) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        r.error("cap_per_contribution", e, v);
                        return None;
                    }
                },
            };
            Some(ReleaseRule::Match { ratio, cap_per_contribution: cap })
        }
        _ => {
            r.error("rule", "one of \"none\", \"leverage\", \"match\"", &json!(rule));
            None
        }
    }
}

fn parse_eligibility(v: &Value, c: Currency, errors: &mut Vec<FieldError>) -> Option<Eligibility> {
    let mut r = Reader::object(v, "eligibility", errors)?;
    r.deny_unknown(&[
        "profiles",
        "verdict",
        "territories",
        "instruments",
        "ticket_min",
        "ticket_max",
        "readiness_min",
        "readiness_profile",
    ]);
    let profiles = r.opt_list("profiles", |s: &str| {
        if crate::screening::builtin::find(s).is_some() {
            Ok(s.to_string())
        } else {
            Err("the id of a built-in screening profile (solidaria profiles)".to_string())
        }
    });
    let verdict = r.opt_parse("verdict", |s: &str| {
        Verdict::parse(s).ok_or("one of \"qualifies\", \"does_not_qualify\", \"insufficient_evidence\"")
    });
    let territories = r.opt_list("territories", |s: &str| {
        TerritoryId::parse(s).map_err(|_| crate::territory::TERRITORY_EXPECTED.to_string())
    });
    let instruments = r.opt_list("instruments", Instrument::parse);
    let readiness_min =
        r.opt_parse("readiness_min", |s: &str| Stage::parse(s).ok_or("one of \"not_ready\", \"emerging\", \"ready\""));
    let readiness_profile = r.opt_parse("readiness_profile", |s: &str| {
        if super::readiness::find(s).is_some() {
            Ok(s.to_string())
        } else {
            Err("the id of a built-in readiness profile (docs/finance.md)".to_string())
        }
    });
    let mut amount = |key: &str| {
        let v = r.get(key)?;
        match c.amount(v) {
            Ok(m) => Some(m),
            Err(e) => {
                r.error(key, e, v);
                None
            }
        }
    };
    let ticket_min = amount("ticket_min");
    let ticket_max = amount("ticket_max");
    if let (Some(a), Some(b)) = (ticket_min, ticket_max)
        && a > b
    {
        r.error("ticket_max", "an amount at least ticket_min", &json!(c.format(i128::from(b))));
    }
    Some(Eligibility {
        profiles,
        verdict,
        territories,
        instruments,
        ticket_min,
        ticket_max,
        readiness_min,
        readiness_profile,
    })
}
