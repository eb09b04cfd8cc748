//! Evidence that would decide: for a screening left at `insufficient_evidence`, the smallest
//! sets of missing facts whose documentation could decide the verdict, either way; and, over
//! many screenings, which missing facts would decide the most (an observatory's worklist).
//!
//! A missing fact could take any value, so a set is a set of facts to *document*, not values to
//! hope for: "document {governance.voting_rule}" means that this fact alone could settle the
//! verdict, whichever way the evidence goes. A verdict becomes `qualifies` only when every
//! undecided mandatory criterion passes (or turns out not to apply), so the sets that could
//! qualify it cover every such criterion; it becomes `does_not_qualify` as soon as one fails, so
//! one criterion's set suffices.

use super::expr::{Subject, Test, Truth};
use super::profile::{Criterion, Kind, Profile};
use super::{Outcome, Verdict};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Sets of facts kept per question at most: beyond, only the smallest are kept (profiles' tests
/// are small, so this bounds pathological ones, not real ones).
const MAX_SETS: usize = 16;

/// A set of facts (and fields) to document.
pub type FactSet<'a> = BTreeSet<&'a str>;

/// Keeps the minimal sets (no set contains another), smallest first, at most [`MAX_SETS`].
fn minimal<'a>(mut sets: Vec<FactSet<'a>>) -> Vec<FactSet<'a>> {
    sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    sets.dedup();
    let mut kept: Vec<FactSet<'a>> = Vec::new();
    for s in sets {
        if !kept.iter().any(|k| k.is_subset(&s)) {
            kept.push(s);
        }
        if kept.len() == MAX_SETS {
            break;
        }
    }
    kept
}

/// Every union of one set from each list (all must hold), minimal.
fn product<'a>(lists: Vec<Vec<FactSet<'a>>>) -> Vec<FactSet<'a>> {
    let mut acc: Vec<FactSet<'a>> = vec![FactSet::new()];
    for list in lists {
        let mut next = Vec::new();
        for a in &acc {
            for b in &list {
                next.push(a.union(b).copied().collect());
            }
        }
        acc = minimal(next);
        if acc.is_empty() {
            return acc;
        }
    }
    acc
}

/// The minimal sets of missing facts whose documentation could make `test` come out `want` on
/// `subject` (`[{}]` when it already does, `[]` when nothing missing could).
fn could<'a>(test: &'a Test, subject: &dyn Subject, want: bool) -> Vec<FactSet<'a>> {
    match test {
        Test::Check(operand, _) => match (test.eval(subject), want) {
            (Truth::True, true) | (Truth::False, false) => vec![FactSet::new()],
            // What only the law sets is learned by documenting the legal form's code.
            (Truth::Unknown, _) if crate::statute::is_law_only(operand.name()) => {
                vec![FactSet::from(["legal_form.code"])]
            }
            (Truth::Unknown, _) => vec![FactSet::from([operand.name()])],
            _ => Vec::new(),
        },
        Test::Not(inner) => could(inner, subject, !want),
        Test::All(parts) | Test::Any(parts) => {
            // All-true and any-false need every part; all-false and any-true need one part.
            let every = matches!(test, Test::All(_)) == want;
            let lists: Vec<Vec<FactSet<'a>>> = parts.iter().map(|p| could(p, subject, want)).collect();
            if every { product(lists) } else { minimal(lists.into_iter().flatten().collect()) }
        }
    }
}

/// The sets that could let a criterion pass or not apply, and those that could make it fail.
fn criterion_sets<'a>(c: &'a Criterion, subject: &dyn Subject) -> (Vec<FactSet<'a>>, Vec<FactSet<'a>>) {
    let applies_true = c.applies_if.as_ref().map_or_else(|| vec![FactSet::new()], |a| could(a, subject, true));
    let applies_false = c.applies_if.as_ref().map_or_else(Vec::new, |a| could(a, subject, false));
    let mut settle = could(&c.test, subject, true);
    settle.extend(applies_false);
    let fail = product(vec![applies_true, could(&c.test, subject, false)]);
    (minimal(settle), fail)
}

