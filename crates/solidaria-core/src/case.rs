//! Innovation cases: social innovations with the context they rely on.
//!
//! A case records a problem, its root causes, the approach, the actors involved (with their
//! role), outcomes and evidence, facts (`si.*`) used later to judge its strength, and its
//! preconditions: tests over territory context facts (`context.*`) saying what it needs to work.
//! Only storage, validation and round trips live here for now; assessment comes with its issue.

use crate::closed_list;
use crate::error::{FieldError, one_of};
use crate::fact::{Facts, parse_facts, parse_typed};
use crate::reader::Reader;
use crate::territory::{TERRITORY_EXPECTED, TerritoryId};
use crate::text::{ID_EXPECTED, Id};
use crate::vocab::{self, FactType};
use serde_json::Value;

closed_list! {
    /// What kind of innovation a case is.
    CaseKind {
        /// A law.
        Law = "law",
        /// A regulation.
        Regulation = "regulation",
        /// A public or private programme.
        Programme = "programme",
        /// A new organization.
        Organization = "organization",
        /// A product.
        Product = "product",
        /// A service.
        Service = "service",
        /// A network of actors.
        Network = "network",
        /// A financial mechanism.
        FinancialMechanism = "financial_mechanism",
    }
}

closed_list! {
    /// A comparison of a precondition.
    Op {
        /// Equal.
        Eq = "=",
        /// Not equal.
        Ne = "!=",
        /// Less than.
        Lt = "<",
        /// At most.
        Le = "<=",
        /// More than.
        Gt = ">",
        /// At least.
        Ge = ">=",
        /// One of a list.
        In = "in",
        /// None of a list.
        NotIn = "not_in",
    }
}

closed_list! {
    /// How much a precondition matters.
    PreconditionKind {
        /// Without it the case does not fit (the default).
        Essential = "essential",
        /// It helps; without it the case needs adapting.
        Supportive = "supportive",
    }
}

/// An actor involved in a case, with its role in words ("facilitator", "funder").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseActor {
    /// The actor.
    pub actor: Id,
    /// Its role in the case.
    pub role: Option<String>,
}

impl serde::Serialize for CaseActor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("actor", &self.actor)?;
        if let Some(r) = &self.role {
            m.serialize_entry("role", r)?;
        }
        m.end()
    }
}

/// Written with `kind` only when it is not the default (`essential`).
impl serde::Serialize for Precondition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("key", &self.key)?;
        m.serialize_entry("op", &self.op)?;
        m.serialize_entry("value", &self.value)?;
        if let Some(r) = &self.reason {
            m.serialize_entry("reason", r)?;
        }
        if self.kind != PreconditionKind::Essential {
            m.serialize_entry("kind", &self.kind)?;
        }
        m.end()
    }
}

/// A context the case relies on: `key op value`, with the reason it matters.
#[derive(Debug, Clone, PartialEq)]
pub struct Precondition {
    /// A `context.*` key.
    pub key: String,
    /// The comparison.
    pub op: Op,
    /// The value compared with, type-checked against the key when the key is in the vocabulary.
    pub value: Value,
    /// Why it matters.
    pub reason: Option<String>,
    /// Essential or supportive.
    pub kind: PreconditionKind,
}

/// A social-innovation case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Stable id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Home territory.
    pub territory: Option<TerritoryId>,
    /// Year it began.
    pub year: Option<i64>,
    /// What kind of innovation.
    pub kind: Option<CaseKind>,
    /// The problem addressed.
    pub problem: Option<String>,
    /// Its root causes.
    pub root_causes: Option<String>,
    /// The approach taken.
    pub approach: Option<String>,
    /// Outcomes observed.
    pub outcomes: Option<String>,
    /// Evidence for the outcomes.
    pub evidence: Option<String>,
    /// Actors involved.
    pub actors: Vec<CaseActor>,
    /// `si.*` facts with provenance.
    pub facts: Facts,
    /// The context it relies on.
    pub preconditions: Vec<Precondition>,
}

impl Case {
    /// Whether its name, problem, root causes, approach or outcomes contain `needle`, ignoring
    /// case (`needle` must already be lower-cased).
    pub fn mentions(&self, needle: &str) -> bool {
        [
            Some(&self.name),
            self.problem.as_ref(),
            self.root_causes.as_ref(),
            self.approach.as_ref(),
            self.outcomes.as_ref(),
        ]
        .into_iter()
        .flatten()
        .any(|t| t.to_lowercase().contains(needle))
    }
}

