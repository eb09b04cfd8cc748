//! Matching organizations and funds: for an organization, the funds whose eligibility it meets,
//! may meet once facts are documented, or does not meet, and the financial mechanisms it may use;
//! for a fund, the organizations of its territories likewise. Both rank and explain with the conditions of
//! `solidaria_core::finance::eligibility`, the ones a posted investment is checked against.

use crate::error::AppResult;
use crate::readiness::{actor, chain};
use serde_json::{Value, json};
use solidaria_core::actor::Actor;
use solidaria_core::finance::eligibility::{self, Applicant, Check, ProfileVerdict, Status, Ticket};
use solidaria_core::finance::fund::Fund;
use solidaria_core::finance::readiness::{self, Readiness};
use solidaria_core::mechanism;
use solidaria_core::screening::evidence;
use solidaria_core::screening::{Verdict, builtin, screen};
use solidaria_store::{ActorFilter, Store};
use std::collections::BTreeSet;

/// What is known of an organization for a fund: its verdicts under the fund's profiles (with
/// what would decide an undecided one), its readiness when the fund asks for a stage.
pub(crate) struct Known {
    verdicts: Vec<ProfileVerdict>,
    readiness: Option<Readiness>,
    /// Each screening's profile, version and verdict, as kept with a posting.
    screened: Vec<Value>,
}

/// An organization's verdicts under `profiles` today, with what would decide an undecided one,
/// and each screening's profile, version and verdict as kept with a posting.
fn verdicts(profiles: &[String], a: &Actor) -> (Vec<ProfileVerdict>, Vec<Value>) {
    let mut verdicts = Vec::new();
    let mut screened = Vec::new();
    for p in profiles {
        if let Some(profile) = builtin::find(p) {
            let s = screen(profile, a);
            screened.push(json!({"profile": p, "version": profile.version, "verdict": s.verdict.as_str()}));
            let to_decide = match evidence::evidence(profile, a) {
                Some(e) if s.verdict == Verdict::InsufficientEvidence => {
                    let mut sets: Vec<Vec<String>> =
                        e.to_qualify.iter().map(|s| s.iter().map(|k| k.to_string()).collect()).collect();
                    for s in &e.to_refute {
                        let s: Vec<String> = s.iter().map(|k| k.to_string()).collect();
                        if !sets.contains(&s) {
                            sets.push(s);
                        }
                    }
                    sets
                }
                _ => Vec::new(),
            };
            verdicts.push(ProfileVerdict { profile: p.clone(), verdict: s.verdict, to_decide });
        }
    }
    (verdicts, screened)
}

/// Screens an organization as a fund's eligibility needs, today.
pub(crate) fn known(fund: &Fund, a: &Actor) -> Known {
    let (verdicts, screened) = verdicts(&fund.eligibility.profiles, a);
    let readiness = fund.eligibility.readiness_min.and_then(|_| {
        let id = fund.eligibility.readiness_profile.as_deref().unwrap_or(readiness::DEFAULT);
        readiness::find(id).map(|p| readiness::assess(p, a))
    });
    Known { verdicts, readiness, screened }
}

/// Checks a fund's eligibility for an organization (and an investment, when `ticket` is given).
/// Returns the checks and what to keep as evidence.
pub(crate) fn check(fund: &Fund, a: &Actor, chain: &[String], ticket: Option<Ticket>) -> (Vec<Check>, Value) {
    let k = known(fund, a);
    let applicant = Applicant { verdicts: &k.verdicts, territory_chain: chain, readiness: k.readiness.as_ref() };
    let checks = eligibility::check(fund, &applicant, ticket);
    let mut evidence = json!({
        "investee": a.id, "territory": a.territory.as_ref().map(|t| t.to_string()),
        "screenings": k.screened,
    });
    if let Some(r) = &k.readiness {
        evidence["readiness"] = json!({
            "profile": r.profile, "version": r.profile_version, "stage": r.stage,
            "at_least": r.at_least, "at_most": r.at_most,
            "dimensions": r.dimensions.iter().map(|d| json!({"id": d.id, "stage": d.stage, "reason": d.reason})).collect::<Vec<_>>(),
        });
    }
    (checks, evidence)
}

/// A fund as matched to an organization.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FundMatch {
    /// The fund's id.
    pub fund: String,
    /// Its name.
    pub name: String,
    /// Eligible (`met`), undecided (`unknown`) or not (`unmet`).
    pub status: Status,
    /// Every condition with its reason.
    pub checks: Vec<Check>,
    /// The missing facts that would decide the undecided conditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// A financial mechanism as matched to an organization.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MechanismMatch {
    /// The mechanism's id.
    pub mechanism: String,
    /// Its name.
    pub name: String,
    /// Its kind (`loan`, `matchfunding`, …).
    pub kind: &'static str,
    /// The actor that offers it.
    pub provider: String,
    /// Usable (`met`), undecided (`unknown`) or not (`unmet`).
    pub status: Status,
    /// Every condition with its reason: families, territories, verdicts, where it is offered and
    /// whether the context it relies on holds in the organization's territory.
    pub checks: Vec<Check>,
    /// The organization's missing facts that would decide the undecided conditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// The financial mechanisms of the catalogue for an organization, ranked as [`for_actor`] ranks