/// Sets of facts in words: each set in braces, the sets joined by `separator` (" or ").
pub fn join_sets(list: &[FactSet<'_>], separator: &str) -> String {
    list.iter()
        .map(|s| format!("{{{}}}", s.iter().copied().collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(separator)
}

/// What would decide an undecided verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence<'a> {
    /// The subject's id.
    pub subject: String,
    /// The profile's id.
    pub profile: &'a str,
    /// The mandatory criteria left undecided.
    pub undecided: Vec<&'a str>,
    /// The smallest sets of facts whose documentation could make it qualify (each set covers
    /// every undecided criterion), smallest first.
    pub to_qualify: Vec<FactSet<'a>>,
    /// The smallest sets of facts whose documentation could make it not qualify (one failing
    /// criterion suffices), smallest first.
    pub to_refute: Vec<FactSet<'a>>,
}

impl Evidence<'_> {
    /// The fewest facts that could decide the verdict either way.
    pub fn fewest(&self) -> usize {
        self.to_qualify.iter().chain(&self.to_refute).map(BTreeSet::len).min().unwrap_or(0)
    }
}

/// What would decide a subject's verdict under a profile; `None` when it is decided already.
pub fn evidence<'a>(profile: &'a Profile, subject: &dyn Subject) -> Option<Evidence<'a>> {
    weigh(profile, subject).ok()
}

/// The verdict when it is decided, else what would decide it: one pass over the criteria, each
/// outcome computed once.
pub fn weigh<'a>(profile: &'a Profile, subject: &dyn Subject) -> Result<Evidence<'a>, Verdict> {
    let mut undecided = Vec::new();
    let (mut qualify_lists, mut refute) = (Vec::new(), Vec::new());
    for c in profile.criteria.iter().filter(|c| c.kind == Kind::Mandatory) {
        match super::outcome_of(c, subject) {
            Outcome::Fail => return Err(Verdict::DoesNotQualify),
            Outcome::Unknown => {
                undecided.push(c.id.as_str());
                let (settle, fail) = criterion_sets(c, subject);
                qualify_lists.push(settle);
                refute.extend(fail);
            }
            Outcome::Pass | Outcome::NotApplicable => {}
        }
    }
    if undecided.is_empty() {
        return Err(Verdict::Qualifies);
    }
    Ok(Evidence {
        subject: subject.subject_id().to_string(),
        profile: &profile.id,
        undecided,
        to_qualify: product(qualify_lists),
        to_refute: minimal(refute),
    })
}

/// One missing fact ranked by how many undecided verdicts documenting it could help decide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkItem {
    /// The fact key (or field name).
    pub key: String,
    /// Undecided verdicts where it belongs to one of the smallest deciding sets.
    pub verdicts: u64,
    /// Of those, verdicts it could decide on its own (a deciding set of one fact).
    pub alone: u64,
}

/// Counts, over undecided verdicts, the facts of their smallest deciding sets (either way).
#[derive(Debug, Clone, Default)]
pub struct Worklist {
    counts: BTreeMap<String, (u64, u64)>,
    /// Undecided verdicts counted.
    pub undecided: u64,
}

impl Worklist {
    /// Counts the facts of one undecided verdict's smallest deciding sets.
    pub fn add(&mut self, e: &Evidence<'_>) {
        self.undecided += 1;
        let best = e.fewest();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for set in e.to_qualify.iter().chain(&e.to_refute).filter(|s| s.len() == best) {
            seen.extend(set.iter().copied());
        }
        for key in seen {
            let entry = self.counts.entry(key.to_string()).or_default();
            entry.0 += 1;
            entry.1 += u64::from(best == 1);
        }
    }

    /// Adds another worklist's counts.
    pub fn merge(&mut self, other: Worklist) {
        self.undecided += other.undecided;
        for (k, (v, a)) in other.counts {
            let e = self.counts.entry(k).or_default();
            e.0 += v;
            e.1 += a;
        }
    }

