//! Whether an organization meets a fund's eligibility, condition by condition: the one function
//! that both matching (which funds fit an organization, which organizations fit a fund) and the
//! ledger (may this investment be posted) call; and, with the same territory and verdict checks,
//! whether it may use a financial mechanism ([`check_mechanism`]).
//!
//! Each condition is met, not met, or unknown (a fact it needs is missing; the check names the
//! facts whose documentation would decide it). An investment is posted only when every condition
//! is met; matching ranks the eligible first, then the undecided, then the rest.

use super::fund::{Fund, Instrument};
use super::readiness::{Readiness, Stage};
use crate::innovation::Fit;
use crate::legal_form::Family;
use crate::mechanism::{Mechanism, MechanismFit};
use crate::screening::{Outcome, Verdict};
use crate::territory::TerritoryId;
use serde::Serialize;

/// The state of one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It holds.
    Met,
    /// A missing fact leaves it undecided.
    Unknown,
    /// It does not hold.
    Unmet,
}

/// One condition of a fund's eligibility, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What is checked: `instrument`, `ticket`, `territory`, `profile:ID`, `readiness`.
    pub condition: String,
    /// Met, unknown or unmet.
    pub status: Status,
    /// Why, with the figures.
    pub reason: String,
    /// When unknown: the smallest sets of missing facts whose documentation could decide it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to_decide: Vec<Vec<String>>,
}

/// An organization's verdict under one screening profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileVerdict {
    /// The profile.
    pub profile: String,
    /// The verdict.
    pub verdict: Verdict,
    /// When `insufficient_evidence`: the smallest sets of facts that could decide it.
    pub to_decide: Vec<Vec<String>>,
}

/// What is known of an organization when its eligibility is checked.
#[derive(Debug, Clone, Default)]
pub struct Applicant<'a> {
    /// Its verdicts under (at least) the fund's profiles, computed that day.
    pub verdicts: &'a [ProfileVerdict],
    /// Its territory, then the territories it is in; empty when it has none.
    pub territory_chain: &'a [String],
    /// Its readiness under the fund's readiness profile, when the fund asks for a stage.
    pub readiness: Option<&'a Readiness>,
}

/// An investment being posted: its instrument and amount (minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    /// The instrument, if given.
    pub instrument: Option<Instrument>,
    /// The amount.
    pub amount: i64,
}

/// Every condition of the fund's eligibility, checked for an applicant. Instrument and ticket
/// size are checked only for an investment (`ticket`); matching leaves them to the offer.
pub fn check(fund: &Fund, a: &Applicant<'_>, ticket: Option<Ticket>) -> Vec<Check> {
    let e = &fund.eligibility;
    let c = fund.currency;
    let mut where_and_verdicts: Vec<Check> =
        territory_check(&e.territories, a.territory_chain, "the fund invests in", "the investee").into_iter().collect();
    where_and_verdicts.extend(profile_checks(&e.profiles, e.verdict, a.verdicts));
    let mut out = Vec::new();
    let mut push = |condition: &str, status: Status, reason: String, to_decide: Vec<Vec<String>>| {
        out.push(Check { condition: condition.to_string(), status, reason, to_decide });
    };
    if let Some(t) = ticket {
        if let Some(i) = t.instrument
            && !e.instruments.is_empty()
        {
            let allowed: Vec<&str> = e.instruments.iter().map(|i| i.as_str()).collect();
            if e.instruments.contains(&i) {
                push("instrument", Status::Met, format!("the fund invests by {i}"), Vec::new());
            } else {
                push(
                    "instrument",
                    Status::Unmet,
                    format!("the fund invests by {}, not {}", allowed.join(", "), i),
                    Vec::new(),
                );
            }
        }
        let amount = c.format(i128::from(t.amount));
        if let Some(min) = e.ticket_min
            && t.amount < min
        {
            let reason = format!("{amount} is below the smallest ticket, {}", c.format(i128::from(min)));
            push("ticket", Status::Unmet, reason, Vec::new());
        }
        if let Some(max) = e.ticket_max
            && t.amount > max
        {
            let reason = format!("{amount} is above the largest ticket, {}", c.format(i128::from(max)));
            push("ticket", Status::Unmet, reason, Vec::new());
        }
    }
    for c in where_and_verdicts {
        push(&c.condition, c.status, c.reason, c.to_decide);
    }
    if let Some(min) = e.readiness_min {
        let name = e.readiness_profile.as_deref().unwrap_or(super::readiness::DEFAULT);
        match a.readiness {
            None => push("readiness", Status::Unknown, format!("readiness under {name}: not assessed"), Vec::new()),
            Some(r) => {
                let (status, to_decide) = if r.at_least >= min {
                    (Status::Met, Vec::new())
                } else if r.at_most < min {
                    (Status::Unmet, Vec::new())
                } else {
                    (Status::Unknown, stage_sets(r, min))
                };
                push(
                    "readiness",
                    status,
                    format!("readiness ({}): {} (needed: {min})", r.profile, r.stage_text()),
                    to_decide,
                );
            }
        }
    }
    out
}

