//! Sites attached on import: the rows of a file read through a mapping whose rows are sites
//! (`rows = "sites"`: Co-operatives UK's outlets) become sites of the actor each row names, in
//! the import's transaction, all or nothing like the rest of it.
//!
//! The site files are read first (they are lists of places, not registers). Each actor named
//! gets its sites when it is written: an actor of the same import takes them in its one written
//! version; an actor already in the database is read, given them and written again (audited as
//! the import). An actor id that a merge absorbed leads to the actor it was merged into. A site
//! whose actor is in neither the import nor the database is a problem at its row's `file:line`,
//! never dropped. Re-importing a dataset's sites replaces, on each actor it names, the sites that
//! came from that dataset before; sites from other sources stay.

use crate::error::AppResult;
use solidaria_core::actor::Actor;
use solidaria_core::site::{MAX_SITES, Site};
use solidaria_core::{FieldError, Record};
use solidaria_formats::FormatError;
use solidaria_formats::mapping::{self, Mapping, SharedNotes, SiteEntries};
use solidaria_store::{StoreError, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A file of sites to attach.
pub struct SiteSource<'a> {
    /// Name used in problem reports.
    pub name: String,
    /// The sites, or the failure that prevented reading the file at all.
    pub entries: Result<SiteEntries<'a>, FormatError>,
}

/// Opens a file of sites read through a mapping whose rows are sites; the notes fill while the
/// import reads it. `edition` overrides the mapping's edition.
pub fn mapped_sites<'a, R: std::io::Read + Send + 'a>(
    name: &str,
    mapping: &Mapping,
    edition: Option<&str>,
    reader: R,
) -> (SiteSource<'a>, SharedNotes) {
    match mapping::read_sites(mapping, edition, reader) {
        Ok((entries, notes)) => (SiteSource { name: name.to_string(), entries: Ok(entries) }, notes),
        Err(e) => (SiteSource { name: name.to_string(), entries: Err(e) }, SharedNotes::default()),
    }
}

/// The sites read for one actor id.
struct Group {
    actor: String,
    sites: Vec<Site>,
    /// The file (index) and line of each site's row.
    rows: Vec<(usize, u64)>,
    /// The column naming the actor and its value, for messages.
    named_by: (String, String),
    /// Whether a record of the import took them.
    taken: bool,
}

/// The sites read from every site file, by actor, in order of first appearance.
#[derive(Default)]
pub(super) struct Pending {
    groups: Vec<Group>,
    index: HashMap<String, usize>,
    /// The datasets whose earlier sites an actor has already lost in this import (they are
    /// replaced once, then added to).
    replaced: HashSet<(String, String)>,
    /// Sites attached.
    pub(super) attached: u64,
    /// Actors given sites.
    pub(super) actors: BTreeSet<String>,
}

/// A problem found while reading or attaching sites: file index, line, what.
pub(super) type SiteProblem = (usize, u64, FieldError);

impl Pending {
    /// Reads every site file (file indexes from `first`), keeping the sites by actor and the
    /// problems of their rows.
    pub(super) fn read(
        sources: Vec<SiteSource<'_>>,
        first: usize,
        problems: &mut Vec<SiteProblem>,
    ) -> Result<Pending, (String, FormatError)> {
        let mut p = Pending::default();
        for (i, source) in sources.into_iter().enumerate() {
            let file = first + i;
            let entries = match source.entries {
                Ok(e) => e,
                Err(FormatError::Structure { line, message }) => {
                    problems.push((file, line, FieldError::text("file", "a readable file", message)));
                    continue;
                }
                Err(e) => return Err((source.name, e)),
            };
            for entry in entries {
                match entry {
                    Ok(e) => match e.result {
                        Err(errors) => problems.extend(errors.into_iter().map(|err| (file, e.line, err))),
                        Ok(site) => {
                            let Some(actor) = e.actor else { continue };
                            let at = *p.index.entry(actor.clone()).or_insert_with(|| {
                                p.groups.push(Group {
                                    actor,
                                    sites: Vec::new(),
                                    rows: Vec::new(),
                                    named_by: e.named_by,
                                    taken: false,
                                });
                                p.groups.len() - 1
                            });
                            p.groups[at].sites.push(site);
                            p.groups[at].rows.push((file, e.line));
                        }
                    },
                    Err(FormatError::Structure { line, message }) => {
                        problems.push((file, line, FieldError::text("file", "a readable file", message)));
                        break;
                    }
                    Err(e) => return Err((source.name, e)),
                }
            }
        }
        Ok(p)
    }

