//! Supplying the facts that would decide a verdict: which facts a contributor may be asked for
//! (those of the smallest deciding sets that the vocabulary types, not documented yet, not set
//! by law only) and reading what they sent, as text fields, into typed facts that all carry the
//! evidence given with them.
//!
//! Every value is checked against the vocabulary exactly as a record's would be
//! ([`crate::fact::parse_typed`]); nothing is ever defaulted: a fact left blank stays unknown.

use crate::actor::Actor;
use crate::error::FieldError;
use crate::fact::{Fact, Facts, Provenance, parse_typed};
use crate::screening::evidence::Evidence;
use crate::text::{PartialDate, TEXT_MAX_LEN, WebUrl};
use crate::vocab::{self, FactSpec, FactType};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The facts a form may ask for to decide a verdict: every key of the smallest sets that could
/// decide it (either way) that the vocabulary knows, that the actor does not document already
/// and that does not come from the law only; in vocabulary order. Fields that are not facts
/// (`legal_form.code`) are left to the record's edit.
pub fn askable(e: &Evidence<'_>, actor: &Actor) -> Vec<&'static FactSpec> {
    let keys: BTreeSet<&str> = e.to_qualify.iter().chain(&e.to_refute).flatten().copied().collect();
    let mut asked: Vec<&'static FactSpec> = keys
        .into_iter()
        .filter(|k| !crate::statute::is_law_only(k) && !actor.facts.contains_key(*k))
        .filter_map(vocab::spec)
        .collect();
    asked.sort_by_key(|s| vocab::order(s.key));
    asked
}

/// What a contributor sent: the values typed for each fact key (several for a set; blank ones
/// mean "not supplied") and the evidence for all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Supplied {
    /// Values by fact key, as typed.
    pub values: BTreeMap<String, Vec<String>>,
    /// The source, in words (required).
    pub source: String,
    /// A link to the source (optional).
    pub url: String,
    /// When the source said so (optional: YYYY, YYYY-MM or YYYY-MM-DD).
    pub date: String,
    /// A note such as an article number (optional).
    pub note: String,
}

impl Supplied {
    /// Reads a form's fields: `source`, `url`, `date` and `note` are the evidence, every field
    /// whose name is a dotted key is a fact's value, the rest (such as the CSRF token) is not
    /// read here.
    pub fn from_fields<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut s = Supplied::default();
        for (name, value) in fields {
            match name {
                "source" => s.source = value.to_string(),
                "url" => s.url = value.to_string(),
                "date" => s.date = value.to_string(),
                "note" => s.note = value.to_string(),
                key if key.contains('.') => s.values.entry(key.to_string()).or_default().push(value.to_string()),
                _ => {}
            }
        }
        s
    }

    /// The values typed for a key that are not blank.
    pub fn given(&self, key: &str) -> Vec<&str> {
        self.values.get(key).into_iter().flatten().map(|v| v.trim()).filter(|v| !v.is_empty()).collect()
    }
}

/// What the source field expects.
pub const SOURCE_EXPECTED: &str = "the source: a document, register or article, named in words";

/// A form's text as the JSON value of its type (the type's check is [`parse_typed`]'s).
fn as_json(ty: FactType, given: &[&str]) -> Value {
    let one = given.first().copied().unwrap_or_default();
    match ty {
        FactType::Bool => match one {
            "true" => json!(true),
            "false" => json!(false),
            other => json!(other),
        },
        FactType::Count => one.parse::<u64>().map_or_else(|_| json!(one), |n| json!(n)),
        FactType::Share | FactType::Rate | FactType::Ratio | FactType::Number => one
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| json!(one), Value::Number),
        FactType::Set(_) => json!(given),
        FactType::Enum(_) | FactType::ActorRef => json!(one),
    }
}

