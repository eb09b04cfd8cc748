//! Checks that need a backend's own connection: the audit log refuses changes at the database level,
//! and the SQLite file is set up as documented.

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
    assert_eq!(store.schema_version().unwrap(), 7);
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
    assert_eq!(SqliteStore::open(path).unwrap().schema_version().unwrap(), 7);
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_audit_log_is_append_only() {
    let Some(url) = std::env::var("SOLIDARIA_TEST_PG").ok().filter(|u| !u.is_empty()) else {
        eprintln!("skipped: set SOLIDARIA_TEST_PG to a PostgreSQL URL to run the PostgreSQL store tests");
        return;
    };
    let admin: postgres::Config = url.parse().unwrap();
    let name = format!("solidaria_t_ao_{}", std::process::id());
    let mut c = admin.connect(postgres::NoTls).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let mut config = admin.clone();
    config.dbname(&name);
    {
        let _store = solidaria_store::postgres::PgStore::connect_config(&config).unwrap();
        // Connecting twice must not re-apply migrations.
        let _again = solidaria_store::postgres::PgStore::connect_config(&config).unwrap();
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
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
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
         DELETE FROM schema_migrations WHERE version >= 4;",
    )
    .unwrap();
    drop(conn);
    let mut store = SqliteStore::open(path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    let after =
        [search(&mut store, None), search(&mut store, Some("cooperative")), search(&mut store, Some("gujarat milk"))];
    assert_eq!(before, after);
}
