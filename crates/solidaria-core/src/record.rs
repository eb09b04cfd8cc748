//! The tagged record of the interchange format, and its JSON reading and writing.
//!
//! Every line of a JSON Lines file (or element of a JSON array) is one record with a `type`:
//! `actor`, `relation`, `territory`, `case`, `mechanism` or `strategy`. [`parse_record`] validates a whole record and reports
//! every problem; [`Record::to_json`] writes the canonical form, which parses back to an equal record.

use crate::actor::Actor;
use crate::case::Case;
use crate::closed_list;
use crate::error::{FieldError, one_of};
use crate::mechanism::Mechanism;
use crate::reader::Reader;
use crate::relation::Relation;
use crate::strategy::Strategy;
use crate::territory::Territory;
use crate::vocab;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

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
        /// A financial mechanism.
        Mechanism = "mechanism",
        /// A territory's strategy.
        Strategy = "strategy",
    }
}

/// One record of the interchange format.
///
/// Actors are by far the largest and most common records (imports move hundreds of thousands), so
/// boxing them to shrink the other variants would add an allocation where it costs most.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Record {
    /// An actor.
    Actor(Actor),
    /// A relation.
    Relation(Relation),
    /// A territory.
    Territory(Territory),
    /// A case.
    Case(Case),
    /// A financial mechanism.
    Mechanism(Mechanism),
    /// A territory's strategy.
    Strategy(Strategy),
}

impl Record {
    /// The record's type.
    pub fn record_type(&self) -> RecordType {
        match self {
            Record::Actor(_) => RecordType::Actor,
            Record::Relation(_) => RecordType::Relation,
            Record::Territory(_) => RecordType::Territory,
            Record::Case(_) => RecordType::Case,
            Record::Mechanism(_) => RecordType::Mechanism,
            Record::Strategy(_) => RecordType::Strategy,
        }
    }

    /// The key that identifies the record within its type (the id; `from|kind|to` for relations).
    pub fn key(&self) -> String {
        match self {
            Record::Actor(a) => a.id.to_string(),
            Record::Relation(r) => r.key(),
            Record::Territory(t) => t.id.to_string(),
            Record::Case(c) => c.id.to_string(),
            Record::Mechanism(m) => m.id.to_string(),
            Record::Strategy(s) => s.id.to_string(),
        }
    }

    /// The canonical JSON form: fields in a fixed order, absent parts left out, facts in the object
    /// form exactly when they have provenance. Same as serialising the record (see `Serialize`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The canonical JSON text (compact), as stored and exported.
    pub fn to_json_string(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Writes the canonical form directly, without building a `Value` first (the import serialises
/// every record it stores).
impl Serialize for Record {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", self.record_type().as_str())?;
        match self {
            Record::Actor(a) => actor_entries(&mut m, a)?,
            Record::Relation(r) => {
                m.serialize_entry("from", &r.from)?;
                m.serialize_entry("to", &r.to)?;
                m.serialize_entry("kind", &r.kind)?;
                opt(&mut m, "since", &r.since)?;
                opt(&mut m, "until", &r.until)?;
                opt(&mut m, "source", &r.source)?;
                opt(&mut m, "date", &r.date)?;
                opt(&mut m, "url", &r.url)?;
                opt(&mut m, "note", &r.note)?;
            }
            Record::Territory(t) => {
                m.serialize_entry("id", &t.id)?;
                opt(&mut m, "name", &t.name)?;
                opt(&mut m, "parent", &t.parent)?;
                facts(&mut m, &t.facts)?;
            }
            Record::Case(c) => {
                m.serialize_entry("id", &c.id)?;
                m.serialize_entry("name", &c.name)?;
                opt(&mut m, "territory", &c.territory)?;
                opt(&mut m, "year", &c.year)?;
                opt(&mut m, "kind", &c.kind)?;
                opt(&mut m, "problem", &c.problem)?;
                opt(&mut m, "root_causes", &c.root_causes)?;
                opt(&mut m, "approach", &c.approach)?;
                opt(&mut m, "outcomes", &c.outcomes)?;
                opt(&mut m, "evidence", &c.evidence)?;
                list(&mut m, "actors", &c.actors)?;
                facts(&mut m, &c.facts)?;
                list(&mut m, "preconditions", &c.preconditions)?;
            }
            Record::Mechanism(x) => {
                m.serialize_entry("id", &x.id)?;
                m.serialize_entry("name", &x.name)?;
                m.serialize_entry("kind", &x.kind)?;
                m.serialize_entry("provider", &x.provider)?;
                opt(&mut m, "territory", &x.territory)?;
                opt(&mut m, "description", &x.description)?;
                if !x.terms.is_empty() {
                    m.serialize_entry("terms", &x.terms)?;
                }
                if !x.eligibility.is_empty() {
                    m.serialize_entry("eligibility", &x.eligibility)?;
                }
                list(&mut m, "preconditions", &x.preconditions)?;
                list(&mut m, "sources", &x.sources)?;
                opt(&mut m, "note", &x.note)?;
            }
            Record::Strategy(x) => {
                m.serialize_entry("id", &x.id)?;
                m.serialize_entry("territory", &x.territory)?;
                m.serialize_entry("title", &x.title)?;
                m.serialize_entry("from", &x.from)?;
                opt(&mut m, "until", &x.until)?;
                m.serialize_entry("rule", &x.rule)?;
                opt(&mut m, "description", &x.description)?;
                list(&mut m, "actions", &x.actions)?;
                opt(&mut m, "source", &x.source)?;
                opt(&mut m, "note", &x.note)?;
            }
        }
        m.end()
    }
}

/// An actor written in its record's canonical form (the same text as [`Record::Actor`]) from a
/// borrowed actor: a page of search results is written from the actors a listing holds, without
/// copying them into records or building a JSON tree first.
pub struct ActorRecord<'a>(pub &'a Actor);

impl Serialize for ActorRecord<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", RecordType::Actor.as_str())?;
        actor_entries(&mut m, self.0)?;
        m.end()
    }
}

