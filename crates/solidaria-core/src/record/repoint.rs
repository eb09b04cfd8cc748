//! Re-pointing the references a record makes to one actor, to another: what a merge of two
//! actors does to every record that names the actor absorbed (see `solidaria_app::merge`).
//!
//! The references are the ones the import checks (`solidaria_app::import::refs_of`) besides
//! relations, whose key changes with their ends and which the merge handles itself:
//! - a case's actors (`actors[i].actor`);
//! - a mechanism's provider;
//! - a strategy's actions: lead, partners, the suggested pair, the committed actors;
//! - a fact holding an actor (`control.controlled_by`) on an actor, a territory or a case;
//! - a fund's manager and public sources ([`repoint_fund`]: funds live in the ledger).
//!
//! A list of plain ids (partners, public sources) that names both actors keeps one: the same
//! actor twice would say nothing more. Pure: nothing is written here.

use super::Record;
use crate::fact::{FactValue, Facts};
use crate::finance::fund::Fund;
use crate::text::Id;

fn one(field: String, id: &mut Id, from: &str, to: &Id, changed: &mut Vec<String>) {
    if id.as_str() == from {
        *id = to.clone();
        changed.push(field);
    }
}

/// Replaces `from` by `to` in a list of ids, keeping the first of two equal ids.
fn list(field: &str, ids: &mut Vec<Id>, from: &str, to: &Id, changed: &mut Vec<String>) {
    if !ids.iter().any(|i| i.as_str() == from) {
        return;
    }
    for (i, id) in ids.iter_mut().enumerate() {
        one(format!("{field}[{i}]"), id, from, to, changed);
    }
    let mut seen = Vec::with_capacity(ids.len());
    ids.retain(|i| {
        let fresh = !seen.contains(i);
        seen.push(i.clone());
        fresh
    });
}

fn facts(facts: &mut Facts, from: &str, to: &Id, changed: &mut Vec<String>) {
    for (key, fact) in facts.iter_mut() {
        if let FactValue::Actor(id) = &mut fact.value {
            one(format!("facts.{key}"), id, from, to, changed);
        }
    }
}

impl Record {
    /// Makes every reference of this record to the actor `from` name `to` instead, and returns
    /// the fields changed (`provider`, `actions[0].lead`, `facts.control.controlled_by`), empty
    /// when the record does not name `from`. Relations are left alone (their key is their ends:
    /// the merge re-keys them).
    pub fn repoint_actor(&mut self, from: &str, to: &Id) -> Vec<String> {
        let mut changed = Vec::new();
        match self {
            Record::Actor(a) => facts(&mut a.facts, from, to, &mut changed),
            Record::Territory(t) => facts(&mut t.facts, from, to, &mut changed),
            Record::Relation(_) => {}
            Record::Case(c) => {
                for (i, a) in c.actors.iter_mut().enumerate() {
                    one(format!("actors[{i}].actor"), &mut a.actor, from, to, &mut changed);
                }
                facts(&mut c.facts, from, to, &mut changed);
            }
            Record::Mechanism(m) => one("provider".into(), &mut m.provider, from, to, &mut changed),
            Record::Strategy(s) => {
                for (i, a) in s.actions.iter_mut().enumerate() {
                    if let Some(lead) = &mut a.lead {
                        one(format!("actions[{i}].lead"), lead, from, to, &mut changed);
                    }
                    list(&format!("actions[{i}].partners"), &mut a.partners, from, to, &mut changed);
                    if let Some(p) = &mut a.suggestion {
                        one(format!("actions[{i}].suggestion.from"), &mut p.from, from, to, &mut changed);
                        one(format!("actions[{i}].suggestion.to"), &mut p.to, from, to, &mut changed);
                    }
                    for (j, c) in a.commitments.iter_mut().enumerate() {
                        one(format!("actions[{i}].commitments[{j}].actor"), &mut c.actor, from, to, &mut changed);
                    }
                }
            }
        }
        changed
    }
}