/// funds (usable first, then undecided with the fewest missing facts, then the others with the
/// fewest unmet conditions); ties by mechanism id. Each is checked by
/// `solidaria_core::finance::eligibility::check_mechanism`, with its preconditions judged
/// against the context of the organization's territory.
pub fn mechanisms_for_actor(store: &mut dyn Store, actor_id: &str) -> AppResult<Vec<MechanismMatch>> {
    let a = actor(store, actor_id)?;
    let chain = chain(store, &a)?;
    let context = match &a.territory {
        Some(t) => Some(crate::innovation::context_of(store, t.as_str())?),
        None => None,
    };
    let all = solidaria_store::mechanisms(store)?;
    // Each profile any mechanism names, screened once.
    let mut profiles: Vec<String> = all.iter().flat_map(|m| m.eligibility.profiles.iter().cloned()).collect();
    profiles.sort();
    profiles.dedup();
    let (verdicts, _) = verdicts(&profiles, &a);
    let mut out = Vec::new();
    for m in all {
        let fit = match (&a.territory, &context) {
            (Some(t), Some(c)) => Some(mechanism::fit(&m, t.as_str(), &chain, c)),
            _ => None,
        };
        let applicant = Applicant { verdicts: &verdicts, territory_chain: &chain, readiness: None };
        let checks = eligibility::check_mechanism(&m, a.legal_form.family, &applicant, fit.as_ref());
        let key = eligibility::rank_key(&checks);
        let found = MechanismMatch {
            mechanism: m.id.to_string(),
            name: m.name.clone(),
            kind: m.kind.as_str(),
            provider: m.provider.to_string(),
            status: eligibility::status(&checks),
            missing: eligibility::missing(&checks),
            checks,
        };
        out.push((key, found));
    }
    Ok(ranked(out, |m| &m.mechanism))
}

/// The funds for an organization, ranked: eligible first, then undecided (fewest missing facts
/// first), then the others (fewest unmet conditions first); ties by fund id.
pub fn for_actor(store: &mut dyn Store, actor_id: &str) -> AppResult<Vec<FundMatch>> {
    let a = actor(store, actor_id)?;
    let chain = chain(store, &a)?;
    let mut out: Vec<(_, FundMatch)> = Vec::new();
    for f in crate::finance::funds(store)? {
        let (checks, _) = check(&f, &a, &chain, None);
        let key = eligibility::rank_key(&checks);
        let m = FundMatch {
            fund: f.id.to_string(),
            name: f.name.clone(),
            status: eligibility::status(&checks),
            missing: eligibility::missing(&checks),
            checks,
        };
        out.push((key, m));
    }
    Ok(ranked(out, |m| &m.fund))
}

/// Matches with their rank keys, in rank order (see [`for_actor`]), ties by `id`.
fn ranked<T>(mut out: Vec<((Status, usize, usize), T)>, id: impl Fn(&T) -> &String) -> Vec<T> {
    out.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| id(x).cmp(id(y))));
    out.into_iter().map(|(_, m)| m).collect()
}

/// An organization as matched to a fund.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ActorMatch {
    /// The actor's id.
    pub actor: String,
    /// Its name.
    pub name: String,
    /// Its territory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub territory: Option<String>,
    /// Eligible (`met`), undecided (`unknown`) or not (`unmet`).
    pub status: Status,
    /// Every condition with its reason.
    pub checks: Vec<Check>,
    /// The missing facts that would decide the undecided conditions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// The organizations of a fund's territories (every actor when it names none) other than its
/// manager and public sources, ranked as [`for_actor`] ranks funds; ties by actor id.
pub fn for_fund(store: &mut dyn Store, fund_id: &str) -> AppResult<(Fund, Vec<ActorMatch>)> {
    let f = crate::finance::fund(store, fund_id)?;
    let territories = if f.eligibility.territories.is_empty() {
        None
    } else {
        let mut all = BTreeSet::new();
        for t in &f.eligibility.territories {
            all.extend(crate::directory::territories_within(store, &t.to_string())?);
        }
        Some(all)
    };
    let actors = store.list_actors(&ActorFilter { territories, text: None, limit: None })?;
    let parents = store.territory_parents()?;
    let mut out = Vec::new();
    for a in actors.iter().filter(|a| a.id != f.manager && !f.public_sources.contains(&a.id)) {
        let chain = match &a.territory {
            Some(t) => solidaria_core::territory::ancestors(&t.to_string(), &parents),
            None => Vec::new(),
        };
        let (checks, _) = check(&f, a, &chain, None);
        let key = eligibility::rank_key(&checks);
        let m = ActorMatch {
            actor: a.id.to_string(),
            name: a.name.clone(),
            territory: a.territory.as_ref().map(|t| t.to_string()),
            status: eligibility::status(&checks),
            missing: eligibility::missing(&checks),
            checks,
        };
        out.push((key, m));
    }
    Ok((f, ranked(out, |m| &m.actor)))
}
