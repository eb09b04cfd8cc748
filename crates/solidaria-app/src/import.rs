//! The import pipeline: validate every record, write in one transaction, commit only if the whole
//! input is sound.
//!
//! Records stream from their sources in batches. While no problem has been found, each batch is
//! written inside one open transaction (so memory stays flat); after the first problem, writing
//! stops but validation goes on to the end so the report lists every problem. References
//! (relation ends, case actors, mechanism providers, custom territories and parents) may point forward in the input;
//! they are checked against the transaction when their batch is written and again at the end.
//! Only an input with no problem at all is committed; otherwise the transaction is rolled back
//! and nothing is kept.

use crate::error::{AppError, AppResult, Code};
use solidaria_core::record::RecordType;
use solidaria_core::territory::{TerritoryId, find_cycle};
use solidaria_core::{FieldError, Record};
use solidaria_formats::mapping::{self, Mapping, SharedNotes};
use solidaria_formats::{Entries, Entry, Format, FormatError};
use solidaria_store::rows::{self, Row};
use solidaria_store::{Change, Store, StoreError, Transaction, WriteCounts};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::sync::mpsc;

mod editions;
mod sites;
mod sources;
pub use editions::{disappeared, sites_elsewhere};
pub use sites::{SiteSource, mapped_sites};
pub use sources::{checked_mapped_source, mapped_source, mapping, murmurations_schema, source};

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
    /// Changes written (or, for [`check`], that would be written); meaningful only when there is
    /// no problem.
    pub counts: WriteCounts,
    /// True when the transaction was committed.
    pub committed: bool,
    /// Documented facts that contradict a mandatory rule of the actor's legal form (at most
    /// [`MAX_PROBLEMS`]): not errors (the record is kept as the source says), but data to check;
    /// screening uses neither side. `file:line: data conflict: …`.
    pub conflicts: Vec<String>,
    /// The ids of the actors read, in input order, when asked for ([`import_noting_actors`]):
    /// what an import's merges of duplicates start from.
    pub actors: Vec<String>,
    /// Sites attached to actors from files of sites ([`import_with_sites`]).
    pub sites: u64,
    /// The actors given those sites, sorted.
    pub site_actors: Vec<String>,
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

/// A reference from a record to another that must exist.
struct Ref {
    file: usize,
    line: u64,
    field: String,
    target: RecordType,
    id: String,
}

/// The references a record makes to other records.
pub(crate) fn refs_of(record: &Record) -> Vec<(String, RecordType, String)> {
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
        Record::Mechanism(m) => std::iter::once(("provider".to_string(), RecordType::Actor, m.provider.to_string()))
            .chain(m.custom_territories().into_iter().map(|(field, t)| (field, RecordType::Territory, t)))
            .collect(),
        Record::Strategy(s) => {
            let mut out: Vec<(String, RecordType, String)> = custom(&Some(s.territory.clone()))
                .map(|t| ("territory".into(), RecordType::Territory, t))
                .into_iter()
                .collect();
            for (i, a) in s.actions.iter().enumerate() {
                for (field, id) in a.actors() {
                    out.push((format!("actions[{i}].{field}"), RecordType::Actor, id.to_string()));
                }
                for (j, m) in a.mechanisms.iter().enumerate() {
                    out.push((format!("actions[{i}].mechanisms[{j}]"), RecordType::Mechanism, m.to_string()));
                }
                for (j, c) in a.models.iter().enumerate() {
                    out.push((format!("actions[{i}].models[{j}]"), RecordType::Case, c.to_string()));
                }
            }
            out
        }
    }
}

/// A record type with its indefinite article, for messages.
pub(crate) fn article(t: RecordType) -> &'static str {
    match t {
        RecordType::Actor => "an actor",
        RecordType::Relation => "a relation",
        RecordType::Territory => "a territory",
        RecordType::Case => "a case",
        RecordType::Mechanism => "a financial mechanism",
        RecordType::Strategy => "a strategy",
    }
}

/// The problem of a reference to a record found neither in the input nor in the database; an
/// actor absorbed by a merge is named with the actor it was merged into.
fn ref_error(r: &Ref, merged_into: Option<&str>) -> FieldError {
    let found = match merged_into {
        Some(kept) => format!("\"{}\", which was merged into \"{kept}\" (name that actor instead)", r.id),
        None => format!("\"{}\", which is neither", r.id),
    };
    FieldError::text(
        &r.field,
        format!("the id of {} in this input or already in the database", article(r.target)),
        found,
    )
}

