//! The tagged record of the interchange format, and its JSON reading and writing.
//!
//! Every line of a JSON Lines file (or element of a JSON array) is one record with a `type`:
//! `actor`, `relation`, `territory` or `case`. [`parse_record`] validates a whole record and reports
//! every problem; [`Record::to_json`] writes the canonical form, which parses back to an equal record.

use crate::actor::Actor;
use crate::case::Case;
use crate::closed_list;
use crate::error::{FieldError, one_of};
use crate::fact::facts_to_json;
use crate::reader::Reader;
use crate::relation::Relation;
use crate::territory::Territory;
use serde_json::{Map, Value, json};

closed_list! {
    /// The type of a record.
    RecordType {
        /// An ecosystem actor.
        Actor = "actor",
        /// A relation between two actors.
        Relation = "relation",
        /// A territory or custom region.
        Territory = "territory",
        /// An innovation case.
        Case = "case",
    }
}

/// One record of the interchange format.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An actor.
    Actor(Actor),
    /// A relation.
    Relation(Relation),
    /// A territory.
    Territory(Territory),
    /// A case.
    Case(Case),
}

impl Record {
    /// The record's type.
    pub fn record_type(&self) -> RecordType {
        match self {
            Record::Actor(_) => RecordType::Actor,
            Record::Relation(_) => RecordType::Relation,
            Record::Territory(_) => RecordType::Territory,
            Record::Case(_) => RecordType::Case,
        }
    }

    /// The key that identifies the record within its type (the id; `from|kind|to` for relations).
    pub fn key(&self) -> String {
        match self {
            Record::Actor(a) => a.id.to_string(),
            Record::Relation(r) => r.key(),
            Record::Territory(t) => t.id.to_string(),
            Record::Case(c) => c.id.to_string(),
        }
    }

    /// The canonical JSON form: fields in a fixed order, absent parts left out, facts in the object
    /// form exactly when they have provenance.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("type".into(), json!(self.record_type().as_str()));
        match self {
            Record::Actor(a) => {
                m.insert("id".into(), json!(a.id));
                m.insert("name".into(), json!(a.name));
                put(&mut m, "category", a.category.map(|c| json!(c)));
                put(&mut m, "legal_form", (!a.legal_form.is_empty()).then(|| json!(a.legal_form)));
                put(&mut m, "territory", a.territory.as_ref().map(|t| json!(t)));
                put(&mut m, "claims", (!a.claims.is_empty()).then(|| json!(a.claims)));
                put(&mut m, "roles", (!a.roles.is_empty()).then(|| json!(a.roles)));
                put(&mut m, "location", a.location.map(|l| json!(l)));
                put(&mut m, "website", a.website.as_ref().map(|w| json!(w)));
                put(&mut m, "founded", a.founded.map(|y| json!(y)));
                put(&mut m, "description", a.description.as_ref().map(|d| json!(d)));
                put(&mut m, "facts", (!a.facts.is_empty()).then(|| facts_to_json(&a.facts)));
            }
            Record::Relation(r) => {
                m.insert("from".into(), json!(r.from));
                m.insert("to".into(), json!(r.to));
                m.insert("kind".into(), json!(r.kind));
                put(&mut m, "since", r.since.as_ref().map(|d| json!(d)));
                put(&mut m, "until", r.until.as_ref().map(|d| json!(d)));
                put(&mut m, "source", r.source.as_ref().map(|s| json!(s)));
                put(&mut m, "date", r.date.as_ref().map(|d| json!(d)));
                put(&mut m, "url", r.url.as_ref().map(|u| json!(u)));
                put(&mut m, "note", r.note.as_ref().map(|n| json!(n)));
            }
            Record::Territory(t) => {
                m.insert("id".into(), json!(t.id));
                put(&mut m, "name", t.name.as_ref().map(|n| json!(n)));
                put(&mut m, "parent", t.parent.as_ref().map(|p| json!(p)));
                put(&mut m, "facts", (!t.facts.is_empty()).then(|| facts_to_json(&t.facts)));
            }
            Record::Case(c) => {
                m.insert("id".into(), json!(c.id));
                m.insert("name".into(), json!(c.name));
                put(&mut m, "territory", c.territory.as_ref().map(|t| json!(t)));
                put(&mut m, "year", c.year.map(|y| json!(y)));
                put(&mut m, "kind", c.kind.map(|k| json!(k)));
                for (k, v) in [
                    ("problem", &c.problem),
                    ("root_causes", &c.root_causes),
                    ("approach", &c.approach),
                    ("outcomes", &c.outcomes),
                    ("evidence", &c.evidence),
                ] {
                    put(&mut m, k, v.as_ref().map(|s| json!(s)));
                }
                let actors: Vec<Value> = c
                    .actors
                    .iter()
                    .map(|a| {
                        let mut o = Map::new();
                        o.insert("actor".into(), json!(a.actor));
                        put(&mut o, "role", a.role.as_ref().map(|r| json!(r)));
                        Value::Object(o)
                    })
                    .collect();
                put(&mut m, "actors", (!actors.is_empty()).then(|| json!(actors)));
                put(&mut m, "facts", (!c.facts.is_empty()).then(|| facts_to_json(&c.facts)));
                let pre: Vec<Value> = c
                    .preconditions
                    .iter()
                    .map(|p| {
                        let mut o = Map::new();
                        o.insert("key".into(), json!(p.key));
                        o.insert("op".into(), json!(p.op));
                        o.insert("value".into(), p.value.clone());
                        put(&mut o, "reason", p.reason.as_ref().map(|r| json!(r)));
                        if p.kind != crate::case::PreconditionKind::Essential {
                            o.insert("kind".into(), json!(p.kind));
                        }
                        Value::Object(o)
                    })
                    .collect();
                put(&mut m, "preconditions", (!pre.is_empty()).then(|| json!(pre)));
            }
        }
        Value::Object(m)
    }
}