/// The members of an actor's record after its `type`, in canonical order.
fn actor_entries<M: SerializeMap>(m: &mut M, a: &Actor) -> Result<(), M::Error> {
    m.serialize_entry("id", &a.id)?;
    m.serialize_entry("name", &a.name)?;
    list(m, "alternate_names", &a.alternate_names)?;
    opt(m, "category", &a.category)?;
    if !a.legal_form.is_empty() {
        m.serialize_entry("legal_form", &a.legal_form)?;
    }
    opt(m, "territory", &a.territory)?;
    if !a.claims.is_empty() || !a.labels.is_empty() {
        let all: Vec<&str> = a.claims.iter().map(|c| c.as_str()).chain(a.labels.iter().map(String::as_str)).collect();
        m.serialize_entry("claims", &all)?;
    }
    list(m, "roles", &a.roles)?;
    opt(m, "location", &a.location)?;
    opt(m, "website", &a.website)?;
    opt(m, "founded", &a.founded)?;
    opt(m, "description", &a.description)?;
    facts(m, &a.facts)?;
    if !a.identifiers.is_empty() {
        m.serialize_entry("identifiers", &a.identifiers)?;
    }
    if !a.address.is_empty() {
        m.serialize_entry("address", &a.address)?;
    }
    list(m, "sites", &a.sites)?;
    list(m, "activities", &a.activities)?;
    list(m, "sources", &a.sources)?;
    list(m, "alternate_ids", &a.alternate_ids)?;
    Ok(())
}

fn opt<M: SerializeMap, T: Serialize>(m: &mut M, key: &str, value: &Option<T>) -> Result<(), M::Error> {
    match value {
        Some(v) => m.serialize_entry(key, v),
        None => Ok(()),
    }
}

fn list<M: SerializeMap, T: Serialize>(m: &mut M, key: &str, items: &[T]) -> Result<(), M::Error> {
    if items.is_empty() { Ok(()) } else { m.serialize_entry(key, items) }
}

fn facts<M: SerializeMap>(m: &mut M, facts: &crate::fact::Facts) -> Result<(), M::Error> {
    if facts.is_empty() { Ok(()) } else { m.serialize_entry("facts", facts) }
}

/// Validates one record given as input (a file's record, an API body) and builds it: what
/// [`parse_record`] checks, and also that every fact key outside the vocabulary is declared
/// custom by its namespace (`x.`, see [`vocab::DECLARED_NAMESPACES`]); an undeclared key is
/// refused with the nearest known key ("did you mean governance.voting_rule?"), as a typo would
/// otherwise be kept as a custom fact. Stored records are read with [`parse_record`], so that a
/// database written before this rule keeps reading.
pub fn parse_input(value: &Value) -> Result<Record, Vec<FieldError>> {
    let mut undeclared = Vec::new();
    hostile_text(value, "", &mut undeclared);
    if let Some(Value::Object(facts)) = value.get("facts") {
        for key in facts.keys() {
            if vocab::is_valid_key(key)
                && vocab::spec(key).is_none()
                && !vocab::is_custom(key)
                && !crate::statute::is_law_only(key)
            {
                let (expected, found) = vocab::unknown_key(key, "");
                undeclared.push(FieldError::text(format!("facts.{key}"), expected, found));
            }
        }
    }
    match parse_record(value) {
        Ok(record) if undeclared.is_empty() => Ok(record),
        Ok(_) => Err(undeclared),
        Err(mut errors) => {
            errors.extend(undeclared);
            Err(errors)
        }
    }
}

