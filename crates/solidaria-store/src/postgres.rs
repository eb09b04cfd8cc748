//! The PostgreSQL backend: records as JSONB, batched writes with `UNNEST`, migrations applied on
//! connect under an advisory lock.

mod accounts;
mod deliberation;
mod ledger;
mod merges;

use crate::ScreeningRow;
use crate::rows::{self, Table};
use crate::search::{self, ActorSearch, SearchPage};
use crate::{
    ActorFilter, AuditEntry, Change, SavedScreening, Store, StoreError, Transaction, decode, like_pattern, parse_doc,
};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, Config, NoTls, Statement};
use serde_json::Value;
use solidaria_core::record::RecordType;
use solidaria_core::{Actor, Record};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The migrations of the PostgreSQL schema, in order: (version, name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "registry", include_str!("../migrations/postgres/0001_registry.sql")),
    (2, "screenings", include_str!("../migrations/postgres/0002_screenings.sql")),
    (3, "accounts", include_str!("../migrations/postgres/0003_accounts.sql")),
    (4, "search", include_str!("../migrations/postgres/0004_search.sql")),
    (5, "ledger", include_str!("../migrations/postgres/0005_ledger.sql")),
    (6, "mechanisms", include_str!("../migrations/postgres/0006_mechanisms.sql")),
    (7, "strategies", include_str!("../migrations/postgres/0007_strategies.sql")),
    (8, "merges", include_str!("../migrations/postgres/0008_merges.sql")),
    (9, "account_controls", include_str!("../migrations/postgres/0009_account_controls.sql")),
];

/// An arbitrary constant identifying Solidaria's migration lock.
const MIGRATION_LOCK: i64 = 0x5011_d4a1;

/// The lock every transaction that writes records holds ([`Store::transaction`]), so that
/// writers take turns as on SQLite: each reads the records it replaces (for its counts and the
/// audit's before-image) after the previous writer committed. Under PostgreSQL's default
/// isolation a second writer would otherwise read before the first commits, then overwrite its
/// rows: "inserted" twice, audited with no before-image (issue #18 item 1).
const WRITE_LOCK: i64 = 0x5011_d4a2;

/// A registry in a PostgreSQL database.
pub struct PgStore {
    client: Client,
    /// The statements of the frequent reads, prepared on this connection at their first use.
    prepared: HashMap<String, Statement>,
}

/// Statements kept prepared per connection at most (the frequent reads are a few dozen; beyond,
/// the cache starts again rather than grow).
const PREPARED_MAX: usize = 64;

impl PgStore {
    /// Connects to a `postgres://` URL and brings the schema up to date. Errors never repeat the
    /// URL, which may hold a password.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let config: Config = url
            .parse()
            .map_err(|_| StoreError::Address("expected a URL like postgres://user@host:5432/database".into()))?;
        Self::connect_config(&config)
    }

    /// Connects with a parsed configuration and brings the schema up to date.
    pub fn connect_config(config: &Config) -> Result<Self, StoreError> {
        let mut client = config.connect(NoTls)?;
        migrate(&mut client)?;
        Ok(Self { client, prepared: HashMap::new() })
    }

    /// The statement of `sql`, prepared on this connection at its first use. A query through a
    /// prepared statement is one round trip to the server; a query given as text is two (prepare,
    /// then execute), which doubled the round trips of every search answered by the index (the
    /// audit position and the page).
    fn prepared(&mut self, sql: &str) -> Result<Statement, StoreError> {
        if let Some(s) = self.prepared.get(sql) {
            return Ok(s.clone());
        }
        let statement = self.client.prepare(sql)?;
        if self.prepared.len() >= PREPARED_MAX {
            self.prepared.clear();
        }
        self.prepared.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )?;
    let current: i64 = tx.query_one("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations", &[])?.get(0);
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > known {
        return Err(StoreError::SchemaTooNew { found: current, known });
    }
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.batch_execute(sql)?;
        tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", &[version, name])?;
    }
    tx.commit()?;
    Ok(())
}

