//! Screening: a profile applied to a subject, criterion by criterion, each outcome explained and
//! cited, with the overall verdict and the claims it contradicts.
//!
//! - [`expr`]: the test language and its three-valued evaluation.
//! - [`profile`]: profiles and their parsing from TOML files.
//! - [`builtin`]: the profiles shipped in the binary.
//! - [`phrase`]: reasons as structure (clauses and joints) and their English words.
//! - [`evidence`]: which missing facts would decide an undecided verdict, and the worklist of
//!   the facts that would decide the most.
//!
//! Rules (DESIGN §2): a criterion gives `pass`, `fail`, `unknown` (a fact it needs is missing) or
//! `not_applicable`. The verdict is `qualifies` when every applicable mandatory criterion passes,
//! `does_not_qualify` when one fails, `insufficient_evidence` otherwise. Indicative criteria never
//! change the verdict. A screening keeps the profile's id and version and every fact it read (or
//! found missing), so it can be reproduced and explained later.

pub mod builtin;
pub mod evidence;
pub mod expr;
pub mod phrase;
mod prepared;
pub mod profile;
mod tally;
pub use prepared::Prepared;
pub use tally::{Tally, tally};

use crate::actor::{Actor, Claim};
use crate::fact::Fact;
use crate::statute::StatutoryFact;
use expr::{Basis, Field, FieldValue, Operand, Subject, Truth};
use profile::{Criterion, Grade, Kind, Profile};
use serde::Serialize;
use std::collections::BTreeMap;

/// The outcome of one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The facts meet the criterion.
    Pass,
    /// The facts contradict it.
    Fail,
    /// A fact it needs is missing.
    Unknown,
    /// It does not apply to this subject.
    NotApplicable,
}

impl Outcome {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Unknown => "unknown",
            Outcome::NotApplicable => "not_applicable",
        }
    }
}

/// The overall verdict of a screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every applicable mandatory criterion passes.
    Qualifies,
    /// A mandatory criterion fails.
    DoesNotQualify,
    /// None fails, but some cannot be decided for lack of facts.
    InsufficientEvidence,
}

impl Verdict {
    /// Every verdict, in report order.
    pub const ALL: [Verdict; 3] = [Verdict::Qualifies, Verdict::DoesNotQualify, Verdict::InsufficientEvidence];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Qualifies => "qualifies",
            Verdict::DoesNotQualify => "does_not_qualify",
            Verdict::InsufficientEvidence => "insufficient_evidence",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Verdict> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The result of one criterion, as reported. Texts that come from the profile are borrowed from
/// it, so screening a million actors copies no titles or citations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult<'a> {
    /// The criterion's id.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Mandatory or indicative.
    pub kind: Kind,
    /// Confidence grade of its research.
    pub grade: Grade,
    /// The outcome.
    pub outcome: Outcome,
    /// Why, in plain words naming the facts and values used (written when displayed).
    pub reason: Reason<'a>,
    /// Instrument and article.
    pub citation: &'a str,
    /// The criterion's note (how the text was read, caveats).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
}

/// A claim of the subject that the verdict contradicts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimMismatch<'a> {
    /// The claim.
    pub claim: Claim,
    /// The failing criterion that contradicts it.
    pub criterion: &'a str,
    /// Why, in plain words (written when displayed).
    pub reason: MismatchReason<'a>,
}

/// A profile applied to one subject. It borrows from both; serialise it to keep it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Screening<'a> {
    /// The subject's id.
    pub subject: &'a str,
    /// The profile's id.
    pub profile: &'a str,
    /// The profile's version.
    pub profile_version: &'a str,
    /// The verdict.
    pub verdict: Verdict,
    /// Every criterion, in profile order.
    pub criteria: Vec<CriterionResult<'a>>,
    /// Claims the verdict contradicts.
    pub claim_mismatches: Vec<ClaimMismatch<'a>>,
    /// Every fact and field read, with its value and evidence (`null` when not documented).
    pub facts_used: FactsUsed<'a>,
    /// The facts read that only the organization declared (a self-assessment no moderator
    /// verified), by key; left out when there are none.
    #[serde(skip_serializing_if = "SelfDeclared::is_empty")]
    pub self_declared: SelfDeclared<'a>,
}

/// The self-declared facts a screening read, gathered when serialised or asked for.
#[derive(Clone, Copy)]
pub struct SelfDeclared<'a>(FactsUsed<'a>);

