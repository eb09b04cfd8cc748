//! Facts: typed values that carry their evidence.
//!
//! A fact is a value plus optional provenance (source, date, link, note, and its assurance:
//! self-declared by the organization or verified by a moderator). In files a fact is either a
//! bare value or `{"value": …, "source": …, "date": …, "url": …, "note": …, "assurance": …}`;
//! export writes the object form exactly when provenance exists. Known keys (see [`crate::vocab`]) are type-checked;
//! other keys are kept verbatim as custom facts (an input must declare them, see
//! [`crate::record::parse_input`]).

use crate::error::FieldError;
use crate::reader::{At, Obj, Reader};
use crate::text::{Id, PartialDate, WebUrl};
use crate::vocab::{self, FactType};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// The typed value of a fact.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    /// A yes/no fact.
    Bool(bool),
    /// A whole number (counts).
    Count(u64),
    /// A number (shares, rates, ratios), already range-checked for its key.
    Number(f64),
    /// One value from the key's closed list.
    Choice(String),
    /// Several values from the key's closed list, sorted and distinct.
    Set(Vec<String>),
    /// A reference to another actor.
    Actor(Id),
    /// The value of a key outside the vocabulary, kept as given.
    Custom(Value),
}

impl FactValue {
    /// The value as JSON, as written in interchange files.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The value as a short human-readable text (sets joined with ", ").
    pub fn display(&self) -> String {
        match self {
            FactValue::Choice(s) => s.clone(),
            FactValue::Set(items) => items.join(", "),
            FactValue::Actor(id) => id.to_string(),
            FactValue::Custom(Value::String(s)) => s.clone(),
            other => other.to_json().to_string(),
        }
    }
}

/// Who stands behind a fact: the organization itself, or a moderator who checked its evidence.
/// Absent on most facts (imported from a directory or a register, typed in by a contributor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// Declared by the organization's own account (a self-assessment), not checked.
    SelfDeclared,
    /// Checked against its evidence by a moderator.
    Verified,
}

impl Assurance {
    /// Both values, in documentation order.
    pub const ALL: [Assurance; 2] = [Assurance::SelfDeclared, Assurance::Verified];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Assurance::SelfDeclared => "self_declared",
            Assurance::Verified => "verified",
        }
    }

    /// What a valid value looks like.
    pub const EXPECTED: &'static str = "\"self_declared\" or \"verified\"";

    /// Parses a wire name.
    pub fn parse(s: &str) -> Result<Assurance, &'static str> {
        Self::ALL.into_iter().find(|a| a.as_str() == s).ok_or(Self::EXPECTED)
    }
}

/// Where a fact comes from. Every part is optional; an all-empty provenance means none was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The source: a document, register, statute or person, named in words.
    pub source: Option<String>,
    /// When the source said so.
    pub date: Option<PartialDate>,
    /// A link to the source.
    pub url: Option<WebUrl>,
    /// A note: an article number, a caveat.
    pub note: Option<String>,
    /// Self-declared by the organization or verified by a moderator; none when not said.
    pub assurance: Option<Assurance>,
}

impl Provenance {
    /// True when no part of the provenance is given.
    pub fn is_empty(&self) -> bool {
        self.source.is_none()
            && self.date.is_none()
            && self.url.is_none()
            && self.note.is_none()
            && self.assurance.is_none()
    }

    /// True when the organization declared it and no moderator verified it.
    pub fn is_self_declared(&self) -> bool {
        self.assurance == Some(Assurance::SelfDeclared)
    }
}

/// One fact: its value and its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The typed value.
    pub value: FactValue,
    /// The evidence for it.
    pub provenance: Provenance,
}

impl Fact {
    /// A fact without provenance.
    pub fn bare(value: FactValue) -> Self {
        Self { value, provenance: Provenance::default() }
    }

    /// The fact as JSON: the bare value when there is no provenance, else the object form.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Serialize for FactValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FactValue::Bool(b) => s.serialize_bool(*b),
            FactValue::Count(n) => s.serialize_u64(*n),
            FactValue::Number(x) => s.serialize_f64(*x),
            FactValue::Choice(c) => s.serialize_str(c),
            FactValue::Set(items) => items.serialize(s),
            FactValue::Actor(id) => id.serialize(s),
            FactValue::Custom(v) => v.serialize(s),
        }
    }
}

