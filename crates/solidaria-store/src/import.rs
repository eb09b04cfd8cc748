//! The import pipeline: validate every record, write in one transaction, commit only if the whole
//! input is sound.
//!
//! Records stream from their sources in batches. While no problem has been found, each batch is
//! written inside one open transaction (so memory stays flat); after the first problem, writing
//! stops but validation goes on to the end so the report lists every problem. References
//! (relation ends, case actors, custom territories and parents) may point forward in the input;
//! they are checked against the transaction when their batch is written and again at the end.
//! Only an input with no problem at all is committed; otherwise the transaction is rolled back
//! and nothing is kept.

use crate::{Store, StoreError, WriteCounts};
use solidaria_core::record::RecordType;
use solidaria_core::territory::{TerritoryId, find_cycle};
use solidaria_core::{FieldError, Record};
use solidaria_formats::{Entries, FormatError};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

/// Records written per batch.
pub const BATCH: usize = 1000;

/// Problems kept in a report; beyond this only their number is counted.
pub const MAX_PROBLEMS: usize = 10_000;

/// One input to import: a display name (the file name) and its entries.
pub struct Source<'a> {
    /// Name used in problem reports.
    pub name: String,
    /// The entries, or the failure that prevented reading the file at all.
    pub entries: Result<Entries<'a>, FormatError>,
}

/// A located problem: `file:line: field: expected …, found …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The source's name.
    pub file: String,
    /// The line of the record (0 when the problem concerns the whole file).
    pub line: u64,
    /// What is wrong.
    pub error: FieldError,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.error)
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Every problem found (at most [`MAX_PROBLEMS`]), in input order.
    pub problems: Vec<Problem>,
    /// Problems found beyond [`MAX_PROBLEMS`].
    pub more_problems: u64,
    /// Records read (valid or not).
    pub records: u64,
    /// Changes written; meaningful only when committed.
    pub counts: WriteCounts,
    /// True when the transaction was committed.
    pub committed: bool,
}

impl ImportReport {
    fn problem(&mut self, file: &str, line: u64, error: FieldError) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem { file: file.to_string(), line, error });
        } else {
            self.more_problems += 1;
        }
    }

    /// Number of problems found in all.
    pub fn problem_count(&self) -> u64 {
        self.problems.len() as u64 + self.more_problems
    }
}

/// A failure that stops an import (a broken disk or connection, not a bad record).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading an input failed.
    #[error("{file}: {source}")]
    Read {
        /// The source's name.
        file: String,
        /// What failed.
        source: FormatError,
    },
}

/// A reference from a record to another that must exist.
struct Ref {
    file: usize,
    line: u64,
    field: String,
    target: RecordType,
    id: String,
}

/// The references a record makes to other records.
fn refs_of(record: &Record) -> Vec<(String, RecordType, String)> {
    let custom = |t: &Option<TerritoryId>| t.as_ref().filter(|t| t.is_custom()).map(|t| t.to_string());
    match record {
        Record::Actor(a) => {
            custom(&a.territory).map(|t| ("territory".into(), RecordType::Territory, t)).into_iter().collect()
        }
        Record::Relation(r) => vec![
            ("from".into(), RecordType::Actor, r.from.to_string()),
            ("to".into(), RecordType::Actor, r.to.to_string()),
        ],
        Record::Territory(t) => {
            custom(&t.parent).map(|p| ("parent".into(), RecordType::Territory, p)).into_iter().collect()
        }
        Record::Case(c) => custom(&c.territory)
            .map(|t| ("territory".to_string(), RecordType::Territory, t))
            .into_iter()
            .chain(
                c.actors
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (format!("actors[{i}].actor"), RecordType::Actor, a.actor.to_string())),
            )
            .collect(),
    }
}

fn ref_error(r: &Ref) -> FieldError {
    FieldError::text(
        &r.field,
        format!("the id of a {} in this input or already in the database", r.target),
        format!("\"{}\", which is neither", r.id),
    )
}

