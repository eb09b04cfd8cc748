//! Investment readiness: how far an organization is from taking a loan or an investment, by
//! dimension (legal structure, governance, financial management, revenue model, impact
//! measurement, team), read from its documented facts by a readiness profile.
//!
//! A readiness profile is data, like a screening profile: a TOML file of dimensions and criteria
//! written in the screening test language (`crates/solidaria-core/readiness/`, embedded at build).
//! Each criterion marks a stage, `emerging` or `ready`, and is cited and graded. A dimension is
//! `ready` when every mandatory criterion of both stages passes, `emerging` when those of
//! `emerging` pass, `not_ready` when one of `emerging` fails. The organization's stage is its
//! weakest dimension's. Nothing is guessed: when a missing fact leaves a dimension between two
//! stages, the result says between which, and which facts would decide. Each stage of a dimension
//! is screened as a screening profile whose mandatory criteria are that stage's, so the outcomes,
//! their reasons and the evidence that would decide are the screening engine's.

use crate::actor::{Actor, BuildingBlock};
use crate::screening::evidence::{self, Evidence, FactSet};
use crate::screening::expr::{Field, Subject};
use crate::screening::profile::{Criterion, Grade, Kind, Profile, ProfileError, SubjectKind};
use crate::screening::{Outcome, Verdict, screen};
use crate::text::{PartialDate, WebUrl};
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// A stage of investment readiness, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The basics an intermediary starts from are not met.
    NotReady,
    /// The basics are met; a readiness programme can take it further.
    Emerging,
    /// What a loan or investment file needs is met.
    Ready,
}

impl Stage {
    /// Every stage, lowest first.
    pub const ALL: [Stage; 3] = [Stage::NotReady, Stage::Emerging, Stage::Ready];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::NotReady => "not_ready",
            Stage::Emerging => "emerging",
            Stage::Ready => "ready",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Stage> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One dimension of a readiness profile, with each stage as a screening profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    /// Id (`governance`, `revenue_model`, …).
    pub id: String,
    /// Title.
    pub title: String,
    /// What it looks at.
    pub summary: Option<String>,
    /// The stage each criterion marks, by criterion id.
    pub stages: Vec<(String, Stage)>,
    /// The criteria of `emerging` (mandatory ones decide).
    pub emerging: Profile,
    /// Every criterion of the dimension (those of `emerging` and of `ready`).
    pub ready: Profile,
}

/// A readiness profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadinessProfile {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Version (changes whenever a criterion changes).
    pub version: String,
    /// The programmes and literature it reads.
    pub instrument: String,
    /// Where to read about it.
    pub source_url: WebUrl,
    /// What it is for and how it reads its sources.
    pub summary: Option<String>,
    /// The dimensions, in file order.
    pub dimensions: Vec<Dimension>,
}

mod parse;
pub use parse::parse_readiness;

/// The built-in readiness profile files: id (the file stem) and TOML text, in file-name order.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/readiness.rs"));

/// The readiness profile used when none is named.
pub const DEFAULT: &str = "social-finance-readiness";

static BUILTIN: LazyLock<Vec<ReadinessProfile>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(id, text)| match parse_readiness(text) {
            Ok(p) => p,
            // The files are part of the source tree and a unit test parses each of them, so a
            // failure here is a build defect, not bad user input.
            Err(errors) => panic!("built-in readiness profile {id} is invalid: {errors:?}"),
        })
        .collect()
});

/// Every built-in readiness profile, in file-name order.
pub fn builtin() -> &'static [ReadinessProfile] {
    &BUILTIN
}

/// A built-in readiness profile by id.
pub fn find(id: &str) -> Option<&'static ReadinessProfile> {
    builtin().iter().find(|p| p.id == id)
}

/// One criterion's outcome in an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionReport {
    /// Criterion id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The stage it marks.
    pub stage: Stage,
    /// Mandatory or indicative.
    pub kind: Kind,
    /// Research grade.
    pub grade: Grade,
    /// Outcome.
    pub outcome: Outcome,
    /// Why, naming the facts and values used.
    pub reason: String,
    /// Where it comes from.
    pub citation: String,
    /// How the source was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The facts it reads that are not documented.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// One dimension's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionReport {
    /// Dimension id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The stage, when the documented facts decide it.
    pub stage: Option<Stage>,
    /// The stage the documented facts establish.
    pub at_least: Stage,
    /// The highest stage still possible.
    pub at_most: Stage,
    /// Why, in words.
    pub reason: String,
    /// The smallest sets of missing facts whose documentation could decide the stage.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to_decide: Vec<Vec<String>>,
    /// Every criterion, in file order.
    pub criteria: Vec<CriterionReport>,
}

