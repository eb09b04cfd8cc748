//! # solidaria-store
//!
//! Persistence of the registry behind one [`Store`] trait, with two implementations, each behind
//! a Cargo feature: SQLite (`sqlite::SqliteStore`, feature `sqlite`, on by default: the embedded
//! default, WAL) and PostgreSQL (`postgres::PgStore`, feature `postgres`, which the `solidaria`
//! binary turns on). Driver errors are wrapped in [`StoreError::Database`]: no driver type is part
//! of this crate's interface.
//! Both keep each record whole as canonical JSON plus a few indexed columns, apply their own
//! migrations on first use, and write an append-only audit log (when, who, what, before, after)
//! in the same transaction as every change.
//!
//! Modules:
//! - [`rows`]: how a record maps to a table row (pure, shared by both backends).
//! - `sqlite`, `postgres`: the two backends.
//! - [`accounts`]: users, sessions, API tokens, the moderation queue and the account-event log.
//! - [`ledger`]: the social-finance ledger: fund definitions, postings checked and written in
//!   one transaction per batch, balances and flows.
//! - [`merges`]: merges of duplicate actors, with what undoing each needs.
//! - [`search`]: the directory's search (text, filters, facets, a page), run in the database.
//! - [`open`]: choosing a backend from a `--db` value.
//!
//! This crate holds no domain rules and no use cases: validation is `solidaria-core`'s, formats
//! are `solidaria-formats`'s, and the import pipeline, exports and checked writes that use this
//! store are `solidaria-app`'s. It does no terminal output.

pub mod accounts;
pub mod deliberation;
pub mod ledger;
pub mod merges;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod rows;
pub mod search;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use solidaria_core::record::RecordType;
use solidaria_core::screening::Screening;
use solidaria_core::{Actor, FieldError, Record};
use std::collections::{BTreeMap, BTreeSet};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database reported an error: the backend (`SQLite`, `PostgreSQL`) and what it said,
    /// with every cause (for PostgreSQL, the server's own message and detail). No driver type
    /// leaves this crate.
    #[error("{backend}: {message}")]
    Database {
        /// `SQLite` or `PostgreSQL`.
        backend: &'static str,
        /// The driver's message followed by its causes.
        message: String,
    },
    /// A stored record no longer parses (edited by hand, or written by an incompatible version).
    #[error(
        "stored {record_type} {key} is not a valid record: {problems} (written by another version, changed outside Solidaria or damaged): restore a backup (`solidaria restore`) or import the record again"
    )]
    Corrupt {
        /// Table's record type.
        record_type: RecordType,
        /// Its key.
        key: String,
        /// What is wrong with it.
        problems: String,
    },
    /// The `--db` value is not usable.
    #[error("database address: {0}")]
    Address(String),
    /// No SQLite database exists at the path given, and the caller only reads (see
    /// [`open_existing`]).
    #[error("no SQLite database at {0} (check the path; commands that write, such as import or demo, create it)")]
    Missing(String),
    /// The code receiving records from [`Store::for_each`] failed (e.g. writing an export).
    #[error("handling the records read failed")]
    Sink(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A unique name or key is already taken (e.g. a user name).
    #[error("{0} already exists")]
    Conflict(String),
    /// Another write held the database for all of [`WRITE_WAIT`]: writes to the registry are
    /// made one at a time (SQLite's write lock; on PostgreSQL, a lock every writing transaction
    /// takes), and a writer waits at most that long for the one in progress.
    #[error(
        "another write is in progress on this {backend} database (an import, a web edit): waited {} s for it to end; try again when it has finished",
        WRITE_WAIT.as_secs()
    )]
    Busy {
        /// `SQLite` or `PostgreSQL`.
        backend: &'static str,
    },
    /// A file given as a Solidaria database (a backup to restore) is not one.
    #[error("{path} is not a Solidaria database: {reason}")]
    NotSolidaria {
        /// The file.
        path: String,
        /// Why not.
        reason: String,
    },
    /// A file would be replaced, and the caller did not say to (`--force`).
    #[error("{0} already exists: give --force to replace it")]
    Exists(String),
    /// A file operation of the store failed (renaming a backup into place).
    #[error("{0}")]
    Io(String),
    /// The database was created by a newer Solidaria.
    #[error("the database schema is at version {found}, newer than this program's {known}: upgrade Solidaria")]
    SchemaTooNew {
        /// Version found in the database.
        found: i64,
        /// Latest version this program knows.
        known: i64,
    },
}