fn put(m: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        m.insert(key.into(), v);
    }
}

/// Validates one record given as JSON and builds it; on failure, every problem found.
pub fn parse_record(value: &Value) -> Result<Record, Vec<FieldError>> {
    let mut errors = Vec::new();
    let record = {
        let Some(mut r) = Reader::object(value, "", &mut errors) else {
            return Err(errors);
        };
        match r.get("type") {
            None => {
                r.errors.push(FieldError::missing("type", one_of(RecordType::NAMES)));
                None
            }
            Some(t) => match t.as_str().map(RecordType::parse) {
                Some(Ok(RecordType::Actor)) => Actor::parse(&mut r).map(Record::Actor),
                Some(Ok(RecordType::Relation)) => Relation::parse(&mut r).map(Record::Relation),
                Some(Ok(RecordType::Territory)) => Territory::parse(&mut r).map(Record::Territory),
                Some(Ok(RecordType::Case)) => Case::parse(&mut r).map(Record::Case),
                _ => {
                    r.error("type", one_of(RecordType::NAMES), t);
                    None
                }
            },
        }
    };
    match record {
        Some(rec) if errors.is_empty() => Ok(rec),
        _ => Err(errors),
    }
}

/// The type and key of a record given as JSON, read as far as possible even when the record is
/// invalid (used to avoid reporting references to a bad record as missing).
pub fn identity(value: &Value) -> Option<(RecordType, String)> {
    let t = RecordType::parse(value.get("type")?.as_str()?).ok()?;
    let s = |k: &str| value.get(k).and_then(Value::as_str);
    let key = match t {
        RecordType::Relation => format!("{}|{}|{}", s("from")?, s("kind")?, s("to")?),
        _ => s("id")?.to_string(),
    };
    Some((t, key))
}

#[cfg(test)]
mod tests;
