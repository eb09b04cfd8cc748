//! Whether an organization meets a fund's eligibility, condition by condition: the one function
//! that both matching (which funds fit an organization, which organizations fit a fund) and the
//! ledger (may this investment be posted) call.
//!
//! Each condition is met, not met, or unknown (a fact it needs is missing; the check names the
//! facts whose documentation would decide it). An investment is posted only when every condition
//! is met; matching ranks the eligible first, then the undecided, then the rest.

use super::fund::{Fund, Instrument};
use super::readiness::{Readiness, Stage};
use crate::screening::Verdict;
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
    if !e.territories.is_empty() {
        let ts: Vec<String> = e.territories.iter().map(|t| t.to_string()).collect();
        if let Some(t) = ts.iter().find(|t| a.territory_chain.contains(t)) {
            push("territory", Status::Met, format!("within {t}"), Vec::new());
        } else if a.territory_chain.is_empty() {
            push(
                "territory",
                Status::Unknown,
                format!("the fund invests in {}; the investee is in no known territory", ts.join(", ")),
                vec![vec!["territory".to_string()]],
            );
        } else {
            let at = &a.territory_chain[0];
            push(
                "territory",
                Status::Unmet,
                format!("the fund invests in {}; the investee is in {at}", ts.join(", ")),
                Vec::new(),
            );
        }
    }
    let wanted = e.verdict.unwrap_or(Verdict::Qualifies);
    for p in &e.profiles {
        let condition = format!("profile:{p}");
        match a.verdicts.iter().find(|v| &v.profile == p) {
            Some(v) if v.verdict == wanted => {
                push(&condition, Status::Met, format!("{p}: {}", v.verdict.as_str()), Vec::new())
            }
            Some(v) => {
                // An undecided verdict may still become the one wanted; a decided one may not.
                let status = if v.verdict == Verdict::InsufficientEvidence { Status::Unknown } else { Status::Unmet };
                let reason = format!("{p}: {} (needed: {})", v.verdict.as_str(), wanted.as_str());
                push(&condition, status, reason, v.to_decide.clone());
            }
            None => push(&condition, Status::Unknown, format!("{p}: not screened"), Vec::new()),
        }
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
