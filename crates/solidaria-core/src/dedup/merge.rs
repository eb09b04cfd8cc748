//! Merging two actors that describe one organization into one record, keeping every source's
//! values with their provenance.
//!
//! The **kept** actor keeps its id and name; the **absorbed** actor's id becomes one of its
//! `alternate_ids` (so that old links find it) and its name, when other, one of its
//! `alternate_names`. Lists are joined (claims, labels, roles, activities, sites, sources,
//! alternate names and ids); identifiers of both are kept; a part only one of them has is taken from it.
//! Where both have a value and they differ (a field, an address part, an identifier of one
//! scheme, a fact), one value is kept and the pair is reported as a [`Conflict`], for a moderator
//! to see side by side before confirming:
//! - a fact: the **better-evidenced** one ([`evidence_rank`]: more parts of provenance given,
//!   then the later date), the kept actor's on a tie;
//! - anything else: the kept actor's.
//!
//! Facts that agree on the value keep the better-evidenced provenance. Pure: the use case that
//! writes the merge (and can undo it) is `solidaria_app::merge`.

use crate::actor::Actor;
use crate::fact::Fact;
use crate::text::Id;
use serde::Serialize;
use serde_json::{Value, json};

/// Which actor a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The actor kept.
    Kept,
    /// The actor merged into it.
    Absorbed,
}

/// Two different values of one part, and the one the merge keeps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The part, as a JSON path: `website`, `address.postcode`, `identifiers.fr_siren`,
    /// `facts.members.count`.
    pub field: String,
    /// The kept actor's value (a fact with its provenance).
    pub kept: Value,
    /// The absorbed actor's value.
    pub absorbed: Value,
    /// Which one the merged record holds.
    pub chosen: Side,
    /// Why, in words.
    pub why: String,
}

/// The merged record and the conflicts resolved on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The kept actor with the absorbed one's values joined.
    pub actor: Actor,
    /// The parts where both had a different value, in field order.
    pub conflicts: Vec<Conflict>,
}

/// How well a fact is evidenced: the number of provenance parts given (source, date, link,
/// note), then its date (a later source first). Higher is better.
pub fn evidence_rank(f: &Fact) -> (usize, Option<String>) {
    let p = &f.provenance;
    let parts = [p.source.is_some(), p.date.is_some(), p.url.is_some(), p.note.is_some()];
    (parts.iter().filter(|x| **x).count(), p.date.as_ref().map(|d| d.to_string()))
}

fn union<T: Clone + PartialEq>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = a.to_vec();
    for x in b {
        if !out.contains(x) {
            out.push(x.clone());
        }
    }
    out
}

fn sorted_union<T: Clone + Ord>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out: Vec<T> = a.iter().chain(b).cloned().collect();
    out.sort();
    out.dedup();
    out
}

/// Keeps the kept actor's value of an optional part, or the absorbed one's when the kept has
/// none; a difference is a conflict.
fn part<T: Clone + PartialEq + Serialize>(
    field: &str,
    kept: &Option<T>,
    absorbed: &Option<T>,
    conflicts: &mut Vec<Conflict>,
) -> Option<T> {
    match (kept, absorbed) {
        (Some(k), Some(a)) if k != a => {
            conflicts.push(Conflict {
                field: field.to_string(),
                kept: json!(k),
                absorbed: json!(a),
                chosen: Side::Kept,
                why: "both records have a value: the kept record's stays".into(),
            });
            Some(k.clone())
        }
        (Some(k), _) => Some(k.clone()),
        (None, a) => a.clone(),
    }
}