/// Reads what was supplied against the facts asked: the facts, each with the evidence given, or
/// every problem found, each naming its field (the fact's key, `source`, `url`, `date`, `note`,
/// or `facts` when no fact has a value).
pub fn read(asked: &[&'static FactSpec], s: &Supplied) -> Result<Facts, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut facts = Facts::new();
    let mut values = Vec::new();
    for key in s.values.keys() {
        let given = s.given(key);
        if given.is_empty() {
            continue;
        }
        let Some(spec) = asked.iter().find(|a| a.key == key) else {
            errors.push(FieldError::text(
                key,
                "one of the facts this form asks for (those that would decide, not documented yet)",
                "another key",
            ));
            continue;
        };
        let typed = as_json(spec.ty, &given);
        match parse_typed(spec.ty, &typed) {
            Ok(v) => values.push((key.clone(), v)),
            Err(expected) => errors.push(FieldError::new(key, expected, &typed)),
        }
    }
    if values.is_empty() && errors.is_empty() {
        errors.push(FieldError::text("facts", "a value for at least one of the facts asked", "nothing"));
    }
    let text = |name: &str, v: &str, errors: &mut Vec<FieldError>| {
        let v = v.trim();
        if v.len() > TEXT_MAX_LEN {
            errors.push(FieldError::text(name, format!("at most {TEXT_MAX_LEN} bytes"), format!("{} bytes", v.len())));
            None
        } else {
            (!v.is_empty()).then(|| v.to_string())
        }
    };
    let source = text("source", &s.source, &mut errors);
    if s.source.trim().is_empty() {
        errors.push(FieldError::text("source", SOURCE_EXPECTED, "nothing"));
    }
    let parsed =
        |name: &str, v: &str, parse: &dyn Fn(&str) -> Result<(), &'static str>, errors: &mut Vec<FieldError>| {
            let v = v.trim();
            if let Err(expected) = if v.is_empty() { Ok(()) } else { parse(v) } {
                errors.push(FieldError::new(name, expected, &json!(v)));
            }
        };
    parsed("url", &s.url, &|v| WebUrl::parse(v).map(drop), &mut errors);
    parsed("date", &s.date, &|v| PartialDate::parse(v).map(drop), &mut errors);
    let note = text("note", &s.note, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let provenance = Provenance {
        source,
        date: Some(s.date.trim()).filter(|d| !d.is_empty()).and_then(|d| PartialDate::parse(d).ok()),
        url: Some(s.url.trim()).filter(|u| !u.is_empty()).and_then(|u| WebUrl::parse(u).ok()),
        note,
        assurance: None,
    };
    for (key, value) in values {
        facts.insert(key, Fact { value, provenance: provenance.clone() });
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::FactValue;
    use crate::screening::{builtin, evidence::evidence};

    fn desjardins_like() -> Actor {
        crate::testing::actor_from(json!({
            "legal_form": {"family": "cooperative"},
            "facts": {"governance.voting_rule": "one_member_one_vote", "surplus.distribution_allowed": false,
                      "capital.return_cap": 0.05, "reserves.indivisible": true}
        }))
    }

    fn ica() -> &'static crate::screening::profile::Profile {
        builtin::find("ica-1995").expect("ica-1995 is built in")
    }

    fn fields(pairs: &[(&str, &str)]) -> Supplied {
        Supplied::from_fields(pairs.iter().copied())
    }

    #[test]
    fn asks_the_undocumented_vocabulary_keys_of_the_deciding_sets_only() {
        let a = desjardins_like();
        let e = evidence(ica(), &a).expect("undecided");
        let asked: Vec<&str> = askable(&e, &a).iter().map(|s| s.key).collect();
        let all: BTreeSet<&str> = e.to_qualify.iter().chain(&e.to_refute).flatten().copied().collect();
        assert!(!asked.is_empty());
        for k in &asked {
            assert!(all.contains(k), "{k}");
            assert!(!a.facts.contains_key(*k), "{k} is documented");
        }
        assert!(!asked.contains(&"governance.voting_rule"));
        // Law-only keys and fields are never asked: the French SSE status comes from the form's code.
        let fr = builtin::find("fr-ess-2014").unwrap();
        let b = crate::testing::actor_from(json!({"legal_form": {"family": "cooperative"}}));
        if let Some(e) = evidence(fr, &b) {
            assert!(askable(&e, &b).iter().all(|s| !crate::statute::is_law_only(s.key)));
        }
    }

    #[test]
    fn reads_typed_values_with_one_provenance_and_never_defaults() {
        let asked: Vec<&'static FactSpec> =
            ["membership.open_voluntary", "control.public_share", "governance.voting_rule", "members.count"]
                .iter()
                .filter_map(|k| vocab::spec(k))
                .collect();
        let s = fields(&[
            ("membership.open_voluntary", "true"),
            ("control.public_share", "0,25"),
            ("governance.voting_rule", ""),
            ("members.count", "12"),
            ("source", " Statutes 2024 "),
            ("date", "2024-05"),
            ("url", "https://example.org/statutes.pdf"),
            ("note", "art. 7"),
            ("csrf", "x"),
        ]);
        let facts = read(&asked, &s).unwrap();
        assert_eq!(facts.len(), 3, "a blank field is not a value");
        assert_eq!(facts["membership.open_voluntary"].value, FactValue::Bool(true));
        assert_eq!(facts["control.public_share"].value, FactValue::Number(0.25));
        assert_eq!(facts["members.count"].value, FactValue::Count(12));
        let p = &facts["control.public_share"].provenance;
        assert_eq!(p.source.as_deref(), Some("Statutes 2024"));
        assert_eq!(p.note.as_deref(), Some("art. 7"));
        assert_eq!(facts["members.count"].to_json()["date"], json!("2024-05"));
    }

    #[test]
    fn every_problem_names_its_field() {
        let asked: Vec<&'static FactSpec> =
            ["control.public_share", "governance.voting_rule", "membership.open_voluntary"]
                .iter()
                .filter_map(|k| vocab::spec(k))
                .collect();
        let s = fields(&[
            ("control.public_share", "1.5"),
            ("governance.voting_rule", "dictator"),
            ("membership.open_voluntary", "maybe"),
            ("assets.lock", "true"),
            ("date", "last year"),
            ("url", "javascript:alert(1)"),
        ]);
        let errors = read(&asked, &s).unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            named,
            [
                "assets.lock",
                "control.public_share",
                "governance.voting_rule",
                "membership.open_voluntary",
                "source",
                "url",
                "date"
            ]
        );
        let nothing = read(&asked, &fields(&[("source", "x"), ("control.public_share", " ")])).unwrap_err();
        assert_eq!(nothing[0].field, "facts");
    }
}