impl<'a> SelfDeclared<'a> {
    /// The keys of the facts read that are documented as self-declared, in key order.
    pub fn keys(&self) -> Vec<&'a str> {
        let (profile, subject) = (self.0.profile, self.0.subject);
        let mut keys: Vec<&'a str> = profile
            .criteria
            .iter()
            .flat_map(|c| c.applies_if.iter().flat_map(|t| t.operands()).chain(c.test.operands()))
            .filter_map(|o| match o {
                Operand::Fact(key) => match expr::basis(subject, key) {
                    Basis::Documented(f) if f.provenance.is_self_declared() => Some(&key[..]),
                    _ => None,
                },
                Operand::Field(_) => None,
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// How many facts read are self-declared.
    pub fn count(&self) -> usize {
        self.keys().len()
    }

    /// Whether no fact read is self-declared.
    pub fn is_empty(&self) -> bool {
        self.keys().is_empty()
    }
}

impl std::fmt::Debug for SelfDeclared<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.keys()).finish()
    }
}

impl PartialEq for SelfDeclared<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.keys() == other.keys()
    }
}

impl Serialize for SelfDeclared<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.keys().serialize(s)
    }
}

/// Why a criterion has its outcome on a subject. It is written when displayed or serialised, so
/// that screening many subjects costs no text until someone reads it.
#[derive(Clone, Copy)]
pub struct Reason<'a> {
    criterion: &'a Criterion,
    subject: &'a dyn Subject,
}

impl Reason<'_> {
    /// Writes the reason into `out` in the words of `words` (the English [`phrase::English`] is
    /// what [`std::fmt::Display`] writes).
    pub fn write_with(&self, words: &dyn phrase::Phrasing, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        use phrase::Joint;
        let (c, subject) = (self.criterion, self.subject);
        let applies = c.applies_if.as_ref().map_or(Truth::True, |t| t.eval(subject));
        let holds = c.test.eval(subject);
        match (combine(applies, holds), &c.applies_if) {
            (Outcome::NotApplicable, Some(a)) => {
                words.joint(Joint::DoesNotApply, out)?;
                a.explain_with(subject, words, out)?;
            }
            (Outcome::Unknown, Some(a)) if applies == Truth::Unknown => {
                if holds == Truth::False {
                    words.joint(Joint::WouldFailOpen, out)?;
                    c.test.explain_with(subject, words, out)?;
                    words.joint(Joint::WouldFailClose, out)?;
                } else {
                    c.test.explain_with(subject, words, out)?;
                }
                words.joint(Joint::AppliesUnknown, out)?;
                a.explain_with(subject, words, out)?;
            }
            _ => {
                c.test.explain_with(subject, words, out)?;
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_with(&phrase::English, f)
    }
}

impl std::fmt::Debug for Reason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl PartialEq for Reason<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Serialize for Reason<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a claim is contradicted: the claim, the profile, the failing criterion and its reason.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MismatchReason<'a> {
    claim: Claim,
    profile: &'a str,
    criterion: &'a Criterion,
    reason: Reason<'a>,
}

impl<'a> MismatchReason<'a> {
    /// The claim contradicted.
    pub fn claim(&self) -> Claim {
        self.claim
    }

    /// The profile's id.
    pub fn profile(&self) -> &'a str {
        self.profile
    }

    /// The failing criterion's title.
    pub fn title(&self) -> &'a str {
        &self.criterion.title
    }

    /// The failing criterion's citation.
    pub fn citation(&self) -> &'a str {
        &self.criterion.citation
    }

    /// Why the criterion fails.
    pub fn reason(&self) -> Reason<'a> {
        self.reason
    }
}

impl std::fmt::Display for MismatchReason<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "claims \"{}\", but under {} ({}) the criterion \"{}\" fails: {}",
            self.claim.as_str(),
            self.profile,
            self.criterion.citation,
            self.criterion.title,
            self.reason
        )
    }
}

impl Serialize for MismatchReason<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The facts and fields a screening read, gathered when serialised or asked for.
#[derive(Clone, Copy)]
pub struct FactsUsed<'a> {
    profile: &'a Profile,
    subject: &'a dyn Subject,
}

