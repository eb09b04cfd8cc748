//! Checks that need a backend's own connection: the audit log refuses changes at the database level,
//! and the SQLite file is set up as documented.

mod common;

#[cfg(feature = "postgres")]
use common::TestDatabase;
use solidaria_store::sqlite::SqliteStore;

#[test]
fn sqlite_audit_log_is_append_only_and_wal_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let path = path.to_str().unwrap();
    let mut store = SqliteStore::open(path).unwrap();
    let rec = solidaria_core::record::parse_record(&serde_json::json!({"type":"actor","id":"a","name":"A"})).unwrap();
    {
        use solidaria_store::Store;
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("t", &[rec]).unwrap();
        tx.commit().unwrap();
    }
    assert_eq!(store.schema_version().unwrap(), 10);
    let conn = rusqlite::Connection::open(path).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let e = conn.execute("UPDATE audit_log SET who = 'mallory'", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = conn.execute("DELETE FROM audit_log", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    // So is the finance ledger.
    for sql in ["UPDATE ledger_transactions SET who = 'mallory'", "DELETE FROM ledger_transactions"] {
        conn.execute("INSERT OR IGNORE INTO ledger_funds VALUES ('f', '{}', 't', 't')", []).unwrap();
        conn.execute(
            "INSERT OR IGNORE INTO ledger_transactions (id, fund, date, kind, flow_kind, flow_amount, doc, entries, who, at) VALUES ('x', 'f', '2024-01-01', 'fee', 'fee', 1, '{}', '[]', 't', 't')",
            [],
        )
        .unwrap();
        let e = conn.execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only: post a reversal"), "{sql}: {e}");
    }
    // So is the screening history.
    conn.execute(
        "INSERT INTO screenings (at, who, subject, profile, profile_version, verdict, doc) VALUES ('t', 't', 'a', 'p', '1', 'qualifies', '{}')",
        [],
    )
    .unwrap();
    for sql in ["UPDATE screenings SET verdict = 'does_not_qualify'", "DELETE FROM screenings"] {
        let e = conn.execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    // And the account-event log.
    conn.execute("INSERT INTO account_events (at, who, action, subject) VALUES ('t', 'a', 'login', 'a')", []).unwrap();
    for sql in ["UPDATE account_events SET who = 'mallory'", "DELETE FROM account_events"] {
        let e = conn.execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
    // Reopening an existing database applies no migration twice.
    drop(store);
    assert_eq!(SqliteStore::open(path).unwrap().schema_version().unwrap(), 10);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_audit_log_is_append_only() {
    let Some(db) = TestDatabase::new("ao") else { return };
    let config = &db.config;
    {
        let _store = solidaria_store::postgres::PgStore::connect_config(config).unwrap();
        // Connecting twice must not re-apply migrations.
        let _again = solidaria_store::postgres::PgStore::connect_config(config).unwrap();
        let mut own = config.connect(postgres::NoTls).unwrap();
        own.batch_execute(
            "INSERT INTO audit_log (who, action, record_type, record_key) VALUES ('t', 'insert', 'actor', 'a')",
        )
        .unwrap();
        own.batch_execute(
            "INSERT INTO screenings (who, subject, profile, profile_version, verdict, doc) VALUES ('t', 'a', 'p', '1', 'qualifies', '{}')",
        )
        .unwrap();
        for sql in [
            "UPDATE audit_log SET who = 'mallory'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "UPDATE screenings SET verdict = 'does_not_qualify'",
            "DELETE FROM screenings",
            "TRUNCATE screenings",
        ] {
            let e = own.batch_execute(sql).unwrap_err();
            assert!(format!("{e:?}").contains("append-only"), "{sql}: {e:?}");
            // Wrapped, the error says which backend and carries the server's own message (the
            // driver's Display alone says only "db error").
            let wrapped = solidaria_store::StoreError::from(e).to_string();
            assert!(wrapped.starts_with("PostgreSQL: ERROR: ") && wrapped.contains("append-only"), "{wrapped}");
        }
    }
}

/// Migration 4 indexes the actors already in a database: undoing it by hand and reopening gives
/// the same search results, facets included.
#[test]
fn sqlite_search_migration_backfills_existing_actors() {
    use solidaria_store::Store;
    use solidaria_store::search::ActorSearch;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let path = path.to_str().unwrap();
    let records: Vec<_> = include_str!("fixtures/real-orgs.jsonl")
        .lines()
        .map(|l| solidaria_core::record::parse_record(&serde_json::from_str(l).unwrap()).unwrap())
        .collect();
    let search = |store: &mut SqliteStore, text: Option<&str>| {
        // With text, the facet filters are words of the index: the backfill must write them too.
        let filtered = text == Some("cooperative");
        let q = ActorSearch {
            text: text.map(String::from),
            claim: filtered.then(|| "sse".to_string()),
            territories: filtered.then(|| ["FR".to_string(), "ES-PV".to_string()].into()),
            limit: 50,
            ..Default::default()
        };
        let page = store.search_actors(&q).unwrap();
        let mut ids: Vec<String> = page.items.iter().map(|a| a.id.to_string()).collect();
        ids.sort();
        (ids, page.total, page.facets)
    };
    let before = {
        let mut store = SqliteStore::open(path).unwrap();
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("t", &records).unwrap();
        tx.commit().unwrap();
        [search(&mut store, None), search(&mut store, Some("cooperative")), search(&mut store, Some("gujarat milk"))]
    };
    assert_eq!(before[2].0, ["amul"]);
    assert_eq!(before[1].0, ["credit-cooperatif", "eroski"]);
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE actors_fts; DROP TABLE actor_claims; DROP TABLE actor_groups;
         DROP INDEX actors_browse; CREATE INDEX actors_sort_name ON actors (sort_name);
         ALTER TABLE actors DROP COLUMN claims;
         DROP TABLE ledger_balances; DROP TABLE ledger_transactions; DROP TABLE ledger_funds;
         DROP TABLE mechanisms;
         DROP TABLE deliberation_events; DROP TABLE strategies; ALTER TABLE users DROP COLUMN actor;
         DROP TABLE merges;
         ALTER TABLE users DROP COLUMN disabled_at; ALTER TABLE api_tokens DROP COLUMN read_only;
         DELETE FROM schema_migrations WHERE version >= 4;",
    )
    .unwrap();
    drop(conn);
    let mut store = SqliteStore::open(path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 10);
    let after =
        [search(&mut store, None), search(&mut store, Some("cooperative")), search(&mut store, Some("gujarat milk"))];
    assert_eq!(before, after);
}

/// A backup taken while another connection writes is one consistent state (issue #18 item 7):
/// the writer adds 100 actors per transaction, and each restored copy has a multiple of 100
/// actors, each audited once, counted in the facet groups and found by search; restoring
/// refuses to replace a database without `force`, and refuses a file that is not a Solidaria
/// database.
#[test]
fn sqlite_backup_under_write_load_restores_a_consistent_database() {
    use solidaria_core::record::RecordType;
    use solidaria_store::sqlite::backup;
    use solidaria_store::{Store, StoreError, search::ActorSearch};
    use std::sync::atomic::{AtomicBool, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db").to_str().unwrap().to_string();
    drop(SqliteStore::open(&db).unwrap());
    let stop = AtomicBool::new(false);
    let batches = std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut store = SqliteStore::open(&db).unwrap();
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) || n < 5 {
                let records: Vec<_> = (0..100)
                    .map(|i| {
                        solidaria_core::record::parse_record(&serde_json::json!({
                            "type": "actor", "id": format!("b{n}-{i}"), "name": format!("Coop {n} {i}"),
                            "territory": if i % 2 == 0 { "CA-QC" } else { "FR" },
                        }))
                        .unwrap()
                    })
                    .collect();
                let mut tx = store.transaction().unwrap();
                tx.upsert_records("load", &records).unwrap();
                tx.commit().unwrap();
                n += 1;
            }
            n
        });
        let mut copies = Vec::new();
        for k in 0..4 {
            std::thread::sleep(std::time::Duration::from_millis(150));
            let out = dir.path().join(format!("backup-{k}.db"));
            let info = backup::backup(&db, &out, false).unwrap();
            assert_eq!(info.actors % 100, 0, "backup {k}: {info:?}");
            copies.push((out, info));
        }
        stop.store(true, Ordering::Relaxed);
        let n = writer.join().unwrap();
        (n, copies)
    });
    let (written, copies) = batches;
    assert!(copies.iter().any(|(_, i)| i.actors > 0) && copies.last().unwrap().1.actors < written * 100);
    for (k, (file, info)) in copies.iter().enumerate() {
        assert!(!dir.path().join(format!("backup-{k}.db-wal")).exists(), "a backup is one file");
        let target = dir.path().join(format!("restored-{k}.db"));
        let target = target.to_str().unwrap();
        let restored = backup::restore(file, target, false).unwrap();
        assert_eq!(restored.actors, info.actors);
        let mut store = SqliteStore::open(target).unwrap();
        assert_eq!(store.count(RecordType::Actor).unwrap(), info.actors);
        let audit = store.audit(None, u64::MAX >> 1).unwrap();
        assert_eq!(audit.len() as u64, info.actors, "backup {k}: one insert per actor");
        assert_eq!(audit.last().map_or(0, |e| e.seq), info.audit_seq);
        let all = store.search_actors(&ActorSearch { limit: 1, ..ActorSearch::default() }).unwrap();
        assert_eq!(all.total, info.actors, "backup {k}: facet groups count every actor");
        if info.actors > 0 {
            let found =
                store.search_actors(&ActorSearch { text: Some("coop".into()), limit: 1, ..ActorSearch::default() });
            assert_eq!(found.unwrap().total, info.actors, "backup {k}: the search index has every actor");
        }
        // A restored database takes writes again, its audit log going on from where it was.
        let r =
            solidaria_core::record::parse_record(&serde_json::json!({"type": "actor", "id": "after", "name": "After"}));
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("t", &[r.unwrap()]).unwrap();
        tx.commit().unwrap();
        assert!(store.audit(None, 1).unwrap()[0].seq > info.audit_seq);
    }
    // Restoring over a database needs force; a file that is not a Solidaria database is refused.
    let (first, _) = &copies[0];
    let e = backup::restore(first, &db, false).unwrap_err();
    assert!(matches!(e, StoreError::Exists(_)) && e.to_string().contains("give --force"), "{e}");
    let e = backup::backup(&db, first, false).unwrap_err();
    assert!(matches!(e, StoreError::Exists(_)), "{e}");
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let e = backup::restore(&other, &db, true).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("is not a Solidaria database: it has no schema_migrations, audit_log and actors tables"),
        "{e}"
    );
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just text ").unwrap();
    let e = backup::restore(&text, &db, true).unwrap_err();
    assert!(e.to_string().contains("is not a Solidaria database: SQLite cannot read it"), "{e}");
    let restored = backup::restore(first, &db, true).unwrap();
    assert_eq!(SqliteStore::open(&db).unwrap().count(RecordType::Actor).unwrap(), restored.actors);
}