/// How long a writer waits for another write in progress before giving up with
/// [`StoreError::Busy`] (SQLite's `busy_timeout`; on PostgreSQL, the `lock_timeout` of the write
/// lock).
pub const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The message of an error followed by each of its causes, as `message: cause: cause`, without
/// repeating a cause that the message already shows.
fn chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(feature = "sqlite")]
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        ) {
            return StoreError::Busy { backend: "SQLite" };
        }
        StoreError::Database { backend: "SQLite", message: chain(&e) }
    }
}

#[cfg(feature = "postgres")]
impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> Self {
        if e.code() == Some(&::postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
            return StoreError::Busy { backend: "PostgreSQL" };
        }
        let message = match e.as_db_error() {
            Some(db) => {
                let mut m = format!("{}: {}", db.severity(), db.message());
                if let Some(detail) = db.detail() {
                    m.push_str(&format!(" ({detail})"));
                }
                if let Some(hint) = db.hint() {
                    m.push_str(&format!("; hint: {hint}"));
                }
                m
            }
            None => chain(&e),
        };
        StoreError::Database { backend: "PostgreSQL", message }
    }
}

/// What a write did to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The record was new.
    Inserted,
    /// The record existed with other content.
    Updated,
    /// The record existed with the same content: nothing written, nothing audited.
    Unchanged,
}

/// Counts of changes by record type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteCounts {
    /// (inserted, updated, unchanged) per record type.
    pub by_type: BTreeMap<RecordType, (u64, u64, u64)>,
}

impl WriteCounts {
    /// Adds one change.
    pub fn add(&mut self, t: RecordType, c: Change) {
        let e = self.by_type.entry(t).or_default();
        match c {
            Change::Inserted => e.0 += 1,
            Change::Updated => e.1 += 1,
            Change::Unchanged => e.2 += 1,
        }
    }

    /// Adds all counts of another tally.
    pub fn merge(&mut self, other: &WriteCounts) {
        for (t, (i, u, n)) in &other.by_type {
            let e = self.by_type.entry(*t).or_default();
            e.0 += i;
            e.1 += u;
            e.2 += n;
        }
    }

    /// Total records seen.
    pub fn total(&self) -> u64 {
        self.by_type.values().map(|(i, u, n)| i + u + n).sum()
    }
}

/// A record changed at a position of the audit log (see [`Store::changes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// Position in the audit log.
    pub seq: i64,
    /// The record's type, as stored (`actor`, `relation`, …).
    pub record_type: String,
    /// The record's key.
    pub key: String,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Position in the log (increasing).
    pub seq: i64,
    /// When, as UTC ISO 8601.
    pub at: String,
    /// Who made the change (user name, `cli:<os user>`, `import:<file>`…).
    pub who: String,
    /// `insert`, `update` or `delete`.
    pub action: String,
    /// Type of the record changed.
    pub record_type: String,
    /// Its key.
    pub record_key: String,
    /// The record before the change (none for an insert).
    pub before: Option<serde_json::Value>,
    /// The record after the change (none for a delete).
    pub after: Option<serde_json::Value>,
}

/// A screening ready to be kept: its keys and its whole JSON document.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningRow {
    /// The subject's id.
    pub subject: String,
    /// The profile's id.
    pub profile: String,
    /// The profile's version.
    pub profile_version: String,
    /// The verdict's wire name.
    pub verdict: &'static str,
    /// The screening as JSON.
    pub doc: String,
}

impl ScreeningRow {
    /// The row of a screening.
    pub fn new(s: &Screening<'_>) -> Self {
        ScreeningRow {
            subject: s.subject.to_string(),
            profile: s.profile.to_string(),
            profile_version: s.profile_version.to_string(),
            verdict: s.verdict.as_str(),
            // A screening holds only strings, numbers, booleans and maps: it always serialises.
            doc: serde_json::to_string(s).unwrap_or_default(),
        }
    }
}

