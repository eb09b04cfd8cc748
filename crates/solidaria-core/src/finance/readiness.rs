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
use crate::screening::profile::parse::{Checker, Lines, RawTest, check_test, is_profile_id, kind_and_grade};
use crate::screening::profile::{Criterion, Grade, Kind, MAX_PROFILE_BYTES, Profile, ProfileError, SubjectKind};
use crate::screening::{Outcome, Verdict, screen};
use crate::text::{PartialDate, WebUrl};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::LazyLock;
use toml::Spanned;

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
        f.write_str(self.as_str())
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

/// A dimension's criteria with the stage each marks, while parsing.
type StagedCriteria = Vec<(Criterion, Stage)>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReadiness {
    id: Spanned<String>,
    title: String,
    version: String,
    instrument: String,
    adopted: Spanned<String>,
    source_url: Spanned<String>,
    #[serde(default)]
    summary: Option<String>,
    dimensions: Vec<Spanned<RawDimension>>,
    criteria: Vec<Spanned<RawCriterion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    dimension: Spanned<String>,
    stage: Spanned<String>,
    title: String,
    kind: Spanned<String>,
    grade: Spanned<String>,
    citation: String,
    #[serde(default)]
    note: Option<String>,
    test: Spanned<RawTest>,
}

/// Parses and checks a readiness profile file; every problem is reported with its line.
///
/// Rules: ids in lowercase letters, digits and '-' ('_' and '.' too for dimensions and
/// criteria); every criterion names a declared dimension and a stage (`emerging` or `ready`);
/// a criterion graded C is indicative with a note saying it is unverified; tests read keys of the
/// actor vocabulary; every dimension has at least one mandatory criterion of `emerging`.
pub fn parse_readiness(text: &str) -> Result<ReadinessProfile, Vec<ProfileError>> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(vec![ProfileError {
            line: 1,
            message: format!("expected a profile of at most {MAX_PROFILE_BYTES} bytes, found {} bytes", text.len()),
        }]);
    }
    let raw: RawReadiness = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| Lines(text).of(s.start));
        vec![ProfileError { line, message: e.message().trim().to_string() }]
    })?;
    let mut c = Checker { lines: Lines(text), errors: Vec::new(), subject: SubjectKind::Actor };
    let id = raw.id.get_ref().clone();
    if !is_profile_id(&id) {
        c.err(raw.id.span().start, format!("id: expected lowercase letters, digits and '-', found {id:?}"));
    }
    let adopted = PartialDate::parse(raw.adopted.get_ref()).map_err(|e| {
        c.err(raw.adopted.span().start, format!("adopted: expected {e}, found {:?}", raw.adopted.get_ref()))
    });
    let source_url = WebUrl::parse(raw.source_url.get_ref()).map_err(|e| {
        c.err(raw.source_url.span().start, format!("source_url: expected {e}, found {:?}", raw.source_url.get_ref()))
    });
    for (name, value) in [("title", &raw.title), ("version", &raw.version), ("instrument", &raw.instrument)] {
        if value.trim().is_empty() {
            c.err(raw.id.span().start, format!("{name}: expected a non-empty text"));
        }
    }
    let part_id = |s: &str| is_profile_id(&s.replace(['.', '_'], "-"));
    let mut dims: Vec<(RawDimension, usize, StagedCriteria)> = Vec::new();
    if raw.dimensions.is_empty() {
        c.err(text.len(), "dimensions: expected at least one [[dimensions]] table");
    }
    for rd in raw.dimensions {
        let at = rd.span().start;
        let rd = rd.into_inner();
        let did = rd.id.get_ref().clone();
        if !part_id(&did) {
            c.err(
                rd.id.span().start,
                format!("dimensions.id: expected lowercase letters, digits, '_' and '-', found {did:?}"),
            );
        }
        if dims.iter().any(|(d, _, _)| d.id.get_ref() == &did) {
            c.err(rd.id.span().start, format!("dimensions.id: {did:?} is used twice"));
        }
        if rd.title.trim().is_empty() {
            c.err(at, format!("{did}: title: expected a non-empty text"));
        }
        dims.push((rd, at, Vec::new()));
    }
    let mut seen: Vec<String> = Vec::new();
    for rc in raw.criteria {
        let at = rc.span().start;
        let rc = rc.into_inner();
        let cid = rc.id.get_ref().clone();
        if !part_id(&cid) {
            c.err(
                rc.id.span().start,
                format!("criteria.id: expected lowercase letters, digits, '.', '_' and '-', found {cid:?}"),
            );
        }
        if seen.contains(&cid) {
            c.err(rc.id.span().start, format!("criteria.id: {cid:?} is used twice; ids must be unique"));
        }
        seen.push(cid.clone());
        let stage = match rc.stage.get_ref().as_str() {
            "emerging" => Some(Stage::Emerging),
            "ready" => Some(Stage::Ready),
            other => {
                c.err(
                    rc.stage.span().start,
                    format!("{cid}: stage: expected \"emerging\" or \"ready\", found {other:?}"),
                );
                None
            }
        };
        let slot = dims.iter().position(|(d, _, _)| d.id.get_ref() == rc.dimension.get_ref());
        if slot.is_none() {
            let names: Vec<&str> = dims.iter().map(|(d, _, _)| d.id.get_ref().as_str()).collect();
            c.err(
                rc.dimension.span().start,
                format!(
                    "{cid}: dimension: expected {}, found {:?}",
                    crate::error::one_of(&names),
                    rc.dimension.get_ref()
                ),
            );
        }
        let (kind, grade) = kind_and_grade(&mut c, &cid, &rc.kind, &rc.grade, rc.note.as_deref());
        if rc.citation.trim().is_empty() || rc.title.trim().is_empty() {
            c.err(at, format!("{cid}: title and citation: expected non-empty texts"));
        }
        let test = check_test(&mut c, rc.test, &format!("{cid}: test"), 0);
        let (Some(test), Some(stage), Some(slot)) = (test, stage, slot) else { continue };
        let mut reads: Vec<String> = Vec::new();
        for o in test.operands() {
            if !reads.iter().any(|r| r == o.name()) {
                reads.push(o.name().to_string());
            }
        }
        let line = c.lines.of(at);
        dims[slot].2.push((
            Criterion {
                id: cid,
                title: rc.title,
                kind,
                grade,
                citation: rc.citation,
                note: rc.note,
                claims: None,
                applies_if: None,
                test,
                reads,
                line,
            },
            stage,
        ));
    }
    for (d, at, criteria) in &dims {
        if !criteria.iter().any(|(cr, s)| *s == Stage::Emerging && cr.kind == Kind::Mandatory) {
            c.err(*at, format!("{}: expected at least one mandatory criterion of stage \"emerging\"", d.id.get_ref()));
        }
    }
    let (true, Ok(adopted), Ok(source_url)) = (c.errors.is_empty(), adopted, source_url) else {
        let mut errors = c.errors;
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    };
    let stage_profile = |dim: &str, stage: Stage, criteria: Vec<Criterion>| Profile {
        id: format!("{id}.{dim}.{stage}"),
        order: None,
        title: format!("{}: {dim}, {stage}", raw.title),
        version: raw.version.clone(),
        instrument: raw.instrument.clone(),
        jurisdiction: "global".into(),
        adopted: adopted.clone(),
        source_url: source_url.clone(),
        subject: SubjectKind::Actor,
        claims: Vec::new(),
        summary: None,
        criteria,
    };
    let dimensions = dims
        .into_iter()
        .map(|(d, _, criteria)| {
            let did = d.id.into_inner();
            let stages = criteria.iter().map(|(cr, s)| (cr.id.clone(), *s)).collect();
            let emerging: Vec<Criterion> =
                criteria.iter().filter(|(_, s)| *s == Stage::Emerging).map(|(cr, _)| cr.clone()).collect();
            let all: Vec<Criterion> = criteria.into_iter().map(|(cr, _)| cr).collect();
            Dimension {
                emerging: stage_profile(&did, Stage::Emerging, emerging),
                ready: stage_profile(&did, Stage::Ready, all),
                id: did,
                title: d.title,
                summary: d.summary,
                stages,
            }
        })
        .collect();
    Ok(ReadinessProfile {
        id,
        title: raw.title,
        version: raw.version,
        instrument: raw.instrument,
        source_url,
        summary: raw.summary,
        dimensions,
    })
}

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
mod tests {
    use super::*;
    use crate::finance::eligibility::{self, Applicant, ProfileVerdict, Status};
    use crate::finance::fund::Fund;
    use crate::record::{Record, parse_record};
    use serde_json::{Value, json};

