//! Screening actors against profiles: the built-in profiles that screen actors; a page of the
//! directory screened now against several (verdicts or every criterion, and the verdict counts
//! per profile); and whole batches (the registry, files) screened on every core, counted and
//! kept in the history of screenings.

use crate::error::{AppError, AppResult, Code};
use rayon::prelude::*;
use serde_json::{Value, json};
use solidaria_core::Actor;
use solidaria_core::record::RecordType;
use solidaria_core::screening::profile::{Profile, SubjectKind};
use solidaria_core::screening::{Prepared, Screening, Tally, Verdict, builtin, screen};
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
    /// The profiles' shared tests, found once for the whole batch.
    tally: Tally<'p>,
    saver: Option<(Box<dyn Store + Send>, String)>,
    pending: Vec<ScreeningRow>,
    /// The verdicts counted so far.
    pub counts: VerdictCounts,
}

impl<'p> Batch<'p> {
    /// A batch screening under `profiles`, saving into `saver` (a store and who saves) if given.
    pub fn new(profiles: &'p [Profile], saver: Option<(Box<dyn Store + Send>, String)>) -> Self {
        Batch {
            profiles,
            tally: Tally::new(profiles),
            saver,
            pending: Vec::new(),
            counts: VerdictCounts::new(profiles.len()),
        }
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

    /// Counts the verdicts of `actors` on every core without building their screenings (the
    /// `--format summary` pass over a register): each actor's verdict and number of contradicted
    /// claims under each profile are [`Tally`]'s, the same figures [`Batch::screen`] counts
    /// (a test shared by several profiles is evaluated once per actor).
    /// Nothing is kept for saving: a batch that saves screens with [`Batch::screen`].
    pub fn count(&mut self, actors: &[Actor]) {
        let tally = &self.tally;
        let tallies: Vec<Vec<(Verdict, usize)>> = actors.par_iter().map(|a| tally.of(&Prepared::new(a))).collect();
        for verdicts in &tallies {
            self.counts.add(verdicts);
        }
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

/// How a whole-register pass reads each stored actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Every part of the record (de-duplication, evidence work, exports).
    Whole,
    /// Only what a screening reads (id, name, category, legal form, territory, claims, facts;
    /// see [`solidaria_core::record::screened`]): the other parts are skipped unread and left
    /// empty, which halves the cost of decoding a register.
    ForScreening,
}

/// Every actor of the store, handed to `each` in chunks of [`CHUNK`] (streaming: a register of a
/// million actors never sits in memory), each read whole.
pub fn in_chunks(store: &mut dyn Store, each: &mut dyn FnMut(&[Actor]) -> AppResult<()>) -> AppResult<()> {
    in_chunks_reading(store, Reading::Whole, each)
}

/// Every actor of the store, read as `reading` says, handed to `each` in chunks of [`CHUNK`].
///
/// The stored documents are read on this thread and decoded on every core (rayon) while the next
/// chunk is read and the previous one is handed to `each`: decoding, not reading, is the cost of a
/// whole-register pass, and a chunk is decoded while the one before it is screened.
pub fn in_chunks_reading(
    store: &mut dyn Store,
    reading: Reading,
    each: &mut dyn FnMut(&[Actor]) -> AppResult<()>,
) -> AppResult<()> {
    let mut raw: Vec<(String, String)> = Vec::with_capacity(CHUNK);
    let mut in_flight: Option<Decoding> = None;
    let mut failed = None;
    let mut hand_over = |done: Decoding, failed: &mut Option<AppError>| -> Result<(), StoreError> {
        let outcome = done.recv().and_then(|actors| each(&actors));
        outcome.map_err(|e| {
            *failed = Some(e);
            StoreError::Sink("stopped".into())
        })
    };
    let read = store.for_each_doc(RecordType::Actor, &mut |key, doc| {
        raw.push((key.to_string(), doc.to_string()));
        if raw.len() == CHUNK {
            let next = Decoding::start(std::mem::replace(&mut raw, Vec::with_capacity(CHUNK)), reading);
            if let Some(done) = in_flight.replace(next) {
                hand_over(done, &mut failed)?;
            }
        }
        Ok(())
    });
    // What was decoding when reading stopped is awaited even on an error (its task must end).
    let last = in_flight.take().map(Decoding::recv);
    if let Some(e) = failed {
        return Err(e);
    }
    read?;
    if let Some(actors) = last {
        each(&actors?)?;
    }
    each(&decode_actors(raw, reading)?)
}

/// A chunk of stored documents being decoded on rayon's threads.
struct Decoding(std::sync::mpsc::Receiver<AppResult<Vec<Actor>>>);

impl Decoding {
    /// Starts decoding `raw` (key, document) pairs on the thread pool.
    fn start(raw: Vec<(String, String)>, reading: Reading) -> Self {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rayon::spawn(move || {
            // The receiver waits for this answer; it is gone only if the caller itself panicked.
            let _ = tx.send(decode_actors(raw, reading));
        });
        Decoding(rx)
    }

    /// The decoded actors, in the order read.
    fn recv(self) -> AppResult<Vec<Actor>> {
        self.0
            .recv()
            .map_err(|_| AppError::new(Code::System, "a decoding task stopped without an answer".to_string()))?
    }
}

/// One stored actor document decoded and checked as `reading` says.
fn decode_actor(key: &str, doc: &str, reading: Reading) -> Result<Actor, StoreError> {
    let read = match reading {
        Reading::Whole => solidaria_core::record::screened::actor_from_text,
        Reading::ForScreening => solidaria_core::record::screened::actor_for_screening,
    };
    read(doc).map_err(|errors| solidaria_store::corrupt(RecordType::Actor, key, &errors))
}

/// Stored actor documents decoded and checked, in parallel, in their order.
fn decode_actors(raw: Vec<(String, String)>, reading: Reading) -> AppResult<Vec<Actor>> {
    let actors: Result<Vec<Actor>, StoreError> =
        raw.par_iter().map(|(key, doc)| decode_actor(key, doc, reading)).collect();
    Ok(actors?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Source, import};
    use solidaria_formats::jsonl::read_lines;
    use solidaria_store::sqlite::SqliteStore;

    fn store_of(n: usize) -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(dir.path().join("t.db").to_str().unwrap()).unwrap();
        let lines: String = (0..n)
            .map(|i| format!("{{\"type\":\"actor\",\"id\":\"a{i:05}\",\"name\":\"Actor {i}\",\"territory\":\"FR\"}}\n"))
            .collect();
        let sources = vec![Source { name: "a.jsonl".into(), entries: Ok(read_lines(lines.as_bytes())) }];
        let report = import(&mut store, "test", sources, &mut |_| {}).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        (dir, store)
    }

    #[test]
    fn every_actor_comes_once_in_key_order_across_chunks_decoded_in_parallel() {
        let n = 2 * CHUNK + 1808;
        let (_dir, mut store) = store_of(n);
        let (mut ids, mut sizes) = (Vec::new(), Vec::new());
        in_chunks(&mut store, &mut |chunk| {
            sizes.push(chunk.len());
            ids.extend(chunk.iter().map(|a| a.id.as_str().to_string()));
            Ok(())
        })
        .unwrap();
        assert_eq!(sizes, vec![CHUNK, CHUNK, 1808]);
        let expected: Vec<String> = (0..n).map(|i| format!("a{i:05}")).collect();
        assert_eq!(ids, expected);
    }

    #[test]
    fn counting_without_screenings_gives_the_screenings_counts() {
        let profiles: Vec<Profile> = builtin::for_subject(SubjectKind::Actor).cloned().collect();
        let actors: Vec<Actor> = include_str!("../../solidaria-core/tests/fixtures/screening-real-orgs.jsonl")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| match solidaria_core::record::parse_record(&serde_json::from_str(l).unwrap()) {
                Ok(solidaria_core::record::Record::Actor(a)) => a,
                other => panic!("not an actor: {other:?}"),
            })
            .collect();
        let (mut screened, mut counted) = (Batch::new(&profiles, None), Batch::new(&profiles, None));
        screened.screen(&actors, |_, _, _| String::new()).unwrap();
        counted.count(&actors);
        assert_eq!(counted.counts.actors, actors.len() as u64);
        assert_eq!(counted.counts.counts, screened.counts.counts);
        assert_eq!(counted.counts.mismatches, screened.counts.mismatches);
        // The fixture has every verdict and some contradicted claims, so the comparison bites.
        assert!(screened.counts.mismatches.iter().any(|m| *m > 0));
        assert!((0..3).all(|v| screened.counts.counts.iter().any(|c| c[v] > 0)));
    }

    #[test]
    fn an_error_from_the_consumer_stops_the_pass_and_is_returned() {
        let (_dir, mut store) = store_of(3 * CHUNK);
        let mut seen = 0;
        let e = in_chunks(&mut store, &mut |chunk| {
            seen += 1;
            if seen == 2 {
                return Err(AppError::new(Code::System, format!("stop at {}", chunk[0].id.as_str())));
            }
            Ok(())
        })
        .unwrap_err();
        assert_eq!(e.message, format!("stop at a{:05}", CHUNK));
        assert_eq!(seen, 2, "nothing handed over after the error");
    }
}