    /// Whether there is nothing to attach.
    pub(super) fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Whether sites were read for this actor id.
    pub(super) fn has(&self, actor: &str) -> bool {
        self.index.contains_key(actor)
    }

    /// Gives an actor written by the import the sites read for it, replacing those that came
    /// from the same datasets before; `None` when it has none (the record is written as read).
    pub(super) fn take(&mut self, actor: &mut Actor, problems: &mut Vec<SiteProblem>) -> Option<()> {
        let at = *self.index.get(actor.id.as_str())?;
        self.groups[at].taken = true;
        // The record read replaces the stored one whole: its own sites are the ones to keep.
        let key = actor.id.to_string();
        self.replaced.retain(|(a, _)| *a != key);
        self.attach(actor, at, problems);
        Some(())
    }

    fn attach(&mut self, actor: &mut Actor, at: usize, problems: &mut Vec<SiteProblem>) {
        let g = &self.groups[at];
        let key = actor.id.to_string();
        let datasets: BTreeSet<String> =
            g.sites.iter().filter_map(|s| s.source.as_ref().map(|src| src.dataset.clone())).collect();
        let fresh: BTreeSet<String> =
            datasets.into_iter().filter(|d| !self.replaced.contains(&(key.clone(), d.clone()))).collect();
        actor.sites.retain(|s| !s.source.as_ref().is_some_and(|src| fresh.contains(&src.dataset)));
        actor.sites.extend(g.sites.iter().cloned());
        if actor.sites.len() > MAX_SITES {
            let (file, line) = g.rows[0];
            problems.push((
                file,
                line,
                FieldError::text(
                    format!("\"{}\" (id)", g.named_by.0),
                    format!("an actor with at most {MAX_SITES} sites"),
                    format!("{} sites for {key}", actor.sites.len()),
                ),
            ));
        }
        self.replaced.extend(fresh.into_iter().map(|d| (key.clone(), d)));
        self.attached += g.sites.len() as u64;
        self.actors.insert(key);
    }

    /// Attaches the sites no record of the import took to actors of the database (or those a
    /// merge absorbed them into), returning the actors to write; sites whose actor is nowhere
    /// are problems at their rows. Actors the import read but could not write (`unwritten`) are
    /// neither: their own problems are reported.
    pub(super) fn rest(
        &mut self,
        tx: &mut dyn Transaction,
        unwritten: &HashSet<String>,
        problems: &mut Vec<SiteProblem>,
    ) -> AppResult<Vec<Record>> {
        let mut actors: BTreeMap<String, Actor> = BTreeMap::new();
        for at in 0..self.groups.len() {
            if self.groups[at].taken || unwritten.contains(&self.groups[at].actor) {
                continue;
            }
            let Some(target) = resolve(tx, &self.groups[at].actor, &actors)? else {
                let g = &self.groups[at];
                for (file, line) in &g.rows {
                    problems.push((
                        *file,
                        *line,
                        FieldError::text(
                            format!("\"{}\" (id)", g.named_by.0),
                            "the id of the actor this site belongs to, in this import or already in the database",
                            format!("\"{}\" (actor {}), which is neither", g.named_by.1, g.actor),
                        ),
                    ));
                }
                continue;
            };
            let mut actor = match actors.remove(&target) {
                Some(a) => a,
                None => match tx.get(solidaria_core::record::RecordType::Actor, &target)? {
                    Some(Record::Actor(a)) => a,
                    _ => continue,
                },
            };
            self.attach(&mut actor, at, problems);
            actors.insert(target, actor);
        }
        Ok(actors.into_values().map(Record::Actor).collect())
    }
}

/// The actor an id names in the transaction: itself, or the one a merge (or merges of merges,
/// at most 20) absorbed it into; `None` when there is none.
fn resolve(
    tx: &mut dyn Transaction,
    id: &str,
    already: &BTreeMap<String, Actor>,
) -> Result<Option<String>, StoreError> {
    let mut current = id.to_string();
    for _ in 0..20 {
        if already.contains_key(&current)
            || !tx
                .missing(solidaria_core::record::RecordType::Actor, std::slice::from_ref(&current))?
                .contains(&current)
        {
            return Ok(Some(current));
        }
        match tx.merged_into(&current)? {
            Some(next) => current = next,
            None => return Ok(None),
        }
    }
    Ok(None)
}