/// Records from rows of `(id, doc::text)`: the document read as text decodes actors without a
/// JSON map of their members ([`parse_doc`]), as SQLite's are; the reads of a search's page and of
/// the index's build take this way.
fn text_records(t: RecordType, rows: Vec<postgres::Row>) -> Result<Vec<Record>, StoreError> {
    rows.iter().map(|r| parse_doc(t, r.get::<_, &str>(0), r.get::<_, &str>(1))).collect()
}

fn to_records(t: RecordType, rows: Vec<postgres::Row>) -> Result<Vec<Record>, StoreError> {
    rows.iter().map(|r| decode(t, r.get::<_, &str>(0), &r.get::<_, Value>(1))).collect()
}

/// The records of type `t` whose document holds `id` as a whole JSON string (see
/// [`Store::records_naming`]).
fn records_naming(c: &mut impl postgres::GenericClient, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError> {
    let quoted = like_pattern(&format!("\"{id}\""));
    let rows = if t == RecordType::Actor {
        // The index parses the id as it parsed the documents' strings.
        c.query(
            "SELECT id, doc FROM actors WHERE search @@ phraseto_tsquery('simple', $1) \
             AND doc::text LIKE $2 ESCAPE '\\' ORDER BY id",
            &[&id, &quoted],
        )?
    } else {
        let sql =
            format!("SELECT id, doc FROM {} WHERE doc::text LIKE $1 ESCAPE '\\' ORDER BY id", rows::table(t).name);
        c.query(&sql, &[&quoted])?
    };
    to_records(t, rows)
}

/// Every territory with a parent, and the parent.
const PARENTS: &str = "SELECT id, parent FROM territories WHERE parent IS NOT NULL";

fn parents(
    client: &mut impl postgres::GenericClient,
    statement: &(impl postgres::ToStatement + ?Sized),
) -> Result<BTreeMap<String, String>, StoreError> {
    let rows = client.query(statement, &[])?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn transaction(&mut self) -> Result<Box<dyn Transaction + '_>, StoreError> {
        let mut tx = self.client.transaction()?;
        // Wait at most WRITE_WAIT for the lock (then StoreError::Busy), and only for it.
        tx.batch_execute(&format!(
            "SET LOCAL lock_timeout = {}; SELECT pg_advisory_xact_lock({WRITE_LOCK}); SET LOCAL lock_timeout TO DEFAULT",
            crate::WRITE_WAIT.as_millis()
        ))?;
        Ok(Box::new(PgTransaction { tx }))
    }

    fn get(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError> {
        let sql = self.prepared(&format!("SELECT id, doc::text FROM {} WHERE id = $1", rows::table(t).name))?;
        Ok(text_records(t, self.client.query(&sql, &[&key])?)?.pop())
    }

    fn get_many(&mut self, t: RecordType, keys: &[&str]) -> Result<Vec<Record>, StoreError> {
        let sql = self.prepared(&format!("SELECT id, doc::text FROM {} WHERE id = ANY($1)", rows::table(t).name))?;
        let rows = self.client.query(&sql, &[&keys])?;
        let mut found: BTreeMap<String, Record> = text_records(t, rows)?.into_iter().map(|r| (r.key(), r)).collect();
        Ok(keys.iter().filter_map(|k| found.remove(*k)).collect())
    }

    fn search_actors(&mut self, q: &ActorSearch) -> Result<SearchPage, StoreError> {
        let tsquery = q.text.as_deref().and_then(search::tsquery);
        let territories: Option<Vec<&str>> = q.territories.as_ref().map(|t| t.iter().map(String::as_str).collect());
        let mut args: Vec<&(dyn ToSql + Sync)> = Vec::new();
        let mut filters = vec!["TRUE".to_string()];
        if let Some(t) = &tsquery {
            args.push(t);
            filters.push(format!("r.search @@ to_tsquery('simple', ${})", args.len()));
        }
        if let Some(t) = &territories {
            args.push(t);
            filters.push(format!("r.territory = ANY(${})", args.len()));
        }
        if let Some(c) = &q.category {
            args.push(c);
            filters.push(format!("r.category = ${}", args.len()));
        }
        if let Some(f) = &q.family {
            args.push(f);
            filters.push(format!("r.family = ${}", args.len()));
        }
        if let Some(c) = &q.claim {
            args.push(c);
            filters.push(format!("r.doc -> 'claims' ? ${}", args.len()));
        }
        let filters = filters.join(" AND ");
        let mut page = SearchPage::default();
        let groups = format!(
            "SELECT r.category, r.family, r.territory, r.claims, count(*) FROM actors r WHERE {filters} GROUP BY 1, 2, 3, 4"
        );
        for r in self.client.query(&groups, &args)? {
            let claims: Option<String> = r.get(3);
            page.add_group(r.get(0), r.get(1), r.get(2), claims.as_deref(), r.get::<_, i64>(4).max(0) as u64);
        }
        let (limit, offset) = (q.limit.min(i64::MAX as u64), q.offset.min(i64::MAX as u64));
        let items = format!(
            "SELECT r.id, r.doc FROM actors r WHERE {filters} \
             ORDER BY r.sort_name COLLATE \"C\", r.id LIMIT {limit} OFFSET {offset}"
        );
        page.items = to_records(RecordType::Actor, self.client.query(&items, &args)?)?
            .into_iter()
            .filter_map(|r| if let Record::Actor(a) = r { Some(a) } else { None })
            .collect();
        Ok(page)
    }

    fn version(&mut self) -> Result<Option<i64>, StoreError> {
        Ok(None)
    }

    fn changes(&mut self, after: i64, upto: Option<i64>, limit: u64) -> Result<Vec<crate::Changed>, StoreError> {
        let (limit, upto) = (i64::try_from(limit).unwrap_or(i64::MAX), upto.unwrap_or(i64::MAX));
        let sql = self.prepared(
            "SELECT seq, record_type, record_key FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3",
        )?;
        let rows = self.client.query(&sql, &[&after, &upto, &limit])?;
        Ok(rows.iter().map(|r| crate::Changed { seq: r.get(0), record_type: r.get(1), key: r.get(2) }).collect())
    }

    fn last_position(&mut self) -> Result<i64, StoreError> {
        let sql = self.prepared("SELECT COALESCE(MAX(seq), 0)::int8 FROM audit_log")?;
        Ok(self.client.query_one(&sql, &[])?.get(0))
    }

    fn list_actors(&mut self, filter: &ActorFilter) -> Result<Vec<Actor>, StoreError> {
        let mut sql = String::from("SELECT id, doc FROM actors WHERE TRUE");
        let territories: Option<Vec<&str>> =
            filter.territories.as_ref().map(|t| t.iter().map(String::as_str).collect());
        let pattern = filter.text.as_deref().map(like_pattern);
        let mut args: Vec<&(dyn ToSql + Sync)> = Vec::new();
        if let Some(t) = &territories {
            args.push(t);
            sql.push_str(&format!(" AND territory = ANY(${})", args.len()));
        }
        if let Some(p) = &pattern {
            args.push(p);
            let n = args.len();
            sql.push_str(&format!(" AND (name ILIKE ${n} OR doc::text ILIKE ${n})"));
        }
        sql.push_str(" ORDER BY sort_name COLLATE \"C\", id");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let records = to_records(RecordType::Actor, self.client.query(&sql, &args)?)?;
        Ok(records.into_iter().filter_map(|r| if let Record::Actor(a) = r { Some(a) } else { None }).collect())
    }

    fn for_each(
        &mut self,
        t: RecordType,
        each: &mut dyn FnMut(Record) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let sql = format!("SELECT id, doc::text FROM {} ORDER BY id", rows::table(t).name);
        let mut rows = self.client.query_raw(&sql, std::iter::empty::<&str>())?;
        while let Some(row) = rows.next()? {
            each(parse_doc(t, row.get::<_, &str>(0), row.get::<_, &str>(1))?)?;
        }
        Ok(())
    }

    fn for_each_doc(
        &mut self,
        t: RecordType,
        each: &mut dyn FnMut(&str, &str) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // The document as text: decoded by the caller, on every core.
        let sql = format!("SELECT id, doc::text FROM {} ORDER BY id", rows::table(t).name);
        let mut rows = self.client.query_raw(&sql, std::iter::empty::<&str>())?;
        while let Some(row) = rows.next()? {
            each(row.get::<_, &str>(0), row.get::<_, &str>(1))?;
        }
        Ok(())
    }

    fn count(&mut self, t: RecordType) -> Result<u64, StoreError> {
        let sql = self.prepared(&format!("SELECT COUNT(*) FROM {}", rows::table(t).name))?;
        Ok(self.client.query_one(&sql, &[])?.get::<_, i64>(0) as u64)
    }

    fn territory_parents(&mut self) -> Result<BTreeMap<String, String>, StoreError> {
        let sql = self.prepared(PARENTS)?;
        parents(&mut self.client, &sql)
    }

    fn records_naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError> {
        records_naming(&mut self.client, t, id)
    }

    fn relations_of(&mut self, actor: &str) -> Result<Vec<Record>, StoreError> {
        let rows = self
            .client
            .query("SELECT id, doc FROM relations WHERE from_id = $1 OR to_id = $1 ORDER BY id", &[&actor])?;
        to_records(RecordType::Relation, rows)
    }

    fn audit(&mut self, record: Option<(RecordType, &str)>, limit: u64) -> Result<Vec<AuditEntry>, StoreError> {
        let t = record.map(|(t, _)| t.as_str());
        let k = record.map(|(_, k)| k);
        let limit = limit.min(i64::MAX as u64) as i64;
        let rows = self.client.query(
            "SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), who, action, record_type, record_key, before, after \
             FROM audit_log WHERE ($1::text IS NULL OR (record_type = $1 AND record_key = $2)) ORDER BY seq DESC LIMIT $3",
            &[&t, &k, &limit],
        )?;
        let mut out: Vec<AuditEntry> = rows
            .iter()
            .map(|r| AuditEntry {
                seq: r.get(0),
                at: r.get(1),
                who: r.get(2),
                action: r.get(3),
                record_type: r.get(4),
                record_key: r.get(5),
                before: r.get(6),
                after: r.get(7),
            })
            .collect();
        out.reverse();
        Ok(out)
    }

    fn save_screenings(&mut self, who: &str, screenings: &[ScreeningRow]) -> Result<(), StoreError> {
        let mut tx = self.client.transaction()?;
        for chunk in screenings.chunks(1000) {
            let mut subjects = Vec::with_capacity(chunk.len());
            let mut profiles = Vec::with_capacity(chunk.len());
            let mut versions = Vec::with_capacity(chunk.len());
            let mut verdicts = Vec::with_capacity(chunk.len());
            let mut docs = Vec::with_capacity(chunk.len());
            for s in chunk {
                subjects.push(s.subject.as_str());
                profiles.push(s.profile.as_str());
                versions.push(s.profile_version.as_str());
                verdicts.push(s.verdict);
                docs.push(s.doc.as_str());
            }
            tx.execute(
                "INSERT INTO screenings (who, subject, profile, profile_version, verdict, doc) \
                 SELECT $1, s, p, v, d, doc::jsonb FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(s, p, v, d, doc)",
                &[&who, &subjects, &profiles, &versions, &verdicts, &docs],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn latest_screenings(&mut self, subject: &str) -> Result<Vec<SavedScreening>, StoreError> {
        let rows = self.client.query(
            "SELECT DISTINCT ON (profile) seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), who, doc \
             FROM screenings WHERE subject = $1 ORDER BY profile, seq DESC",
            &[&subject],
        )?;
        Ok(rows
            .iter()
            .map(|r| SavedScreening { seq: r.get(0), at: r.get(1), who: r.get(2), screening: r.get(3) })
            .collect())
    }
}

/// A write transaction on the PostgreSQL store.
struct PgTransaction<'c> {
    tx: postgres::Transaction<'c>,
}

/// One pending audit row.
struct AuditRow {
    action: &'static str,
    record_type: RecordType,
    key: String,
    before: Option<Value>,
    after: Option<Value>,
}

fn upsert_sql(t: &Table) -> String {
    let n = t.columns.len();
    let cols = t.columns.join(", ");
    let arrays: Vec<String> = (1..=n + 1).map(|i| format!("${i}::text[]")).collect();
    let sets: Vec<String> = t.columns.iter().chain(["doc"].iter()).map(|c| format!("{c} = EXCLUDED.{c}")).collect();
    format!(
        "INSERT INTO {} (id, {cols}, doc) SELECT * FROM UNNEST({}, ${}::jsonb[]) ON CONFLICT (id) DO UPDATE SET {}",
        t.name,
        arrays.join(", "),
        n + 2,
        sets.join(", ")
    )
}

impl PgTransaction<'_> {
    fn write_audit(&mut self, who: &str, rows: Vec<AuditRow>) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let whos: Vec<&str> = vec![who; rows.len()];
        let actions: Vec<&str> = rows.iter().map(|r| r.action).collect();
        let types: Vec<&str> = rows.iter().map(|r| r.record_type.as_str()).collect();
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        let befores: Vec<Option<&Value>> = rows.iter().map(|r| r.before.as_ref()).collect();
        let afters: Vec<Option<&Value>> = rows.iter().map(|r| r.after.as_ref()).collect();
        self.tx.execute(
            "INSERT INTO audit_log (at, who, action, record_type, record_key, before, after) \
             SELECT clock_timestamp(), w, a, t, k, b, af FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[]) \
             WITH ORDINALITY AS u(w, a, t, k, b, af, n) ORDER BY n",
            &[&whos, &actions, &types, &keys, &befores, &afters],
        )?;
        Ok(())
    }

    fn stored(&mut self, t: RecordType, keys: &[&str]) -> Result<HashMap<String, Value>, StoreError> {
        let sql = format!("SELECT id, doc FROM {} WHERE id = ANY($1)", rows::table(t).name);
        Ok(self.tx.query(&sql, &[&keys])?.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

impl Transaction for PgTransaction<'_> {
    fn upsert(&mut self, who: &str, all_rows: &[rows::Row]) -> Result<Vec<Change>, StoreError> {
        // PostgreSQL keeps JSONB, so documents are compared as JSON values, not as text.
        let docs: Vec<Value> = all_rows
            .iter()
            .map(|r| serde_json::from_str(&r.doc).map_err(|e| StoreError::Sink(Box::new(e))))
            .collect::<Result<_, _>>()?;
        let mut current: BTreeMap<RecordType, HashMap<String, Value>> = BTreeMap::new();
        for t in RecordType::ALL {
            let keys: Vec<&str> = all_rows.iter().filter(|r| r.record_type == *t).map(|r| r.key.as_str()).collect();
            if !keys.is_empty() {
                current.insert(*t, self.stored(*t, &keys)?);
            }
        }
        let mut changes = Vec::with_capacity(all_rows.len());
        let mut audit = Vec::new();
        // Last write per key wins; earlier writes of the same key are still audited in order.
        let mut to_write: BTreeMap<RecordType, BTreeMap<&str, (&rows::Row, &Value)>> = BTreeMap::new();
        for (row, doc) in all_rows.iter().zip(&docs) {
            let stored = current.entry(row.record_type).or_default();
            let before = stored.get(&row.key).cloned();
            if before.as_ref() == Some(doc) {
                changes.push(Change::Unchanged);
                continue;
            }
            let change = if before.is_some() { Change::Updated } else { Change::Inserted };
            audit.push(AuditRow {
                action: if before.is_some() { "update" } else { "insert" },
                record_type: row.record_type,
                key: row.key.clone(),
                before,
                after: Some(doc.clone()),
            });
            stored.insert(row.key.clone(), doc.clone());
            to_write.entry(row.record_type).or_default().insert(&row.key, (row, doc));
            changes.push(change);
        }
        for (t, rows_of_type) in &to_write {
            let table = rows::table(*t);
            let rows_of_type: Vec<&(&rows::Row, &Value)> = rows_of_type.values().collect();
            let mut columns: Vec<Vec<Option<&str>>> =
                vec![rows_of_type.iter().map(|(r, _)| Some(r.key.as_str())).collect()];
            for i in 0..table.columns.len() {
                columns.push(rows_of_type.iter().map(|(r, _)| r.values[i].as_deref()).collect());
            }
            let docs: Vec<&Value> = rows_of_type.iter().map(|(_, d)| *d).collect();
            let mut args: Vec<&(dyn ToSql + Sync)> = columns.iter().map(|c| c as &(dyn ToSql + Sync)).collect();
            args.push(&docs);
            self.tx.execute(&upsert_sql(&table), &args)?;
        }
        self.write_audit(who, audit)?;
        Ok(changes)
    }

    fn delete(&mut self, who: &str, t: RecordType, key: &str) -> Result<bool, StoreError> {
        if t == RecordType::Actor {
            let ids: Vec<String> = self
                .tx
                .query("SELECT id FROM relations WHERE from_id = $1 OR to_id = $1", &[&key])?
                .iter()
                .map(|r| r.get(0))
                .collect();
            for id in ids {
                self.delete(who, RecordType::Relation, &id)?;
            }
        }
        let sql = format!("DELETE FROM {} WHERE id = $1 RETURNING doc", rows::table(t).name);
        let Some(row) = self.tx.query_opt(&sql, &[&key])? else { return Ok(false) };
        let before: Value = row.get(0);
        let entry =
            AuditRow { action: "delete", record_type: t, key: key.to_string(), before: Some(before), after: None };
        self.write_audit(who, vec![entry])?;
        Ok(true)
    }

    fn get(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError> {
        let sql = format!("SELECT id, doc FROM {} WHERE id = $1", rows::table(t).name);
        Ok(to_records(t, self.tx.query(&sql, &[&key])?)?.pop())
    }

    fn relations_of(&mut self, actor: &str) -> Result<Vec<Record>, StoreError> {
        let rows =
            self.tx.query("SELECT id, doc FROM relations WHERE from_id = $1 OR to_id = $1 ORDER BY id", &[&actor])?;
        to_records(RecordType::Relation, rows)
    }

    fn record_merge(&mut self, who: &str, merge: &crate::merges::NewMerge) -> Result<i64, StoreError> {
        merges::record(&mut self.tx, who, merge)
    }

    fn mark_merge_undone(&mut self, id: i64, who: &str) -> Result<bool, StoreError> {
        merges::mark_undone(&mut self.tx, id, who)
    }

    fn records_naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError> {
        records_naming(&mut self.tx, t, id)
    }

    fn fund_docs(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(self
            .tx
            .query("SELECT id, doc FROM ledger_funds ORDER BY id", &[])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect())
    }

    fn replace_fund(&mut self, who: &str, id: &str, doc: &str) -> Result<bool, StoreError> {
        let n = self.tx.execute(
            "UPDATE ledger_funds SET doc = $2, updated_by = $3, updated_at = now() WHERE id = $1",
            &[&id, &doc, &who],
        )?;
        Ok(n == 1)
    }

    fn account_actors(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        deliberation::account_actors(&mut self.tx)
    }

    fn set_account_actor(&mut self, who: &str, user: &str, actor: Option<&str>) -> Result<bool, StoreError> {
        deliberation::set_account_actor(&mut self.tx, who, user, actor)
    }

    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        merges::merged_into(&mut self.tx, id)
    }

    fn missing(&mut self, t: RecordType, ids: &[String]) -> Result<BTreeSet<String>, StoreError> {
        let keys: Vec<&str> = ids.iter().map(String::as_str).collect();
        let found = self.stored(t, &keys)?;
        Ok(ids.iter().filter(|id| !found.contains_key(*id)).cloned().collect())
    }

    fn territory_parents(&mut self) -> Result<BTreeMap<String, String>, StoreError> {
        parents(&mut self.tx, PARENTS)
    }

    fn deliberation(&mut self, strategy: &str) -> Result<Vec<solidaria_core::deliberation::Event>, StoreError> {
        deliberation::events(&mut self.tx, strategy)
    }

    fn decide_proposal(
        &mut self,
        id: i64,
        by: &str,
        state: solidaria_core::moderation::ProposalState,
        message: Option<&str>,
    ) -> Result<bool, StoreError> {
        accounts::decide(&mut self.tx, id, by, state, message)
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.commit()?;
        Ok(())
    }
}