/// Imports sources as `who`, all or nothing. `progress` is called after each batch with the
/// number of records read so far.
pub fn import(
    store: &mut dyn Store,
    who: &str,
    sources: Vec<Source<'_>>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let mut tx = store.transaction()?;
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
    let mut batch_refs: Vec<Ref> = Vec::new();
    let mut pending: Vec<Ref> = Vec::new();
    // Records seen after writing stopped, so that references to them are not reported missing.
    let mut unwritten: HashSet<(RecordType, String)> = HashSet::new();
    let mut territory_lines: BTreeMap<String, (usize, u64)> = BTreeMap::new();

    let flush = |tx: &mut Box<dyn crate::Transaction + '_>,
                 batch: &mut Vec<Record>,
                 batch_refs: &mut Vec<Ref>,
                 pending: &mut Vec<Ref>,
                 report: &mut ImportReport|
     -> Result<(), StoreError> {
        let changes = tx.upsert(who, batch)?;
        for (record, change) in batch.iter().zip(changes) {
            report.counts.add(record.record_type(), change);
        }
        batch.clear();
        unresolved(tx.as_mut(), batch_refs, pending)?;
        Ok(())
    };

    for (file_idx, source) in sources.into_iter().enumerate() {
        let name = &names[file_idx];
        let entries = match source.entries {
            Ok(e) => e,
            Err(FormatError::Structure { line, message }) => {
                report.problem(name, line, FieldError::text("file", "a readable file", message));
                continue;
            }
            Err(e) => return Err(ImportError::Read { file: name.clone(), source: e }),
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(FormatError::Structure { line, message }) => {
                    report.problem(name, line, FieldError::text("file", "a readable file", message));
                    break;
                }
                Err(e) => return Err(ImportError::Read { file: name.clone(), source: e }),
            };
            report.records += 1;
            let record = match entry.result {
                Ok(r) => r,
                Err(errors) => {
                    for e in errors {
                        report.problem(name, entry.line, e);
                    }
                    unwritten.extend(entry.identity);
                    continue;
                }
            };
            if let Record::Territory(t) = &record {
                territory_lines.insert(t.id.to_string(), (file_idx, entry.line));
            }
            let refs = refs_of(&record).into_iter().map(|(field, target, id)| Ref {
                file: file_idx,
                line: entry.line,
                field,
                target,
                id,
            });
            if report.problems.is_empty() {
                batch_refs.extend(refs);
                batch.push(record);
                if batch.len() >= BATCH {
                    flush(&mut tx, &mut batch, &mut batch_refs, &mut pending, &mut report)?;
                    progress(report.records);
                }
            } else {
                pending.extend(refs);
                unwritten.insert((record.record_type(), record.key()));
            }
        }
    }
    if report.problems.is_empty() && !batch.is_empty() {
        flush(&mut tx, &mut batch, &mut batch_refs, &mut pending, &mut report)?;
    }
    // Records dropped from an unwritten batch still count as defined for references.
    for record in batch.drain(..) {
        unwritten.insert((record.record_type(), record.key()));
    }
    pending.append(&mut batch_refs);
    progress(report.records);

    // Final reference check: the transaction now holds every record written.
    pending.retain(|r| !unwritten.contains(&(r.target, r.id.clone())));
    let mut missing_refs = Vec::new();
    unresolved(tx.as_mut(), &mut pending, &mut missing_refs)?;
    missing_refs.sort_by_key(|r| (r.file, r.line));
    for r in &missing_refs {
        report.problem(&names[r.file], r.line, ref_error(r));
    }
    if report.problems.is_empty()
        && let Some(cycle) = find_cycle(&tx.territory_parents()?)
    {
        let (file, line) = territory_lines.get(&cycle[0]).copied().unwrap_or((0, 0));
        let name = names.get(file).cloned().unwrap_or_default();
        report.problem(
            &name,
            line,
            FieldError::text(
                "parent",
                "a parent that is not one of its own descendants",
                format!("the cycle {}", cycle.join(" → ")),
            ),
        );
    }
    if report.problems.is_empty() {
        tx.commit()?;
        report.committed = true;
    }
    Ok(report)
}

/// Moves the references among `refs` whose target does not exist in the transaction to `out`.
fn unresolved(tx: &mut dyn crate::Transaction, refs: &mut Vec<Ref>, out: &mut Vec<Ref>) -> Result<(), StoreError> {
    for t in RecordType::ALL {
        let ids: BTreeSet<String> = refs.iter().filter(|r| r.target == *t).map(|r| r.id.clone()).collect();
        if ids.is_empty() {
            continue;
        }
        let missing = tx.missing(*t, &ids.into_iter().collect::<Vec<_>>())?;
        let (gone, kept): (Vec<Ref>, Vec<Ref>) =
            refs.drain(..).partition(|r| r.target == *t && missing.contains(&r.id));
        *refs = kept;
        out.extend(gone);
    }
    refs.clear();
    Ok(())
}
