//! The SQLite backend: one embedded file, WAL journal, migrations applied on open.
//!
//! Layout: the append-only `audit_log` holds every version of every record (`after`, canonical
//! JSON) and links each change to the version before it (`before_seq`); the registry tables hold
//! filter columns and `seq`, the audit row of the current version. Each version is written once.

mod accounts;
pub mod backup;
mod deliberation;
mod ledger;
mod merges;
mod transaction;

use transaction::SqliteTransaction;

use crate::ScreeningRow;
use crate::rows;
use crate::search::{self, ActorSearch, SearchPage};
use crate::{ActorFilter, AuditEntry, SavedScreening, Store, StoreError, Transaction, like_pattern, parse_doc};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use solidaria_core::record::RecordType;
use solidaria_core::{Actor, Record};
use std::collections::BTreeMap;

/// The migrations of the SQLite schema, in order: (version, name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "registry", include_str!("../migrations/sqlite/0001_registry.sql")),
    (2, "screenings", include_str!("../migrations/sqlite/0002_screenings.sql")),
    (3, "accounts", include_str!("../migrations/sqlite/0003_accounts.sql")),
    (4, "search", include_str!("../migrations/sqlite/0004_search.sql")),
    (5, "ledger", include_str!("../migrations/sqlite/0005_ledger.sql")),
    (6, "mechanisms", include_str!("../migrations/sqlite/0006_mechanisms.sql")),
    (7, "strategies", include_str!("../migrations/sqlite/0007_strategies.sql")),
    (8, "merges", include_str!("../migrations/sqlite/0008_merges.sql")),
    (9, "account_controls", include_str!("../migrations/sqlite/0009_account_controls.sql")),
    (10, "ledger_seq", include_str!("../migrations/sqlite/0010_ledger_seq.sql")),
];