/// The PostgreSQL backup documented in the README (pg_dump --format=custom, then pg_restore into
/// a new database) keeps the records, the audit log and the audit log's sequence: the next change
/// is numbered after the last one backed up. Skipped without pg_dump and pg_restore.
#[cfg(feature = "postgres")]
#[test]
fn postgres_backup_with_pg_dump_keeps_the_audit_sequence() {
    use solidaria_core::record::RecordType;
    use solidaria_store::Store;
    use std::process::Command;
    let Some(url) = std::env::var("SOLIDARIA_TEST_PG").ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: set SOLIDARIA_TEST_PG to a PostgreSQL URL to run the PostgreSQL store tests");
        return;
    };
    if Command::new("pg_dump").arg("--version").output().is_err() {
        eprintln!("skipped: no pg_dump on the PATH");
        return;
    }
    let admin: postgres::Config = url.parse().unwrap();
    let (from, to) =
        (format!("solidaria_t_bk_{}", std::process::id()), format!("solidaria_t_rs_{}", std::process::id()));
    let mut c = admin.connect(postgres::NoTls).unwrap();
    for name in [&from, &to] {
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    }
    let url_of = |name: &str| match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("SOLIDARIA_TEST_PG ends with a database name"),
    };
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("solidaria.dump");
    let last = {
        let mut store = solidaria_store::postgres::PgStore::connect(&url_of(&from)).unwrap();
        let record = |id: &str| {
            solidaria_core::record::parse_record(&serde_json::json!({"type": "actor", "id": id, "name": id})).unwrap()
        };
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("t", &[record("a"), record("b"), record("c")]).unwrap();
        tx.commit().unwrap();
        let mut tx = store.transaction().unwrap();
        tx.delete("t", RecordType::Actor, "c").unwrap();
        tx.commit().unwrap();
        store.audit(None, 1).unwrap()[0].seq
    };
    // The commands of the README.
    let ok = |cmd: &mut Command| {
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    ok(Command::new("pg_dump").args(["--format=custom", "--file"]).arg(&dump).arg(url_of(&from)));
    ok(Command::new("pg_restore").args(["--no-owner", "--exit-on-error", "--dbname", &url_of(&to)]).arg(&dump));
    let mut store = solidaria_store::postgres::PgStore::connect(&url_of(&to)).unwrap();
    assert_eq!(store.count(RecordType::Actor).unwrap(), 2);
    let log = store.audit(None, 100).unwrap();
    assert_eq!(log.len(), 4);
    assert_eq!(log.last().unwrap().seq, last);
    let mut tx = store.transaction().unwrap();
    tx.upsert_records(
        "t",
        &[solidaria_core::record::parse_record(&serde_json::json!({"type": "actor", "id": "d", "name": "D"})).unwrap()],
    )
    .unwrap();
    tx.commit().unwrap();
    assert!(store.audit(None, 1).unwrap()[0].seq > last, "the sequence goes on after the restored entries");
    drop(store);
    for name in [&from, &to] {
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
    }
}

