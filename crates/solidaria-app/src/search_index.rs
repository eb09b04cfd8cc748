//! The directory's search index kept beside the store ([`LiveIndex`]): built from every actor,
//! then kept current from the audit log before each search, so that an answer never misses a
//! committed write (by the web app, the command line or another server).
//!
//! Keeping current reads the audit log's positions after the last one applied. SQLite numbers
//! positions in commit order; PostgreSQL numbers them when a row is written, so a transaction
//! still open may commit a lower position after a higher one was read: the positions skipped are
//! awaited (as ranges, for [`AWAIT_FOR`]) and read again until they appear.
//!
//! When more records changed than is worth applying one by one (an import), the index is built
//! again on another thread; meanwhile searches are answered by the database's own search (text
//! and filters) or by the previous index (areas of the map).

use crate::error::{AppError, AppResult, Code};
use solidaria_core::record::{Record, RecordType};
use solidaria_core::search::{Hits, Index, Query, SearchDoc};
use solidaria_core::territory;
use solidaria_store::{Store, StoreError};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Actors indexed at first use before the search answers (about a second); more are indexed on
/// another thread while the database's search answers.
pub const BUILD_NOW_UP_TO: u64 = 100_000;

/// Changes applied one by one at most; more rebuild the index.
pub const APPLY_UP_TO: u64 = 20_000;

/// How long positions skipped on PostgreSQL are awaited (a transaction open longer is caught by
/// the next rebuild).
pub const AWAIT_FOR: Duration = Duration::from_secs(30 * 60);

/// Ranges of awaited positions kept at most (the oldest are merged beyond).
const AWAITED_RANGES: usize = 16;

/// Opens a connection to the store the index follows (for a rebuild on another thread).
pub type Opener = Arc<dyn Fn() -> Result<Box<dyn Store + Send>, StoreError> + Send + Sync>;

/// The index with the audit-log position it reflects.
struct Current {
    index: Index,
    /// Every position up to this one is applied (or awaited).
    after: i64,
    /// Positions skipped, `(from, to)` inclusive, with when they were first awaited.
    awaited: Vec<(i64, i64, Instant)>,
    /// The parent of each territory record that has one, read again when a territory changes:
    /// a search within a territory widens it without reading the territories each time.
    parents: BTreeMap<String, String>,
}

/// The search index of a running server.
pub struct LiveIndex {
    current: RwLock<Option<Current>>,
    /// One refresher at a time, so changes apply in order.
    refreshing: Mutex<()>,
    rebuilding: Arc<AtomicBool>,
    opener: Opener,
    me: std::sync::Weak<LiveIndex>,
}

impl LiveIndex {
    /// An index not built yet, following the store `opener` opens.
    pub fn new(opener: Opener) -> Arc<LiveIndex> {
        Arc::new_cyclic(|me| LiveIndex {
            current: RwLock::new(None),
            refreshing: Mutex::new(()),
            rebuilding: Arc::new(AtomicBool::new(false)),
            opener,
            me: me.clone(),
        })
    }

    /// Builds the index now from every actor of `store`, calling `progress` with the count read.
    pub fn build_now(&self, store: &mut dyn Store, progress: &mut dyn FnMut(u64)) -> AppResult<()> {
        let built = load(store, progress)?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(built);
        Ok(())
    }

    /// Builds the index on another thread; searches meanwhile use the database's search.
    pub fn build_in_background(&self) {
        if self.rebuilding.swap(true, Ordering::SeqCst) {
            return;
        }
        let Some(me) = self.me.upgrade() else { return };
        std::thread::spawn(move || {
            let result = (me.opener)().map_err(AppError::from).and_then(|mut s| load(s.as_mut(), &mut |_| ()));
            match result {
                Ok(built) => *me.current.write().unwrap_or_else(|p| p.into_inner()) = Some(built),
                Err(e) => eprintln!("search index: build failed: {e}"),
            }
            me.rebuilding.store(false, Ordering::SeqCst);
        });
    }