/// A registry in a SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (and creates, on first use) the database at `path`, and brings its schema up to date.
    pub fn open(path: &str) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// A private in-memory database (for tests and one-off checks).
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(crate::WRITE_WAIT)?;
        conn.pragma_update(None, "page_size", 16384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 64 MiB of page cache (a fixed bound): large imports spill far fewer pages to the WAL.
        conn.pragma_update(None, "cache_size", -65536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        migrate(&mut conn)?;
        Ok(Self { conn })
    }

    /// A search with text: the full-text index alone finds the matches, since the filters are
    /// words of the index too (`search::fts5_search`).
    fn search_with_text(&mut self, m: &str, limit: u64, offset: u64) -> Result<SearchPage, StoreError> {
        // CROSS JOIN keeps the index first, evaluated once: left to the planner, a filter on the
        // actors could make it probe the index once per actor (measured: 325 s for a common word
        // within a territory, 1 million actors).
        let from = "(SELECT rowid AS s FROM actors_fts WHERE actors_fts MATCH ?1) f \
                    CROSS JOIN audit_log fl ON fl.seq = f.s CROSS JOIN actors r ON r.id = fl.record_key";
        // One pass over at most EXACT_UP_TO + 1 matches gives the facets and, when that is all of
        // them, the page in name order (sorted here).
        let sql = format!(
            "SELECT r.sort_name, r.id, r.seq, r.category, r.family, r.territory, r.claims FROM {from} LIMIT {}",
            search::EXACT_UP_TO + 1
        );
        let mut page = SearchPage::default();
        let mut matches: Vec<(String, String, i64)> = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([m])?;
            while let Some(r) = rows.next()? {
                if matches.len() as u64 == search::EXACT_UP_TO {
                    page.sampled = Some(search::EXACT_UP_TO);
                    break;
                }
                matches.push((r.get(0)?, r.get(1)?, r.get(2)?));
                let claims: Option<String> = r.get(6)?;
                page.add_group(r.get(3)?, r.get(4)?, r.get(5)?, claims.as_deref(), 1);
            }
        }
        if page.sampled.is_none() {
            matches.sort_unstable();
            let seqs: Vec<i64> = matches.iter().skip(offset as usize).take(limit as usize).map(|m| m.2).collect();
            page.items = self.actors_at(&seqs)?;
            return Ok(page);
        }
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM actors_fts WHERE actors_fts MATCH ?1")?
            .query_row([m], |r| r.get(0))?;
        page.total = n.max(0) as u64;
        // The page in index order: from the matches already read when it lies among them, else
        // read on (no ORDER BY: sorting would join every match first).
        let seqs: Vec<i64> = if offset.saturating_add(limit) <= search::EXACT_UP_TO {
            matches.iter().skip(offset as usize).take(limit as usize).map(|m| m.2).collect()
        } else {
            let sql = format!("SELECT r.seq FROM {from} LIMIT {limit} OFFSET {offset}");
            let mut stmt = self.conn.prepare_cached(&sql)?;
            stmt.query_map([m], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        page.items = self.actors_at(&seqs)?;
        Ok(page)
    }

    /// The actors whose current versions are these audit rows, in this order.
    fn actors_at(&mut self, seqs: &[i64]) -> Result<Vec<Actor>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT record_key, after FROM audit_log WHERE seq = ?1")?;
        let mut out = Vec::with_capacity(seqs.len());
        for seq in seqs {
            let (key, doc): (String, String) = stmt.query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if let Record::Actor(a) = parse_doc(RecordType::Actor, &key, &doc)? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// A search without text: the facets are sums over the few facet groups, the page comes from
    /// the name index or a filter's index, whichever reads fewer rows.
    fn browse(&mut self, q: &ActorSearch, limit: u64, offset: u64) -> Result<SearchPage, StoreError> {
        let mut args: Vec<String> = Vec::new();
        let mut arg = |v: String| {
            args.push(v);
            format!("?{}", args.len())
        };
        // The filters, on the actors (`r`) and on the facet groups (`g`, where none is '').
        let (mut on_actors, mut on_groups) = (vec!["1 = 1".to_string()], vec!["1 = 1".to_string()]);
        if let Some(ts) = &q.territories {
            let a = arg(serde_json::to_string(ts).unwrap_or_default());
            on_actors.push(format!("r.territory IN (SELECT value FROM json_each({a}))"));
            on_groups.push(format!("g.territory IN (SELECT value FROM json_each({a}))"));
        }
        for (column, value) in [("category", &q.category), ("family", &q.family)] {
            if let Some(v) = value {
                let a = arg(v.clone());
                on_actors.push(format!("r.{column} = {a}"));
                on_groups.push(format!("g.{column} = {a}"));
            }
        }
        if let Some(c) = &q.claim {
            let a = arg(c.clone());
            on_actors.push(format!("EXISTS (SELECT 1 FROM actor_claims c WHERE c.claim = {a} AND c.actor = r.id)"));
            on_groups
                .push(format!("g.claims <> '' AND EXISTS (SELECT 1 FROM json_each(g.claims) j WHERE j.value = {a})"));
        }
        let (on_actors, on_groups) = (on_actors.join(" AND "), on_groups.join(" AND "));
        let none = |s: String| (!s.is_empty()).then_some(s);
        let mut page = SearchPage::default();
        let sql =
            format!("SELECT g.category, g.family, g.territory, g.claims, g.n FROM actor_groups g WHERE {on_groups}");
        {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(args.iter()))?;
            while let Some(r) = rows.next()? {
                let claims: String = r.get(3)?;
                page.add_group(
                    none(r.get(0)?),
                    none(r.get(1)?),
                    none(r.get(2)?),
                    Some(&claims),
                    r.get::<_, i64>(4)?.max(0) as u64,
                );
            }
        }
        // Walking the name index finds a page after reading about (offset + limit) x all / matches
        // rows; a filter's index reads every match, then sorts them. Take the cheaper.
        let all: i64 =
            self.conn.prepare_cached("SELECT COALESCE(SUM(n), 0) FROM actor_groups")?.query_row([], |r| r.get(0))?;
        let walk = (offset.saturating_add(limit) as f64) * all.max(1) as f64 / page.total.max(1) as f64;
        let from = if walk < page.total as f64 { "actors r INDEXED BY actors_browse" } else { "actors r" };
        let items = format!(
            "SELECT r.id, l.after FROM {from} JOIN audit_log l ON l.seq = r.seq WHERE {on_actors} \
             ORDER BY r.sort_name, r.id LIMIT {limit} OFFSET {offset}"
        );
        page.items = actors_of(select_docs(&self.conn, &items, params_from_iter(args.iter()), RecordType::Actor)?);
        Ok(page)
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?)
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // Up to date already (every open but the first): answer without taking the write lock, so
    // that opening connections never waits for a writer.
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    let current: Option<i64> = conn
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| r.get(0))
        .optional()
        .unwrap_or(None)
        .flatten();
    if current == Some(known) {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )?;
    let current: i64 = tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > known {
        return Err(StoreError::SchemaTooNew { found: current, known });
    }
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
            params![version, name],
        )?;
    }
    tx.commit()?;
    Ok(())
}

fn select_docs(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    t: RecordType,
) -> Result<Vec<Record>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        let doc: String = row.get(1)?;
        out.push(parse_doc(t, &key, &doc)?);
    }
    Ok(out)
}

/// The actors among records.
fn actors_of(records: Vec<Record>) -> Vec<Actor> {
    records.into_iter().filter_map(|r| if let Record::Actor(a) = r { Some(a) } else { None }).collect()
}