    fn actor(facts: Value) -> Actor {
        let v = json!({"type": "actor", "id": "coop", "name": "Coop", "territory": "CA-QC",
            "legal_form": {"family": "cooperative"}, "facts": facts});
        match parse_record(&v) {
            Ok(Record::Actor(a)) => a,
            other => panic!("{other:?}"),
        }
    }

    /// Every fact the built-in profile reads, at the `ready` level.
    fn ready_facts() -> Value {
        json!({"purpose.statutory_mission": true, "governance.members_elect_board": true,
            "transparency.public_accounts": true, "finance.annual_accounts": true,
            "finance.accounts_audited": true, "income.trading_share": 0.7, "finance.business_plan": true,
            "impact.indicators": true, "transparency.impact_report": true, "employees.count": 4,
            "team.finance_lead": true, "assets.lock": true})
    }

    fn profile() -> &'static ReadinessProfile {
        find(DEFAULT).expect("the default readiness profile is built in")
    }

    fn dim<'a>(r: &'a Readiness, id: &str) -> &'a DimensionReport {
        r.dimensions.iter().find(|d| d.id == id).unwrap_or_else(|| panic!("no dimension {id}"))
    }

    #[test]
    fn every_builtin_readiness_profile_parses() {
        for (id, text) in FILES {
            let p = parse_readiness(text).unwrap_or_else(|e| panic!("{id}: {e:?}"));
            assert_eq!(&p.id, id);
            let dims: Vec<&str> = p.dimensions.iter().map(|d| d.id.as_str()).collect();
            for d in
                ["governance", "financial_management", "revenue_model", "impact_measurement", "team", "legal_structure"]
            {
                assert!(dims.contains(&d), "{id}: {d} in {dims:?}");
            }
        }
        assert!(builtin().iter().any(|p| p.id == DEFAULT));
    }

    #[test]
    fn all_facts_met_is_ready_and_one_missing_basic_is_not_ready() {
        let r = assess(profile(), &actor(ready_facts()));
        assert_eq!(r.stage, Some(Stage::Ready), "{r:#?}");
        assert!(r.missing.is_empty());

        let mut facts = ready_facts();
        facts["finance.annual_accounts"] = json!(false);
        let r = assess(profile(), &actor(facts));
        assert_eq!(r.stage, Some(Stage::NotReady));
        let d = dim(&r, "financial_management");
        assert_eq!(d.stage, Some(Stage::NotReady));
        assert!(d.reason.contains("Annual financial statements are prepared"), "{}", d.reason);
        assert_eq!(dim(&r, "team").stage, Some(Stage::Ready), "other dimensions keep their own stage");
    }

    #[test]
    fn a_failing_ready_criterion_leaves_the_dimension_emerging() {
        let mut facts = ready_facts();
        facts["finance.business_plan"] = json!(false);
        let r = assess(profile(), &actor(facts));
        assert_eq!(r.stage, Some(Stage::Emerging));
        let d = dim(&r, "revenue_model");
        assert_eq!(d.stage, Some(Stage::Emerging));
        assert!(d.reason.contains("A business plan with financial projections"), "{}", d.reason);
    }

    #[test]
    fn an_unverified_criterion_never_changes_the_stage() {
        let mut facts = ready_facts();
        facts["income.trading_share"] = json!(0.2);
        facts["assets.lock"] = json!(false);
        assert_eq!(assess(profile(), &actor(facts)).stage, Some(Stage::Ready));
    }

    #[test]
    fn a_missing_fact_leaves_the_stage_between_two_and_names_the_fact() {
        let mut facts = ready_facts();
        facts.as_object_mut().unwrap().remove("finance.accounts_audited");
        let r = assess(profile(), &actor(facts));
        assert_eq!(r.stage, None);
        assert_eq!((r.at_least, r.at_most), (Stage::Emerging, Stage::Ready));
        assert_eq!(r.stage_text(), "between emerging and ready");
        assert_eq!(r.missing, vec!["finance.accounts_audited".to_string()]);
        let d = dim(&r, "financial_management");
        assert_eq!(d.to_decide, vec![vec!["finance.accounts_audited".to_string()]]);
        let c = d.criteria.iter().find(|c| c.id == "finance.accounts_audited").unwrap();
        assert_eq!(c.outcome, Outcome::Unknown);
        assert_eq!(c.missing, vec!["finance.accounts_audited".to_string()]);

        // Nothing documented: every dimension is undecided, nothing is guessed.
        let r = assess(profile(), &actor(json!({})));
        assert_eq!((r.stage, r.at_least, r.at_most), (None, Stage::NotReady, Stage::Ready));
        assert!(r.missing.contains(&"impact.indicators".to_string()), "{:?}", r.missing);
        // A decided weak dimension decides the whole whatever the others.
        let r = assess(profile(), &actor(json!({"impact.indicators": false})));
        assert_eq!(r.stage, Some(Stage::NotReady));
    }

    #[test]
    fn next_steps_name_the_criteria_and_the_nearest_helpers() {
        let mut facts = ready_facts();
        facts["finance.business_plan"] = json!(false);
        facts.as_object_mut().unwrap().remove("impact.indicators");
        let subject = actor(facts);
        let r = assess(profile(), &subject);
        let helper = |id: &str, territory: &str, roles: Value| match parse_record(
            &json!({"type": "actor", "id": id, "name": id.to_uppercase(), "territory": territory, "roles": roles}),
        ) {
            Ok(Record::Actor(a)) => a,
            other => panic!("{other:?}"),
        };
        let nearby = vec![
            helper("national-fund", "CA", json!(["finance"])),
            helper("chantier", "CA-QC", json!(["capacity_building", "finance"])),
            helper("far", "FR", json!(["finance"])),
            helper("policy-only", "CA-QC", json!(["policy"])),
        ];
        let chain = vec!["CA-QC".to_string(), "CA".to_string()];
        let n = next_steps(&r, "coop", &chain, &nearby);
        let actions: Vec<&str> = n.steps.iter().map(|s| s.action.as_str()).collect();
        assert!(
            actions.iter().any(|a| a.starts_with("meet \"A business plan with financial projections\" (ready)")),
            "{actions:?}"
        );
        assert!(actions.iter().any(|a| a.starts_with("document impact.indicators")), "{actions:?}");
        let ids = |h: &[Helper]| h.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&n.capacity_building), vec!["chantier"]);
        assert_eq!(ids(&n.finance), vec!["chantier", "national-fund"], "nearest first, outside the chain left out");
    }

    #[test]
    fn readiness_profiles_are_checked() {
        let bad = r#"
id = "x"
title = "X"
version = "1"
instrument = "I"
adopted = "2023"
source_url = "https://example.org"

[[dimensions]]
id = "governance"
title = "Governance"

[[criteria]]
id = "a"
dimension = "nope"
stage = "later"
title = "A"
kind = "mandatory"
grade = "C"
citation = "c"
test = { fact = "no.such.key", eq = true }
"#;
        let errors = parse_readiness(bad).unwrap_err();
        let text = format!("{errors:?}");
        for part in [
            "dimension: expected",
            "stage: expected",
            "graded C",
            "vocabulary",
            "governance: expected at least one mandatory",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
        assert!(errors.iter().all(|e| e.line > 1), "{errors:?}");
    }

    fn fund(eligibility: Value) -> Fund {
        Fund::parse(&json!({"type": "fund", "id": "f", "name": "F", "manager": "m", "currency": "CAD",
            "eligibility": eligibility}))
        .unwrap()
    }

    #[test]
    fn matching_reasons_say_what_is_met_missing_and_unmet() {
        let f = fund(json!({"profiles": ["qc-2013"], "territories": ["CA-QC"], "readiness_min": "emerging"}));
        let mut facts = ready_facts();
        facts.as_object_mut().unwrap().remove("impact.indicators");
        let subject = actor(facts);
        let r = assess(profile(), &subject);
        let verdicts = [ProfileVerdict {
            profile: "qc-2013".into(),
            verdict: crate::screening::Verdict::InsufficientEvidence,
            to_decide: vec![vec!["surplus.distribution_allowed".into()]],
        }];
        let chain = ["CA-QC".to_string(), "CA".to_string()];
        let checks = eligibility::check(
            &f,
            &Applicant { verdicts: &verdicts, territory_chain: &chain, readiness: Some(&r) },
            None,
        );
        let by = |c: &str| checks.iter().find(|x| x.condition == c).unwrap_or_else(|| panic!("{c} in {checks:?}"));
        assert_eq!(by("territory").status, Status::Met);
        assert_eq!(by("profile:qc-2013").status, Status::Unknown);
        assert_eq!(by("profile:qc-2013").to_decide, vec![vec!["surplus.distribution_allowed".to_string()]]);
        assert_eq!(by("readiness").status, Status::Unknown);
        assert_eq!(by("readiness").to_decide, vec![vec!["impact.indicators".to_string()]]);
        assert_eq!(eligibility::status(&checks), Status::Unknown);
        assert_eq!(eligibility::missing(&checks), vec!["surplus.distribution_allowed", "impact.indicators"]);

        // Outside the territory and not ready: unmet, ranked after the undecided.
        let mut weak = ready_facts();
        weak["impact.indicators"] = json!(false);
        let r2 = assess(profile(), &actor(weak));
        let on = ["CA-ON".to_string(), "CA".to_string()];
        let checks2 = eligibility::check(
            &f,
            &Applicant { verdicts: &verdicts, territory_chain: &on, readiness: Some(&r2) },
            None,
        );
        assert_eq!(eligibility::status(&checks2), Status::Unmet);
        assert!(eligibility::rank_key(&checks) < eligibility::rank_key(&checks2));
        let why = eligibility::decide(&checks2).unwrap_err();
        assert!(why.contains("the investee is in CA-ON") && why.contains("not_ready (needed: emerging)"), "{why}");
    }

    #[test]
    fn a_fund_keeps_its_readiness_requirement() {
        let f = fund(json!({"readiness_min": "ready", "readiness_profile": DEFAULT}));
        assert_eq!(f.eligibility.readiness_min, Some(Stage::Ready));
        assert_eq!(Fund::parse(&f.to_json()).unwrap(), f);
        let bad = Fund::parse(&json!({"type": "fund", "id": "f", "name": "F", "manager": "m", "currency": "CAD",
            "eligibility": {"readiness_min": "almost", "readiness_profile": "nope"}}))
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"eligibility.readiness_min") && fields.contains(&"eligibility.readiness_profile"),
            "{fields:?}"
        );
    }
}