impl<'a> FactsUsed<'a> {
    /// Every fact and field the profile's criteria read, by name, with what the subject has.
    pub fn map(&self) -> BTreeMap<&'a str, Used<'a>> {
        let (profile, subject) = (self.profile, self.subject);
        let mut used = BTreeMap::new();
        for c in &profile.criteria {
            for o in c.applies_if.iter().flat_map(|t| t.operands()).chain(c.test.operands()) {
                used.entry(o.name()).or_insert_with(|| {
                    let found = match o {
                        Operand::Fact(key) => match expr::basis(subject, key) {
                            Basis::Documented(f) => Some(Used::Fact(f)),
                            Basis::Statute(l) => Some(Used::Statute(l)),
                            Basis::Conflict(f, l) => Some(Used::Conflict(f, l)),
                            Basis::LawDefault(l) => Some(Used::LawDefault(l)),
                            Basis::Missing => None,
                        },
                        Operand::Field(f) => subject.field(*f).map(Used::Field),
                    };
                    found.unwrap_or(Used::Missing)
                });
            }
        }
        used
    }
}

impl std::fmt::Debug for FactsUsed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.map()).finish()
    }
}

impl PartialEq for FactsUsed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.map() == other.map()
    }
}

impl Serialize for FactsUsed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map().serialize(s)
    }
}

/// A fact or field as a screening read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Used<'a> {
    /// A documented fact, with its evidence.
    Fact(&'a Fact),
    /// A fact the law of the legal form makes true (not documented, never stored).
    Statute(&'a StatutoryFact),
    /// A documented fact that contradicts a mandatory rule of the law: neither was used.
    Conflict(&'a Fact, &'a StatutoryFact),
    /// Not documented; the law's default (or an unverified rule), which does not decide.
    LawDefault(&'a StatutoryFact),
    /// A field's value.
    Field(FieldValue<'a>),
    /// Not documented.
    Missing,
}

/// What the law says, as written in a screening: the value, `"basis": "statute"`, the rule,
/// grade and citation, the act and its link.
fn law_json(l: &StatutoryFact, value_key: &str) -> serde_json::Value {
    let mut v = serde_json::json!({
        "basis": "statute",
        "rule": l.rule,
        "grade": l.grade,
        "citation": l.citation,
        "source": l.fact.provenance.source,
    });
    v[value_key] = l.fact.value.to_json();
    if let Some(u) = &l.fact.provenance.url {
        v["url"] = serde_json::json!(u.as_str());
    }
    v
}

/// A used fact is written as in interchange files (bare value or object with its evidence), a
/// statutory one with its basis and citation, a conflict as both sides, a field as its value, a
/// missing one as `null`.
impl Serialize for Used<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Used::Fact(f) => f.serialize(s),
            Used::Statute(l) => law_json(l, "value").serialize(s),
            Used::Conflict(f, l) => serde_json::json!({
                "value": null,
                "conflict": {"documented": f, "law": law_json(l, "value")},
            })
            .serialize(s),
            Used::LawDefault(l) => {
                let mut v = law_json(l, "law_value");
                v["value"] = serde_json::Value::Null;
                v.serialize(s)
            }
            Used::Field(FieldValue::Text(t)) => s.serialize_str(t),
            Used::Field(FieldValue::Set(items)) => items.serialize(s),
            Used::Missing => s.serialize_none(),
        }
    }
}

/// Actors are screened on their facts and on their legal-form family, code, category and claims.
/// Their facts are the documented ones plus what the law of their legal form makes true (a
/// mandatory rule graded A or B, where nothing is documented); a documented fact that contradicts
/// such a rule is not used (see [`crate::statute`]).
impl Subject for Actor {
    fn subject_id(&self) -> &str {
        self.id.as_str()
    }

    fn fact(&self, key: &str) -> Option<&Fact> {
        crate::statute::effective(self.facts.get(key), self.law(key))
    }

    fn law(&self, key: &str) -> Option<&StatutoryFact> {
        // Most actors of a register have no code: no lookup for them.
        self.legal_form.code.as_ref()?;
        crate::statute::of_actor(self)?.rule(key)
    }

    fn documented(&self, key: &str) -> Option<&Fact> {
        self.facts.get(key)
    }

    fn field(&self, field: Field) -> Option<FieldValue<'_>> {
        match field {
            Field::LegalFormFamily => self.legal_form.family.map(|f| FieldValue::Text(f.as_str())),
            Field::LegalFormCode => self.legal_form.code.as_deref().map(FieldValue::Text),
            Field::Category => self.category.map(|c| FieldValue::Text(c.as_str())),
            Field::Claims => Some(FieldValue::Set(self.claims.iter().map(|c| c.as_str()).collect())),
            Field::CaseKind => None,
        }
    }
}