/// The start of a query for current records of a type: `r` is the table, `l` the audit row of
/// the current version; selects the key and the document.
/// The records of type `t` whose document holds `id` as a whole JSON string (see
/// [`Store::records_naming`]).
fn records_naming(conn: &Connection, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError> {
    let quoted = like_pattern(&format!("\"{id}\""));
    if t == RecordType::Actor {
        // The words of the id as one phrase: the tokenizer splits ids at '.', '_', ':', '-'.
        let words: Vec<&str> = id.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let phrase = format!("\"{}\"", words.join(" "));
        let sql = "SELECT r.id, l.after FROM actors_fts f JOIN actors r ON r.seq = f.rowid \
                   JOIN audit_log l ON l.seq = r.seq WHERE actors_fts MATCH ?1 AND l.after LIKE ?2 ESCAPE '\\' \
                   ORDER BY r.id";
        select_docs(conn, sql, params![phrase, quoted], t)
    } else {
        let sql = format!("{} WHERE l.after LIKE ?1 ESCAPE '\\' ORDER BY r.id", select_current(t));
        select_docs(conn, &sql, [quoted], t)
    }
}

fn select_current(t: RecordType) -> String {
    format!("SELECT r.id, l.after FROM {} r JOIN audit_log l ON l.seq = r.seq", rows::table(t).name)
}

fn parents(conn: &Connection) -> Result<BTreeMap<String, String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id, parent FROM territories WHERE parent IS NOT NULL")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        Ok(Box::new(SqliteTransaction { tx, any_deletion: None }))
    }

    fn get(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError> {
        let sql = format!("{} WHERE r.id = ?1", select_current(t));
        Ok(select_docs(&self.conn, &sql, [key], t)?.pop())
    }

    /// One statement for the whole page: outside a transaction every statement takes and drops
    /// the database's read lock (system calls), which cost more than the lookups themselves when
    /// a page of 20 was read key by key.
    fn get_many(&mut self, t: RecordType, keys: &[&str]) -> Result<Vec<Record>, StoreError> {
        let sql = format!(
            "SELECT r.id, l.after FROM json_each(?1) j CROSS JOIN {} r ON r.id = j.value \
             JOIN audit_log l ON l.seq = r.seq ORDER BY j.key",
            rows::table(t).name
        );
        // A JSON array of strings: written by `Display`, which cannot fail.
        let keys = serde_json::Value::from(keys).to_string();
        select_docs(&self.conn, &sql, [keys], t)
    }

    fn search_actors(&mut self, q: &ActorSearch) -> Result<SearchPage, StoreError> {
        let (limit, offset) = (q.limit.min(i64::MAX as u64), q.offset.min(i64::MAX as u64));
        match search::fts5_search(q) {
            Some(m) => self.search_with_text(&m, limit, offset),
            None => self.browse(q, limit, offset),
        }
    }

    fn version(&mut self) -> Result<Option<i64>, StoreError> {
        // SQLite has one writer at a time, so positions are taken in commit order.
        let v: i64 =
            self.conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM audit_log")?.query_row([], |r| r.get(0))?;
        Ok(Some(v))
    }

    fn changes(&mut self, after: i64, upto: Option<i64>, limit: u64) -> Result<Vec<crate::Changed>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, record_type, record_key FROM audit_log WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3",
        )?;
        let row = |r: &rusqlite::Row<'_>| Ok(crate::Changed { seq: r.get(0)?, record_type: r.get(1)?, key: r.get(2)? });
        let rows = stmt.query_map(rusqlite::params![after, upto.unwrap_or(i64::MAX), limit], row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn last_position(&mut self) -> Result<i64, StoreError> {
        Ok(self.conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM audit_log")?.query_row([], |r| r.get(0))?)
    }

    fn list_actors(&mut self, filter: &ActorFilter) -> Result<Vec<Actor>, StoreError> {
        let mut sql = format!("{} WHERE 1 = 1", select_current(RecordType::Actor));
        let mut args: Vec<String> = Vec::new();
        if let Some(ts) = &filter.territories {
            args.push(serde_json::to_string(ts).unwrap_or_default());
            sql.push_str(&format!(" AND r.territory IN (SELECT value FROM json_each(?{}))", args.len()));
        }
        if let Some(text) = &filter.text {
            args.push(like_pattern(text));
            let n = args.len();
            sql.push_str(&format!(" AND (r.name LIKE ?{n} ESCAPE '\\' OR l.after LIKE ?{n} ESCAPE '\\')"));
        }
        sql.push_str(" ORDER BY r.sort_name, r.id");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let records = select_docs(&self.conn, &sql, params_from_iter(args.iter()), RecordType::Actor)?;
        Ok(records.into_iter().filter_map(|r| if let Record::Actor(a) = r { Some(a) } else { None }).collect())
    }

    fn for_each(
        &mut self,
        t: RecordType,
        each: &mut dyn FnMut(Record) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let sql = format!("{} ORDER BY r.id", select_current(t));
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let key: String = row.get(0)?;
            let doc: String = row.get(1)?;
            each(parse_doc(t, &key, &doc)?)?;
        }
        Ok(())
    }

    fn for_each_doc(
        &mut self,
        t: RecordType,
        each: &mut dyn FnMut(&str, &str) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let sql = format!("{} ORDER BY r.id", select_current(t));
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            // Borrowed from SQLite's row: no copy until the caller keeps it.
            let key = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let doc = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            each(key, doc)?;
        }
        Ok(())
    }

    fn count(&mut self, t: RecordType) -> Result<u64, StoreError> {
        let sql = format!("SELECT COUNT(*) FROM {}", rows::table(t).name);
        Ok(self.conn.query_row(&sql, [], |r| r.get::<_, i64>(0))? as u64)
    }

    fn territory_parents(&mut self) -> Result<BTreeMap<String, String>, StoreError> {
        parents(&self.conn)
    }

    fn records_naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError> {
        records_naming(&self.conn, t, id)
    }

    fn relations_of(&mut self, actor: &str) -> Result<Vec<Record>, StoreError> {
        select_docs(
            &self.conn,
            &format!("{} WHERE r.from_id = ?1 OR r.to_id = ?1 ORDER BY r.id", select_current(RecordType::Relation)),
            [actor],
            RecordType::Relation,
        )
    }

    fn audit(&mut self, record: Option<(RecordType, &str)>, limit: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let (chain, args): (&str, Vec<i64>) = match record {
            None => ("", vec![]),
            Some((t, key)) => match history_head(&self.conn, t, key)? {
                None => return Ok(Vec::new()),
                // The record's versions: follow `before_seq` back from the newest.
                Some(head) => (
                    "WITH RECURSIVE chain(seq) AS (SELECT ?1 UNION ALL \
                     SELECT a.before_seq FROM audit_log a JOIN chain c ON a.seq = c.seq WHERE a.before_seq IS NOT NULL) ",
                    vec![head],
                ),
            },
        };
        let filter = if chain.is_empty() { "" } else { "WHERE l.seq IN (SELECT seq FROM chain)" };
        let sql = format!(
            "{chain}SELECT l.seq, l.at, l.who, l.action, l.record_type, l.record_key, b.after, l.after \
             FROM audit_log l LEFT JOIN audit_log b ON b.seq = l.before_seq {filter} ORDER BY l.seq DESC LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
            Ok(AuditEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                who: r.get(2)?,
                action: r.get(3)?,
                record_type: r.get(4)?,
                record_key: r.get(5)?,
                before: json(r.get(6)?),
                after: json(r.get(7)?),
            })
        })?;
        let mut out: Vec<AuditEntry> = rows.collect::<Result<_, _>>()?;
        out.reverse();
        Ok(out)
    }

    fn save_screenings(&mut self, who: &str, screenings: &[ScreeningRow]) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let at = now(&tx)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO screenings (at, who, subject, profile, profile_version, verdict, doc) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for s in screenings {
                stmt.execute(params![at, who, s.subject, s.profile, s.profile_version, s.verdict, s.doc])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn latest_screenings(&mut self, subject: &str) -> Result<Vec<SavedScreening>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.seq, s.at, s.who, s.doc FROM screenings s \
             WHERE s.subject = ?1 AND s.seq = (SELECT MAX(seq) FROM screenings l WHERE l.subject = s.subject AND l.profile = s.profile) \
             ORDER BY s.profile",
        )?;
        let rows = stmt.query_map([subject], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, at, who, doc) = row?;
            let screening = serde_json::from_str(&doc).map_err(|e| StoreError::Corrupt {
                record_type: RecordType::Actor,
                key: subject.to_string(),
                problems: format!("saved screening {seq} is not JSON: {e}"),
            })?;
            out.push(SavedScreening { seq, at, who, screening });
        }
        Ok(out)
    }
}

/// The newest audit row of a record: its current version, else its last deletion.
fn history_head(conn: &Connection, t: RecordType, key: &str) -> Result<Option<i64>, StoreError> {
    let sql = format!("SELECT seq FROM {} WHERE id = ?1", rows::table(t).name);
    if let Some(seq) = conn.prepare_cached(&sql)?.query_row([key], |r| r.get(0)).optional()? {
        return Ok(Some(seq));
    }
    last_deletion(conn, t, key)
}

/// The audit row of the last deletion of a record, if it was ever deleted.
fn last_deletion(conn: &Connection, t: RecordType, key: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT seq FROM deletions WHERE record_type = ?1 AND record_key = ?2")?
        .query_row(params![t.as_str(), key], |r| r.get(0))
        .optional()?)
}

/// The current UTC time as ISO 8601 with milliseconds, from SQLite's clock.
fn now(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now')", [], |r| r.get(0))?)
}