/// A fact is written bare when it has no provenance, else as `{"value", "source", "date", "url",
/// "note", "assurance"}`; a custom value that would be mistaken for that object form is always wrapped.
impl Serialize for Fact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = &self.provenance;
        let ambiguous = matches!(&self.value, FactValue::Custom(v) if looks_like_provenance_form(v));
        if p.is_empty() && !ambiguous {
            return self.value.serialize(s);
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("value", &self.value)?;
        if let Some(v) = &p.source {
            m.serialize_entry("source", v)?;
        }
        if let Some(d) = &p.date {
            m.serialize_entry("date", d)?;
        }
        if let Some(u) = &p.url {
            m.serialize_entry("url", u)?;
        }
        if let Some(n) = &p.note {
            m.serialize_entry("note", n)?;
        }
        if let Some(a) = &p.assurance {
            m.serialize_entry("assurance", a)?;
        }
        m.end()
    }
}

/// The fields of a fact's object form.
pub const FACT_FIELDS: &[&str] = &["value", "source", "date", "url", "note", "assurance"];

/// True when a JSON value would be read as a fact's object form (it has `value` and only
/// provenance fields). A custom value of that shape is therefore always written wrapped.
fn looks_like_provenance_form(v: &Value) -> bool {
    match v {
        Value::Object(m) => is_provenance_form(Obj::Map(m)),
        _ => false,
    }
}

/// [`looks_like_provenance_form`] for an object however it was read.
fn is_provenance_form(obj: Obj<'_>) -> bool {
    obj.get("value").is_some() && obj.keys().all(|k| FACT_FIELDS.contains(&k.as_str()))
}

/// The facts of a record, keyed by dotted key (sorted, so output is deterministic).
pub type Facts = BTreeMap<String, Fact>;

/// A fact as a document gives it, before any check: a bare value, or an object as its members in
/// order (the object form `{"value": …, "source": …}`, or a custom object value). Reading the
/// facts of a stored record this way skips building a keyed map for every fact
/// ([`crate::record::screened`]); [`parse_raw_fact_entries`] checks them as
/// [`parse_fact_entries`] checks the same JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum RawFact {
    /// Anything but an object.
    Value(Value),
    /// An object's members in order, each key once (a repeated key keeps its first place and its
    /// last value, as a JSON map does).
    Members(Vec<(String, Value)>),
}