/// Migration 10 rebuilds a ledger made under migration 5 (`AUTOINCREMENT`) without it: every row
/// kept with its `seq`, the next posting after the largest, the indexes and append-only triggers
/// back in place.
#[test]
fn sqlite_ledger_rebuilt_without_autoincrement_keeps_its_rows_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.db");
    let path = path.to_str().unwrap();
    drop(SqliteStore::open(path).unwrap());
    let conn = rusqlite::Connection::open(path).unwrap();
    // Back to the ledger as migration 5 made it, with three postings (a gap in seq included).
    conn.execute_batch(
        "DROP TABLE ledger_transactions;
         CREATE TABLE ledger_transactions (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
           fund TEXT NOT NULL REFERENCES ledger_funds (id), date TEXT NOT NULL, kind TEXT NOT NULL, reverses TEXT,
           flow_kind TEXT NOT NULL, flow_amount INTEGER NOT NULL, doc TEXT NOT NULL, entries TEXT NOT NULL,
           evidence TEXT, who TEXT NOT NULL, at TEXT NOT NULL);
         CREATE INDEX ledger_transactions_fund ON ledger_transactions (fund, date);
         CREATE UNIQUE INDEX ledger_transactions_reverses ON ledger_transactions (reverses) WHERE reverses IS NOT NULL;
         CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
         BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: post a reversal'); END;
         CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
         BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: post a reversal'); END;
         INSERT INTO ledger_funds VALUES ('f', '{}', 't', 't');
         INSERT INTO ledger_transactions (seq, id, fund, date, kind, reverses, flow_kind, flow_amount, doc, entries, who, at) VALUES
           (1, 'a', 'f', '2024-01-01', 'receipt', NULL, 'receipt', 100, '{\"id\":\"a\"}', '[]', 't', 't'),
           (2, 'b', 'f', '2024-01-02', 'fee', NULL, 'fee', 1, '{\"id\":\"b\"}', '[]', 't', 't'),
           (5, 'c', 'f', '2024-01-03', 'reversal', 'b', 'fee', -1, '{\"id\":\"c\"}', '[]', 't', 't');
         DELETE FROM schema_migrations WHERE version = 10;",
    )
    .unwrap();
    drop(conn);
    assert_eq!(SqliteStore::open(path).unwrap().schema_version().unwrap(), 10);
    let conn = rusqlite::Connection::open(path).unwrap();
    let sql: String =
        conn.query_row("SELECT sql FROM sqlite_schema WHERE name = 'ledger_transactions'", [], |r| r.get(0)).unwrap();
    assert!(!sql.contains("AUTOINCREMENT"), "{sql}");
    let rows: Vec<(i64, String)> = conn
        .prepare("SELECT seq, id FROM ledger_transactions ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows, [(1, "a".to_string()), (2, "b".to_string()), (5, "c".to_string())]);
    conn.execute(
        "INSERT INTO ledger_transactions (id, fund, date, kind, flow_kind, flow_amount, doc, entries, who, at) VALUES ('d', 'f', '2024-01-04', 'fee', 'fee', 1, '{}', '[]', 't', 't')",
        [],
    )
    .unwrap();
    let seq: i64 = conn.query_row("SELECT seq FROM ledger_transactions WHERE id = 'd'", [], |r| r.get(0)).unwrap();
    assert_eq!(seq, 6);
    // The indexes and the triggers came back.
    let e = conn
        .execute(
            "INSERT INTO ledger_transactions (id, fund, date, kind, reverses, flow_kind, flow_amount, doc, entries, who, at) VALUES ('e', 'f', '2024-01-05', 'reversal', 'b', 'fee', -1, '{}', '[]', 't', 't')",
            [],
        )
        .unwrap_err();
    assert!(e.to_string().contains("UNIQUE"), "{e}");
    let plan: String = conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT seq FROM ledger_transactions WHERE fund = 'f' AND date <= '2024'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("ledger_transactions_fund"), "{plan}");
    for sql in ["UPDATE ledger_transactions SET who = 'mallory'", "DELETE FROM ledger_transactions"] {
        let e = conn.execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only: post a reversal"), "{sql}: {e}");
    }
}