/// A readiness assessment of one organization.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    /// The organization.
    pub subject: String,
    /// The readiness profile's id.
    pub profile: String,
    /// Its version.
    pub profile_version: String,
    /// The stage (the weakest dimension's), when the documented facts decide it.
    pub stage: Option<Stage>,
    /// The stage the documented facts establish.
    pub at_least: Stage,
    /// The highest stage still possible.
    pub at_most: Stage,
    /// Every dimension.
    pub dimensions: Vec<DimensionReport>,
    /// The facts whose documentation could decide an undecided stage, across dimensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl Readiness {
    /// The stage in words: `ready`, or `between not_ready and emerging`.
    pub fn stage_text(&self) -> String {
        match self.stage {
            Some(s) => s.to_string(),
            None => format!("between {} and {}", self.at_least, self.at_most),
        }
    }
}

fn sets(list: &[FactSet<'_>]) -> Vec<Vec<String>> {
    list.iter().map(|s| s.iter().map(|k| k.to_string()).collect()).collect()
}

/// The sets of an undecided stage profile: those that could lift it, then those that could
/// settle it lower, without repeats.
fn deciding(e: &Evidence<'_>) -> Vec<Vec<String>> {
    let mut out = sets(&e.to_qualify);
    for s in sets(&e.to_refute) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The facts (and fields) a criterion reads that the actor does not have.
fn missing_of(c: &Criterion, actor: &Actor) -> Vec<String> {
    c.reads
        .iter()
        .filter(|name| match Field::parse(name) {
            Some(f) => actor.field(f).is_none(),
            None => actor.fact(name).is_none(),
        })
        .cloned()
        .collect()
}

fn titles<'a>(d: &'a Dimension, r: &[CriterionReport], stage: Stage, outcome: Outcome) -> Vec<&'a str> {
    d.ready
        .criteria
        .iter()
        .zip(r)
        .filter(|(c, x)| c.kind == Kind::Mandatory && x.stage == stage && x.outcome == outcome)
        .map(|(c, _)| c.title.as_str())
        .collect()
}

/// Assesses one dimension.
fn dimension(d: &Dimension, actor: &Actor) -> DimensionReport {
    let screening = screen(&d.ready, actor);
    let criteria: Vec<CriterionReport> = d
        .ready
        .criteria
        .iter()
        .zip(&screening.criteria)
        .map(|(c, r)| CriterionReport {
            id: c.id.clone(),
            title: c.title.clone(),
            stage: d.stages.iter().find(|(id, _)| id == &c.id).map_or(Stage::Ready, |(_, s)| *s),
            kind: c.kind,
            grade: c.grade,
            outcome: r.outcome,
            reason: r.reason.to_string(),
            citation: c.citation.clone(),
            note: c.note.clone(),
            missing: if r.outcome == Outcome::Unknown { missing_of(c, actor) } else { Vec::new() },
        })
        .collect();
    let e = evidence::weigh(&d.emerging, actor);
    let r = evidence::weigh(&d.ready, actor);
    use Stage::{Emerging, NotReady, Ready};
    let (at_least, at_most, to_decide) = match (&e, &r) {
        (Err(Verdict::DoesNotQualify), _) => (NotReady, NotReady, Vec::new()),
        (Err(Verdict::Qualifies), Err(Verdict::Qualifies)) => (Ready, Ready, Vec::new()),
        (Err(Verdict::Qualifies), Err(_)) => (Emerging, Emerging, Vec::new()),
        (Err(_), Ok(ev)) => (Emerging, Ready, deciding(ev)),
        (Ok(ev), Err(Verdict::DoesNotQualify)) => (NotReady, Emerging, deciding(ev)),
        (Ok(ev), _) => (NotReady, Ready, deciding(ev)),
        // `weigh` gives a decided verdict only as qualifies or does not qualify.
        (Err(Verdict::InsufficientEvidence), Err(_)) => (NotReady, Ready, Vec::new()),
    };
    let list = |v: Vec<&str>| v.join("; ");
    let reason = match (at_least, at_most) {
        (NotReady, NotReady) => format!("not ready: {}", list(titles(d, &criteria, Emerging, Outcome::Fail))),
        (Emerging, Emerging) => {
            format!("emerging; for ready, not met: {}", list(titles(d, &criteria, Ready, Outcome::Fail)))
        }
        (Ready, Ready) => "ready: every mandatory criterion is met".to_string(),
        (lo, hi) => format!(
            "between {lo} and {hi}: document {}",
            to_decide.iter().map(|s| format!("{{{}}}", s.join(", "))).collect::<Vec<_>>().join(" or ")
        ),
    };
    DimensionReport {
        id: d.id.clone(),
        title: d.title.clone(),
        stage: (at_least == at_most).then_some(at_least),
        at_least,
        at_most,
        reason,
        to_decide,
        criteria,
    }
}

