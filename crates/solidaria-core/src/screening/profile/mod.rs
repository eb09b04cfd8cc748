//! Profiles: versioned, cited, declarative sets of criteria, read from TOML files.
//!
//! A profile names the instrument it reads (a UN resolution, a national law, a certification),
//! its version and source, the claims its failure contradicts, optionally its place in listings
//! (`order`), and its criteria. Each criterion has a test in the language of [`super::expr`], a
//! kind (mandatory or indicative), an optional applicability condition, a citation (instrument and
//! article) and the confidence grade of the legal research behind it: A (the provision's wording
//! was seen), B (consistent secondary sources), C (unverified). Parsing checks everything a profile
//! author can get wrong and reports each problem with its line.

use super::expr::{Field, Lit, Op, Operand, Test};
use crate::actor::Claim;
use crate::text::{PartialDate, WebUrl};
use crate::vocab::Subject as VocabSubject;
use serde::ser::{Serialize, SerializeMap, Serializer};

pub(crate) mod parse;

pub use parse::parse_profile;

/// Whether a criterion decides the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Every applicable mandatory criterion must pass for the subject to qualify.
    Mandatory,
    /// Reported, never changes the verdict.
    Indicative,
}

/// Confidence in the legal research behind a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Grade {
    /// The provision's own wording was seen.
    A,
    /// Consistent secondary sources; the article is known but its text was not seen.
    B,
    /// Unverified: may only be indicative.
    C,
}

/// What kind of record a profile screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// An ecosystem actor (organization).
    Actor,
    /// A social-innovation case.
    Case,
    /// An innovation policy or programme (recorded as a case).
    Programme,
}

impl SubjectKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Actor => "actor",
            SubjectKind::Case => "case",
            SubjectKind::Programme => "programme",
        }
    }

    fn vocab(self) -> VocabSubject {
        match self {
            SubjectKind::Actor => VocabSubject::Actor,
            SubjectKind::Case => VocabSubject::Case,
            SubjectKind::Programme => VocabSubject::Programme,
        }
    }

    /// The fields a test may read on this kind of subject.
    pub fn fields(self) -> &'static [Field] {
        match self {
            SubjectKind::Actor => &[Field::LegalFormFamily, Field::LegalFormCode, Field::Category, Field::Claims],
            SubjectKind::Case | SubjectKind::Programme => &[Field::CaseKind],
        }
    }
}

/// The claims a failed screening can contradict.
pub const SCREENED_CLAIMS: &[Claim] = &[
    Claim::Sse,
    Claim::SocialEconomy,
    Claim::SolidarityEconomy,
    Claim::SocialInnovation,
    Claim::SocialEnterprise,
    Claim::Cooperative,
];

/// One criterion of a profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Criterion {
    /// Id, unique within the profile.
    pub id: String,
    /// What it requires, in a few words.
    pub title: String,
    /// Mandatory or indicative.
    pub kind: Kind,
    /// Confidence grade of the research behind it.
    pub grade: Grade,
    /// Instrument and article or paragraph.
    pub citation: String,
    /// How the instrument's words were read, caveats, or why it is unverified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The claims its failure contradicts, when they differ from the profile's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<Claim>>,
    /// When it applies (e.g. only to commercial companies); always when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_if: Option<Test>,
    /// The test.
    pub test: Test,
    /// The facts and fields it reads, derived from its tests.
    pub reads: Vec<String>,
    /// Line of the criterion in its file.
    #[serde(skip)]
    pub line: usize,
}

/// A profile.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Profile {
    /// Stable id (`un-2023`, `fr-ess-2014`, …).
    pub id: String,
    /// Place in the listing of profiles, lower first (the optional `order` field); a profile
    /// without one is listed after those with one. Only the listing reads it: it is not part of
    /// the profile's written form.
    #[serde(skip)]
    pub order: Option<u32>,
    /// Short title.
    pub title: String,
    /// Version of this profile (changes whenever a criterion changes).
    pub version: String,
    /// Full name of the instrument.
    pub instrument: String,
    /// Where it applies: `global`, a region, or an ISO 3166 code.
    pub jurisdiction: String,
    /// When the instrument was adopted.
    pub adopted: PartialDate,
    /// Where to read it.
    pub source_url: WebUrl,
    /// What it screens.
    pub subject: SubjectKind,
    /// The claims a `does_not_qualify` verdict contradicts (criteria may narrow this).
    pub claims: Vec<Claim>,
    /// What the profile is for and how it reads the instrument.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The criteria, in file order.
    pub criteria: Vec<Criterion>,
}

impl Profile {
    /// The number of mandatory criteria.
    pub fn mandatory_count(&self) -> usize {
        self.criteria.iter().filter(|c| c.kind == Kind::Mandatory).count()
    }
}

/// A problem in a profile file, with its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ProfileError {
    /// Line of the problem.
    pub line: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Largest profile file accepted, in bytes.
pub const MAX_PROFILE_BYTES: usize = 1 << 20;

/// Deepest nesting of tests accepted.
const MAX_DEPTH: usize = 16;

/// Tests are written back in the shape profile files use (`{"fact": …, "le": …}`, `{"all": […]}`).
impl Serialize for Test {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Test::All(parts) => m.serialize_entry("all", parts)?,
            Test::Any(parts) => m.serialize_entry("any", parts)?,
            Test::Not(inner) => m.serialize_entry("not", inner)?,
            Test::Check(operand, op) => {
                match operand {
                    Operand::Fact(k) => m.serialize_entry("fact", k)?,
                    Operand::Field(f) => m.serialize_entry("field", f.name())?,
                }
                match op {
                    Op::Eq(l) | Op::Ne(l) => m.serialize_entry(op.name(), l)?,
                    Op::In(v) | Op::NotIn(v) => m.serialize_entry(op.name(), v)?,
                    Op::Lt(x) | Op::Le(x) | Op::Gt(x) | Op::Ge(x) => m.serialize_entry(op.name(), x)?,
                    Op::Contains(v) => m.serialize_entry(op.name(), v)?,
                    Op::ContainsAny(v) => m.serialize_entry(op.name(), v)?,
                }
            }
        }
        m.end()
    }
}

impl Serialize for Lit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Lit::Bool(b) => s.serialize_bool(*b),
            Lit::Num(x) => s.serialize_f64(*x),
            Lit::Text(t) => s.serialize_str(t),
        }
    }
}