/// Whether the applicant is in (or within) one of `territories`; `None` when they restrict
/// nothing. `offer` introduces the list in a reason ("the fund invests in"), `who` names the
/// applicant ("the investee").
fn territory_check(territories: &[TerritoryId], chain: &[String], offer: &str, who: &str) -> Option<Check> {
    if territories.is_empty() {
        return None;
    }
    let ts: Vec<String> = territories.iter().map(|t| t.to_string()).collect();
    let (status, reason, to_decide) = if let Some(t) = ts.iter().find(|t| chain.contains(t)) {
        (Status::Met, format!("within {t}"), Vec::new())
    } else if chain.is_empty() {
        (
            Status::Unknown,
            format!("{offer} {}; {who} is in no known territory", ts.join(", ")),
            vec![vec!["territory".to_string()]],
        )
    } else {
        (Status::Unmet, format!("{offer} {}; {who} is in {}", ts.join(", "), chain[0]), Vec::new())
    };
    Some(Check { condition: "territory".to_string(), status, reason, to_decide })
}

/// One check per profile: the verdict `wanted` (qualifies when absent) under it. An undecided
/// verdict may still become the one wanted (unknown, with the facts that would decide it); a
/// decided other one may not (unmet).
fn profile_checks(profiles: &[String], wanted: Option<Verdict>, verdicts: &[ProfileVerdict]) -> Vec<Check> {
    let wanted = wanted.unwrap_or(Verdict::Qualifies);
    profiles
        .iter()
        .map(|p| {
            let condition = format!("profile:{p}");
            let (status, reason, to_decide) = match verdicts.iter().find(|v| &v.profile == p) {
                Some(v) if v.verdict == wanted => (Status::Met, format!("{p}: {}", v.verdict.as_str()), Vec::new()),
                Some(v) => {
                    let status =
                        if v.verdict == Verdict::InsufficientEvidence { Status::Unknown } else { Status::Unmet };
                    (status, format!("{p}: {} (needed: {})", v.verdict.as_str(), wanted.as_str()), v.to_decide.clone())
                }
                None => (Status::Unknown, format!("{p}: not screened"), Vec::new()),
            };
            Check { condition, status, reason, to_decide }
        })
        .collect()
}