/// What the parsing thread hands to the writing thread for one entry.
enum Item {
    /// A valid record, ready to write, with the references it makes.
    Record { line: u64, row: Row, refs: Vec<(String, RecordType, String)>, conflicts: Vec<String> },
    /// A record with problems; `identity` is its type and key when they could be read.
    Invalid { line: u64, errors: Vec<FieldError>, identity: Option<(RecordType, String)> },
    /// A problem with the file's structure; nothing more is read from it.
    Structure { line: u64, message: String },
}

/// Items sent between threads at once.
const CHUNK: usize = 512;

/// Parses and prepares entries on the calling thread, sending them in chunks; stops at the first
/// file-level failure (which it sends) or when the receiver is gone.
fn produce(entries: Entries<'_>, tx: &mpsc::SyncSender<Result<Vec<Item>, FormatError>>) {
    let mut chunk = Vec::with_capacity(CHUNK);
    for entry in entries {
        let item = match entry {
            Ok(Entry { line, result: Ok(record), .. }) => {
                let conflicts = match &record {
                    Record::Actor(a) => solidaria_core::statute::conflicts(a).iter().map(|c| c.to_string()).collect(),
                    _ => Vec::new(),
                };
                Item::Record { line, refs: refs_of(&record), row: rows::row(&record), conflicts }
            }
            Ok(Entry { line, result: Err(errors), identity }) => Item::Invalid { line, errors, identity },
            Err(FormatError::Structure { line, message }) => Item::Structure { line, message },
            Err(e) => {
                let _ = tx.send(Ok(std::mem::take(&mut chunk)));
                let _ = tx.send(Err(e));
                return;
            }
        };
        let stop = matches!(item, Item::Structure { .. });
        chunk.push(item);
        if !(chunk.len() >= CHUNK || stop) {
            continue;
        }
        let sent = tx.send(Ok(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))).is_ok();
        if !sent || stop {
            return;
        }
    }
    let _ = tx.send(Ok(chunk));
}

/// The state of an import between batches.
struct Run<'t> {
    tx: Box<dyn Transaction + 't>,
    who: String,
    report: ImportReport,
    batch: Vec<Row>,
    batch_refs: Vec<Ref>,
    pending: Vec<Ref>,
    /// Records not written (after the first problem), so that references to them are not
    /// reported as missing.
    unwritten: HashSet<(RecordType, String)>,
    territory_lines: BTreeMap<String, (usize, u64)>,
    /// Where each strategy was read (file name, line): a strategy changed while a round of
    /// deliberation is open on it is a problem of that line.
    strategy_lines: HashMap<String, (String, u64)>,
    /// The line of each record (type and key) read so far from the current file: a second
    /// record with the same key in one file is a problem, not a silent update.
    lines: HashMap<(RecordType, String), u64>,
    /// Whether to note the ids of the actors read in the report.
    note_actors: bool,
    /// The sites read from files of sites, waiting for their actors.
    sites: sites::Pending,
    /// Problems of the files of sites (file index, line, what).
    site_problems: Vec<sites::SiteProblem>,
}

