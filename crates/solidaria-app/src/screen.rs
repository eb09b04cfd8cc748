//! Screening actors against profiles: the built-in profiles that screen actors; a page of the
//! directory screened now against several (verdicts or every criterion, and the verdict counts
//! per profile); and whole batches (the registry, files) screened on every core, counted and
//! kept in the history of screenings.

use crate::error::{AppError, AppResult, Code};
use rayon::prelude::*;
use serde_json::{Value, json};
use solidaria_core::Actor;
use solidaria_core::record::{Record, RecordType};
use solidaria_core::screening::profile::{Profile, SubjectKind};
use solidaria_core::screening::{Prepared, Screening, Verdict, builtin, screen};
use solidaria_store::{ScreeningRow, Store, StoreError};
use std::collections::BTreeMap;

fn no_profile(id: &str) -> AppError {
    AppError::new(
        Code::ProfileNotFound,
        format!("no profile {id:?}: the profiles are listed by `solidaria profiles` and /api/profiles"),
    )
}

/// A built-in profile by id, or `profile_not_found`.
pub fn profile(id: &str) -> AppResult<&'static Profile> {
    builtin::find(id).ok_or_else(|| no_profile(id))
}

/// A built-in profile that screens actors, or why not (`profile_not_found`, or
/// `profile_wrong_subject` for a case or programme profile).
pub fn actor_profile(id: &str) -> AppResult<&'static Profile> {
    match builtin::find(id) {
        Some(p) if p.subject == SubjectKind::Actor => Ok(p),
        Some(p) => Err(AppError::new(
            Code::ProfileWrongSubject,
            format!("profile: {id:?} screens {:?} records, not actors (see /api/profiles)", p.subject),
        )
        .at("profile")),
        None => Err(no_profile(id)),
    }
}

/// The actor profiles named in a comma-separated list, or every built-in actor profile when the
/// list is absent or empty.
pub fn actor_profiles(list: Option<&str>) -> AppResult<Vec<&'static Profile>> {
    match list {
        None | Some("") => Ok(builtin::for_subject(SubjectKind::Actor).collect()),
        Some(list) => list.split(',').map(|id| actor_profile(id.trim())).collect(),
    }
}

/// One actor screened now under every built-in actor profile, in listing order.
pub fn under_every_profile(actor: &Actor) -> Vec<Screening<'_>> {
    builtin::for_subject(SubjectKind::Actor).map(|p| screen(p, actor)).collect()
}

/// Actors screened against profiles: per actor its verdict under each (or, with `detail`, the
/// whole screening with criteria, reasons and citations), and the verdict counts per profile.
pub fn screen_actors(actors: &[Actor], profiles: &[&Profile], detail: bool) -> (Vec<Value>, Value) {
    let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let items = actors
        .iter()
        .map(|a| {
            let verdicts: Vec<Value> = profiles
                .iter()
                .map(|p| {
                    let s = screen(p, a);
                    *counts.entry(p.id.as_str()).or_default().entry(s.verdict.as_str()).or_default() += 1;
                    if detail {
                        serde_json::to_value(&s).unwrap_or(Value::Null)
                    } else {
                        json!({"profile": p.id, "profile_version": p.version, "verdict": s.verdict.as_str(),
                               "claim_mismatches": s.claim_mismatches.len()})
                    }
                })
                .collect();
            json!({"id": a.id, "name": a.name, "screenings": verdicts})
        })
        .collect();
    (items, json!(counts))
}

/// Actors screened together (in parallel) before their results are handed back.
pub const CHUNK: usize = 4096;
/// Screenings saved per transaction.
pub const SAVE_BATCH: usize = 2000;

/// Verdict counts per profile over the actors screened so far, and how many of them had a claim
/// mismatch under each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictCounts {
    /// Per profile (in the order given), the number of actors per verdict, in [`Verdict::ALL`]
    /// order.
    pub counts: Vec<[u64; 3]>,
    /// Per profile, actors with at least one claim mismatch.
    pub mismatches: Vec<u64>,
    /// Actors screened.
    pub actors: u64,
}

impl VerdictCounts {
    /// Nothing counted yet, for `profiles` profiles.
    pub fn new(profiles: usize) -> Self {
        VerdictCounts { counts: vec![[0; 3]; profiles], mismatches: vec![0; profiles], actors: 0 }
    }

