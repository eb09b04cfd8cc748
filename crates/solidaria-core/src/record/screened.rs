//! Reading a stored actor from its text without a JSON map of its members: for screening only
//! (the parts a screening reads: its id, name, category, legal form, territory, claims and
//! facts; the others skipped unread), or whole (a page of search results).
//!
//! A whole-register pass reads a million stored documents; building a JSON tree of every field
//! (addresses, locations, sources, identifiers) only to drop it is most of that pass's cost. The
//! parts kept are checked exactly as [`super::parse_record`] checks them, so an actor read here
//! screens as the same actor read whole.

use super::{Record, parse_record_members};
use crate::actor::Actor;
use crate::error::FieldError;
use crate::fact::{RawFact, parse_raw_fact_entries};
use serde::Deserialize;
use serde_json::Value;

/// The top-level fields a screening reads besides `facts`; every other field is skipped without
/// being built.
const SCREENED: [&str; 7] = ["type", "id", "name", "category", "legal_form", "territory", "claims"];

/// A stored actor's top-level members in their order, `facts` apart as a fact list. A repeated
/// key keeps its first place and its last value, as a JSON map does.
struct Members {
    members: Vec<(String, Value)>,
    facts: Option<FactList>,
}

/// Reads [`Members`], building only the members `keep` accepts (the others are skipped unread).
struct MembersSeed(fn(&str) -> bool);

impl<'de> serde::de::DeserializeSeed<'de> for MembersSeed {
    type Value = Members;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Members, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for MembersSeed {
    type Value = Members;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
        let mut out = Members { members: Vec::with_capacity(16), facts: None };
        while let Some(key) = map.next_key::<String>()? {
            if key == "facts" {
                out.facts = map.next_value::<Option<FactList>>()?;
            } else if (self.0)(&key) {
                let value: Value = map.next_value()?;
                match out.members.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = value,
                    None => out.members.push((key, value)),
                }
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(out)
    }
}

/// The members of a `facts` object in their order, each fact read as a [`RawFact`] (objects as
/// member lists), without any key index: a record's facts are read once, in order, so an index
/// would be built for nothing.
struct FactList(Vec<(String, RawFact)>);

impl<'de> Deserialize<'de> for FactList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = FactList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of facts keyed by dotted names")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<FactList, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(entry) = map.next_entry::<String, RawFact>()? {
                    members.push(entry);
                }
                Ok(FactList(members))
            }
        }
        d.deserialize_map(Members)
    }
}

/// The actor a screening sees in a stored actor document: the parts listed above, checked as a
/// whole record's are; every other part left empty. Errors say what is wrong, as
/// [`super::parse_record`] does, or that the text is not a JSON object.
pub fn actor_for_screening(text: &str) -> Result<Actor, Vec<FieldError>> {
    actor_of(text, |key| SCREENED.contains(&key))
}

/// A stored actor document read whole: the same actor and the same problems as
/// [`super::parse_record`] of its JSON, without building a JSON map of its members or of its
/// facts first (a page of search results reads 20 stored actors at every request).
pub fn actor_from_text(text: &str) -> Result<Actor, Vec<FieldError>> {
    actor_of(text, |_| true)
}

