//! Writing actors and relations as CSV: the columns an export needs, one row per record, every
//! cell a spreadsheet would run neutralised.

use super::{
    ACTOR_COLUMNS, LIST_SEPARATOR, PROVENANCE_PARTS, RELATION_COLUMNS, SITES_COLUMN, alternate_names_cell, neutralise,
};
use crate::FormatError;
use serde_json::Value;
use serde_json::json;
use solidaria_core::actor::Actor;
use solidaria_core::fact::{Fact, FactValue};
use solidaria_core::relation::Relation;
use solidaria_core::vocab;
use std::io::Write;

/// Fact keys in column order: vocabulary order, then custom keys alphabetically, each once.
pub fn fact_keys<'a>(keys: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut keys: Vec<String> = keys.into_iter().cloned().collect();
    keys.sort_by(|a, b| (vocab::order(a), a).cmp(&(vocab::order(b), b)));
    keys.dedup();
    keys
}

/// The variable columns of an actor file: the identifier schemes and fact keys in use. Built in a
/// first pass over the actors, so that the header names every column before the first row.
#[derive(Debug, Clone, Default)]
pub struct CsvColumns {
    schemes: std::collections::BTreeSet<String>,
    keys: std::collections::BTreeSet<String>,
    /// The keys of which some actor's fact says its assurance: only they get an `@assurance`
    /// column, so files without self-assessed facts keep their columns.
    assured: std::collections::BTreeSet<String>,
    /// Whether some actor has sites (then the file has a `sites` column).
    sites: bool,
}

impl CsvColumns {
    /// Adds the schemes and fact keys of one actor.
    pub fn add(&mut self, a: &Actor) {
        self.sites |= !a.sites.is_empty();
        self.schemes.extend(a.identifiers.keys().cloned());
        self.keys.extend(a.facts.keys().cloned());
        self.assured.extend(a.facts.iter().filter(|(_, f)| f.provenance.assurance.is_some()).map(|(k, _)| k.clone()));
    }

    /// The columns of a set of actors.
    pub fn of<'a>(actors: impl IntoIterator<Item = &'a Actor>) -> Self {
        let mut c = Self::default();
        actors.into_iter().for_each(|a| c.add(a));
        c
    }
}

/// Writes actors as CSV rows with the columns for a given set of schemes and fact keys.
pub struct ActorCsvWriter<W: Write> {
    w: csv::Writer<W>,
    schemes: Vec<String>,
    keys: Vec<String>,
    assured: std::collections::BTreeSet<String>,
    sites: bool,
}

impl<W: Write> ActorCsvWriter<W> {
    /// Starts a file with the given variable columns; writes the header.
    pub fn new(w: W, columns: CsvColumns) -> Result<Self, FormatError> {
        let mut w = csv::Writer::from_writer(w);
        let schemes: Vec<String> = columns.schemes.into_iter().collect();
        let keys = fact_keys(&columns.keys);
        let mut header: Vec<String> = ACTOR_COLUMNS.iter().map(|c| c.to_string()).collect();
        if columns.sites {
            header.push(SITES_COLUMN.to_string());
        }
        header.extend(schemes.iter().map(|s| format!("identifiers.{s}")));
        for k in &keys {
            header.push(format!("facts.{k}"));
            header.extend(PROVENANCE_PARTS.iter().map(|p| format!("facts.{k}@{p}")));
            if columns.assured.contains(k) {
                header.push(format!("facts.{k}@assurance"));
            }
        }
        w.write_record(&header)?;
        Ok(Self { w, schemes, keys, assured: columns.assured, sites: columns.sites })
    }