impl<'de> serde::Deserialize<'de> for RawFact {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Raw;
        impl<'de> serde::de::Visitor<'de> for Raw {
            type Value = RawFact;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a fact: a value or an object")
            }
            fn visit_bool<E>(self, b: bool) -> Result<RawFact, E> {
                Ok(RawFact::Value(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<RawFact, E> {
                Ok(RawFact::Value(Value::from(n)))
            }
            fn visit_u64<E>(self, n: u64) -> Result<RawFact, E> {
                Ok(RawFact::Value(Value::from(n)))
            }
            fn visit_f64<E>(self, x: f64) -> Result<RawFact, E> {
                Ok(RawFact::Value(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)))
            }
            fn visit_str<E>(self, s: &str) -> Result<RawFact, E> {
                Ok(RawFact::Value(Value::String(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<RawFact, E> {
                Ok(RawFact::Value(Value::String(s)))
            }
            fn visit_unit<E>(self) -> Result<RawFact, E> {
                Ok(RawFact::Value(Value::Null))
            }
            fn visit_none<E>(self) -> Result<RawFact, E> {
                Ok(RawFact::Value(Value::Null))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<RawFact, D::Error> {
                serde::Deserialize::deserialize(d)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawFact, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4));
                while let Some(item) = seq.next_element::<Value>()? {
                    items.push(item);
                }
                Ok(RawFact::Value(Value::Array(items)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawFact, A::Error> {
                let mut members: Vec<(String, Value)> = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(member) => member.1 = value,
                        None => members.push((key, value)),
                    }
                }
                Ok(RawFact::Members(members))
            }
        }
        d.deserialize_any(Raw)
    }
}

/// A fact's JSON as the parser sees it: anything but an object, or an object however read.
#[derive(Clone, Copy)]
enum FactIn<'a> {
    Scalar(&'a Value),
    Object(Obj<'a>),
}

impl<'a> FactIn<'a> {
    fn of(v: &'a Value) -> Self {
        match v {
            Value::Object(m) => FactIn::Object(Obj::Map(m)),
            other => FactIn::Scalar(other),
        }
    }

    fn of_raw(raw: &'a RawFact) -> Self {
        match raw {
            RawFact::Value(v) => FactIn::of(v),
            RawFact::Members(m) => FactIn::Object(Obj::Members(m)),
        }
    }
}

/// Parses the `facts` object of a record at `path`, collecting every problem.
pub fn parse_facts(value: &Value, path: &str, errors: &mut Vec<FieldError>) -> Facts {
    let Value::Object(map) = value else {
        errors.push(FieldError::new(path, "an object of facts keyed by dotted names", value));
        return Facts::new();
    };
    parse_fact_entries(map.iter(), path, errors)
}

/// Parses facts given as (key, value) pairs, as the members of a `facts` object at `path` are;
/// a key given twice keeps its last value, as in a JSON object.
pub fn parse_fact_entries<'v>(
    entries: impl Iterator<Item = (&'v String, &'v Value)>,
    path: &str,
    errors: &mut Vec<FieldError>,
) -> Facts {
    parse_entries(entries.map(|(k, v)| (k, FactIn::of(v))), path, errors)
}

/// [`parse_fact_entries`] for facts read as [`RawFact`]s: the same facts and the same problems as
/// the same JSON read as values.
pub fn parse_raw_fact_entries<'v>(
    entries: impl Iterator<Item = (&'v String, &'v RawFact)>,
    path: &str,
    errors: &mut Vec<FieldError>,
) -> Facts {
    parse_entries(entries.map(|(k, v)| (k, FactIn::of_raw(v))), path, errors)
}

fn parse_entries<'v>(
    entries: impl Iterator<Item = (&'v String, FactIn<'v>)>,
    path: &str,
    errors: &mut Vec<FieldError>,
) -> Facts {
    let mut facts = Facts::new();
    for (key, raw) in entries {
        let at = At::child(path, key);
        // A vocabulary key is well formed by construction: only other keys are checked.
        let known = vocab::spec(key);
        if known.is_none() && !vocab::is_valid_key(key) {
            errors.push(FieldError::text(at.to_string(), vocab::KEY_EXPECTED, "this key"));
            continue;
        }
        if matches!(raw, FactIn::Scalar(Value::Null)) {
            // null is "unknown": the fact is simply absent.
            continue;
        }
        if crate::statute::is_law_only(key) {
            // What the law names a form as is learned from the legal-form code, never typed in:
            // otherwise a label could pass for the law.
            errors.push(FieldError::text(
                at.to_string(),
                "no value: it comes from the law of the legal form (give legal_form.code instead)",
                "a value",
            ));
            continue;
        }
        if let Some(fact) = parse_fact_at(known, raw, at, errors) {
            facts.insert(key.clone(), fact);
        }
    }
    facts
}

/// Parses one fact (bare or object form) for `key`; problems are reported at `field`.
pub fn parse_fact(key: &str, raw: &Value, field: &str, errors: &mut Vec<FieldError>) -> Option<Fact> {
    parse_fact_at(vocab::spec(key), FactIn::of(raw), At::of(field), errors)
}

/// [`parse_fact`] for a key whose vocabulary entry (`known`) was looked up, with the field's
/// path written out only if there is a problem to report.
fn parse_fact_at(
    known: Option<&'static vocab::FactSpec>,
    raw: FactIn<'_>,
    at: At<'_>,
    errors: &mut Vec<FieldError>,
) -> Option<Fact> {
    // The value and its provenance, and whether the value is the whole fact (bare form).
    let (value, provenance, bare) = match (raw, known) {
        (FactIn::Object(obj), _) if is_provenance_form(obj) => {
            let mut r = Reader::over(obj, at, errors);
            let provenance = Provenance {
                source: r.opt_text("source"),
                date: r.opt_parse("date", PartialDate::parse),
                url: r.opt_parse("url", WebUrl::parse),
                note: r.opt_text("note"),
                assurance: r.opt_parse("assurance", Assurance::parse),
            };
            (obj.get("value").unwrap_or(&Value::Null), provenance, false)
        }
        (FactIn::Object(obj), Some(spec)) => {
            let expected = format!(
                "{} or an object {{\"value\": …, \"source\", \"date\", \"url\", \"note\", \"assurance\"}}",
                spec.ty.expected()
            );
            errors.push(FieldError::new(at.to_string(), expected, &obj.to_value()));
            return None;
        }
        // A custom value that is an object, kept as given.
        (FactIn::Object(obj), None) => return Some(Fact::bare(FactValue::Custom(obj.to_value()))),
        (FactIn::Scalar(v), _) => (v, Provenance::default(), true),
    };
    let value_field = || if bare { at.to_string() } else { format!("{at}.value") };
    let value = match known {
        Some(spec) => parse_typed(spec.ty, value)
            .map_err(|expected| errors.push(FieldError::new(value_field(), expected, value)))
            .ok()?,
        None => {
            if value.is_null() {
                errors.push(FieldError::new(value_field(), "a value (leave the fact out when it is unknown)", value));
                return None;
            }
            FactValue::Custom(value.clone())
        }
    };
    Some(Fact { value, provenance })
}

/// Parses a JSON value as the given vocabulary type; the error is the expected-value wording.
pub fn parse_typed(ty: FactType, v: &Value) -> Result<FactValue, String> {
    let bad = || Err(ty.expected());
    match ty {
        FactType::Bool => v.as_bool().map(FactValue::Bool).map_or_else(bad, Ok),
        FactType::Count => v.as_u64().map(FactValue::Count).map_or_else(bad, Ok),
        FactType::Share | FactType::Rate => match v.as_f64() {
            Some(x) if (0.0..=1.0).contains(&x) => Ok(FactValue::Number(x)),
            _ => bad(),
        },
        FactType::Ratio => match v.as_f64() {
            Some(x) if x >= 1.0 && x.is_finite() => Ok(FactValue::Number(x)),
            _ => bad(),
        },
        FactType::Number => match v.as_f64() {
            Some(x) if x >= 0.0 && x.is_finite() => Ok(FactValue::Number(x)),
            _ => bad(),
        },
        FactType::Enum(values) => match v.as_str() {
            Some(s) if values.contains(&s) => Ok(FactValue::Choice(s.to_string())),
            _ => bad(),
        },
        FactType::Set(values) => {
            let Some(items) = v.as_array() else {
                return bad();
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item.as_str() {
                    Some(s) if values.contains(&s) => out.push(s.to_string()),
                    _ => return bad(),
                }
            }
            if out.is_empty() {
                return bad();
            }
            out.sort_by_key(|s| values.iter().position(|x| x == s));
            out.dedup();
            Ok(FactValue::Set(out))
        }
        FactType::ActorRef => match v.as_str().map(Id::parse) {
            Some(Ok(id)) => Ok(FactValue::Actor(id)),
            _ => bad(),
        },
    }
}

/// The facts sorted for display: vocabulary order first, then custom keys alphabetically.
pub fn display_order(facts: &Facts) -> Vec<(&String, &Fact)> {
    let mut v: Vec<_> = facts.iter().collect();
    v.sort_by_key(|(k, _)| (vocab::order(k), k.as_str()));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> (Facts, Vec<FieldError>) {
        let mut errors = Vec::new();
        let f = parse_facts(&v, "facts", &mut errors);
        (f, errors)
    }

    #[test]
    fn bare_and_object_forms() {
        let (f, e) = parse(json!({
            "governance.voting_rule": "one_member_one_vote",
            "assets.lock": {"value": true, "source": "Basque cooperative law", "date": "2019"}
        }));
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(f["governance.voting_rule"].value, FactValue::Choice("one_member_one_vote".into()));
        assert!(f["governance.voting_rule"].provenance.is_empty());
        assert_eq!(f["assets.lock"].provenance.source.as_deref(), Some("Basque cooperative law"));
        assert_eq!(
            f["assets.lock"].to_json(),
            json!({"value": true, "source": "Basque cooperative law", "date": "2019"})
        );
    }

    #[test]
    fn every_vocabulary_key_accepts_a_good_value_and_refuses_a_bad_one() {
        // Keys only the law sets are refused whatever their value (statute tests).
        for spec in vocab::VOCABULARY.iter().filter(|s| !crate::statute::is_law_only(s.key)) {
            let (good, bad) = match spec.ty {
                FactType::Bool => (json!(true), json!("yes")),
                FactType::Count => (json!(12), json!(-1)),
                FactType::Share | FactType::Rate => (json!(0.25), json!(1.5)),
                FactType::Ratio => (json!(3.5), json!(0.5)),
                FactType::Number => (json!(0.4), json!(-2)),
                FactType::Enum(v) => (json!(v[0]), json!("not_a_value")),
                FactType::Set(v) => (json!([v[0]]), json!(["not_a_value"])),
                FactType::ActorRef => (json!("desjardins"), json!("not an id")),
            };
            let (f, e) = parse(json!({ spec.key: good }));
            assert!(e.is_empty(), "{}: {e:?}", spec.key);
            assert_eq!(f[spec.key].value.to_json(), good, "{}", spec.key);
            let (f, e) = parse(json!({ spec.key: bad }));
            assert!(f.is_empty(), "{}", spec.key);
            assert_eq!(e.len(), 1, "{}", spec.key);
            assert_eq!(e[0].field, format!("facts.{}", spec.key));
            assert_eq!(e[0].expected, spec.ty.expected());
        }
    }

    #[test]
    fn custom_keys_are_kept_verbatim_and_unknown_stays_unknown() {
        let (f, e) = parse(json!({"x.label": {"a": [1, 2]}, "x.n": 3, "members.count": null}));
        assert!(e.is_empty());
        assert_eq!(f["x.label"].value, FactValue::Custom(json!({"a": [1, 2]})));
        assert!(!f.contains_key("members.count"));
    }

    #[test]
    fn custom_value_shaped_like_provenance_is_written_wrapped() {
        let fact = Fact::bare(FactValue::Custom(json!({"value": 3})));
        let written = fact.to_json();
        let (f, e) = parse(json!({ "x.odd": written }));
        assert!(e.is_empty());
        assert_eq!(f["x.odd"], fact);
    }

    #[test]
    fn provenance_errors_name_the_subfield() {
        let (_, e) = parse(json!({"assets.lock": {"value": "maybe", "date": "last year", "url": "javascript:x"}}));
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["facts.assets.lock.date", "facts.assets.lock.url", "facts.assets.lock.value"]);
    }

    #[test]
    fn assurance_is_optional_round_trips_and_is_checked() {
        let written = json!({"value": true, "source": "Statutes art. 12", "assurance": "self_declared"});
        let (f, e) = parse(json!({"assets.lock": written.clone(), "members.count": 3}));
        assert!(e.is_empty(), "{e:?}");
        assert!(f["assets.lock"].provenance.is_self_declared());
        assert_eq!(f["assets.lock"].to_json(), written);
        assert_eq!(f["members.count"].provenance.assurance, None);
        let (f, e) = parse(json!({"assets.lock": {"value": true, "assurance": "verified"}}));
        assert!(e.is_empty());
        assert_eq!(f["assets.lock"].provenance.assurance, Some(Assurance::Verified));
        assert!(!f["assets.lock"].provenance.is_self_declared());
        let (_, e) = parse(json!({"assets.lock": {"value": true, "assurance": "trusted"}}));
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "facts.assets.lock.assurance");
    }

    #[test]
    fn known_key_with_object_lacking_value_is_refused() {
        let (_, e) = parse(json!({"assets.lock": {"source": "x"}}));
        assert_eq!(e.len(), 1);
        assert!(e[0].expected.contains("\"value\""));
    }
}