/// Every condition of a financial mechanism for an organization whose legal-form family is
/// `family`: the families it serves, the territories its users must be in, the verdicts it
/// needs (as for a fund), whether it is offered where the organization is, and whether the
/// context it relies on holds there (its preconditions, judged by `fit` for the organization's
/// territory; `None` when the organization has no territory). A mechanism offered elsewhere is
/// unmet here but its reason says where it is a model.
pub fn check_mechanism(
    m: &Mechanism,
    family: Option<Family>,
    a: &Applicant<'_>,
    fit: Option<&MechanismFit>,
) -> Vec<Check> {
    let e = &m.eligibility;
    let mut out = Vec::new();
    let check = |condition: &str, status: Status, reason: String, to_decide: Vec<Vec<String>>| Check {
        condition: condition.to_string(),
        status,
        reason,
        to_decide,
    };
    if !e.families.is_empty() {
        let names: Vec<&str> = e.families.iter().map(|f| f.as_str()).collect();
        out.push(match family {
            Some(f) if e.families.contains(&f) => {
                check("family", Status::Met, format!("open to the {} family", f.as_str()), Vec::new())
            }
            Some(f) => {
                check("family", Status::Unmet, format!("serves {}, not {}", names.join(", "), f.as_str()), Vec::new())
            }
            None => check(
                "family",
                Status::Unknown,
                format!("serves {}; the organization's legal form is not documented", names.join(", ")),
                vec![vec!["legal_form.family".to_string()]],
            ),
        });
    }
    out.extend(territory_check(&e.territories, a.territory_chain, "open to organizations in", "the organization"));
    out.extend(profile_checks(&e.profiles, e.verdict, a.verdicts));
    if let Some(home) = &m.territory {
        let offered = a.territory_chain.iter().any(|t| t == home.as_str());
        out.push(if offered {
            check("offered", Status::Met, format!("offered in {home}"), Vec::new())
        } else if a.territory_chain.is_empty() {
            check(
                "offered",
                Status::Unknown,
                format!("offered in {home}; the organization is in no known territory"),
                vec![vec!["territory".to_string()]],
            )
        } else {
            check(
                "offered",
                Status::Unmet,
                format!("offered in {home}, not in {}: a model to adapt there", a.territory_chain[0]),
                Vec::new(),
            )
        });
    }
    if let Some(f) = fit.filter(|_| !m.preconditions.is_empty()) {
        let why = |o: Outcome| {
            f.preconditions.iter().filter(|p| p.outcome == o).map(|p| p.reason.as_str()).collect::<Vec<_>>().join("; ")
        };
        out.push(match f.fit {
            Fit::Fits => check("context", Status::Met, format!("the context of {} fits", f.territory), Vec::new()),
            Fit::Partial => check(
                "context",
                Status::Met,
                format!("the context of {} fits with adaptations: {}", f.territory, f.adaptations.join("; ")),
                Vec::new(),
            ),
            // The facts missing are the territory's, not the organization's: named in the reason.
            Fit::Unknown => check("context", Status::Unknown, why(Outcome::Unknown), Vec::new()),
            Fit::DoesNotFit => check("context", Status::Unmet, why(Outcome::Fail), Vec::new()),
        });
    }
    out
}

/// The sets of facts that could settle the dimensions keeping the readiness below `min`.
fn stage_sets(r: &Readiness, min: Stage) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for d in r.dimensions.iter().filter(|d| d.at_least < min && d.at_most >= min) {
        for s in &d.to_decide {
            if !out.contains(s) {
                out.push(s.clone());
            }
        }
    }
    out
}

/// The overall status of checks: unmet when one is, unknown when one is, else met.
pub fn status(checks: &[Check]) -> Status {
    checks.iter().map(|c| c.status).max().unwrap_or(Status::Met)
}

/// For a posting: `Ok` when every condition is met, else the reasons of those that are not,
/// joined with "; ".
pub fn decide(checks: &[Check]) -> Result<(), String> {
    let why: Vec<&str> = checks.iter().filter(|c| c.status != Status::Met).map(|c| c.reason.as_str()).collect();
    if why.is_empty() { Ok(()) } else { Err(why.join("; ")) }
}

/// The missing facts named by checks, each once, in order of appearance.
pub fn missing(checks: &[Check]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in checks.iter().flat_map(|c| c.to_decide.iter().flatten()) {
        if !out.contains(f) {
            out.push(f.clone());
        }
    }
    out
}

/// How a match ranks: eligible first, then undecided with the fewest missing facts, then the
/// rest with the fewest unmet conditions; ties by id.
pub fn rank_key(checks: &[Check]) -> (Status, usize, usize) {
    let unmet = checks.iter().filter(|c| c.status == Status::Unmet).count();
    let unknown: usize = checks
        .iter()
        .filter(|c| c.status == Status::Unknown)
        .map(|c| c.to_decide.iter().map(Vec::len).min().unwrap_or(1))
        .sum();
    (status(checks), unmet, unknown)
}