/// A stored actor that no longer reads as one (edited by hand in the database: a required field
/// removed, another type, not JSON the record reader accepts) is an error that names the record
/// and the problem, in every read that decodes it: one record, a page of them, all of them.
#[cfg(feature = "postgres")]
#[test]
fn postgres_a_stored_document_that_no_longer_reads_is_an_error_naming_it() {
    use solidaria_core::record::{RecordType, parse_record};
    use solidaria_store::{Store, StoreError};
    let Some(db) = TestDatabase::new("corrupt") else { return };
    let config = &db.config;
    {
        let mut store = solidaria_store::postgres::PgStore::connect_config(config).unwrap();
        let records: Vec<_> = [r#"{"type":"actor","id":"a","name":"A"}"#, r#"{"type":"actor","id":"b","name":"B"}"#]
            .iter()
            .map(|t| parse_record(&serde_json::from_str(t).unwrap()).unwrap())
            .collect();
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("t", &records).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.get_many(RecordType::Actor, &["a", "b"]).unwrap().len(), 2);
        let mut own = config.connect(postgres::NoTls).unwrap();
        for (doc, problem) in [
            (r#"{"type": "actor", "id": "a"}"#, "name"),
            (r#"{"type": "relation", "id": "a", "from": "a", "to": "b", "kind": "member_of"}"#, "type"),
            (r#"{"type": "actor", "id": "a", "name": "A", "founded": "long ago"}"#, "founded"),
        ] {
            own.execute("UPDATE actors SET doc = $1::text::jsonb WHERE id = 'a'", &[&doc]).unwrap();
            let one = store.get(RecordType::Actor, "a").unwrap_err();
            let page = store.get_many(RecordType::Actor, &["b", "a"]).unwrap_err();
            let all = store.for_each(RecordType::Actor, &mut |_| Ok(())).unwrap_err();
            for e in [one, page, all] {
                match &e {
                    StoreError::Corrupt { key, problems, .. } => {
                        assert_eq!(key, "a", "{doc}");
                        assert!(problems.contains(problem), "{doc}: {problems}");
                    }
                    other => panic!("{doc}: expected a corrupt record, found {other:?}"),
                }
            }
            // The other actor still reads.
            assert!(store.get(RecordType::Actor, "b").unwrap().is_some());
        }
    }
}