/// A screening kept in the history.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedScreening {
    /// Position in the history (increasing).
    pub seq: i64,
    /// When it was saved, as UTC ISO 8601.
    pub at: String,
    /// Who saved it.
    pub who: String,
    /// The screening as it was computed: subject, profile and version, verdict, criteria with
    /// reasons and citations, claim mismatches and the facts it read.
    pub screening: serde_json::Value,
}

/// Which actors to list.
#[derive(Debug, Clone, Default)]
pub struct ActorFilter {
    /// Territory ids to match exactly (a territory and all those nested under it); `None` for all.
    pub territories: Option<BTreeSet<String>>,
    /// Text that must appear (case-insensitively) in the name or anywhere in the record.
    pub text: Option<String>,
    /// Largest number of actors returned; `None` for all.
    pub limit: Option<u64>,
}

/// Persistence of the registry. Reads take `&mut self` because a database connection is used
/// by one caller at a time.
pub trait Store: accounts::Accounts + ledger::Ledger + deliberation::Deliberations + merges::Merges {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Starts a transaction: nothing it writes is visible or kept until [`Transaction::commit`];
    /// dropping it rolls back.
    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError>;

    /// One record by type and key.
    fn get(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError>;

    /// The current versions of the records of type `t` with these keys, in the keys' order (keys
    /// without a record left out): a page of search results read in one query where a round trip
    /// costs (PostgreSQL), one key at a time otherwise.
    fn get_many(&mut self, t: RecordType, keys: &[&str]) -> Result<Vec<Record>, StoreError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            out.extend(self.get(t, key)?);
        }
        Ok(out)
    }

    /// One page of actors matching a search, with the total and facets of all matches.
    fn search_actors(&mut self, q: &search::ActorSearch) -> Result<search::SearchPage, StoreError>;

    /// A number that changes whenever a write is committed (the audit log's last position), for
    /// caches to know they are still valid; `None` where that is not exact (PostgreSQL numbers
    /// rows before their transactions commit, so a later number may commit first).
    fn version(&mut self) -> Result<Option<i64>, StoreError>;

    /// The records changed at positions of the audit log after `after` (up to `upto`, included,
    /// when given), in position order, at most `limit`: what an index kept beside the store
    /// must read again.
    fn changes(&mut self, after: i64, upto: Option<i64>, limit: u64) -> Result<Vec<Changed>, StoreError>;

    /// The audit log's last position (0 when empty).
    fn last_position(&mut self) -> Result<i64, StoreError>;

    /// Actors matching a filter, by name.
    fn list_actors(&mut self, filter: &ActorFilter) -> Result<Vec<Actor>, StoreError>;

    /// Every record of a type, in key order, handed one at a time to `each` (streaming).
    fn for_each(
        &mut self,
        t: RecordType,
        each: &mut dyn FnMut(Record) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Every record of a type, in key order, handed to `each` as its key and its stored JSON text,
    /// undecoded: a caller that reads a whole register decodes with [`parse_doc`] on every core
    /// while the next records are read.
    fn for_each_doc(
        &mut self,
        t: RecordType,
        each: &mut dyn FnMut(&str, &str) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Number of records of a type.
    fn count(&mut self, t: RecordType) -> Result<u64, StoreError>;

    /// The declared parents of custom regions and ISO territories that have records.
    fn territory_parents(&mut self) -> Result<BTreeMap<String, String>, StoreError>;

    /// Relations touching an actor (as `from` or `to`).
    fn relations_of(&mut self, actor: &str) -> Result<Vec<Record>, StoreError>;

    /// The records of type `t` whose document holds `id` as a whole JSON string: every record
    /// that may name the actor `id` (the caller reads the fields). Actors are found through the
    /// full-text index (every string of an actor is indexed), the other types by reading their
    /// tables, which are small (catalogues, not registers).
    fn records_naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError>;

    /// The audit log, newest last; only the entries of one record when `record` is given.
    fn audit(&mut self, record: Option<(RecordType, &str)>, limit: u64) -> Result<Vec<AuditEntry>, StoreError>;

    /// Appends screenings to the history, all or none, as `who`.
    fn save_screenings(&mut self, who: &str, screenings: &[ScreeningRow]) -> Result<(), StoreError>;

    /// The latest saved screening of a subject under each profile, by profile id.
    fn latest_screenings(&mut self, subject: &str) -> Result<Vec<SavedScreening>, StoreError>;
}

/// Writes inside one database transaction.
pub trait Transaction {
    /// Inserts or replaces records (given as rows, see [`rows::row`]) by key, auditing each real
    /// change as `who`. Records with the same content as stored are left alone. A key repeated in
    /// `rows` applies in order.
    fn upsert(&mut self, who: &str, rows: &[rows::Row]) -> Result<Vec<Change>, StoreError>;

    /// [`Transaction::upsert`] for records.
    fn upsert_records(&mut self, who: &str, records: &[Record]) -> Result<Vec<Change>, StoreError> {
        let rows: Vec<rows::Row> = records.iter().map(rows::row).collect();
        self.upsert(who, &rows)
    }

    /// Deletes one record, auditing it; `false` when it did not exist. Deleting an actor deletes
    /// its relations first (each audited).
    fn delete(&mut self, who: &str, t: RecordType, key: &str) -> Result<bool, StoreError>;

    /// One record by type and key, as seen inside this transaction.
    fn get(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError>;

    /// Relations touching an actor (as `from` or `to`), by key, as seen inside this transaction.
    fn relations_of(&mut self, actor: &str) -> Result<Vec<Record>, StoreError>;

    /// Records a merge of two actors made in this transaction (see [`merges`]); returns its
    /// number.
    fn record_merge(&mut self, who: &str, merge: &merges::NewMerge) -> Result<i64, StoreError>;

    /// Marks a merge undone by `who`, in this transaction; `false` when there is no such merge or
    /// it was undone already (by someone else meanwhile).
    fn mark_merge_undone(&mut self, id: i64, who: &str) -> Result<bool, StoreError>;

    /// [`Store::records_naming`] as seen inside this transaction.
    fn records_naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError>;

    /// Every fund definition (canonical JSON) by fund id, as seen inside this transaction.
    fn fund_docs(&mut self) -> Result<Vec<(String, String)>, StoreError>;

    /// Replaces a fund's definition as `who`, inside this transaction, whether or not the fund
    /// has postings: for a merge re-pointing the actors a fund names (and its undo), which changes
    /// none of the terms its postings were checked under. `false` when there is no such fund.
    fn replace_fund(&mut self, who: &str, id: &str, doc: &str) -> Result<bool, StoreError>;

    /// Every account linked to an actor, as (account, actor), as seen inside this transaction.
    fn account_actors(&mut self) -> Result<Vec<(String, String)>, StoreError>;

    /// Links an account to the actor it speaks for (or unlinks it, with `None`) inside this
    /// transaction, logged as an account event by `who`; `false` when there is no such account.
    fn set_account_actor(&mut self, who: &str, user: &str, actor: Option<&str>) -> Result<bool, StoreError>;

    /// The actor that a merge still in force merged `id` into (one step), as seen inside this
    /// transaction.
    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError>;

    /// The ids among `ids` that have no record of type `t` (as seen inside this transaction).
    fn missing(&mut self, t: RecordType, ids: &[String]) -> Result<BTreeSet<String>, StoreError>;

    /// The declared territory parents as seen inside this transaction.
    fn territory_parents(&mut self) -> Result<BTreeMap<String, String>, StoreError>;

    /// A strategy's deliberation log, oldest first, as seen inside this transaction: a write
    /// that changes the strategy checks here that no round is open on it (the text under vote
    /// does not change). Read after the write, which holds the strategy's row until commit, so
    /// a round opened meanwhile is either seen or waits for this transaction.
    fn deliberation(&mut self, strategy: &str) -> Result<Vec<solidaria_core::deliberation::Event>, StoreError>;

    /// Records a moderator's decision on a pending proposal, in this transaction (so a validated
    /// proposal and the change it applies land together); `false` when the proposal is not
    /// pending any more (decided meanwhile by someone else).
    fn decide_proposal(
        &mut self,
        id: i64,
        by: &str,
        state: solidaria_core::moderation::ProposalState,
        message: Option<&str>,
    ) -> Result<bool, StoreError>;

    /// Makes every write of the transaction permanent.
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// Every case of the store, in key order (cases are few: a registry's commons, not a register).
pub fn cases(store: &mut dyn Store) -> Result<Vec<solidaria_core::Case>, StoreError> {
    let mut out = Vec::new();
    store.for_each(RecordType::Case, &mut |r| {
        if let Record::Case(c) = r {
            out.push(c);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Opens the store named by a `--db` value: a `postgres://` or `postgresql://` URL, else a SQLite
/// file path (optionally prefixed `sqlite://`), created with its schema on first use.
///
/// A backend left out of the build (Cargo features `sqlite`, `postgres`) is refused with a
/// message that says how to build it in.
pub fn open(db: &str) -> Result<Box<dyn Store + Send>, StoreError> {
    open_with(db, true)
}

/// Opens a store like [`open`], but refuses a SQLite path where no file exists
/// ([`StoreError::Missing`]) instead of creating an empty database: for commands that only read,
/// where a mistyped path would otherwise answer "0 actors".
pub fn open_existing(db: &str) -> Result<Box<dyn Store + Send>, StoreError> {
    open_with(db, false)
}

fn open_with(db: &str, create: bool) -> Result<Box<dyn Store + Send>, StoreError> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        #[cfg(feature = "postgres")]
        return Ok(Box::new(postgres::PgStore::connect(db)?));
        #[cfg(not(feature = "postgres"))]
        return Err(StoreError::Address(
            "this build has no PostgreSQL backend: build with the `postgres` feature (release builds have it)".into(),
        ));
    }
    let path = db.strip_prefix("sqlite://").unwrap_or(db);
    if path.is_empty() {
        return Err(StoreError::Address("expected a SQLite file path or a postgres:// URL, found nothing".into()));
    }
    if !create && path != ":memory:" && !std::path::Path::new(path).exists() {
        return Err(StoreError::Missing(path.to_string()));
    }
    #[cfg(feature = "sqlite")]
    return Ok(Box::new(sqlite::SqliteStore::open(path)?));
    #[cfg(not(feature = "sqlite"))]
    Err(StoreError::Address("this build has no SQLite backend: build with the `sqlite` feature".into()))
}

/// A stored document's text decoded and checked as a record of type `t` (key `key`, named in the
/// error when the text is not a sound record).
pub fn parse_doc(t: RecordType, key: &str, text: &str) -> Result<Record, StoreError> {
    solidaria_core::record::record_from_text(t, text).map_err(|errors| corrupt(t, key, &errors))
}

/// A stored document PostgreSQL hands as JSON, checked as a record of type `t` (key `key`).
#[cfg(feature = "postgres")]
pub(crate) fn decode(t: RecordType, key: &str, doc: &serde_json::Value) -> Result<Record, StoreError> {
    solidaria_core::record::record_of_type(t, doc).map_err(|errors| corrupt(t, key, &errors))
}

/// The error for a stored record of type `t` (key `key`) that no longer reads as one: every
/// problem found, as the record's parser reported them.
pub fn corrupt(t: RecordType, key: &str, errors: &[FieldError]) -> StoreError {
    StoreError::Corrupt {
        record_type: t,
        key: key.to_string(),
        problems: errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "),
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern and wraps the text in `%`.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Every financial mechanism of the store, in key order (a catalogue, not a register).
pub fn mechanisms(store: &mut dyn Store) -> Result<Vec<solidaria_core::mechanism::Mechanism>, StoreError> {
    let mut out = Vec::new();
    store.for_each(RecordType::Mechanism, &mut |r| {
        if let Record::Mechanism(m) = r {
            out.push(m);
        }
        Ok(())
    })?;
    Ok(out)
}