/// Merges `absorbed` into `kept` (see the module documentation).
pub fn merge(kept: &Actor, absorbed: &Actor) -> Merged {
    let mut c = Vec::new();
    let mut m = kept.clone();
    // Names and ids: the absorbed record's become alternates.
    let mut names = sorted_union(&kept.alternate_names, &absorbed.alternate_names);
    names.push(absorbed.name.clone());
    names.retain(|n| *n != kept.name);
    names.sort();
    names.dedup();
    m.alternate_names = names;
    let mut ids: Vec<Id> = sorted_union(&kept.alternate_ids, &absorbed.alternate_ids);
    ids.push(absorbed.id.clone());
    ids.retain(|i| *i != kept.id);
    ids.sort();
    ids.dedup();
    m.alternate_ids = ids;
    m.category = part("category", &kept.category, &absorbed.category, &mut c);
    m.legal_form.family = part("legal_form.family", &kept.legal_form.family, &absorbed.legal_form.family, &mut c);
    m.legal_form.code = part("legal_form.code", &kept.legal_form.code, &absorbed.legal_form.code, &mut c);
    m.legal_form.label = part("legal_form.label", &kept.legal_form.label, &absorbed.legal_form.label, &mut c);
    m.territory = part("territory", &kept.territory, &absorbed.territory, &mut c);
    m.claims = sorted_union(&kept.claims, &absorbed.claims);
    m.labels = sorted_union(&kept.labels, &absorbed.labels);
    m.roles = sorted_union(&kept.roles, &absorbed.roles);
    m.location = part("location", &kept.location, &absorbed.location, &mut c);
    m.website = part("website", &kept.website, &absorbed.website, &mut c);
    m.founded = part("founded", &kept.founded, &absorbed.founded, &mut c);
    m.description = part("description", &kept.description, &absorbed.description, &mut c);
    let (ka, aa) = (&kept.address, &absorbed.address);
    m.address.street = part("address.street", &ka.street, &aa.street, &mut c);
    m.address.locality = part("address.locality", &ka.locality, &aa.locality, &mut c);
    m.address.region = part("address.region", &ka.region, &aa.region, &mut c);
    m.address.postcode = part("address.postcode", &ka.postcode, &aa.postcode, &mut c);
    m.address.country = part("address.country", &ka.country, &aa.country, &mut c);
    for (scheme, value) in &absorbed.identifiers {
        match kept.identifiers.get(scheme) {
            None => {
                m.identifiers.insert(scheme.clone(), value.clone());
            }
            Some(k) if k != value => c.push(Conflict {
                field: format!("identifiers.{scheme}"),
                kept: json!(k),
                absorbed: json!(value),
                chosen: Side::Kept,
                why: "one identifier per scheme: the kept record's stays (the other is in the merge's record)".into(),
            }),
            Some(_) => {}
        }
    }
    m.sites = union(&kept.sites, &absorbed.sites);
    m.activities = sorted_union(&kept.activities, &absorbed.activities);
    m.sources = union(&kept.sources, &absorbed.sources);
    for (key, theirs) in &absorbed.facts {
        let Some(ours) = kept.facts.get(key) else {
            m.facts.insert(key.clone(), theirs.clone());
            continue;
        };
        let better = evidence_rank(theirs) > evidence_rank(ours);
        if better {
            m.facts.insert(key.clone(), theirs.clone());
        }
        if ours.value != theirs.value {
            let (kr, ar) = (evidence_rank(ours).0, evidence_rank(theirs).0);
            c.push(Conflict {
                field: format!("facts.{key}"),
                kept: ours.to_json(),
                absorbed: theirs.to_json(),
                chosen: if better { Side::Absorbed } else { Side::Kept },
                why: if better {
                    format!("the absorbed record's value is better evidenced ({ar} provenance part(s) against {kr}, or a later date)")
                } else if kr > ar {
                    format!("the kept record's value is better evidenced ({kr} provenance part(s) against {ar})")
                } else {
                    "evidenced alike: the kept record's value stays".to_string()
                },
            });
        }
    }
    c.sort_by(|a, b| a.field.cmp(&b.field));
    Merged { actor: m, conflicts: c }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::parse_record;

    fn actor(v: Value) -> Actor {
        match parse_record(&v).expect("valid") {
            crate::Record::Actor(a) => a,
            _ => panic!("not an actor"),
        }
    }

    #[test]
    fn a_merge_keeps_both_sources_and_reports_conflicts() {
        let kept = actor(json!({"type":"actor","id":"coop-a","name":"Leeds Bread Co-op","website":"https://a.example",
            "identifiers":{"coops_uk":"R1","gb_companies_house":"IP001"},
            "sources":[{"dataset":"coops-uk-2017","line":3}],
            "facts":{"members.count":{"value":12,"source":"AGM 2017"},"employees.count":4}}));
        let absorbed = actor(json!({"type":"actor","id":"coop-b","name":"Leeds Bread Cooperative Ltd",
            "alternate_names":["LBC"],"website":"https://b.example","founded":2004,
            "identifiers":{"coops_uk":"R2","fr_siren":"775672272"},
            "sources":[{"dataset":"coops-uk-essglobal","edition":"2022-Q2","line":9}],
            "facts":{"members.count":{"value":30,"source":"Annual return","date":"2022","url":"https://r.example"},
                     "employees.count":4,"assets.lock":true}}));
        let m = merge(&kept, &absorbed);
        let a = &m.actor;
        assert_eq!(a.id.as_str(), "coop-a");
        assert_eq!(a.name, "Leeds Bread Co-op");
        assert_eq!(a.alternate_names, vec!["LBC".to_string(), "Leeds Bread Cooperative Ltd".to_string()]);
        assert_eq!(a.alternate_ids, vec![Id::parse("coop-b").unwrap()]);
        assert_eq!(a.founded, Some(2004), "a part only one has is taken from it");
        assert_eq!(a.sources.len(), 2);
        assert_eq!(a.identifiers["coops_uk"], "R1");
        assert_eq!(a.identifiers["fr_siren"], "775672272");
        assert_eq!(a.facts["members.count"].value, crate::fact::FactValue::Count(30), "better evidenced wins");
        assert!(a.facts.contains_key("assets.lock"));
        let fields: Vec<(&str, Side)> = m.conflicts.iter().map(|c| (c.field.as_str(), c.chosen)).collect();
        assert_eq!(
            fields,
            vec![
                ("facts.members.count", Side::Absorbed),
                ("identifiers.coops_uk", Side::Kept),
                ("website", Side::Kept)
            ]
        );
        // The merged record is a valid record.
        let again = parse_record(&crate::Record::Actor(a.clone()).to_json()).expect("valid");
        assert_eq!(again, crate::Record::Actor(a.clone()));
    }

    #[test]
    fn evidence_ties_keep_the_kept_value() {
        let kept = actor(json!({"type":"actor","id":"a","name":"A","facts":{"employees.count":3}}));
        let absorbed = actor(json!({"type":"actor","id":"b","name":"A","facts":{"employees.count":5}}));
        let m = merge(&kept, &absorbed);
        assert_eq!(m.actor.facts["employees.count"].value, crate::fact::FactValue::Count(3));
        assert_eq!(m.conflicts[0].chosen, Side::Kept);
        assert!(m.actor.alternate_names.is_empty(), "the same name is not another name");
    }
}