    /// Whether an index is ready (built, possibly behind a large change being rebuilt).
    pub fn is_ready(&self) -> bool {
        self.current.read().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    /// Applies the changes committed since the last call. `Ok(true)` when the index now reflects
    /// every committed write; `Ok(false)` when it is being built (again) and is behind.
    pub fn refresh(&self, store: &mut dyn Store) -> AppResult<bool> {
        if self.rebuilding.load(Ordering::SeqCst) {
            return Ok(false);
        }
        // Nothing written since the last refresh and no position awaited: current, without
        // queueing behind the other searches for the refresh lock.
        let seen = match &*self.current.read().unwrap_or_else(|p| p.into_inner()) {
            Some(c) if c.awaited.is_empty() => Some(c.after),
            _ => None,
        };
        if let Some(after) = seen
            && store.last_position()? == after
        {
            return Ok(true);
        }
        let _one = self.refreshing.lock().unwrap_or_else(|p| p.into_inner());
        if !self.is_ready() {
            // First use: a small registry is indexed now, a large one on another thread.
            if store.count(RecordType::Actor)? > BUILD_NOW_UP_TO {
                self.build_in_background();
                return Ok(false);
            }
            self.build_now(store, &mut |_| ())?;
            return Ok(true);
        }
        let (after, awaited) = match &*self.current.read().unwrap_or_else(|p| p.into_inner()) {
            None => return Ok(false),
            Some(c) => (c.after, c.awaited.clone()),
        };
        let mut changed = store.changes(after, None, APPLY_UP_TO + 1)?;
        let mut found_awaited = Vec::new();
        for (from, to, _) in &awaited {
            let got = store.changes(from - 1, Some(*to), APPLY_UP_TO + 1)?;
            found_awaited.extend(got.iter().map(|c| c.seq));
            changed.extend(got);
        }
        if changed.is_empty() {
            return Ok(true);
        }
        if changed.len() as u64 > APPLY_UP_TO {
            self.build_in_background();
            return Ok(false);
        }
        let keys: BTreeSet<&str> =
            changed.iter().filter(|c| c.record_type == RecordType::Actor.as_str()).map(|c| c.key.as_str()).collect();
        let mut docs = Vec::with_capacity(keys.len());
        for key in keys {
            match store.get(RecordType::Actor, key)? {
                Some(Record::Actor(a)) => docs.push((key.to_string(), Some(SearchDoc::of_actor(&a)))),
                _ => docs.push((key.to_string(), None)),
            }
        }
        let territories_changed = changed.iter().any(|c| c.record_type == RecordType::Territory.as_str());
        let parents = if territories_changed { Some(store.territory_parents()?) } else { None };
        let tail: Vec<i64> = changed.iter().map(|c| c.seq).filter(|s| *s > after).collect();
        let mut guard = self.current.write().unwrap_or_else(|p| p.into_inner());
        let Some(c) = guard.as_mut() else { return Ok(false) };
        if let Some(p) = parents {
            c.parents = p;
        }
        for (key, doc) in docs {
            match doc {
                Some(d) => c.index.upsert(d),
                None => {
                    c.index.remove(&key);
                }
            }
        }
        c.awaited = next_awaited(&c.awaited, &found_awaited, after, &tail, Instant::now());
        c.after = tail.iter().copied().max().unwrap_or(after);
        if c.index.added_since_build() > c.index.len() / 4 + APPLY_UP_TO {
            drop(guard);
            self.build_in_background();
        }
        Ok(true)
    }

    /// The territory ids covered by `t` (itself and every territory record declared under it) as
    /// the index knows them (call [`LiveIndex::refresh`] first); `None` when no index is built
    /// yet. The id is not checked here.
    pub fn territories_within(&self, t: &str) -> Option<BTreeSet<String>> {
        let current = self.current.read().unwrap_or_else(|p| p.into_inner());
        current.as_ref().map(|c| territory::descendants(t, &c.parents))
    }

    /// Runs a query on the index as it is (call [`LiveIndex::refresh`] first); `None` when no
    /// index is built yet.
    pub fn search(&self, q: &Query<'_>) -> Option<Hits> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).as_ref().map(|c| c.index.search(q))
    }
}

/// The awaited ranges after a refresh: those still missing (a range found in part keeps its
/// missing positions), the positions skipped in the new tail, none older than [`AWAIT_FOR`].
fn next_awaited(
    before: &[(i64, i64, Instant)],
    found: &[i64],
    after: i64,
    tail: &[i64],
    now: Instant,
) -> Vec<(i64, i64, Instant)> {
    let mut out: Vec<(i64, i64, Instant)> = Vec::new();
    for (from, to, since) in before {
        if now.duration_since(*since) < AWAIT_FOR {
            gaps(*from, *to, found, *since, &mut out);
        }
    }
    if let Some(last) = tail.iter().copied().max() {
        gaps(after + 1, last, tail, now, &mut out);
    }
    // Too many ranges: merge the oldest neighbours (reading a few extra positions is harmless).
    out.sort_by_key(|r| r.0);
    while out.len() > AWAITED_RANGES {
        let (a, b) = (out.remove(0), out.remove(0));
        out.insert(0, (a.0, b.1, a.2.min(b.2)));
    }
    out
}

/// Appends the ranges of `from..=to` that none of `seen` covers, awaited since `since`: one
/// step per position seen, whatever the width of the range.
fn gaps(from: i64, to: i64, seen: &[i64], since: Instant, out: &mut Vec<(i64, i64, Instant)>) {
    let mut inside: Vec<i64> = seen.iter().copied().filter(|p| (from..=to).contains(p)).collect();
    inside.sort_unstable();
    inside.dedup();
    let mut next = from;
    for p in inside {
        if p > next {
            out.push((next, p - 1, since));
        }
        next = p + 1;
    }
    if next <= to {
        out.push((next, to, since));
    }
}

/// Reads every actor of the store into a new index, with the position it reflects.
fn load(store: &mut dyn Store, progress: &mut dyn FnMut(u64)) -> AppResult<Current> {
    let after = store.last_position()?;
    // Read at `after` or later: a territory changed after `after` is read again when applied.
    let parents = store.territory_parents()?;
    // Positions up to `after` not in the log yet belong to transactions still open.
    let window = 10_000;
    let present: Vec<i64> = store.changes(after - window, Some(after), window as u64)?.iter().map(|c| c.seq).collect();
    let mut docs = Vec::new();
    store.for_each(RecordType::Actor, &mut |r| {
        if let Record::Actor(a) = r {
            docs.push(SearchDoc::of_actor(&a));
            if docs.len() % 10_000 == 0 {
                progress(docs.len() as u64);
            }
        }
        Ok(())
    })?;
    progress(docs.len() as u64);
    let awaited = next_awaited(&[], &[], (after - window).max(0), &present, Instant::now())
        .into_iter()
        .filter(|(_, to, _)| *to <= after)
        .collect();
    Ok(Current { index: Index::build(docs), after, awaited, parents })
}

/// `search_index_building`: a search that needs the index before its first build ends.
pub(crate) fn building() -> AppError {
    AppError::new(
        Code::SearchIndexBuilding,
        "the search index is being built; a search by area needs it: try again in a few seconds",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{DirectoryQuery, list};
    use crate::import::{Source, import};
    use solidaria_formats::jsonl::read_lines;
    use solidaria_store::sqlite::SqliteStore;

    fn write(store: &mut dyn Store, lines: &str) {
        let sources = vec![Source { name: "t.jsonl".into(), entries: Ok(read_lines(lines.as_bytes())) }];
        let report = import(store, "test", sources, &mut |_| {}).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    fn ids_within(store: &mut dyn Store, index: &LiveIndex, territory: &str) -> Vec<String> {
        let q = DirectoryQuery { territory: Some(territory.into()), ..DirectoryQuery::default() };
        let mut ids: Vec<String> =
            list(store, Some(index), &q, 100).unwrap().actors.iter().map(|a| a.id.as_str().to_string()).collect();
        ids.sort();
        ids
    }

    /// The index widens a territory with the territory records it knows, read when it is built
    /// and again whenever a territory changes: a region declared after the build counts at once.
    #[test]
    fn a_search_within_a_territory_covers_regions_declared_before_and_after_the_build() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db").to_str().unwrap().to_string();
        let mut store = SqliteStore::open(&path).unwrap();
        write(
            &mut store,
            concat!(
                r#"{"type":"territory","id":"fr-paris","name":"Paris","parent":"FR"}"#,
                "\n",
                r#"{"type":"actor","id":"a-fr","name":"A","territory":"FR"}"#,
                "\n",
                r#"{"type":"actor","id":"a-paris","name":"B","territory":"fr-paris"}"#,
                "\n",
                r#"{"type":"actor","id":"a-es","name":"C","territory":"ES"}"#,
                "\n",
            ),
        );
        let opener: Opener = Arc::new(move || Ok(Box::new(SqliteStore::open(&path)?) as Box<dyn Store + Send>));
        let index = LiveIndex::new(opener);
        index.build_now(&mut store, &mut |_| ()).unwrap();
        assert_eq!(ids_within(&mut store, &index, "FR"), ["a-fr", "a-paris"]);
        write(
            &mut store,
            concat!(
                r#"{"type":"territory","id":"fr-lyon","name":"Lyon","parent":"FR"}"#,
                "\n",
                r#"{"type":"actor","id":"a-lyon","name":"D","territory":"fr-lyon"}"#,
                "\n",
            ),
        );
        assert_eq!(ids_within(&mut store, &index, "FR"), ["a-fr", "a-lyon", "a-paris"]);
        // Moved under Spain: no longer within France.
        write(&mut store, concat!(r#"{"type":"territory","id":"fr-lyon","name":"Lyon","parent":"ES"}"#, "\n"));
        assert_eq!(ids_within(&mut store, &index, "FR"), ["a-fr", "a-paris"]);
        assert_eq!(ids_within(&mut store, &index, "ES"), ["a-es", "a-lyon"]);
        // A malformed territory is refused as the store's path refuses it.
        let q = DirectoryQuery { territory: Some("F R".into()), ..DirectoryQuery::default() };
        let e = list(&mut store, Some(&index), &q, 100).unwrap_err();
        assert_eq!(e.code, Code::TerritoryMalformed);
    }

    #[test]
    fn positions_skipped_are_awaited_until_they_appear_or_expire() {
        let t0 = Instant::now();
        // 11 and 12 were skipped; 14 too.
        let a = next_awaited(&[], &[], 10, &[13, 15], t0);
        assert_eq!(a.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), [(11, 12), (14, 14)]);
        // 12 appears: 11 still awaited, 14 too.
        let b = next_awaited(&a, &[12], 15, &[], t0);
        assert_eq!(b.iter().map(|r| (r.0, r.1)).collect::<Vec<_>>(), [(11, 11), (14, 14)]);
        // Nothing is awaited past AWAIT_FOR.
        let c = next_awaited(&b, &[], 15, &[], t0 + AWAIT_FOR + Duration::from_secs(1));
        assert!(c.is_empty());
        // Nothing skipped in order.
        assert!(next_awaited(&[], &[], 10, &[11, 12, 13], t0).is_empty());
        // Many gaps are merged into at most AWAITED_RANGES ranges that still cover them.
        let tail: Vec<i64> = (0..100).map(|i| 2 * i + 1).collect();
        let d = next_awaited(&[], &[], 0, &tail, t0);
        assert!(d.len() <= AWAITED_RANGES);
        for p in (1..100).map(|i| 2 * i) {
            assert!(d.iter().any(|r| r.0 <= p && p <= r.1), "{p}");
        }
    }
}
