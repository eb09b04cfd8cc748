//! Territories as people name them: the list of territories with their actors counted by
//! category (the territories page), and a territory typed by name ("Québec", "quebec") or code
//! resolved to its code.

use crate::error::{AppError, AppResult, Code};
use solidaria_core::record::{Record, RecordType};
use solidaria_core::territory::{self, TerritoryId};
use solidaria_store::Store;
use std::collections::BTreeMap;

/// A territory with the actors within it (nested territories included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    /// The territory's code.
    pub id: String,
    /// Its name: the territory record's, else the ISO 3166 name, else the code.
    pub name: String,
    /// Actors within it.
    pub actors: u64,
    /// Those actors by category (`unknown` for none recorded), largest first, then by category.
    pub by_category: Vec<(String, u64)>,
}

/// The names of the territory records, by id.
pub fn names(store: &mut dyn Store) -> AppResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    store.for_each(RecordType::Territory, &mut |r| {
        if let Record::Territory(t) = r
            && let Some(name) = t.name
        {
            out.insert(t.id.to_string(), name);
        }
        Ok(())
    })?;
    Ok(out)
}

/// The name of a territory: its record's, else its ISO 3166 name, else its code.
pub fn name_of(names: &BTreeMap<String, String>, id: &str) -> String {
    names.get(id).cloned().or_else(|| territory::iso(id).map(|e| e.name.to_string())).unwrap_or_else(|| id.to_string())
}

/// Every territory that has actors, each counted with the actors of the territories within it
/// (Quebec's actors count for Canada too), by code (so a country comes just before its
/// subdivisions). Reads every actor once.
pub fn overview(store: &mut dyn Store) -> AppResult<Vec<Counted>> {
    let parents = store.territory_parents()?;
    let names = names(store)?;
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    store.for_each(RecordType::Actor, &mut |r| {
        if let Record::Actor(a) = r
            && let Some(t) = &a.territory
        {
            let category = a.category.map_or("unknown".to_string(), |c| c.to_string());
            for within in territory::ancestors(t.as_str(), &parents) {
                *counts.entry(within).or_default().entry(category.clone()).or_default() += 1;
            }
        }
        Ok(())
    })?;
    Ok(counts
        .into_iter()
        .map(|(id, by)| {
            let mut by_category: Vec<(String, u64)> = by.into_iter().collect();
            by_category.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            Counted { name: name_of(&names, &id), actors: by_category.iter().map(|(_, n)| n).sum(), by_category, id }
        })
        .collect())
}

/// A territory as typed, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// One territory: its code.
    One(String),
    /// Several territories have that name: each (code, name), by code.
    Choices(Vec<(String, String)>),
}

/// Resolves a territory typed as a code or a name. In this order: an ISO 3166 code or the id
/// of a territory record, as typed; the same in upper case (`ca-qc`); a name, compared without
/// accents, case or punctuation ([`territory::by_name`]) among the ISO 3166 names and the
/// territory records' names. A text that names nothing is kept when it is a well-formed id (a
/// region with no actors yet lists none), else it is `territory_malformed`.
pub fn resolve(store: &mut dyn Store, text: &str) -> AppResult<Resolved> {
    let typed = text.trim();
    let names = names(store)?;
    let parents = store.territory_parents()?;
    let known = |id: &str| {
        territory::iso(id).is_some()
            || names.contains_key(id)
            || parents.contains_key(id)
            || parents.values().any(|p| p == id)
    };
    if known(typed) {
        return Ok(Resolved::One(typed.to_string()));
    }
    let upper = typed.to_ascii_uppercase();
    if territory::iso(&upper).is_some() {
        return Ok(Resolved::One(upper));
    }
    let named: Vec<(String, String)> = names.into_iter().collect();
    let mut found = territory::by_name(typed, &named);
    match found.len() {
        1 => Ok(Resolved::One(found.remove(0).0)),
        0 => match TerritoryId::parse(typed) {
            Ok(_) => Ok(Resolved::One(typed.to_string())),
            Err(e) => Err(AppError::new(
                Code::TerritoryMalformed,
                format!("territory: expected {e}, or the name of a territory; found {typed:?}"),
            )
            .at("territory")),
        },
        _ => Ok(Resolved::Choices(found)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(lines: &str) -> (tempfile::TempDir, Box<dyn Store>) {
        let dir = tempfile::tempdir().unwrap();
        let mut s = solidaria_store::open(dir.path().join("t.db").to_str().unwrap()).unwrap();
        let records: Vec<Record> = lines
            .lines()
            .map(|l| solidaria_core::record::parse_record(&serde_json::from_str(l).unwrap()).unwrap())
            .collect();
        let mut tx = s.transaction().unwrap();
        tx.upsert_records("test", &records).unwrap();
        tx.commit().unwrap();
        (dir, s)
    }

    const DATA: &str = r#"{"type":"actor","id":"a","name":"A","category":"sse_organization","territory":"CA-QC"}
{"type":"actor","id":"b","name":"B","category":"finance_provider","territory":"CA-QC"}
{"type":"actor","id":"c","name":"C","category":"sse_organization","territory":"CA-ON"}
{"type":"actor","id":"d","name":"D","territory":"pays-basque"}
{"type":"territory","id":"pays-basque","name":"Pays basque","parent":"FR"}"#;

    #[test]
    fn territories_are_counted_with_the_ones_within_them() {
        let (_dir, mut s) = store(DATA);
        let all = overview(s.as_mut()).unwrap();
        let ids: Vec<(&str, u64)> = all.iter().map(|c| (c.id.as_str(), c.actors)).collect();
        assert_eq!(ids, [("CA", 3), ("CA-ON", 1), ("CA-QC", 2), ("FR", 1), ("pays-basque", 1)]);
        assert_eq!(all[0].name, "Canada");
        assert_eq!(all[0].by_category, [("sse_organization".to_string(), 2), ("finance_provider".to_string(), 1)]);
        assert_eq!(all[4].name, "Pays basque");
        assert_eq!(all[4].by_category, [("unknown".to_string(), 1)]);
    }

    #[test]
    fn a_territory_is_resolved_by_code_or_by_name() {
        let (_dir, mut s) = store(DATA);
        let one = |t: &str| Resolved::One(t.to_string());
        let mut r = |text: &str| resolve(s.as_mut(), text);
        assert_eq!(r("CA-QC").unwrap(), one("CA-QC"));
        assert_eq!(r("ca-qc").unwrap(), one("CA-QC"));
        assert_eq!(r("Québec").unwrap(), one("CA-QC"));
        assert_eq!(r("quebec").unwrap(), one("CA-QC"));
        assert_eq!(r("pays-basque").unwrap(), one("pays-basque"));
        assert_eq!(r("Pays Basque").unwrap(), one("pays-basque"));
        match r("georgia").unwrap() {
            Resolved::Choices(c) => assert_eq!(c.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), ["GE", "US-GA"]),
            other => panic!("{other:?}"),
        }
        assert_eq!(r("nowhere-yet").unwrap(), one("nowhere-yet"), "a well-formed id is kept");
        assert_eq!(r("Nowhere At All").unwrap_err().code, Code::TerritoryMalformed);
    }
}
