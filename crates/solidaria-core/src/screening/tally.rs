//! Counting verdicts over a register: each profile's verdict and number of contradicted claims,
//! the two figures a summary shows, without building the screenings that explain them.
//!
//! The figures are [`screen`](super::screen)'s (`verdict`, `claim_mismatches.len()`), by the same
//! rules: indicative criteria change neither, so they are not evaluated; a failing mandatory
//! criterion settles the verdict, and ends the work when the subject claims nothing. Profiles
//! screened together often share a criterion's test word for word (the UN, ILO, OECD and EU
//! definitions ask the same questions), so [`Tally`] evaluates each distinct test once per subject.

use super::expr::{Field, FieldValue, Subject};
use super::profile::{Criterion, Kind, Profile};
use super::{Outcome, Verdict, outcome_of};
use crate::actor::Claim;

/// The verdict and the number of claims it contradicts, as [`screen`](super::screen) gives them
/// (`screening.verdict`, `screening.claim_mismatches.len()`), without building the screening.
pub fn tally(profile: &Profile, subject: &dyn Subject) -> (Verdict, usize) {
    tally_with(profile, subject, |_, c| outcome_of(c, subject))
}

/// Several profiles tallied together, each distinct criterion test evaluated once per subject.
pub struct Tally<'p> {
    profiles: &'p [Profile],
    /// Per profile, per mandatory criterion (in order), the index of its test among the distinct
    /// ones.
    slots: Vec<Vec<usize>>,
    /// How many distinct (applicability, test) pairs the mandatory criteria have.
    distinct: usize,
}

impl<'p> Tally<'p> {
    /// Prepares the tally of `profiles`: finds the mandatory criteria whose applicability and
    /// test are the same.
    pub fn new(profiles: &'p [Profile]) -> Self {
        let mut seen: Vec<&Criterion> = Vec::new();
        let slots = profiles
            .iter()
            .map(|p| {
                mandatory(p)
                    .map(|c| match seen.iter().position(|s| s.test == c.test && s.applies_if == c.applies_if) {
                        Some(i) => i,
                        None => {
                            seen.push(c);
                            seen.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        Tally { profiles, slots, distinct: seen.len() }
    }

    /// Each profile's [`tally`] for `subject`, in the profiles' order.
    pub fn of(&self, subject: &dyn Subject) -> Vec<(Verdict, usize)> {
        let mut known: Vec<Option<Outcome>> = vec![None; self.distinct];
        self.profiles
            .iter()
            .zip(&self.slots)
            .map(|(p, slots)| {
                tally_with(p, subject, |i, c| *known[slots[i]].get_or_insert_with(|| outcome_of(c, subject)))
            })
            .collect()
    }

    /// How many criterion tests are evaluated at most per subject (the distinct ones).
    pub fn distinct_tests(&self) -> usize {
        self.distinct
    }
}

fn mandatory(profile: &Profile) -> impl Iterator<Item = &Criterion> {
    profile.criteria.iter().filter(|c| c.kind == Kind::Mandatory)
}

/// The tally of one profile, the outcome of its `i`-th mandatory criterion given by `outcome`.
fn tally_with(
    profile: &Profile,
    subject: &dyn Subject,
    mut outcome: impl FnMut(usize, &Criterion) -> Outcome,
) -> (Verdict, usize) {
    let mut unknown = false;
    let mut failed = false;
    // The subject's claims, read at the first failure; `None` until then.
    let mut claimed: Option<Vec<&str>> = None;
    let mut contradicted: Vec<Claim> = Vec::new();
    for (i, c) in mandatory(profile).enumerate() {
        match outcome(i, c) {
            Outcome::Fail => {
                failed = true;
                let claimed = claimed.get_or_insert_with(|| match subject.field(Field::Claims) {
                    Some(FieldValue::Set(set)) => set,
                    _ => Vec::new(),
                });
                if claimed.is_empty() {
                    return (Verdict::DoesNotQualify, 0);
                }
                for claim in c.claims.as_ref().unwrap_or(&profile.claims) {
                    if claimed.contains(&claim.as_str()) && !contradicted.contains(claim) {
                        contradicted.push(*claim);
                    }
                }
            }
            Outcome::Unknown => unknown = true,
            Outcome::Pass | Outcome::NotApplicable => {}
        }
    }
    match (failed, unknown) {
        (true, _) => (Verdict::DoesNotQualify, contradicted.len()),
        (false, true) => (Verdict::InsufficientEvidence, 0),
        (false, false) => (Verdict::Qualifies, 0),
    }
}