/// [`Record::repoint_actor`] for a fund: its manager and public sources.
pub fn repoint_fund(fund: &mut Fund, from: &str, to: &Id) -> Vec<String> {
    let mut changed = Vec::new();
    one("manager".into(), &mut fund.manager, from, to, &mut changed);
    list("public_sources", &mut fund.public_sources, from, to, &mut changed);
    // Kept sorted, as a fund's definition reads them.
    fund.public_sources.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_record;
    use serde_json::{Value, json};

    fn record(v: Value) -> Record {
        parse_record(&v).expect("a valid record")
    }

    fn to() -> Id {
        Id::parse("kept").unwrap()
    }

    #[test]
    fn every_actor_field_of_every_record_type_is_repointed() {
        let mut m = record(json!({"type": "mechanism", "id": "m", "name": "Loan", "kind": "loan", "provider": "gone"}));
        assert_eq!(m.repoint_actor("gone", &to()), ["provider"]);
        assert_eq!(m.to_json()["provider"], "kept");

        let mut s = record(json!({
            "type": "strategy", "id": "s", "territory": "CA-QC", "title": "Plan", "from": "2025",
            "actions": [
                {"id": "a1", "title": "Train", "block": "capacity_building", "lead": "gone",
                 "partners": ["other", "gone"], "commitments": [{"actor": "gone", "what": "rooms"}]},
                {"id": "a2", "title": "Pair", "block": "finance", "answers": "suggestion",
                 "suggestion": {"from": "gone", "to": "other"}, "partners": ["kept", "gone"]}
            ]
        }));
        let fields = s.repoint_actor("gone", &to());
        assert_eq!(
            fields,
            [
                "actions[0].lead",
                "actions[0].partners[1]",
                "actions[0].commitments[0].actor",
                "actions[1].partners[1]",
                "actions[1].suggestion.from"
            ]
        );
        let v = s.to_json();
        assert_eq!(v["actions"][0]["lead"], "kept");
        assert_eq!(v["actions"][0]["partners"], json!(["other", "kept"]));
        assert_eq!(v["actions"][0]["commitments"][0]["actor"], "kept");
        assert_eq!(v["actions"][1]["suggestion"], json!({"from": "kept", "to": "other"}));
        assert_eq!(v["actions"][1]["partners"], json!(["kept"]), "the same partner once");

        let mut c = record(json!({"type": "case", "id": "c", "name": "Case",
            "actors": [{"actor": "gone", "role": "funder"}, {"actor": "other"}]}));
        assert_eq!(c.repoint_actor("gone", &to()), ["actors[0].actor"]);
        assert_eq!(c.to_json()["actors"][0], json!({"actor": "kept", "role": "funder"}));

        let mut a = record(json!({"type": "actor", "id": "sub", "name": "Subsidiary",
            "facts": {"control.controlled_by": {"value": "gone", "source": "register"}}}));
        assert_eq!(a.repoint_actor("gone", &to()), ["facts.control.controlled_by"]);
        assert_eq!(a.to_json()["facts"]["control.controlled_by"], json!({"value": "kept", "source": "register"}));
    }

    #[test]
    fn a_record_that_does_not_name_the_actor_is_unchanged() {
        let original =
            record(json!({"type": "mechanism", "id": "m", "name": "Loan", "kind": "loan", "provider": "gone-2"}));
        let mut r = original.clone();
        assert!(r.repoint_actor("gone", &to()).is_empty());
        assert_eq!(r, original);
        let rel = record(json!({"type": "relation", "from": "gone", "to": "x", "kind": "member_of"}));
        let mut r = rel.clone();
        assert!(r.repoint_actor("gone", &to()).is_empty(), "relations are re-keyed by the merge itself");
        assert_eq!(r, rel);
    }

    #[test]
    fn a_fund_names_its_manager_and_public_sources() {
        let mut f = Fund::parse(&json!({"type": "fund", "id": "f", "name": "F", "manager": "gone",
            "currency": "CAD", "public_sources": ["gov", "gone", "kept"]}))
        .unwrap();
        // Read sorted: gone, gov, kept.
        assert_eq!(repoint_fund(&mut f, "gone", &to()), ["manager", "public_sources[0]"]);
        assert_eq!(f.manager.as_str(), "kept");
        assert_eq!(f.public_sources.iter().map(Id::as_str).collect::<Vec<_>>(), ["gov", "kept"]);
        assert!(repoint_fund(&mut f, "gone", &to()).is_empty());
    }
}