    /// The facts, most verdicts first (then most decided alone, then by key).
    pub fn ranked(&self) -> Vec<WorkItem> {
        let mut items: Vec<WorkItem> =
            self.counts.iter().map(|(k, (v, a))| WorkItem { key: k.clone(), verdicts: *v, alone: *a }).collect();
        items.sort_by(|a, b| b.verdicts.cmp(&a.verdicts).then(b.alone.cmp(&a.alone)).then(a.key.cmp(&b.key)));
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screening::profile::parse_profile;

    const PROFILE: &str = r#"
id = "t"
title = "T"
version = "1"
instrument = "T"
jurisdiction = "FR"
adopted = "2024"
source_url = "https://example.org/"
subject = "actor"
claims = ["sse"]
summary = "T."

[[criteria]]
id = "profits"
title = "Profits"
kind = "mandatory"
grade = "A"
citation = "T 1"
test = { any = [
  { fact = "surplus.distribution_allowed", eq = false },
  { fact = "surplus.distribution_cap", lt = 0.5 },
] }

[[criteria]]
id = "governance"
title = "Governance"
kind = "mandatory"
grade = "A"
citation = "T 2"
test = { all = [
  { fact = "governance.voting_rule", ne = "capital_weighted" },
  { fact = "governance.stakeholder_participation", eq = true },
] }

[[criteria]]
id = "lock"
title = "Lock"
kind = "indicative"
grade = "A"
citation = "T 3"
test = { fact = "assets.lock", eq = true }
"#;

    fn actor(facts: serde_json::Value) -> crate::Actor {
        crate::testing::actor_from(serde_json::json!({"facts": facts}))
    }

    fn names<'a>(sets: &[FactSet<'a>]) -> Vec<Vec<&'a str>> {
        sets.iter().map(|s| s.iter().copied().collect()).collect()
    }

    #[test]
    fn nothing_known_needs_one_fact_per_alternative_and_every_part_of_an_all() {
        let p = parse_profile(PROFILE).unwrap();
        let a = actor(serde_json::json!({}));
        let e = evidence(&p, &a).unwrap();
        assert_eq!(e.undecided, ["profits", "governance"], "indicative criteria are not undecided verdict parts");
        // To qualify: one of the two profit facts, and both governance facts.
        assert_eq!(
            names(&e.to_qualify),
            [
                vec!["governance.stakeholder_participation", "governance.voting_rule", "surplus.distribution_allowed"],
                vec!["governance.stakeholder_participation", "governance.voting_rule", "surplus.distribution_cap"],
            ]
        );
        // To refute: either governance fact alone, or both profit facts.
        assert_eq!(
            names(&e.to_refute),
            [
                vec!["governance.stakeholder_participation"],
                vec!["governance.voting_rule"],
                vec!["surplus.distribution_allowed", "surplus.distribution_cap"],
            ]
        );
        assert_eq!(e.fewest(), 1);
    }

    #[test]
    fn what_is_known_narrows_the_sets_and_a_decided_verdict_needs_nothing() {
        let p = parse_profile(PROFILE).unwrap();
        let a = actor(
            serde_json::json!({"surplus.distribution_allowed": false, "governance.voting_rule": "one_member_one_vote"}),
        );
        let e = evidence(&p, &a).unwrap();
        assert_eq!(e.undecided, ["governance"]);
        assert_eq!(names(&e.to_qualify), [vec!["governance.stakeholder_participation"]]);
        assert_eq!(names(&e.to_refute), [vec!["governance.stakeholder_participation"]]);
        let done = actor(serde_json::json!({"surplus.distribution_allowed": true, "surplus.distribution_cap": 1.0}));
        assert!(evidence(&p, &done).is_none(), "does not qualify already");
        assert_eq!(weigh(&p, &done).unwrap_err(), Verdict::DoesNotQualify);
        let good = actor(
            serde_json::json!({"surplus.distribution_allowed": false, "governance.voting_rule": "one_member_one_vote",
            "governance.stakeholder_participation": true}),
        );
        assert_eq!(weigh(&p, &good).unwrap_err(), Verdict::Qualifies);
    }

    #[test]
    fn the_worklist_ranks_facts_by_verdicts_they_would_decide() {
        let p = parse_profile(PROFILE).unwrap();
        let mut w = Worklist::default();
        for facts in [
            serde_json::json!({}),
            serde_json::json!({"surplus.distribution_allowed": false, "governance.voting_rule": "one_member_one_vote"}),
            serde_json::json!({"governance.stakeholder_participation": true, "governance.voting_rule": "one_member_one_vote"}),
        ] {
            if let Some(e) = evidence(&p, &actor(facts)) {
                w.add(&e);
            }
        }
        assert_eq!(w.undecided, 3);
        let ranked = w.ranked();
        assert_eq!(ranked[0], WorkItem { key: "governance.stakeholder_participation".into(), verdicts: 2, alone: 2 });
        assert!(
            ranked.iter().any(|i| i.key == "surplus.distribution_allowed" && i.verdicts == 1 && i.alone == 1),
            "{ranked:?}"
        );
    }
}