/// The fields of a case record.
pub const CASE_FIELDS: &[&str] = &[
    "type",
    "id",
    "name",
    "territory",
    "year",
    "kind",
    "problem",
    "root_causes",
    "approach",
    "outcomes",
    "evidence",
    "actors",
    "facts",
    "preconditions",
];

impl Case {
    /// Parses a case record, collecting every problem.
    pub(crate) fn parse(r: &mut Reader<'_>) -> Option<Self> {
        r.deny_unknown(CASE_FIELDS);
        let id = r.req_parse("id", ID_EXPECTED, Id::parse);
        let name = r.req_text("name");
        let territory = r.opt_parse("territory", |s| TerritoryId::parse(s).map_err(|_| TERRITORY_EXPECTED.to_string()));
        let year = r.opt_int("year", 1000, 2100);
        let kind = r.opt_parse("kind", CaseKind::parse);
        let problem = r.opt_text("problem");
        let root_causes = r.opt_text("root_causes");
        let approach = r.opt_text("approach");
        let outcomes = r.opt_text("outcomes");
        let evidence = r.opt_text("evidence");
        let actors = list(r, "actors", |item, path, errors| {
            let mut a = Reader::object(item, path, errors)?;
            a.deny_unknown(&["actor", "role"]);
            let actor = a.req_parse("actor", ID_EXPECTED, Id::parse);
            let role = a.opt_text("role");
            Some(CaseActor { actor: actor?, role })
        });
        let facts = r.get("facts").map(|v| parse_facts(v, "facts", r.errors)).unwrap_or_default();
        let preconditions = list(r, "preconditions", parse_precondition);
        Some(Case {
            id: id?,
            name: name?,
            territory,
            year,
            kind,
            problem,
            root_causes,
            approach,
            outcomes,
            evidence,
            actors,
            facts,
            preconditions,
        })
    }
}

/// Parses an optional list of objects at `key`, each with `parse_item`.
pub(crate) fn list<T>(
    r: &mut Reader<'_>,
    key: &str,
    parse_item: impl Fn(&Value, &str, &mut Vec<FieldError>) -> Option<T>,
) -> Vec<T> {
    let Some(value) = r.get(key) else {
        return Vec::new();
    };
    let Some(items) = value.as_array() else {
        r.error(key, "a list", value);
        return Vec::new();
    };
    let path = r.path(key);
    items.iter().enumerate().filter_map(|(i, item)| parse_item(item, &format!("{path}[{i}]"), r.errors)).collect()
}

/// Parses one precondition at `path` (shared by cases and financial mechanisms).
pub(crate) fn parse_precondition(item: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Precondition> {
    let mut p = Reader::object(item, path, errors)?;
    p.deny_unknown(&["key", "op", "value", "reason", "kind"]);
    let key = p.req_parse("key", "a context key such as \"context.electricity_access\"", |s| {
        if s.starts_with("context.") && vocab::is_valid_key(s) {
            Ok(s.to_string())
        } else {
            Err("a territory context key starting with \"context.\" (e.g. \"context.electricity_access\")")
        }
    });
    let op = p.req_parse("op", &one_of(Op::NAMES), Op::parse);
    let reason = p.opt_text("reason");
    let kind = p.opt_parse("kind", PreconditionKind::parse).unwrap_or(PreconditionKind::Essential);
    let Some(value) = p.get("value") else {
        let field = p.path("value");
        p.errors.push(FieldError::missing(field, "the value to compare with"));
        return None;
    };
    let (key, op) = (key?, op?);
    if let Some(spec) = vocab::spec(&key) {
        let numeric =
            matches!(spec.ty, FactType::Count | FactType::Share | FactType::Rate | FactType::Ratio | FactType::Number);
        let problem = match op {
            Op::In | Op::NotIn => match value.as_array() {
                Some(items) if !items.is_empty() => {
                    items.iter().find_map(|v| parse_typed(spec.ty, v).err()).map(|e| format!("a non-empty list of {e}"))
                }
                _ => Some(format!("a non-empty list of {}", spec.ty.expected())),
            },
            Op::Lt | Op::Le | Op::Gt | Op::Ge if !numeric => {
                Some(format!("\"=\", \"!=\", \"in\" or \"not_in\" for {key}, whose values are not numbers"))
            }
            _ => parse_typed(spec.ty, value).err(),
        };
        if let Some(expected) = problem {
            let field = if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge) && !numeric { "op" } else { "value" };
            let found = if field == "op" { Value::String(op.as_str().into()) } else { value.clone() };
            p.error(field, expected, &found);
            return None;
        }
    }
    Some(Precondition { key, op, value: value.clone(), reason, kind })
}