    /// Counts one actor's verdicts (with its number of claim mismatches), one per profile.
    pub fn add(&mut self, verdicts: &[(Verdict, usize)]) {
        self.actors += 1;
        for (i, (v, m)) in verdicts.iter().enumerate() {
            let slot = Verdict::ALL.iter().position(|x| x == v).unwrap_or(2);
            self.counts[i][slot] += 1;
            self.mismatches[i] += (*m > 0) as u64;
        }
    }
}

/// What screening one actor under every profile gives: the rendered text, the screenings to save
/// (when saving), and each profile's verdict with its number of claim mismatches.
type Screened = (String, Vec<ScreeningRow>, Vec<(Verdict, usize)>);

/// Screens batches of actors against profiles on every core, counts the verdicts and, when
/// asked, keeps every screening in the store's history (in transactions of [`SAVE_BATCH`]).
pub struct Batch<'p> {
    profiles: &'p [Profile],
    saver: Option<(Box<dyn Store + Send>, String)>,
    pending: Vec<ScreeningRow>,
    /// The verdicts counted so far.
    pub counts: VerdictCounts,
}

impl<'p> Batch<'p> {
    /// A batch screening under `profiles`, saving into `saver` (a store and who saves) if given.
    pub fn new(profiles: &'p [Profile], saver: Option<(Box<dyn Store + Send>, String)>) -> Self {
        Batch { profiles, saver, pending: Vec::new(), counts: VerdictCounts::new(profiles.len()) }
    }

    /// Screens `actors` in parallel; returns, in input order, what `render` made of each actor's
    /// screenings (concatenated over the profiles), after counting and queueing them for saving.
    pub fn screen<F>(&mut self, actors: &[Actor], render: F) -> AppResult<Vec<String>>
    where
        F: Fn(&Actor, &Profile, &Screening<'_>) -> String + Sync,
    {
        let (profiles, keep) = (self.profiles, self.saver.is_some());
        let results: Vec<Screened> = actors
            .par_iter()
            .map(|a| {
                let mut text = String::new();
                let mut kept = Vec::new();
                let mut verdicts = Vec::with_capacity(profiles.len());
                // Facts indexed once for every profile (solidaria_core::screening::Prepared).
                let prepared = Prepared::new(a);
                for p in profiles {
                    // Reasons are written only when rendered, so a screening costs little more
                    // than its verdict.
                    let s = screen(p, &prepared);
                    text.push_str(&render(a, p, &s));
                    verdicts.push((s.verdict, s.claim_mismatches.len()));
                    if keep {
                        kept.push(ScreeningRow::new(&s));
                    }
                }
                (text, kept, verdicts)
            })
            .collect();
        let mut texts = Vec::with_capacity(results.len());
        for (text, kept, verdicts) in results {
            self.counts.add(&verdicts);
            self.pending.extend(kept);
            if self.pending.len() >= SAVE_BATCH {
                self.flush()?;
            }
            texts.push(text);
        }
        Ok(texts)
    }

    /// Saves what is queued; call once at the end.
    pub fn flush(&mut self) -> AppResult<()> {
        if let Some((store, who)) = &mut self.saver
            && !self.pending.is_empty()
        {
            store.save_screenings(who, &self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }

    /// Whether screenings are saved.
    pub fn saves(&self) -> bool {
        self.saver.is_some()
    }
}

/// Every actor of the store, handed to `each` in chunks of [`CHUNK`] (streaming: a register of a
/// million actors never sits in memory).
pub fn in_chunks(store: &mut dyn Store, each: &mut dyn FnMut(&[Actor]) -> AppResult<()>) -> AppResult<()> {
    let mut chunk: Vec<Actor> = Vec::with_capacity(CHUNK);
    let mut failed = None;
    let read = store.for_each(RecordType::Actor, &mut |r| {
        if let Record::Actor(a) = r {
            chunk.push(a);
        }
        if chunk.len() == CHUNK {
            if let Err(e) = each(&chunk) {
                failed = Some(e);
                return Err(StoreError::Sink("stopped".into()));
            }
            chunk.clear();
        }
        Ok(())
    });
    if let Some(e) = failed {
        return Err(e);
    }
    read?;
    each(&chunk)
}