/// Cases are screened on their facts (`si.*`, and `programme.*` when screened as programmes) and
/// their kind.
impl Subject for crate::case::Case {
    fn subject_id(&self) -> &str {
        self.id.as_str()
    }

    fn fact(&self, key: &str) -> Option<&Fact> {
        self.facts.get(key)
    }

    fn field(&self, field: Field) -> Option<FieldValue<'_>> {
        match field {
            Field::CaseKind => self.kind.map(|k| FieldValue::Text(k.as_str())),
            _ => None,
        }
    }
}

/// The outcome of a criterion, without its explanation (the fast path).
fn outcome_of(criterion: &Criterion, subject: &dyn Subject) -> Outcome {
    let applies = criterion.applies_if.as_ref().map_or(Truth::True, |t| t.eval(subject));
    if applies == Truth::False {
        return Outcome::NotApplicable;
    }
    combine(applies, criterion.test.eval(subject))
}

/// Whether it applies and whether its test holds give the outcome. When applicability is unknown,
/// a test that holds passes either way, and a test that fails leaves the outcome unknown.
fn combine(applies: Truth, holds: Truth) -> Outcome {
    match (applies, holds) {
        (Truth::False, _) => Outcome::NotApplicable,
        (_, Truth::True) => Outcome::Pass,
        (Truth::True, Truth::False) => Outcome::Fail,
        _ => Outcome::Unknown,
    }
}

fn verdict_of(outcomes: impl Iterator<Item = (Kind, Outcome)>) -> Verdict {
    let mut unknown = false;
    for (kind, outcome) in outcomes {
        if kind != Kind::Mandatory {
            continue;
        }
        match outcome {
            Outcome::Fail => return Verdict::DoesNotQualify,
            Outcome::Unknown => unknown = true,
            Outcome::Pass | Outcome::NotApplicable => {}
        }
    }
    if unknown { Verdict::InsufficientEvidence } else { Verdict::Qualifies }
}

/// The verdict alone, without explanations: for counting verdicts over large registries.
pub fn verdict(profile: &Profile, subject: &dyn Subject) -> Verdict {
    verdict_of(profile.criteria.iter().map(|c| (c.kind, outcome_of(c, subject))))
}

/// Screens a subject against a profile, explaining every criterion.
pub fn screen<'a>(profile: &'a Profile, subject: &'a dyn Subject) -> Screening<'a> {
    let criteria: Vec<CriterionResult<'a>> = profile
        .criteria
        .iter()
        .map(|c| CriterionResult {
            id: &c.id,
            title: &c.title,
            kind: c.kind,
            grade: c.grade,
            outcome: outcome_of(c, subject),
            reason: Reason { criterion: c, subject },
            citation: &c.citation,
            note: c.note.as_deref(),
        })
        .collect();
    let verdict = verdict_of(criteria.iter().map(|r| (r.kind, r.outcome)));
    let claim_mismatches =
        if verdict == Verdict::DoesNotQualify { mismatches(profile, subject, &criteria) } else { Vec::new() };
    Screening {
        subject: subject.subject_id(),
        profile: &profile.id,
        profile_version: &profile.version,
        verdict,
        criteria,
        claim_mismatches,
        facts_used: FactsUsed { profile, subject },
        self_declared: SelfDeclared(FactsUsed { profile, subject }),
    }
}

fn mismatches<'a>(
    profile: &'a Profile,
    subject: &dyn Subject,
    results: &[CriterionResult<'a>],
) -> Vec<ClaimMismatch<'a>> {
    let Some(FieldValue::Set(claimed)) = subject.field(Field::Claims) else {
        return Vec::new();
    };
    let mut out: Vec<ClaimMismatch> = Vec::new();
    for (c, r) in profile.criteria.iter().zip(results) {
        if c.kind != Kind::Mandatory || r.outcome != Outcome::Fail {
            continue;
        }
        for claim in c.claims.as_ref().unwrap_or(&profile.claims) {
            if claimed.contains(&claim.as_str()) && !out.iter().any(|m| m.claim == *claim) {
                out.push(ClaimMismatch {
                    claim: *claim,
                    criterion: &c.id,
                    reason: MismatchReason { claim: *claim, profile: &profile.id, criterion: c, reason: r.reason },
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