    /// Writes one actor. Facts whose key is not among the writer's keys are an error, so that
    /// nothing is silently dropped.
    pub fn write(&mut self, a: &Actor) -> Result<(), FormatError> {
        if let Some(k) = a.facts.keys().find(|k| !self.keys.contains(k)) {
            return Err(FormatError::Unsupported(format!("actor {}: fact {k} has no column in this CSV file", a.id)));
        }
        if let Some((k, _)) =
            a.facts.iter().find(|(k, f)| f.provenance.assurance.is_some() && !self.assured.contains(*k))
        {
            return Err(FormatError::Unsupported(format!(
                "actor {}: fact {k} has an assurance and no facts.{k}@assurance column in this CSV file",
                a.id
            )));
        }
        if let Some(s) = a.identifiers.keys().find(|s| !self.schemes.contains(s)) {
            return Err(FormatError::Unsupported(format!(
                "actor {}: identifier scheme {s} has no column in this CSV file",
                a.id
            )));
        }
        if !a.sites.is_empty() && !self.sites {
            return Err(FormatError::Unsupported(format!("actor {}: its sites have no column in this CSV file", a.id)));
        }
        let opt = |o: Option<String>| o.unwrap_or_default();
        let join = |v: Vec<&str>| v.join(&LIST_SEPARATOR.to_string());
        let mut row: Vec<String> = vec![
            a.id.to_string(),
            a.name.clone(),
            opt(a.category.map(|c| c.to_string())),
            opt(a.legal_form.family.map(|f| f.to_string())),
            opt(a.legal_form.code.clone()),
            opt(a.legal_form.label.clone()),
            opt(a.territory.as_ref().map(|t| t.to_string())),
            join(a.claims.iter().map(|c| c.as_str()).chain(a.labels.iter().map(String::as_str)).collect()),
            join(a.roles.iter().map(|r| r.as_str()).collect()),
            opt(a.location.map(|l| json!(l.lat).to_string())),
            opt(a.location.map(|l| json!(l.lon).to_string())),
            opt(a.location.and_then(|l| l.precision).map(|p| p.to_string())),
            opt(a.website.as_ref().map(|w| w.to_string())),
            opt(a.founded.map(|y| y.to_string())),
            opt(a.description.clone()),
            opt(a.address.street.clone()),
            opt(a.address.locality.clone()),
            opt(a.address.region.clone()),
            opt(a.address.postcode.clone()),
            opt(a.address.country.clone()),
            join(a.activities.iter().map(String::as_str).collect()),
            if a.sources.is_empty() { String::new() } else { serde_json::to_string(&a.sources).unwrap_or_default() },
            alternate_names_cell(&a.alternate_names),
            join(a.alternate_ids.iter().map(|i| i.as_str()).collect()),
        ];
        if self.sites {
            row.push(if a.sites.is_empty() {
                String::new()
            } else {
                serde_json::to_string(&a.sites).unwrap_or_default()
            });
        }
        row.extend(self.schemes.iter().map(|s| a.identifiers.get(s).cloned().unwrap_or_default()));
        for k in &self.keys {
            let assured = self.assured.contains(k);
            match a.facts.get(k) {
                None => row.extend(std::iter::repeat_n(String::new(), 5 + usize::from(assured))),
                Some(f) => {
                    push_fact(&mut row, f);
                    if assured {
                        row.push(f.provenance.assurance.map(|a| a.as_str().to_string()).unwrap_or_default());
                    }
                }
            }
        }
        write_neutralised(&mut self.w, &row)?;
        Ok(())
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> Result<W, FormatError> {
        self.w.into_inner().map_err(|e| FormatError::Io(e.into_error()))
    }
}

fn push_fact(row: &mut Vec<String>, f: &Fact) {
    let cell = match &f.value {
        FactValue::Bool(b) => b.to_string(),
        FactValue::Count(n) => n.to_string(),
        FactValue::Number(x) => json!(x).to_string(),
        FactValue::Choice(s) => s.clone(),
        FactValue::Set(items) => items.join(&LIST_SEPARATOR.to_string()),
        FactValue::Actor(id) => id.to_string(),
        FactValue::Custom(Value::String(s)) if !s.is_empty() && serde_json::from_str::<Value>(s).is_err() => s.clone(),
        FactValue::Custom(v) => v.to_string(),
    };
    let p = &f.provenance;
    row.push(cell);
    row.push(p.source.clone().unwrap_or_default());
    row.push(p.date.as_ref().map(|d| d.to_string()).unwrap_or_default());
    row.push(p.url.as_ref().map(|u| u.to_string()).unwrap_or_default());
    row.push(p.note.clone().unwrap_or_default());
}

/// Writes one row of cells, each [`neutralise`]d.
fn write_neutralised<W: Write>(w: &mut csv::Writer<W>, cells: &[String]) -> Result<(), csv::Error> {
    for c in cells {
        w.write_field(neutralise(c).as_bytes())?;
    }
    w.write_record(None::<&[u8]>)
}

/// Writes relations as CSV rows.
pub struct RelationCsvWriter<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> RelationCsvWriter<W> {
    /// Starts a relation file; writes the header.
    pub fn new(w: W) -> Result<Self, FormatError> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record(RELATION_COLUMNS)?;
        Ok(Self { w })
    }

    /// Writes one relation.
    pub fn write(&mut self, r: &Relation) -> Result<(), FormatError> {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        let d = |o: &Option<solidaria_core::text::PartialDate>| o.as_ref().map(|d| d.to_string()).unwrap_or_default();
        let cells = [
            r.from.to_string(),
            r.to.to_string(),
            r.kind.to_string(),
            d(&r.since),
            d(&r.until),
            s(&r.source),
            d(&r.date),
            r.url.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            s(&r.note),
        ];
        write_neutralised(&mut self.w, &cells)?;
        Ok(())
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> Result<W, FormatError> {
        self.w.into_inner().map_err(|e| FormatError::Io(e.into_error()))
    }
}