/// Every string of an input value (a record, or a part such as a site read alone) checked as
/// [`parse_input`] checks a record's: no control characters or direction overrides, names with
/// something visible; each problem at its path.
pub fn input_text_problems(value: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    hostile_text(value, "", &mut errors);
    errors
}

/// Every string of an input record checked by [`crate::text::input_text_problem`] (names and
/// titles must also have something visible), each problem at its path. The path is kept in one
/// buffer, grown and cut back as the walk goes down and up, and copied only for a problem: a
/// sound record (the common case) costs no allocation per field.
fn hostile_text(v: &Value, path: &str, errors: &mut Vec<FieldError>) {
    let mut buffer = String::from(path);
    walk_text(v, &mut buffer, errors);
}

fn walk_text(v: &Value, path: &mut String, errors: &mut Vec<FieldError>) {
    match v {
        Value::String(s) => {
            let is_name = matches!(path.rsplit('.').next(), Some("name" | "title"));
            if let Some(expected) = crate::text::input_text_problem(s, is_name) {
                let field = if path.is_empty() { "record".to_string() } else { path.clone() };
                errors.push(FieldError::text(field, expected, format!("{s:?}")));
            }
        }
        Value::Array(a) => {
            let len = path.len();
            for (i, x) in a.iter().enumerate() {
                use std::fmt::Write as _;
                let _ = write!(path, "[{i}]");
                walk_text(x, path, errors);
                path.truncate(len);
            }
        }
        Value::Object(o) => {
            let len = path.len();
            for (k, x) in o {
                if len > 0 {
                    path.push('.');
                }
                path.push_str(k);
                if crate::text::input_text_problem(k, false).is_some() {
                    errors.push(FieldError::text(path.clone(), "a key without control characters", format!("{k:?}")));
                } else {
                    walk_text(x, path, errors);
                }
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Validates one record given as JSON and builds it; on failure, every problem found.
pub fn parse_record(value: &Value) -> Result<Record, Vec<FieldError>> {
    let mut errors = Vec::new();
    let record = match Reader::object(value, "", &mut errors) {
        Some(r) => read_record(r),
        None => return Err(errors),
    };
    checked(record, errors)
}

/// A stored record of type `t` read back from its text, with the problems [`parse_record`]
/// would report; a record of another type is a `type` problem. Actors, read a million at a time
/// by searches and screenings, are decoded without a JSON map of their members
/// ([`screened::actor_from_text`]); the other types through a JSON value.
pub fn record_from_text(t: RecordType, text: &str) -> Result<Record, Vec<FieldError>> {
    if t == RecordType::Actor {
        return screened::actor_from_text(text).map(Record::Actor);
    }
    let value: Value =
        serde_json::from_str(text).map_err(|e| vec![FieldError::text("record", "a JSON object", e.to_string())])?;
    record_of_type(t, &value)
}

/// A stored record of type `t` given as JSON (PostgreSQL hands documents so): [`parse_record`]'s
/// record and problems, and a `type` problem for a record of another type, as
/// [`record_from_text`] says of the same document as text.
pub fn record_of_type(t: RecordType, value: &Value) -> Result<Record, Vec<FieldError>> {
    let record = parse_record(value)?;
    match record.record_type() {
        found if found == t => Ok(record),
        found => Err(vec![FieldError::text("type", t.as_str(), found.as_str())]),
    }
}

/// [`parse_record`] for a record given as its top-level members (keys distinct), checked and
/// reported exactly as the same object would be.
pub(crate) fn parse_record_members(members: &[(String, Value)]) -> Result<Record, Vec<FieldError>> {
    let mut errors = Vec::new();
    let record =
        read_record(Reader::over(crate::reader::Obj::Members(members), crate::reader::At::of(""), &mut errors));
    checked(record, errors)
}

/// The record read, if no problem was reported on the way.
fn checked(record: Option<Record>, errors: Vec<FieldError>) -> Result<Record, Vec<FieldError>> {
    match record {
        Some(rec) if errors.is_empty() => Ok(rec),
        _ => Err(errors),
    }
}

/// The record a reader's object holds, by its `type`; `None` when something is wrong (the
/// problems are in the reader's error list).
fn read_record(mut r: Reader<'_>) -> Option<Record> {
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
            Some(Ok(RecordType::Mechanism)) => Mechanism::parse(&mut r).map(Record::Mechanism),
            Some(Ok(RecordType::Strategy)) => Strategy::parse(&mut r).map(Record::Strategy),
            _ => {
                r.error("type", one_of(RecordType::NAMES), t);
                None
            }
        },
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

pub mod repoint;
pub mod screened;

#[cfg(test)]
mod tests;