impl Run<'_> {
    /// Remembers the line of a record's key in the current file; when the file already had it,
    /// reports the repetition with both lines and returns false.
    fn first_in_file(&mut self, name: &str, line: u64, identity: &(RecordType, String)) -> bool {
        let Some(&first) = self.lines.get(identity) else {
            self.lines.insert(identity.clone(), line);
            return true;
        };
        let (field, expected) = match identity.0 {
            RecordType::Relation => ("from|type|to", "a relation not already in this file".to_string()),
            t => ("id", format!("an id not used by another record of this file ({})", article(t))),
        };
        self.report.problem(
            name,
            line,
            FieldError::text(field, expected, format!("\"{}\", already on line {first}", identity.1)),
        );
        false
    }

    /// An actor's row with the sites read for it.
    fn with_sites(&mut self, row: Row) -> Result<Row, StoreError> {
        let corrupt =
            |problems: String| StoreError::Corrupt { record_type: RecordType::Actor, key: row.key.clone(), problems };
        let doc: serde_json::Value = serde_json::from_str(&row.doc).map_err(|e| corrupt(e.to_string()))?;
        let Ok(Record::Actor(mut actor)) = solidaria_core::record::parse_record(&doc) else {
            return Err(corrupt("not an actor".into()));
        };
        match self.sites.take(&mut actor, &mut self.site_problems) {
            Some(()) => Ok(rows::row(&Record::Actor(actor))),
            None => Ok(row),
        }
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let changes = self.tx.upsert(&self.who, &self.batch)?;
        for (row, change) in self.batch.iter().zip(changes) {
            self.report.counts.add(row.record_type, change);
            if row.record_type == RecordType::Strategy && change != Change::Unchanged {
                let events = self.tx.deliberation(&row.key)?;
                if let (Err(why), Some((name, line))) =
                    (crate::strategy::editable(&row.key, &events), self.strategy_lines.get(&row.key))
                {
                    let error = FieldError::text("id", "a strategy with no round of deliberation open", why);
                    self.report.problem(name, *line, error);
                }
            }
        }
        self.batch.clear();
        unresolved(self.tx.as_mut(), &mut self.batch_refs, &mut self.pending)?;
        Ok(())
    }

    fn take(&mut self, file: usize, name: &str, item: Item) -> Result<bool, StoreError> {
        match item {
            Item::Structure { line, message } => {
                self.report.problem(name, line, FieldError::text("file", "a readable file", message));
                Ok(false)
            }
            Item::Invalid { line, errors, identity } => {
                self.report.records += 1;
                for e in errors {
                    self.report.problem(name, line, e);
                }
                if let Some(identity) = &identity {
                    self.first_in_file(name, line, identity);
                }
                self.unwritten.extend(identity);
                Ok(true)
            }
            Item::Record { line, row, refs, conflicts } => {
                self.report.records += 1;
                let identity = (row.record_type, row.key);
                if !self.first_in_file(name, line, &identity) {
                    self.unwritten.insert(identity);
                    return Ok(true);
                }
                let (_, key) = identity;
                if self.note_actors && row.record_type == RecordType::Actor {
                    self.report.actors.push(key.clone());
                }
                let row = Row { key, ..row };
                let row = if row.record_type == RecordType::Actor && self.sites.has(&row.key) {
                    self.with_sites(row)?
                } else {
                    row
                };
                for c in conflicts {
                    if self.report.conflicts.len() < MAX_PROBLEMS {
                        self.report.conflicts.push(format!("{name}:{line}: data conflict: {c}"));
                    }
                }
                if row.record_type == RecordType::Territory {
                    self.territory_lines.insert(row.key.clone(), (file, line));
                }
                if row.record_type == RecordType::Strategy {
                    self.strategy_lines.insert(row.key.clone(), (name.to_string(), line));
                }
                let refs = refs.into_iter().map(|(field, target, id)| Ref { file, line, field, target, id });
                if self.report.problems.is_empty() {
                    self.batch_refs.extend(refs);
                    self.batch.push(row);
                    if self.batch.len() >= BATCH {
                        self.flush()?;
                    }
                } else {
                    self.pending.extend(refs);
                    self.unwritten.insert((row.record_type, row.key));
                }
                Ok(true)
            }
        }
    }
}

/// Imports sources as `who`, all or nothing. Each source is parsed and validated on a second
/// thread while this one writes. `progress` is called after each chunk with the number of
/// records read so far. Bad records are not errors: they are the report's problems, and nothing
/// is written; an error is a failure that stops the import (`database`, or `input_unreadable`
/// for a file that cannot be read at all).
pub fn import(
    store: &mut dyn Store,
    who: &str,
    sources: Vec<Source<'_>>,
    progress: &mut dyn FnMut(u64),
) -> AppResult<ImportReport> {
    run(store, who, sources, Vec::new(), progress, true, false)
}

/// [`import`] of record files and files of sites together, in one transaction: the sites are
/// attached to the actors their rows name, in the import or already in the database (see the
/// `sites` module); a site whose actor is in neither is a problem at its row. With
/// `note_actors`, the report notes the actors read, as [`import_noting_actors`] does.
pub fn import_with_sites(
    store: &mut dyn Store,
    who: &str,
    sources: Vec<Source<'_>>,
    sites: Vec<SiteSource<'_>>,
    progress: &mut dyn FnMut(u64),
    note_actors: bool,
) -> AppResult<ImportReport> {
    run(store, who, sources, sites, progress, true, note_actors)
}

/// [`import`], noting the ids of the actors read in the report's `actors` (for
/// `solidaria_app::merge::merge_duplicates`).
pub fn import_noting_actors(
    store: &mut dyn Store,
    who: &str,
    sources: Vec<Source<'_>>,
    progress: &mut dyn FnMut(u64),
) -> AppResult<ImportReport> {
    run(store, who, sources, Vec::new(), progress, true, true)
}

/// Everything [`import`] does but the commit: the report says what the sources would change
/// (`counts`) or why they would be refused, and nothing is kept (the web app's import page
/// shows this before a moderator decides to write).
pub fn check(
    store: &mut dyn Store,
    who: &str,
    sources: Vec<Source<'_>>,
    progress: &mut dyn FnMut(u64),
) -> AppResult<ImportReport> {
    run(store, who, sources, Vec::new(), progress, false, false)
}