/// The actor of a stored document, from the members `keep` accepts and its facts.
fn actor_of(text: &str, keep: fn(&str) -> bool) -> Result<Actor, Vec<FieldError>> {
    let not_object = |e: serde_json::Error| vec![FieldError::text("record", "a JSON object", e.to_string())];
    let mut de = serde_json::Deserializer::from_str(text);
    let Members { members, facts } =
        serde::de::DeserializeSeed::deserialize(MembersSeed(keep), &mut de).map_err(not_object)?;
    de.end().map_err(not_object)?;
    // Every problem is reported, the facts' with the other parts', as a whole record's are.
    let mut errors = Vec::new();
    let facts = match facts {
        Some(FactList(members)) => parse_raw_fact_entries(members.iter().map(|(k, v)| (k, v)), "facts", &mut errors),
        None => Default::default(),
    };
    match parse_record_members(&members) {
        Ok(Record::Actor(actor)) if errors.is_empty() => Ok(Actor { facts, ..actor }),
        Ok(Record::Actor(_)) => Err(errors),
        Ok(other) => Err(vec![FieldError::text("type", "actor", other.record_type().as_str())]),
        Err(mut others) => {
            others.extend(errors);
            Err(others)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_record;
    use crate::screening::profile::SubjectKind;
    use crate::screening::{builtin, screen};
    use serde_json::json;

    /// Stored actors of several shapes: bare and sourced facts, a legal-form code whose law
    /// decides, custom facts, claims and labels, and parts a screening never reads.
    fn docs() -> Vec<Value> {
        vec![
            json!({"type":"actor","id":"a1","name":"Coop","category":"sse_organization",
                   "legal_form":{"family":"cooperative","code":"FR-5458"},"territory":"FR-IDF",
                   "claims":["sse","b_corp"],"roles":["finance"],"location":{"lat":48.8,"lon":2.3},
                   "founded":1990,"address":{"locality":"Paris"},"sources":[{"dataset":"d","line":1}],
                   "facts":{"governance.voting_rule":{"value":"one_member_one_vote","source":"Statutes","date":"2020"},
                            "assets.lock":true,"x.founder":"Ana","surplus.distribution_cap":0.3}}),
            json!({"type":"actor","id":"a2","name":"Plain","territory":"ZA-GP"}),
            json!({"type":"actor","id":"a4","name":"CIC","legal_form":{"family":"company","code":"17R0"},
                   "territory":"GB","claims":["social_enterprise"],"facts":{"assets.lock":false}}),
            json!({"type":"actor","id":"a5","name":"Custom","legal_form":{"family":"mutual","label":"Mutuelle"},
                   "facts":{"x.shape":{"a":[1,{"b":null}],"value":2,"extra":true},"x.wrapped":{"value":{"value":3}},
                            "x.list":[1,"two",null],"members.count":{"value":40,"url":"https://example.org/a",
                            "note":"AGM minutes","assurance":"verified","source":"Register"},"assets.lock":null}}),
            json!({"type":"actor","id":"a3","name":"Assoc","legal_form":{"family":"association"},
                   "claims":["social_enterprise"],"description":"text","website":"https://example.org",
                   "facts":{"members.count":12,"purpose.statutory_mission":{"value":false,"source":"AGM","date":"2021-05"}}}),
        ]
    }

    fn whole(doc: &Value) -> Actor {
        match parse_record(doc).unwrap() {
            Record::Actor(a) => a,
            _ => unreachable!("an actor document"),
        }
    }

    #[test]
    fn a_stored_actor_read_for_screening_screens_as_the_whole_actor() {
        for doc in docs() {
            let full = whole(&doc);
            let part = actor_for_screening(&doc.to_string()).unwrap();
            assert_eq!(
                (&part.id, &part.name, &part.category, &part.legal_form, &part.territory, &part.claims, &part.facts),
                (&full.id, &full.name, &full.category, &full.legal_form, &full.territory, &full.claims, &full.facts)
            );
            // The parts no screening reads are left out.
            assert!(part.location.is_none() && part.roles.is_empty() && part.sources.is_empty());
            for p in builtin::for_subject(SubjectKind::Actor) {
                let (a, b) = (screen(p, &full), screen(p, &part));
                assert_eq!(serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap(), "{}", p.id);
            }
        }
    }

    #[test]
    fn a_bad_stored_actor_gets_the_problems_the_whole_record_gets() {
        let bad = [
            json!({"type":"actor","id":"a","name":"A","territory":42,"facts":{"members.count":"many"}}),
            json!({"type":"actor","id":"a","name":"A","facts":{"members.count":{"value":3,"date":"someday","url":"ftp:x"}}}),
            json!({"type":"actor","id":"a","name":"A","facts":{"members.count":{"value":-3,"source":"  "}}}),
            json!({"type":"actor","id":"a","name":"A","facts":{"assets.lock":{"lock":true}}}),
            json!({"type":"actor","id":"a","name":"A","facts":{"x.n":{"value":null,"assurance":"maybe"}}}),
            json!({"type":"actor","id":"a","name":"A","facts":{"Bad Key":1,"status.names_as_sse":true}}),
            json!({"type":"actor","id":"a","name":"","category":"nothing","legal_form":{"family":"kingdom"},"claims":["x"]}),
            json!({"type":"actor","id":"a b","name":"A","facts":{"members.count":{"value":[1]}}}),
        ];
        for doc in bad {
            let mut whole: Vec<String> = parse_record(&doc).unwrap_err().iter().map(ToString::to_string).collect();
            let mut part: Vec<String> =
                actor_for_screening(&doc.to_string()).unwrap_err().iter().map(ToString::to_string).collect();
            let mut read: Vec<String> =
                actor_from_text(&doc.to_string()).unwrap_err().iter().map(ToString::to_string).collect();
            whole.sort();
            part.sort();
            read.sort();
            assert_eq!(part, whole, "{doc}");
            assert_eq!(read, whole, "{doc}");
        }
        // A fact object naming a field twice keeps the last value, as a JSON map does.
        let twice =
            r#"{"type":"actor","id":"a","name":"A","facts":{"members.count":{"value":"x","source":"S","value":5}}}"#;
        let actor = actor_for_screening(twice).unwrap();
        assert_eq!(actor.facts["members.count"].value, crate::fact::FactValue::Count(5));
        assert_eq!(actor.facts["members.count"].provenance.source.as_deref(), Some("S"));
    }

    #[test]
    fn a_stored_actor_with_a_bad_part_is_refused_with_its_field() {
        let bad_fact = json!({"type":"actor","id":"a","name":"A","facts":{"members.count":"many"}});
        let errors = actor_for_screening(&bad_fact.to_string()).unwrap_err();
        assert!(errors.iter().any(|e| e.to_string().contains("facts.members.count")), "{errors:?}");
        // Every problem at once, as a whole record's.
        let two = json!({"type":"actor","id":"a","name":"A","territory":42,"facts":{"members.count":"many"}});
        let errors = actor_for_screening(&two.to_string()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"territory") && fields.contains(&"facts.members.count"), "{errors:?}");
        let bad_key = json!({"type":"actor","id":"a","name":"A","facts":{"Not A Key":1}});
        assert!(actor_for_screening(&bad_key.to_string()).is_err());
        let no_name = json!({"type":"actor","id":"a"});
        let errors = actor_for_screening(&no_name.to_string()).unwrap_err();
        assert!(errors.iter().any(|e| e.to_string().contains("name")), "{errors:?}");
        assert!(actor_for_screening("[1,2]").is_err());
        assert!(actor_for_screening("{\"type\":\"actor\",").is_err());
        let relation = json!({"type":"relation","from":"a","kind":"member_of","to":"b"});
        assert!(actor_for_screening(&relation.to_string()).is_err());
    }

    #[test]
    fn a_stored_actor_read_whole_is_the_record_parsed_from_its_json() {
        for doc in docs() {
            let read = actor_from_text(&doc.to_string()).unwrap();
            assert_eq!(Record::Actor(read).to_json(), Record::Actor(whole(&doc)).to_json(), "{doc}");
        }
        // A member named twice: the last value, as a JSON map keeps it (parse_record sees the map).
        let twice = r#"{"type":"actor","id":"a","name":"First","territory":"FR","name":"Last"}"#;
        let map: Value = serde_json::from_str(twice).unwrap();
        let read = actor_from_text(twice).unwrap();
        assert_eq!(read.name, "Last");
        assert_eq!(Record::Actor(read).to_json(), Record::Actor(whole(&map)).to_json());
        // Texts that are not one JSON object, or not an actor.
        for text in ["[1]", "{\"type\":\"actor\"", "{\"type\":\"actor\",\"id\":\"a\",\"name\":\"A\"} x", "null"] {
            assert!(actor_from_text(text).is_err(), "{text}");
        }
        let relation = json!({"type":"relation","from":"a","kind":"member_of","to":"b"});
        let errors = actor_from_text(&relation.to_string()).unwrap_err();
        assert!(errors.iter().any(|e| e.field == "type" && e.to_string().contains("actor")), "{errors:?}");
    }
}