/// Assesses an organization's readiness: each dimension's stage with its reasons, and the
/// organization's stage, its weakest dimension's.
pub fn assess(profile: &ReadinessProfile, actor: &Actor) -> Readiness {
    let dimensions: Vec<DimensionReport> = profile.dimensions.iter().map(|d| dimension(d, actor)).collect();
    let at_least = dimensions.iter().map(|d| d.at_least).min().unwrap_or(Stage::NotReady);
    let at_most = dimensions.iter().map(|d| d.at_most).min().unwrap_or(Stage::NotReady);
    let mut missing: BTreeSet<String> = BTreeSet::new();
    if at_least != at_most {
        for d in dimensions.iter().filter(|d| d.stage.is_none() && d.at_least < at_most) {
            missing.extend(d.to_decide.iter().flatten().cloned());
        }
    }
    Readiness {
        subject: actor.id.to_string(),
        profile: profile.id.clone(),
        profile_version: profile.version.clone(),
        stage: (at_least == at_most).then_some(at_least),
        at_least,
        at_most,
        dimensions,
        missing: missing.into_iter().collect(),
    }
}

/// An actor of the organization's territory (or one it is in) who could help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Helper {
    /// Actor id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its territory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub territory: Option<String>,
}

/// One thing to do, in a dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The dimension.
    pub dimension: String,
    /// The criterion.
    pub criterion: String,
    /// What to do, in words.
    pub action: String,
}

/// What to do next and who could help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextSteps {
    /// For every dimension not yet ready: each mandatory criterion not met (lowest stage first),
    /// to meet or to document.
    pub steps: Vec<Step>,
    /// Capacity-building actors of the territory and the territories it is in, nearest first.
    pub capacity_building: Vec<Helper>,
    /// Finance actors of the territory and the territories it is in, nearest first.
    pub finance: Vec<Helper>,
}

/// The next steps of an assessment, with the actors of `nearby` (the actors of the
/// organization's territory and of the territories it is in; `chain` is that territory first,
/// then its ancestors) that serve capacity building or finance, nearest first.
pub fn next_steps(r: &Readiness, subject: &str, chain: &[String], nearby: &[Actor]) -> NextSteps {
    let mut steps = Vec::new();
    for d in r.dimensions.iter().filter(|d| d.at_least < Stage::Ready) {
        for stage in [Stage::Emerging, Stage::Ready] {
            for c in d.criteria.iter().filter(|c| c.kind == Kind::Mandatory && c.stage == stage) {
                let action = match c.outcome {
                    Outcome::Fail => format!("meet \"{}\" ({stage}): {}", c.title, c.reason),
                    Outcome::Unknown => {
                        format!("document {} (\"{}\", {stage})", c.missing.join(", "), c.title)
                    }
                    Outcome::Pass | Outcome::NotApplicable => continue,
                };
                steps.push(Step { dimension: d.id.clone(), criterion: c.id.clone(), action });
            }
        }
    }
    let near = |a: &Actor| {
        let t = a.territory.as_ref().map(|t| t.to_string());
        t.as_ref().and_then(|t| chain.iter().position(|c| c == t)).unwrap_or(usize::MAX)
    };
    let helpers = |role: BuildingBlock| {
        let mut found: Vec<&Actor> = nearby
            .iter()
            .filter(|a| a.id.as_str() != subject && a.roles.contains(&role) && near(a) != usize::MAX)
            .collect();
        found.sort_by(|a, b| (near(a), &a.name, a.id.as_str()).cmp(&(near(b), &b.name, b.id.as_str())));
        found
            .into_iter()
            .map(|a| Helper {
                id: a.id.to_string(),
                name: a.name.clone(),
                territory: a.territory.as_ref().map(|t| t.to_string()),
            })
            .collect()
    };
    NextSteps {
        steps,
        capacity_building: helpers(BuildingBlock::CapacityBuilding),
        finance: helpers(BuildingBlock::Finance),
    }
}

#[cfg(test)]
mod tests;