fn run(
    store: &mut dyn Store,
    who: &str,
    sources: Vec<Source<'_>>,
    site_sources: Vec<SiteSource<'_>>,
    progress: &mut dyn FnMut(u64),
    commit: bool,
    note_actors: bool,
) -> AppResult<ImportReport> {
    let mut names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    let record_files = names.len();
    names.extend(site_sources.iter().map(|s| s.name.clone()));
    // The sites first: each actor written takes its own at once.
    let mut site_problems = Vec::new();
    let site_pending = sites::Pending::read(site_sources, record_files, &mut site_problems)
        .map_err(|(name, e)| unreadable(&name, e))?;
    let mut run = Run {
        tx: store.transaction()?,
        who: who.to_string(),
        report: ImportReport::default(),
        batch: Vec::with_capacity(BATCH),
        batch_refs: Vec::new(),
        pending: Vec::new(),
        unwritten: HashSet::new(),
        territory_lines: BTreeMap::new(),
        strategy_lines: HashMap::new(),
        lines: HashMap::new(),
        note_actors,
        sites: site_pending,
        site_problems,
    };
    for (file, source) in sources.into_iter().enumerate() {
        let name = &names[file];
        run.lines.clear();
        let entries = match source.entries {
            Ok(e) => e,
            Err(FormatError::Structure { line, message }) => {
                run.report.problem(name, line, FieldError::text("file", "a readable file", message));
                continue;
            }
            Err(e) => return Err(unreadable(name, e)),
        };
        std::thread::scope(|scope| -> AppResult<()> {
            let (sender, receiver) = mpsc::sync_channel(4);
            scope.spawn(move || produce(entries, &sender));
            for chunk in receiver {
                let chunk = chunk.map_err(|e| unreadable(name, e))?;
                for item in chunk {
                    if !run.take(file, name, item)? {
                        return Ok(());
                    }
                }
                progress(run.report.records);
            }
            Ok(())
        })?;
    }
    if run.report.problems.is_empty() {
        run.flush()?;
    }
    let Run {
        mut tx,
        mut report,
        batch,
        batch_refs,
        mut pending,
        mut unwritten,
        territory_lines,
        sites: mut site_pending,
        mut site_problems,
        ..
    } = run;
    // Records left in an unwritten batch still count as defined for references.
    unwritten.extend(batch.into_iter().map(|r| (r.record_type, r.key)));
    pending.extend(batch_refs);

    // The sites no record of the import took go to actors of the database.
    if !site_pending.is_empty() {
        let unwritten_actors: HashSet<String> =
            unwritten.iter().filter(|(t, _)| *t == RecordType::Actor).map(|(_, k)| k.clone()).collect();
        let actors = site_pending.rest(tx.as_mut(), &unwritten_actors, &mut site_problems)?;
        if report.problems.is_empty() && site_problems.is_empty() {
            let rows: Vec<Row> = actors.iter().map(rows::row).collect();
            for (row, change) in rows.iter().zip(tx.upsert(who, &rows)?) {
                report.counts.add(row.record_type, change);
            }
        }
        site_problems.sort_by_key(|(file, line, _)| (*file, *line));
        for (file, line, error) in site_problems {
            report.problem(&names[file], line, error);
        }
        report.sites = site_pending.attached;
        report.site_actors = site_pending.actors.iter().cloned().collect();
    }

    // Final reference check: the transaction now holds every record written.
    pending.retain(|r| !unwritten.contains(&(r.target, r.id.clone())));
    let mut missing_refs = Vec::new();
    unresolved(tx.as_mut(), &mut pending, &mut missing_refs)?;
    missing_refs.sort_by_key(|r| (r.file, r.line));
    for r in &missing_refs {
        let merged_into = match r.target {
            RecordType::Actor => crate::merge::resolve_in(tx.as_mut(), &r.id)?,
            _ => None,
        };
        report.problem(&names[r.file], r.line, ref_error(r, merged_into.as_deref()));
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
    if report.problems.is_empty() && commit {
        tx.commit()?;
        report.committed = true;
    }
    progress(report.records);
    Ok(report)
}

/// A file that could not be read at all (as opposed to its records' problems).
pub(crate) fn unreadable(file: &str, e: FormatError) -> AppError {
    AppError::new(Code::InputUnreadable, format!("{file}: {e}")).at(file)
}

/// Moves the references among `refs` whose target does not exist in the transaction to `out`.
fn unresolved(tx: &mut dyn Transaction, refs: &mut Vec<Ref>, out: &mut Vec<Ref>) -> Result<(), StoreError> {
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
