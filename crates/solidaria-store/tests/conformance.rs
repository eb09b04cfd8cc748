//! One conformance suite for both stores. Each test runs on a fresh SQLite file and, when
//! `SOLIDARIA_TEST_PG` holds a PostgreSQL URL, on a fresh PostgreSQL database created for it.

mod common;

#[cfg(feature = "postgres")]
use common::TestDatabase;
use solidaria_app::import::{Source, import};
use solidaria_core::record::{RecordType, parse_record};
use solidaria_core::{Record, territory};
use solidaria_formats::jsonl::read_lines;
#[cfg(feature = "postgres")]
use solidaria_store::postgres::PgStore;
use solidaria_store::sqlite::SqliteStore;
use solidaria_store::{ActorFilter, Change, ScreeningRow, Store, StoreError, WRITE_WAIT};
#[cfg(feature = "postgres")]
use std::sync::atomic::{AtomicU32, Ordering};

const REAL_ORGS: &str = include_str!("fixtures/real-orgs.jsonl");

fn sqlite_store() -> (tempfile::TempDir, Box<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("t.db").to_str().unwrap()).unwrap();
    (dir, Box::new(store))
}

#[cfg(feature = "postgres")]
fn pg_store() -> Option<(TestDatabase, Box<dyn Store>)> {
    static N: AtomicU32 = AtomicU32::new(0);
    let db = TestDatabase::new(&format!("c{}", N.fetch_add(1, Ordering::SeqCst)))?;
    let store = PgStore::connect_config(&db.config).unwrap();
    Some((db, Box::new(store)))
}

/// Opens another connection to the database of a test (a second writer).
type Opener = dyn Fn() -> Box<dyn Store + Send> + Sync;

fn sqlite_opener() -> (tempfile::TempDir, Box<Opener>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db").to_str().unwrap().to_string();
    (dir, Box::new(move || Box::new(SqliteStore::open(&path).unwrap()) as Box<dyn Store + Send>))
}

#[cfg(feature = "postgres")]
fn pg_opener() -> Option<(TestDatabase, Box<Opener>)> {
    static N: AtomicU32 = AtomicU32::new(0);
    let db = TestDatabase::new(&format!("w{}", N.fetch_add(1, Ordering::SeqCst)))?;
    let config = db.config.clone();
    Some((db, Box::new(move || Box::new(PgStore::connect_config(&config).unwrap()) as Box<dyn Store + Send>)))
}

/// Tests that open several connections to one database (concurrent writers), on both backends.
macro_rules! conformance_connections {
    ($($name:ident),* $(,)?) => {
        mod sqlite_connections {
            $(#[test] fn $name() { let (_dir, open) = super::sqlite_opener(); super::$name(&*open); })*
        }
        #[cfg(feature = "postgres")]
        mod postgres_connections {
            $(#[test] fn $name() {
                match super::pg_opener() {
                    Some((_db, open)) => super::$name(&*open),
                    None => eprintln!("skipped: set SOLIDARIA_TEST_PG to a PostgreSQL URL to run the PostgreSQL store tests"),
                }
            })*
        }
    };
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { let (_dir, mut s) = super::sqlite_store(); super::$name(&mut *s); })*
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(#[test] fn $name() {
                match super::pg_store() {
                    Some((_db, mut s)) => super::$name(&mut *s),
                    None => eprintln!("skipped: set SOLIDARIA_TEST_PG to a PostgreSQL URL to run the PostgreSQL store tests"),
                }
            })*
        }
    };
}

conformance!(
    real_organizations_round_trip_with_every_value_and_source,
    one_bad_line_refuses_the_whole_file,
    every_write_is_audited_with_before_and_after,
    references_may_point_forward_but_must_exist,
    territory_filter_covers_nested_iso_and_custom_regions,
    territory_cycles_are_refused,
    text_search_is_case_insensitive_and_literal,
    deleting_an_actor_deletes_and_audits_its_relations,
    repeated_key_in_one_batch_applies_in_order,
    facet_counts_follow_an_actor_moved_within_one_batch,
    a_repeated_id_in_one_file_is_refused_naming_both_lines,
    hostile_text_is_stored_verbatim,
    screenings_are_kept_with_their_profile_version_and_facts,
    accounts_sessions_and_tokens_are_kept_and_logged,
    accounts_are_disabled_at_once_and_tokens_may_be_read_only,
    proposals_wait_and_a_validation_applies_with_its_decision_atomically,
    proposals_are_listed_a_page_at_a_time_with_their_count,
    search_matches_words_in_any_string_and_counts_facets_over_all_matches,
    a_broad_search_counts_exactly_and_samples_its_facets,
    mechanisms_import_export_and_need_their_provider,
    a_deliberation_is_appended_after_its_check_and_accounts_speak_for_actors,
    a_merge_keeps_both_records_repoints_relations_and_undoes_exactly,
    proposals_naming_an_absorbed_actor_say_which_actor_it_was_merged_into,
    a_merge_repoints_every_reference_to_the_absorbed_actor_and_undo_restores_them,
    an_undo_is_refused_when_a_repointed_record_changed_since,
    an_undo_is_refused_when_the_kept_record_changed_since,
    alternate_names_are_searched,
    an_import_merges_pairs_above_its_threshold_keeping_the_older_record,
    changes_list_what_was_written_after_a_position,
    stored_documents_read_undecoded_decode_to_the_records,
    records_read_together_come_in_the_order_asked,
    outlets_become_sites_of_their_organisations_all_or_nothing,
    a_newer_file_of_outlets_replaces_its_own_sites_and_follows_merges,
);

conformance_connections!(
    concurrent_imports_count_and_audit_like_serial_ones,
    a_writer_waits_for_the_write_in_progress_then_says_it_is_busy,
    a_reader_kept_open_sees_every_later_write,
);

/// A connection kept open (as the server's pool keeps them, with its statements prepared) reads
/// what another connection committed after its first reads: the audit position, one record,
/// several, the count and the territories' parents are read again, never remembered.
fn a_reader_kept_open_sees_every_later_write(open: &Opener) {
    let mut reader = open();
    let write = |lines: &[serde_json::Value]| {
        let records: Vec<Record> = lines.iter().map(|l| parse_record(l).unwrap()).collect();
        let mut writer = open();
        let mut tx = writer.transaction().unwrap();
        tx.upsert_records("writer", &records).unwrap();
        tx.commit().unwrap();
    };
    write(&[serde_json::json!({"type": "actor", "id": "a", "name": "First"})]);
    for round in 0..2 {
        let position = reader.last_position().unwrap();
        let name = |r: Option<Record>| match r {
            Some(Record::Actor(a)) => a.name,
            other => panic!("an actor, found {other:?}"),
        };
        let before = name(reader.get(RecordType::Actor, "a").unwrap());
        let many = reader.get_many(RecordType::Actor, &["a", "b"]).unwrap().len();
        let count = reader.count(RecordType::Actor).unwrap();
        let parents = reader.territory_parents().unwrap();
        let renamed = format!("Renamed {round}");
        write(&[
            serde_json::json!({"type": "territory", "id": format!("fr-region-{round}"), "name": "T", "parent": "FR"}),
            serde_json::json!({"type": "actor", "id": "a", "name": renamed}),
            serde_json::json!({"type": "actor", "id": format!("b{round}"), "name": "B"}),
        ]);
        assert!(reader.last_position().unwrap() > position, "round {round}: the audit position moved on");
        assert_eq!(name(reader.get(RecordType::Actor, "a").unwrap()), renamed, "round {round} (was {before})");
        let keys = ["a".to_string(), format!("b{round}")];
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        assert_eq!(reader.get_many(RecordType::Actor, &keys).unwrap().len(), 2, "round {round} (was {many})");
        assert_eq!(reader.count(RecordType::Actor).unwrap(), count + 1, "round {round}");
        let now = reader.territory_parents().unwrap();
        assert_eq!(now.len(), parents.len() + 1, "round {round}");
        assert_eq!(now.get(&format!("fr-region-{round}")).map(String::as_str), Some("FR"), "round {round}");
    }
}

/// A second writer waits for the first (issue #18 item 5): it goes on once the first commits,
/// and after `WRITE_WAIT` gives up with `StoreError::Busy`, whose message says that another write
/// is in progress and how long it waited.
fn a_writer_waits_for_the_write_in_progress_then_says_it_is_busy(open: &Opener) {
    use std::time::{Duration, Instant};
    let record = parse_record(&serde_json::json!({"type": "actor", "id": "a", "name": "A"})).unwrap();
    for hold in [Duration::from_millis(500), WRITE_WAIT + Duration::from_secs(3)] {
        let (held_tx, held_rx) = std::sync::mpsc::channel::<()>();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        std::thread::scope(|s| {
            let record = &record;
            s.spawn(move || {
                let mut store = open();
                let mut tx = store.transaction().unwrap();
                tx.upsert_records("first", std::slice::from_ref(record)).unwrap();
                held_tx.send(()).unwrap();
                let _ = done_rx.recv_timeout(hold);
                tx.commit().unwrap();
            });
            held_rx.recv().unwrap();
            let mut store = open();
            let start = Instant::now();
            let result = store.transaction().map(|_| ());
            let waited = start.elapsed();
            let _ = done_tx.send(());
            if hold < WRITE_WAIT {
                assert!(result.is_ok(), "{result:?}");
                assert!(waited >= hold - Duration::from_millis(100), "went on after {waited:?}, before the commit");
            } else {
                let e = result.unwrap_err();
                assert!(matches!(e, StoreError::Busy { .. }), "{e:?}");
                let message = e.to_string();
                assert!(message.contains("another write is in progress"), "{message}");
                assert!(message.contains(&format!("waited {} s", WRITE_WAIT.as_secs())), "{message}");
                assert!(waited >= WRITE_WAIT - Duration::from_millis(100) && waited < hold, "gave up after {waited:?}");
            }
        });
    }
}

/// `n` actors `k0000`… named with `label`, as JSON Lines.
fn actors_jsonl(n: usize, label: &str) -> String {
    (0..n).map(|i| format!("{{\"type\":\"actor\",\"id\":\"k{i:04}\",\"name\":\"{label} {i}\"}}\n")).collect()
}

/// Two imports of the same actors at once (issue #18 item 1): while a first writer holds its
/// uncommitted transaction, a second one starts; it must see the first's records as existing
/// (updated or unchanged, audited with their before-image), as it would had it started after.
fn concurrent_imports_count_and_audit_like_serial_ones(open: &Opener) {
    const N: usize = 1500;
    for (round, second_label) in [(0, "Renamed"), (1, "Renamed")] {
        // Round 0: the second file renames every actor; round 1: the second file is identical
        // to what the first writes.
        let first_label = if round == 0 { "Original" } else { "Again" };
        let first_text = actors_jsonl(N, first_label);
        let second_text = if round == 0 { actors_jsonl(N, second_label) } else { first_text.clone() };
        let before_round: Vec<_> = open().audit(None, 1_000_000).unwrap();
        let (held_tx, held_rx) = std::sync::mpsc::channel::<()>();
        let second = std::thread::scope(|s| {
            let first = s.spawn(|| {
                let mut store = open();
                let records = parse_all(&first_text);
                let mut tx = store.transaction().unwrap();
                let changes = tx.upsert_records("first", &records).unwrap();
                held_tx.send(()).unwrap();
                // The second writer starts meanwhile and must wait for this commit.
                std::thread::sleep(std::time::Duration::from_millis(400));
                tx.commit().unwrap();
                changes
            });
            held_rx.recv().unwrap();
            let second = s.spawn(|| {
                let mut store = open();
                let sources =
                    vec![Source { name: "second.jsonl".into(), entries: Ok(read_lines(second_text.as_bytes())) }];
                import(&mut *store, "second", sources, &mut |_| {}).unwrap()
            });
            let first_changes = first.join().unwrap();
            let want = if round == 0 { Change::Inserted } else { Change::Updated };
            assert!(first_changes.iter().all(|c| *c == want), "round {round}: first writer {:?}", &first_changes[..3]);
            second.join().unwrap()
        });
        assert!(second.committed, "round {round}: {:?}", second.problems);
        let (inserted, updated, unchanged) = second.counts.by_type[&RecordType::Actor];
        let want = if round == 0 { (0, N as u64, 0) } else { (0, 0, N as u64) };
        assert_eq!((inserted, updated, unchanged), want, "round {round}: counts of the second import");
        let mut store = open();
        let log = store.audit(None, 1_000_000).unwrap();
        let new: Vec<_> = log[before_round.len()..].to_vec();
        let by = |who: &str| new.iter().filter(|e| e.who == who).collect::<Vec<_>>();
        let (first, second) = (by("first"), by("second"));
        assert_eq!(first.len(), N, "round {round}: audit of the first writer");
        assert!(first.iter().all(|e| e.action == if round == 0 { "insert" } else { "update" }));
        if round == 0 {
            assert_eq!(second.len(), N, "round {round}: audit of the second writer");
            assert!(second.iter().all(|e| e.action == "update"), "round {round}: second writer's actions");
            for e in &second {
                let before = e.before.as_ref().expect("an update has its before-image");
                assert!(before["name"].as_str().unwrap().starts_with("Original "), "{before}");
            }
            assert!(first.iter().map(|e| e.seq).max() < second.iter().map(|e| e.seq).min(), "second after first");
        } else {
            assert!(second.is_empty(), "round {round}: identical records are unchanged, not audited");
        }
        assert_eq!(store.count(RecordType::Actor).unwrap(), N as u64);
    }
}

fn import_text(store: &mut dyn Store, name: &str, text: &str) -> solidaria_app::import::ImportReport {
    let sources = vec![Source { name: name.into(), entries: Ok(read_lines(text.as_bytes())) }];
    import(store, "test", sources, &mut |_| {}).unwrap()
}

fn export_all(store: &mut dyn Store) -> Vec<Record> {
    let mut out = Vec::new();
    for t in solidaria_app::export::ORDER {
        store
            .for_each(t, &mut |r| {
                out.push(r);
                Ok(())
            })
            .unwrap();
    }
    out
}

fn parse_all(text: &str) -> Vec<Record> {
    text.lines().map(|l| parse_record(&serde_json::from_str(l).unwrap()).unwrap()).collect()
}

fn real_organizations_round_trip_with_every_value_and_source(store: &mut dyn Store) {
    let report = import_text(store, "real-orgs.jsonl", REAL_ORGS);
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.records, 11);
    let mut want = parse_all(REAL_ORGS);
    let mut got = export_all(store);
    want.sort_by_key(|r| (r.record_type(), r.key()));
    got.sort_by_key(|r| (r.record_type(), r.key()));
    assert_eq!(got, want);
    // The exported text carries the sources.
    let Some(Record::Actor(d)) = store.get(RecordType::Actor, "desjardins").unwrap() else { panic!() };
    let vr = &d.facts["governance.voting_rule"];
    assert_eq!(vr.provenance.source.as_deref(), Some("Act respecting financial services cooperatives, CQLR c C-67.3"));
    assert_eq!(
        vr.provenance.url.as_ref().unwrap().as_str(),
        "https://www.legisquebec.gouv.qc.ca/en/document/cs/C-67.3"
    );
    // Importing the same file again changes nothing and audits nothing.
    let audit_before = store.audit(None, 1000).unwrap().len();
    let again = import_text(store, "real-orgs.jsonl", REAL_ORGS);
    assert!(again.committed);
    assert_eq!(again.counts.by_type[&RecordType::Actor], (0, 0, 6));
    assert_eq!(store.audit(None, 1000).unwrap().len(), audit_before);
}

fn one_bad_line_refuses_the_whole_file(store: &mut dyn Store) {
    let mut lines: Vec<String> = REAL_ORGS.lines().map(String::from).collect();
    lines[4] = lines[4].replace("\"founded\":1900", "\"founded\":\"1900\"");
    lines.push(r#"{"type":"relation","from":"desjardins","to":"nobody","kind":"funds"}"#.into());
    let report = import_text(store, "bad.jsonl", &lines.join("\n"));
    assert!(!report.committed);
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "bad.jsonl:5: founded: expected a whole number from 1000 to 2100, found \"1900\"",
            "bad.jsonl:12: to: expected the id of an actor in this input or already in the database, found \"nobody\", which is neither",
        ]
    );
    for t in RecordType::ALL {
        assert_eq!(store.count(*t).unwrap(), 0, "{t}");
    }
    assert!(store.audit(None, 10).unwrap().is_empty());
}

fn every_write_is_audited_with_before_and_after(store: &mut dyn Store) {
    let v1 = r#"{"type":"actor","id":"a","name":"First name"}"#;
    let v2 = r#"{"type":"actor","id":"a","name":"Second name","facts":{"assets.lock":{"value":true,"source":"Statutes art. 40"}}}"#;
    assert!(import_text(store, "1.jsonl", v1).committed);
    assert!(import_text(store, "2.jsonl", v2).committed);
    let mut tx = store.transaction().unwrap();
    assert!(tx.delete("remover", RecordType::Actor, "a").unwrap());
    assert!(!tx.delete("remover", RecordType::Actor, "a").unwrap());
    tx.commit().unwrap();
    let log = store.audit(Some((RecordType::Actor, "a")), 10).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["insert", "update", "delete"]);
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq && w[0].at <= w[1].at));
    assert_eq!(log[0].before, None);
    assert_eq!(log[1].before.as_ref().unwrap()["name"], "First name");
    assert_eq!(log[1].after.as_ref().unwrap()["facts"]["assets.lock"]["source"], "Statutes art. 40");
    assert_eq!(log[2].after, None);
    assert_eq!(log[2].who, "remover");
    assert_eq!(log[0].who, "test");
    assert!(log[0].at.ends_with('Z') && log[0].at.len() == 24, "{}", log[0].at);
    // Re-created after its deletion, the record keeps one history.
    assert!(import_text(store, "3.jsonl", v1).committed);
    let log = store.audit(Some((RecordType::Actor, "a")), 10).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["insert", "update", "delete", "insert"]);
    assert_eq!(log[3].before, None);
    assert_eq!(store.audit(Some((RecordType::Actor, "a")), 2).unwrap().len(), 2, "limit keeps the newest");
    assert!(store.audit(Some((RecordType::Actor, "never")), 10).unwrap().is_empty());
    let mut tx = store.transaction().unwrap();
    assert!(tx.delete("remover", RecordType::Actor, "a").unwrap());
    tx.commit().unwrap();
    // A rolled-back transaction leaves neither data nor audit.
    {
        let mut tx = store.transaction().unwrap();
        let r = parse_record(&serde_json::from_str(v1).unwrap()).unwrap();
        assert_eq!(tx.upsert_records("x", &[r]).unwrap(), [Change::Inserted]);
    }
    assert_eq!(store.count(RecordType::Actor).unwrap(), 0);
    assert_eq!(store.audit(None, 100).unwrap().len(), 5);
}

fn references_may_point_forward_but_must_exist(store: &mut dyn Store) {
    let forward = "{\"type\":\"relation\",\"from\":\"a\",\"to\":\"b\",\"kind\":\"funds\"}\n\
                   {\"type\":\"actor\",\"id\":\"a\",\"name\":\"A\",\"territory\":\"region-x\"}\n\
                   {\"type\":\"actor\",\"id\":\"b\",\"name\":\"B\"}\n\
                   {\"type\":\"territory\",\"id\":\"region-x\",\"name\":\"X\",\"parent\":\"CA\"}";
    let report = import_text(store, "f.jsonl", forward);
    assert!(report.committed, "{:?}", report.problems);
    let dangling = "{\"type\":\"actor\",\"id\":\"c\",\"name\":\"C\",\"territory\":\"region-y\"}\n\
                    {\"type\":\"case\",\"id\":\"k\",\"name\":\"K\",\"actors\":[{\"actor\":\"a\"},{\"actor\":\"zz\"}]}";
    let report = import_text(store, "d.jsonl", dangling);
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "d.jsonl:1: territory: expected the id of a territory in this input or already in the database, found \"region-y\", which is neither",
            "d.jsonl:2: actors[1].actor: expected the id of an actor in this input or already in the database, found \"zz\", which is neither",
        ]
    );
    assert_eq!(store.count(RecordType::Actor).unwrap(), 2);
    // References into a part of the file that was not written (after an error) are not reported.
    let later = "{\"type\":\"actor\",\"id\":\"bad\",\"name\":\"\"}\n\
                 {\"type\":\"relation\",\"from\":\"a\",\"to\":\"late\",\"kind\":\"funds\"}\n\
                 {\"type\":\"actor\",\"id\":\"late\",\"name\":\"Late\"}";
    let report = import_text(store, "l.jsonl", later);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    assert_eq!(report.problems[0].line, 1);
}

/// A mechanism is stored whole (terms in exact money, eligibility, preconditions, sources),
/// exported in an order that re-imports (after its provider), and refused with its field when its
/// provider or custom territory does not exist.
fn mechanisms_import_export_and_need_their_provider(store: &mut dyn Store) {
    let text = r#"{"type":"mechanism","id":"cu-loans","name":"Credit union loans","kind":"loan","provider":"caisse","territory":"region-q","terms":{"text":"5 years","currency":"CAD","ticket_min":"5000","ticket_max":"150000.50","interest_min":0.04,"interest_max":0.07},"eligibility":{"families":["cooperative"],"profiles":["qc-2013"],"verdict":"qualifies","territories":["CA-QC"]},"preconditions":[{"key":"context.formal_credit_access","op":">=","value":0.5,"reason":"lent through credit unions"}],"sources":[{"source":"Annual report","date":"2023","url":"https://example.org/r","note":"p. 4"}]}
{"type":"actor","id":"caisse","name":"Caisse"}
{"type":"territory","id":"region-q","name":"Q","parent":"CA-QC"}"#;
    let report = import_text(store, "m.jsonl", text);
    assert!(report.committed, "{:?}", report.problems);
    assert_eq!(report.counts.by_type[&RecordType::Mechanism], (1, 0, 0));
    let want = parse_all(text);
    let Some(ref got @ Record::Mechanism(ref m)) = store.get(RecordType::Mechanism, "cu-loans").unwrap() else {
        panic!("the mechanism is missing")
    };
    assert_eq!(got, &want[0]);
    assert_eq!(m.terms.ticket_max, Some(15_000_050));
    assert_eq!(solidaria_store::mechanisms(store).unwrap().len(), 1);
    // The export lists it after the actor it names.
    let exported = export_all(store);
    let pos = |t: RecordType| exported.iter().position(|r| r.record_type() == t).unwrap();
    assert!(pos(RecordType::Actor) < pos(RecordType::Mechanism));
    // Importing it again changes nothing.
    let again = import_text(store, "m.jsonl", text);
    assert_eq!(again.counts.by_type[&RecordType::Mechanism], (0, 0, 1));
    // A provider or custom territory that does not exist is refused, with the field.
    let dangling = r#"{"type":"mechanism","id":"m2","name":"M2","kind":"grant","provider":"nobody","eligibility":{"territories":["region-z"]}}"#;
    let report = import_text(store, "d.jsonl", dangling);
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "d.jsonl:1: provider: expected the id of an actor in this input or already in the database, found \"nobody\", which is neither",
            "d.jsonl:1: eligibility.territories[0]: expected the id of a territory in this input or already in the database, found \"region-z\", which is neither",
        ]
    );
    assert_eq!(store.count(RecordType::Mechanism).unwrap(), 1);
}

fn territory_filter_covers_nested_iso_and_custom_regions(store: &mut dyn Store) {
    assert!(import_text(store, "r.jsonl", REAL_ORGS).committed);
    let parents = store.territory_parents().unwrap();
    let list = |store: &mut dyn Store, t: &str| -> Vec<String> {
        let filter = ActorFilter { territories: Some(territory::descendants(t, &parents)), ..Default::default() };
        store.list_actors(&filter).unwrap().into_iter().map(|a| a.id.to_string()).collect()
    };
    assert_eq!(list(store, "ES"), ["eroski", "mondragon"]);
    assert_eq!(list(store, "debagoiena"), ["mondragon"]);
    assert_eq!(list(store, "IN"), ["amul", "sewa"]);
    assert_eq!(list(store, "CA"), ["desjardins"]);
    assert!(list(store, "BR").is_empty());
}

fn territory_cycles_are_refused(store: &mut dyn Store) {
    let text = "{\"type\":\"territory\",\"id\":\"north\",\"parent\":\"south\"}\n{\"type\":\"territory\",\"id\":\"south\",\"parent\":\"north\"}";
    let report = import_text(store, "c.jsonl", text);
    assert!(!report.committed);
    assert_eq!(report.problems.len(), 1);
    assert!(report.problems[0].to_string().contains("the cycle"), "{}", report.problems[0]);
    assert_eq!(store.count(RecordType::Territory).unwrap(), 0);
}

fn text_search_is_case_insensitive_and_literal(store: &mut dyn Store) {
    assert!(import_text(store, "r.jsonl", REAL_ORGS).committed);
    let find = |store: &mut dyn Store, q: &str| -> Vec<String> {
        let filter = ActorFilter { text: Some(q.into()), ..Default::default() };
        store.list_actors(&filter).unwrap().into_iter().map(|a| a.id.to_string()).collect()
    };
    assert_eq!(find(store, "DESJARDINS"), ["desjardins"]);
    assert_eq!(find(store, "Alphonse"), ["desjardins"], "custom facts are searched");
    assert_eq!(find(store, "Lévis"), ["desjardins"], "descriptions are searched");
    assert!(find(store, "%").is_empty(), "% is literal");
    assert!(import_text(store, "w.jsonl", r#"{"type":"actor","id":"w","name":"Qx7Zk"}"#).committed);
    assert_eq!(find(store, "qx7zk"), ["w"]);
    let mixed = "{\"type\":\"actor\",\"id\":\"m1\",\"name\":\"Qx7 gamma\"}\n\
                 {\"type\":\"actor\",\"id\":\"m2\",\"name\":\"qx7 Beta\"}\n\
                 {\"type\":\"actor\",\"id\":\"m3\",\"name\":\"QX7 ALPHA\"}\n\
                 {\"type\":\"actor\",\"id\":\"m4\",\"name\":\"Qx7 Éclair\"}";
    assert!(import_text(store, "m.jsonl", mixed).committed);
    assert_eq!(find(store, "qx7 "), ["m3", "m2", "m1", "m4"], "case-insensitive order, same on both backends");
    assert!(find(store, "Q_7Zk").is_empty(), "_ is literal");
    assert!(find(store, "Qx%k").is_empty(), "% is literal");
    let limited = store.list_actors(&ActorFilter { limit: Some(2), ..Default::default() }).unwrap();
    assert_eq!(store.count(RecordType::Actor).unwrap(), 11);
    assert_eq!(limited.len(), 2);
    assert_eq!(limited[0].id.as_str(), "credit-cooperatif", "ordered by name");
    assert_eq!(limited[1].id.as_str(), "eroski");
}

fn deleting_an_actor_deletes_and_audits_its_relations(store: &mut dyn Store) {
    assert!(import_text(store, "r.jsonl", REAL_ORGS).committed);
    assert_eq!(store.relations_of("eroski").unwrap().len(), 1);
    let mut tx = store.transaction().unwrap();
    assert!(tx.delete("admin", RecordType::Actor, "mondragon").unwrap());
    tx.commit().unwrap();
    assert!(store.relations_of("eroski").unwrap().is_empty());
    assert!(store.get(RecordType::Actor, "mondragon").unwrap().is_none());
    let log = store.audit(None, 3).unwrap();
    let what: Vec<(&str, &str)> = log.iter().map(|e| (e.action.as_str(), e.record_type.as_str())).collect();
    assert_eq!(&what[1..], [("delete", "relation"), ("delete", "actor")]);
}

fn repeated_key_in_one_batch_applies_in_order(store: &mut dyn Store) {
    let one = parse_record(&serde_json::json!({"type": "actor", "id": "a", "name": "One"})).unwrap();
    let two = parse_record(&serde_json::json!({"type": "actor", "id": "a", "name": "Two"})).unwrap();
    let mut tx = store.transaction().unwrap();
    let changes = tx.upsert_records("test", &[one, two]).unwrap();
    tx.commit().unwrap();
    assert_eq!(changes, [Change::Inserted, Change::Updated]);
    let Some(Record::Actor(a)) = store.get(RecordType::Actor, "a").unwrap() else { panic!() };
    assert_eq!(a.name, "Two");
    assert_eq!(store.audit(None, 10).unwrap().len(), 2);
}

/// The facet counts of a listing stay exact when one batch counts an actor and then moves it to
/// another group (SQLite adds a batch's counts per group at the end of the batch: it failed when
/// the move was applied before the counts it undoes were written).
fn facet_counts_follow_an_actor_moved_within_one_batch(store: &mut dyn Store) {
    use solidaria_store::search::ActorSearch;
    let actor = |id: &str, family: &str| {
        parse_record(&serde_json::json!({"type": "actor", "id": id, "name": id, "territory": "FR",
            "legal_form": {"family": family}, "claims": ["sse"]}))
        .unwrap()
    };
    let families = |store: &mut dyn Store| {
        let all = store.search_actors(&ActorSearch { limit: 0, ..Default::default() }).unwrap();
        let f = &all.facets["legal_form_family"];
        (all.total, f.get("association").copied(), f.get("cooperative").copied(), all.facets["claims"]["sse"])
    };
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("test", &[actor("g1", "association"), actor("g2", "association"), actor("g1", "cooperative")])
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(families(store), (2, Some(1), Some(1), 2));
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("test", &[actor("g3", "cooperative"), actor("g2", "cooperative")]).unwrap();
    tx.commit().unwrap();
    assert_eq!(families(store), (3, None, Some(3), 3));
}

fn a_repeated_id_in_one_file_is_refused_naming_both_lines(store: &mut dyn Store) {
    // Fails without the check: the import committed "One" then "Two" (last wins).
    let text = "{\"type\":\"actor\",\"id\":\"a\",\"name\":\"One\"}\n{\"type\":\"actor\",\"id\":\"b\",\"name\":\"B\"}\n\
                {\"type\":\"actor\",\"id\":\"a\",\"name\":\"Two\"}";
    let report = import_text(store, "dup.jsonl", text);
    assert!(!report.committed);
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "dup.jsonl:3: id: expected an id not used by another record of this file (an actor), found \"a\", already on line 1"
        ]
    );
    assert_eq!(store.count(RecordType::Actor).unwrap(), 0);
    assert!(store.audit(None, 10).unwrap().is_empty());
    // The same id in two files is an update, as before; so is the same key in two types.
    assert!(import_text(store, "1.jsonl", "{\"type\":\"actor\",\"id\":\"a\",\"name\":\"One\"}").committed);
    assert!(import_text(store, "2.jsonl", "{\"type\":\"actor\",\"id\":\"a\",\"name\":\"Two\"}").committed);
    // A repeated key inside one JSON object is refused with its line.
    let report = import_text(store, "keys.jsonl", "\n{\"type\":\"actor\",\"id\":\"c\",\"name\":\"A\",\"name\":\"B\"}");
    assert!(!report.committed);
    assert_eq!(report.problems.len(), 1);
    let problem = report.problems[0].to_string();
    assert!(problem.starts_with("keys.jsonl:2: record: "), "{problem}");
    assert!(problem.contains("duplicate key \"name\""), "{problem}");
    assert!(store.get(RecordType::Actor, "c").unwrap().is_none());
}

fn hostile_text_is_stored_verbatim(store: &mut dyn Store) {
    // A direction override is refused at input (issue #18 item 13), naming the field.
    let rlo = serde_json::json!({"type": "actor", "id": "x", "name": "Invoice \u{202e}fdp.exe"});
    let report = import_text(store, "h.jsonl", &rlo.to_string());
    assert!(!report.committed && report.problems[0].error.field == "name", "{:?}", report.problems);
    let name = "Robert'); DROP TABLE actors;-- <script>alert(1)</script> \\ % _ \u{200f}";
    let rec = serde_json::json!({"type": "actor", "id": "x", "name": name, "facts": {"x.note": "' OR 1=1 --"}});
    let report = import_text(store, "h.jsonl", &rec.to_string());
    assert!(report.committed);
    let Some(Record::Actor(a)) = store.get(RecordType::Actor, "x").unwrap() else { panic!() };
    assert_eq!(a.name, name);
    assert_eq!(store.count(RecordType::Actor).unwrap(), 1);
    let found = store.list_actors(&ActorFilter { text: Some("'); DROP".into()), ..Default::default() }).unwrap();
    assert_eq!(found.len(), 1);
}

/// Saved screenings: the latest per profile comes back whole, earlier ones stay in the history.
fn screenings_are_kept_with_their_profile_version_and_facts(store: &mut dyn Store) {
    use solidaria_core::screening::{builtin, screen};
    import_text(store, "orgs.jsonl", REAL_ORGS);
    let Some(Record::Actor(actor)) = store.get(RecordType::Actor, "desjardins").unwrap() else {
        panic!("fixture actor desjardins is missing");
    };
    let un = builtin::find("un-2023").unwrap();
    let qc = builtin::find("qc-2013").unwrap();
    let first = screen(un, &actor);
    let rows = [ScreeningRow::new(&first), ScreeningRow::new(&screen(qc, &actor))];
    store.save_screenings("tester", &rows).unwrap();
    // New evidence, screened again under one profile.
    let mut actor = actor.clone();
    actor.facts.insert("assets.lock".into(), solidaria_core::Fact::bare(solidaria_core::FactValue::Bool(false)));
    let second = screen(un, &actor);
    store.save_screenings("tester", &[ScreeningRow::new(&second)]).unwrap();
    let latest = store.latest_screenings("desjardins").unwrap();
    let profiles: Vec<&str> = latest.iter().map(|s| s.screening["profile"].as_str().unwrap()).collect();
    assert_eq!(profiles, ["qc-2013", "un-2023"]);
    assert_eq!(latest[1].screening, serde_json::to_value(&second).unwrap());
    assert_eq!(latest[1].screening["facts_used"]["assets.lock"], serde_json::json!(false));
    assert_eq!(latest[1].screening["profile_version"], serde_json::json!(un.version));
    assert_eq!(latest[1].who, "tester");
    assert!(latest[1].seq > latest[0].seq);
    assert!(latest[1].at.ends_with('Z'));
    assert!(store.latest_screenings("nobody").unwrap().is_empty());
}

/// Users, sessions (with expiry) and API tokens (with revocation), each change in the event log.
fn accounts_sessions_and_tokens_are_kept_and_logged(store: &mut dyn Store) {
    use solidaria_core::moderation::Role;
    use solidaria_store::StoreError;
    store.add_user("cli", "ana", Role::Admin, "$argon2id$fake-hash-for-test").unwrap();
    store.add_user("ana", "bo", Role::Contributor, "$argon2id$other").unwrap();
    assert!(matches!(store.add_user("ana", "bo", Role::Admin, "x"), Err(StoreError::Conflict(_))));
    assert_eq!(store.user("ana").unwrap().unwrap().role, Role::Admin);
    assert!(store.user("nobody").unwrap().is_none());
    assert_eq!(store.users().unwrap().iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["ana", "bo"]);
    assert!(store.set_role("ana", "bo", Role::Moderator).unwrap());
    assert!(!store.set_role("ana", "ghost", Role::Moderator).unwrap());
    assert_eq!(store.user("bo").unwrap().unwrap().role, Role::Moderator);

    store.create_session("h-live", "bo", "csrf-1", 3600).unwrap();
    store.create_session("h-dead", "bo", "csrf-2", -1).unwrap();
    let (u, csrf) = store.session("h-live").unwrap().unwrap();
    assert_eq!((u.name.as_str(), csrf.as_str()), ("bo", "csrf-1"));
    assert!(store.session("h-dead").unwrap().is_none(), "an expired session must not authenticate");
    assert!(store.session("h-unknown").unwrap().is_none());
    // A password change ends every session of the user.
    assert!(store.set_password("bo", "bo", "$argon2id$new").unwrap());
    assert!(store.session("h-live").unwrap().is_none());
    store.create_session("h-2", "bo", "c", 3600).unwrap();
    store.delete_session("h-2").unwrap();
    assert!(store.session("h-2").unwrap().is_none());

    let id = store.create_token("ana", "t-hash", "bo", "harvester", false).unwrap();
    assert_eq!(store.token_user("t-hash").unwrap().unwrap().user.name, "bo");
    let listed = store.tokens(Some("bo")).unwrap();
    assert_eq!((listed.len(), listed[0].label.as_str()), (1, "harvester"));
    assert!(store.tokens(Some("ana")).unwrap().is_empty());
    assert!(store.revoke_token("ana", id).unwrap());
    assert!(!store.revoke_token("ana", id).unwrap(), "a token is revoked once");
    assert!(store.token_user("t-hash").unwrap().is_none());
    assert!(store.tokens(None).unwrap()[0].revoked_at.is_some());

    let events: Vec<(String, String)> =
        store.account_events(100).unwrap().into_iter().map(|e| (e.action, e.subject)).collect();
    let actions: Vec<&str> = events.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "user_add",
            "user_add",
            "role_change",
            "login",
            "login",
            "password_change",
            "login",
            "logout",
            "token_create",
            "token_revoke"
        ]
    );
    assert!(events.iter().all(|(_, s)| !s.contains("hash")), "no secret in the event log");
}

/// A disabled account's sessions end and its tokens stop authenticating at once; enabled again,
/// its tokens work again (its sessions do not come back); read-only tokens say so. Both changes
/// are in the event log, once each however often they are asked for.
fn accounts_are_disabled_at_once_and_tokens_may_be_read_only(store: &mut dyn Store) {
    use solidaria_core::moderation::Role;
    store.add_user("cli", "ana", Role::Admin, "$argon2id$fake").unwrap();
    store.add_user("ana", "bo", Role::Contributor, "$argon2id$other").unwrap();
    store.create_session("s-bo", "bo", "c", 3600).unwrap();
    store.create_token("ana", "t-rw", "bo", "sync", false).unwrap();
    store.create_token("ana", "t-ro", "bo", "dashboard", true).unwrap();
    assert!(!store.token_user("t-rw").unwrap().unwrap().read_only);
    assert!(store.token_user("t-ro").unwrap().unwrap().read_only);
    let listed = store.tokens(Some("bo")).unwrap();
    assert_eq!(listed.iter().map(|t| t.read_only).collect::<Vec<_>>(), [false, true]);
    assert!(!store.user("bo").unwrap().unwrap().disabled());

    assert!(store.set_disabled("ana", "bo", true).unwrap());
    assert!(store.set_disabled("ana", "bo", true).unwrap(), "disabling twice changes nothing more");
    assert!(!store.set_disabled("ana", "ghost", true).unwrap());
    let bo = store.user("bo").unwrap().unwrap();
    assert!(bo.disabled() && bo.disabled_at.as_deref().is_some_and(|t| t.ends_with('Z')), "{bo:?}");
    assert!(store.session("s-bo").unwrap().is_none(), "sessions end at once");
    assert!(store.token_user("t-rw").unwrap().is_none() && store.token_user("t-ro").unwrap().is_none());
    // A session made for a disabled account (a race with the login) does not authenticate.
    store.create_session("s-late", "bo", "c", 3600).unwrap();
    assert!(store.session("s-late").unwrap().is_none());
    assert!(store.users().unwrap().iter().any(|u| u.name == "bo" && u.disabled()));

    assert!(store.set_disabled("ana", "bo", false).unwrap());
    assert!(store.set_disabled("ana", "bo", false).unwrap());
    assert!(!store.user("bo").unwrap().unwrap().disabled());
    assert_eq!(store.token_user("t-rw").unwrap().unwrap().user.name, "bo", "tokens work again");
    assert!(store.session("s-bo").unwrap().is_none(), "ended sessions stay ended");

    let events: Vec<(String, String, String)> =
        store.account_events(100).unwrap().into_iter().map(|e| (e.who, e.action, e.subject)).collect();
    let changes: Vec<_> = events.iter().filter(|(_, a, _)| a.starts_with("user_") && a != "user_add").collect();
    let expected = [("ana", "user_disable", "bo"), ("ana", "user_enable", "bo")];
    assert_eq!(changes.iter().map(|(w, a, s)| (w.as_str(), a.as_str(), s.as_str())).collect::<Vec<_>>(), expected);
    let created = events.iter().filter(|(_, a, _)| a == "token_create").count();
    assert_eq!(created, 2);
    assert!(
        store.account_events(100).unwrap().iter().any(|e| e.detail.as_deref() == Some("bo: dashboard (read-only)"))
    );
}

/// A proposal waits, is listed with its base and proposed documents, and a validation writes the
/// record and the decision in one transaction; a rolled-back decision leaves it pending.
fn proposals_wait_and_a_validation_applies_with_its_decision_atomically(store: &mut dyn Store) {
    use solidaria_core::moderation::ProposalState;
    use solidaria_store::accounts::{NewProposal, ProposalAction};
    import_text(store, "orgs.jsonl", REAL_ORGS);
    let Some(Record::Actor(before)) = store.get(RecordType::Actor, "desjardins").unwrap() else {
        panic!("fixture actor desjardins is missing");
    };
    let mut after = before.clone();
    after.name = "Desjardins Group (edited)".into();
    let p = NewProposal {
        proposer: "bo".into(),
        record_type: RecordType::Actor,
        record_key: "desjardins".into(),
        action: ProposalAction::Upsert,
        doc: Some(Record::Actor(after.clone()).to_json()),
        base: Some(Record::Actor(before.clone()).to_json()),
        note: Some("annual report 2025".into()),
    };
    let id = store.propose(&p).unwrap();
    let got = store.proposal(id).unwrap().unwrap();
    assert_eq!(
        (got.state, got.proposer.as_str(), got.note.as_deref()),
        (ProposalState::Pending, "bo", Some("annual report 2025"))
    );
    assert_eq!(got.doc, p.doc);
    assert_eq!(got.base, p.base);
    assert_eq!(store.proposals(Some(ProposalState::Pending), None, 0, 10).unwrap().len(), 1);
    assert!(store.proposals(Some(ProposalState::Validated), None, 0, 10).unwrap().is_empty());
    assert!(store.proposals(None, Some("someone-else"), 0, 10).unwrap().is_empty());

    // Decided, then rolled back: nothing changes.
    {
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("mod (proposal)", &[Record::Actor(after.clone())]).unwrap();
        assert!(tx.decide_proposal(id, "mod", ProposalState::Validated, None).unwrap());
    }
    assert_eq!(store.proposal(id).unwrap().unwrap().state, ProposalState::Pending);
    assert_eq!(store.get(RecordType::Actor, "desjardins").unwrap(), Some(Record::Actor(before.clone())));

    let mut tx = store.transaction().unwrap();
    tx.upsert_records("mod", &[Record::Actor(after.clone())]).unwrap();
    assert!(tx.decide_proposal(id, "mod", ProposalState::Validated, None).unwrap());
    tx.commit().unwrap();
    let decided = store.proposal(id).unwrap().unwrap();
    assert_eq!((decided.state, decided.decided_by.as_deref()), (ProposalState::Validated, Some("mod")));
    assert!(decided.decided_at.is_some_and(|t| t.ends_with('Z')));
    assert_eq!(store.get(RecordType::Actor, "desjardins").unwrap(), Some(Record::Actor(after)));
    // Decisions are final.
    let mut tx = store.transaction().unwrap();
    assert!(!tx.decide_proposal(id, "other", ProposalState::Rejected, Some("late")).unwrap());
    drop(tx);
    let audit = store.audit(Some((RecordType::Actor, "desjardins")), 10).unwrap();
    assert_eq!(audit.last().unwrap().who, "mod");
    assert!(store.proposal(id + 1000).unwrap().is_none());
}

/// The proposal list pages like the other lists: newest first, `limit` after `offset`, pages
/// that neither overlap nor leave a gap, and a count under the same filter.
fn proposals_are_listed_a_page_at_a_time_with_their_count(store: &mut dyn Store) {
    use solidaria_core::moderation::ProposalState;
    use solidaria_store::accounts::{NewProposal, ProposalAction};
    let mut ids = Vec::new();
    for i in 0..7 {
        let p = NewProposal {
            proposer: if i % 2 == 0 { "bo" } else { "cy" }.into(),
            record_type: RecordType::Actor,
            record_key: format!("a{i}"),
            action: ProposalAction::Delete,
            doc: None,
            base: None,
            note: None,
        };
        ids.push(store.propose(&p).unwrap());
    }
    ids.reverse();
    let page = |store: &mut dyn Store, proposer: Option<&str>, offset: u64, limit: u64| -> Vec<i64> {
        store.proposals(Some(ProposalState::Pending), proposer, offset, limit).unwrap().iter().map(|p| p.id).collect()
    };
    assert_eq!(page(store, None, 0, 3), ids[0..3]);
    assert_eq!(page(store, None, 3, 3), ids[3..6]);
    assert_eq!(page(store, None, 6, 3), ids[6..7]);
    assert!(page(store, None, 7, 3).is_empty());
    assert!(page(store, None, u64::MAX, 3).is_empty(), "an offset past the end is an empty page");
    assert_eq!(store.count_proposals(Some(ProposalState::Pending), None).unwrap(), 7);
    assert_eq!(store.count_proposals(None, Some("bo")).unwrap(), 4);
    assert_eq!(store.count_proposals(Some(ProposalState::Validated), None).unwrap(), 0);
    let bo: Vec<i64> = ids.iter().copied().filter(|id| page(store, Some("bo"), 0, 10).contains(id)).collect();
    assert_eq!(page(store, Some("bo"), 1, 2), bo[1..3]);
}

/// The directory search: prefix words anywhere in the record, filters, facets over all matches,
/// kept in step with updates and deletions, hostile text as plain words.
fn search_matches_words_in_any_string_and_counts_facets_over_all_matches(store: &mut dyn Store) {
    use solidaria_store::search::ActorSearch;
    import_text(store, "orgs.jsonl", REAL_ORGS);
    let ids = |store: &mut dyn Store, q: ActorSearch| -> Vec<String> {
        let mut v: Vec<String> = store
            .search_actors(&ActorSearch { limit: 100, ..q })
            .unwrap()
            .items
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        v.sort();
        v
    };
    let text = |t: &str| ActorSearch { text: Some(t.into()), ..Default::default() };
    assert_eq!(ids(store, text("DESJ")), ["desjardins"], "case-insensitive prefix");
    assert_eq!(ids(store, text("milk marketing")), ["amul"], "every word required, in any order");
    assert!(ids(store, text("milk desjardins")).is_empty());
    // Hostile text is words, never syntax.
    for hostile in ["\"; DROP TABLE actors;--", "name:x OR NEAR(a b)", "a & !b | c:*", "*"] {
        let page = store.search_actors(&ActorSearch { text: Some(hostile.into()), limit: 10, ..Default::default() });
        assert!(page.is_ok(), "{hostile}: {page:?}");
    }
    // No text: everything, by name; facets over all matches, not the page.
    let all = store.search_actors(&ActorSearch { limit: 2, ..Default::default() }).unwrap();
    assert_eq!((all.total, all.items.len()), (6, 2));
    assert_eq!(all.facets["legal_form_family"]["cooperative"], 5);
    assert_eq!(all.facets["legal_form_family"]["unknown"], 1);
    assert_eq!(all.facets["claims"]["sse"], 2);
    assert_eq!(all.facets["category"].values().sum::<u64>(), 6);
    let names: Vec<&str> = all.items.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Crédit Coopératif", "Eroski S. Coop."]);
    let next = store.search_actors(&ActorSearch { limit: 2, offset: 2, ..Default::default() }).unwrap();
    assert_eq!(next.items[0].name, "Gujarat Co-operative Milk Marketing Federation (Amul)");
    // Filters combine.
    let q = ActorSearch { claim: Some("sse".into()), family: Some("cooperative".into()), ..Default::default() };
    assert_eq!(ids(store, q), ["credit-cooperatif", "eroski"]);
    let q =
        ActorSearch { category: Some("finance_provider".into()), text: Some("mouvement".into()), ..Default::default() };
    assert_eq!(ids(store, q), ["desjardins"]);
    let q = ActorSearch { territories: Some(["IN-GJ".to_string()].into()), ..Default::default() };
    assert_eq!(ids(store, q), ["amul", "sewa"]);
    // Updates and deletions are searchable at once.
    let Some(Record::Actor(mut a)) = store.get(RecordType::Actor, "sewa").unwrap() else { panic!() };
    a.name = "Renamed Union".into();
    a.claims.clear();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("t", &[Record::Actor(a)]).unwrap();
    tx.delete("t", RecordType::Actor, "eroski").unwrap();
    tx.commit().unwrap();
    assert_eq!(ids(store, text("renamed")), ["sewa"]);
    assert!(ids(store, text("eroski")).is_empty());
    let all = store.search_actors(&ActorSearch { limit: 0, ..Default::default() }).unwrap();
    assert_eq!((all.total, all.facets["claims"].get("solidarity_economy")), (5, None));
}

/// Past `EXACT_UP_TO` matches, the total stays exact and the facets say they are sampled.
fn a_broad_search_counts_exactly_and_samples_its_facets(store: &mut dyn Store) {
    use solidaria_store::search::{ActorSearch, EXACT_UP_TO};
    let n = EXACT_UP_TO + 50;
    let records: Vec<Record> = (0..n)
        .map(|i| {
            let t = if i % 2 == 0 { "FR" } else { "CA-QC" };
            let doc = serde_json::json!({"type": "actor", "id": format!("h{i}"), "name": format!("Habitat {i}"), "territory": t});
            parse_record(&doc).unwrap()
        })
        .collect();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("t", &records).unwrap();
    tx.commit().unwrap();
    let page =
        store.search_actors(&ActorSearch { text: Some("habitat".into()), limit: 20, ..Default::default() }).unwrap();
    assert_eq!((page.total, page.items.len()), (n, 20));
    if store.backend() == "sqlite" {
        assert_eq!(page.sampled, Some(EXACT_UP_TO));
    }
    if page.sampled.is_some() {
        assert_eq!(page.facets["territory"].values().sum::<u64>(), EXACT_UP_TO);
    } else {
        assert_eq!(page.facets["territory"].values().sum::<u64>(), n, "exact facets when not sampled");
    }
    let q = ActorSearch {
        text: Some("habitat".into()),
        territories: Some(["FR".to_string()].into()),
        limit: 5,
        ..Default::default()
    };
    let fr = store.search_actors(&q).unwrap();
    assert_eq!(fr.total, n.div_ceil(2));
    assert!(fr.items.iter().all(|a| a.territory.as_ref().is_some_and(|t| t.to_string() == "FR")));
    let last = n - 1;
    let q = ActorSearch { text: Some(format!("habitat {last}")), limit: 5, ..Default::default() };
    let one = store.search_actors(&q).unwrap();
    assert_eq!((one.total, one.items[0].id.to_string(), one.sampled), (1, format!("h{last}"), None));
    // Browsing without text counts every actor, from the facet groups.
    let all = store.search_actors(&ActorSearch { limit: 1, ..Default::default() }).unwrap();
    assert_eq!((all.total, all.facets["territory"]["FR"], all.sampled), (n, n.div_ceil(2), None));
}

fn a_deliberation_is_appended_after_its_check_and_accounts_speak_for_actors(store: &mut dyn Store) {
    use solidaria_core::deliberation::{Choice, EventKind, NewEvent, check, stage};
    let text = r#"{"type":"actor","id":"coop","name":"Coop","category":"sse_organization","territory":"CA-ON"}
{"type":"strategy","id":"on-draft","territory":"CA-ON","title":"Ontario","from":"2026","actions":[{"id":"a","title":"Buy social","block":"market_access","lead":"coop"}]}"#;
    let report = import_text(store, "s.jsonl", text);
    assert_eq!(report.counts.by_type[&RecordType::Strategy], (1, 0, 0));
    let event = |kind, choice| NewEvent {
        who: "mod".into(),
        kind,
        actor: Some("coop".into()),
        college: Some("sse_organizations".into()),
        choice,
        text: None,
        doc: Some("{}".into()),
    };
    let append = |store: &mut dyn Store, new: NewEvent| {
        store
            .deliberate("on-draft", &mut |log| {
                check(log, &new)?;
                Ok(vec![new.clone()])
            })
            .unwrap()
    };
    let refused = append(store, event(EventKind::Vote, Some(Choice::For)));
    assert!(refused.unwrap_err().contains("no round is open"));
    assert!(store.deliberation("on-draft").unwrap().is_empty(), "a refusal writes nothing");
    let opened = append(store, event(EventKind::Open, None)).unwrap().remove(0);
    let voted = append(store, event(EventKind::Vote, Some(Choice::For))).unwrap().remove(0);
    assert!(voted.seq > opened.seq && voted.at >= opened.at);
    assert!(append(store, event(EventKind::Open, None)).unwrap_err().contains("already open"));
    let log = store.deliberation("on-draft").unwrap();
    assert_eq!(log, vec![opened, voted]);
    assert_eq!(stage(&log).as_str(), "open");
    // The same log inside a write transaction (a write to the strategy checks it there).
    let mut tx = store.transaction().unwrap();
    assert_eq!(tx.deliberation("on-draft").unwrap(), log);
    assert!(tx.deliberation("nowhere").unwrap().is_empty());
    drop(tx);
    let missing = store.deliberate("nowhere", &mut |_| panic!("no build without a strategy")).unwrap();
    assert!(missing.unwrap_err().contains("no strategy"));

    store.add_user("admin", "ana", solidaria_core::moderation::Role::Contributor, "$argon2id$x").unwrap();
    assert!(store.set_account_actor("admin", "ana", Some("coop")).unwrap());
    assert!(!store.set_account_actor("admin", "nobody", Some("coop")).unwrap());
    assert_eq!(store.account_actors().unwrap(), vec![("ana".to_string(), "coop".to_string())]);
    let events = store.account_events(10).unwrap();
    assert!(
        events.iter().any(|e| e.action == "actor_link" && e.subject == "ana" && e.detail.as_deref() == Some("coop"))
    );
    assert!(store.set_account_actor("admin", "ana", None).unwrap());
    assert!(store.account_actors().unwrap().is_empty());
}

/// The registry's records as JSON, by type and key: the whole state a merge and its undo touch.
fn snapshot(store: &mut dyn Store) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for t in RecordType::ALL {
        store
            .for_each(*t, &mut |r| {
                out.push(r.to_json());
                Ok(())
            })
            .unwrap();
    }
    out
}

const MERGE_FIXTURE: &str = r#"{"type":"actor","id":"leeds-bread","name":"Leeds Bread Co-op","website":"https://a.example","identifiers":{"coops_uk":"R1"},"sources":[{"dataset":"coops-uk-2017","line":3}],"facts":{"members.count":{"value":12,"source":"AGM 2017"}}}
{"type":"actor","id":"lbc-2022","name":"Leeds Bread Cooperative Ltd","website":"https://b.example","identifiers":{"coops_uk":"R2","gb_companies_house":"IP001"},"sources":[{"dataset":"coops-uk-essglobal","edition":"2022-Q2","line":9}],"facts":{"members.count":{"value":30,"source":"Annual return","date":"2022"}}}
{"type":"actor","id":"federation","name":"Co-operatives Yorkshire"}
{"type":"actor","id":"mill","name":"Flour Mill"}
{"type":"relation","from":"lbc-2022","to":"federation","kind":"member_of","since":"2010"}
{"type":"relation","from":"leeds-bread","to":"federation","kind":"member_of"}
{"type":"relation","from":"mill","to":"lbc-2022","kind":"supplies","source":"mill's site"}
{"type":"relation","from":"lbc-2022","to":"leeds-bread","kind":"partners_with"}"#;

fn moderator(store: &mut dyn Store, name: &str) -> solidaria_store::accounts::User {
    use solidaria_core::moderation::Role;
    store.add_user("admin", name, Role::Moderator, "$argon2id$x").unwrap();
    store.user(name).unwrap().unwrap()
}

/// Proposals made before a merge that name the absorbed actor (an edit of it, a relation to it)
/// are not validated as if it were gone without trace: the refusal names the actor it was merged
/// into, so the moderator and the contributor know where the proposal belongs now.
fn proposals_naming_an_absorbed_actor_say_which_actor_it_was_merged_into(store: &mut dyn Store) {
    use solidaria_app::write::{Intent, Outcome, apply};
    use solidaria_app::{Code, merge, moderate};
    use solidaria_core::moderation::{Decision, Role};
    assert!(import_text(store, "m.jsonl", MERGE_FIXTURE).committed);
    let mo = moderator(store, "mo");
    store.add_user("admin", "cy", Role::Contributor, "$argon2id$x").unwrap();
    let cy = store.user("cy").unwrap().unwrap();
    let record = |v: serde_json::Value| parse_record(&v).unwrap();
    let propose = |store: &mut dyn Store, intent| match apply(store, &cy, intent, None).unwrap() {
        Outcome::Proposed { id, .. } => id,
        other => panic!("a contributor proposes: {other:?}"),
    };
    let edit = propose(
        store,
        Intent::Update(record(serde_json::json!({"type": "actor", "id": "lbc-2022", "name": "Leeds Bread Co-op Ltd"}))),
    );
    let relation = propose(
        store,
        Intent::Create(record(
            serde_json::json!({"type": "relation", "from": "mill", "to": "lbc-2022", "kind": "partners_with"}),
        )),
    );
    merge::merge(store, &mo, "leeds-bread", "lbc-2022").unwrap();

    let e = moderate::decide(store, &mo, edit, Decision::Validate).unwrap_err();
    assert_eq!(e.code, Code::ProposalStale, "{e:?}");
    assert!(e.message.contains("lbc-2022 that proposal") && e.message.contains("merged into leeds-bread"), "{e:?}");
    let e = moderate::decide(store, &mo, relation, Decision::Validate).unwrap_err();
    assert_eq!(e.code, Code::RecordInvalid, "{e:?}");
    assert!(e.problems.iter().any(|p| p.contains("which was merged into \"leeds-bread\"")), "{e:?}");
    // Both stay pending, for the moderator to reject.
    let pending = store.proposals(Some(solidaria_core::moderation::ProposalState::Pending), None, 0, 10).unwrap();
    let mut ids: Vec<i64> = pending.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![edit, relation]);
    // An import naming the absorbed actor says the same, at its line; one naming an actor that
    // never was says "neither"; nothing is kept.
    let r = import_text(
        store,
        "late.jsonl",
        "{\"type\":\"relation\",\"from\":\"mill\",\"to\":\"lbc-2022\",\"kind\":\"partners_with\"}\n\
         {\"type\":\"relation\",\"from\":\"mill\",\"to\":\"nobody\",\"kind\":\"partners_with\"}\n",
    );
    assert!(!r.committed);
    let problems: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "late.jsonl:1: to: expected the id of an actor in this input or already in the database, found \"lbc-2022\", which was merged into \"leeds-bread\" (name that actor instead)",
            "late.jsonl:2: to: expected the id of an actor in this input or already in the database, found \"nobody\", which is neither",
        ]
    );
}

fn a_merge_keeps_both_records_repoints_relations_and_undoes_exactly(store: &mut dyn Store) {
    use solidaria_app::merge;
    assert!(import_text(store, "m.jsonl", MERGE_FIXTURE).committed);
    let before = snapshot(store);
    let mo = moderator(store, "mo");
    let contributor = {
        store.add_user("admin", "cy", solidaria_core::moderation::Role::Contributor, "$argon2id$x").unwrap();
        store.user("cy").unwrap().unwrap()
    };
    let e = merge::merge(store, &contributor, "leeds-bread", "lbc-2022").unwrap_err();
    assert_eq!(e.code, solidaria_app::Code::RoleInsufficient, "deny by default");
    assert_eq!(merge::merge(store, &mo, "mill", "mill").unwrap_err().code, solidaria_app::Code::MergeInvalid);
    assert_eq!(snapshot(store), before, "refusals write nothing");

    let m = merge::merge(store, &mo, "leeds-bread", "lbc-2022").unwrap();
    let Some(Record::Actor(kept)) = store.get(RecordType::Actor, "leeds-bread").unwrap() else { panic!() };
    assert!(store.get(RecordType::Actor, "lbc-2022").unwrap().is_none());
    assert_eq!(kept.alternate_ids.iter().map(|i| i.as_str()).collect::<Vec<_>>(), ["lbc-2022"]);
    assert_eq!(kept.alternate_names, ["Leeds Bread Cooperative Ltd"]);
    assert_eq!(kept.sources.len(), 2, "both sources kept");
    assert_eq!(kept.identifiers["gb_companies_house"], "IP001");
    assert_eq!(kept.identifiers["coops_uk"], "R1");
    assert_eq!(kept.facts["members.count"].provenance.source.as_deref(), Some("Annual return"), "better evidenced");
    let fields: Vec<&str> = m.preview.conflicts.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["facts.members.count", "identifiers.coops_uk", "website"]);
    // Relations: one re-pointed, one the kept actor had already, one between the two dropped.
    let mut rels: Vec<String> = store.relations_of("leeds-bread").unwrap().iter().map(|r| r.key()).collect();
    rels.sort();
    assert_eq!(rels, ["leeds-bread|member_of|federation", "mill|supplies|leeds-bread"]);
    let Some(Record::Relation(supplies)) = store.get(RecordType::Relation, "mill|supplies|leeds-bread").unwrap() else {
        panic!()
    };
    assert_eq!(supplies.source.as_deref(), Some("mill's site"), "a re-pointed relation keeps its provenance");
    assert!(store.relations_of("lbc-2022").unwrap().is_empty());
    // Old links lead to the kept actor.
    assert_eq!(merge::resolve(store, "lbc-2022").unwrap().as_deref(), Some("leeds-bread"));
    assert_eq!(merge::resolve(store, "mill").unwrap(), None);
    // Audited as the merge.
    let log = store.audit(Some((RecordType::Actor, "lbc-2022")), 10).unwrap();
    assert_eq!(log.last().unwrap().action, "delete");
    assert_eq!(log.last().unwrap().who, format!("mo (merge {})", m.id));
    let listed = merge::list(store, 10).unwrap();
    assert_eq!((listed.len(), listed[0].id, listed[0].keep.as_str()), (1, m.id, "leeds-bread"));

    // Undo: both records and every relation exactly as before.
    assert_eq!(merge::undo(store, &contributor, m.id).unwrap_err().code, solidaria_app::Code::RoleInsufficient);
    let u = merge::undo(store, &mo, m.id).unwrap();
    assert_eq!((u.keep.as_str(), u.absorbed.as_str(), u.relations), ("leeds-bread", "lbc-2022", 3));
    assert_eq!(snapshot(store), before);
    assert_eq!(merge::resolve(store, "lbc-2022").unwrap(), None);
    let again = merge::undo(store, &mo, m.id).unwrap_err();
    assert_eq!(again.code, solidaria_app::Code::MergeRefused);
    assert!(again.message.contains("undone already"), "{}", again.message);
    let e = merge::entry(store, m.id).unwrap();
    assert_eq!(e.undone_by.as_deref(), Some("mo"));
    assert_eq!(merge::entry(store, 999).unwrap_err().code, solidaria_app::Code::MergeNotFound);
    let log = store.audit(Some((RecordType::Actor, "lbc-2022")), 10).unwrap();
    assert_eq!(log.last().unwrap().who, format!("mo (undo of merge {})", m.id));
    // Merged again, the other way round.
    merge::merge(store, &mo, "lbc-2022", "leeds-bread").unwrap();
    assert_eq!(merge::resolve(store, "leeds-bread").unwrap().as_deref(), Some("lbc-2022"));
}

/// Two records of one organization, and everything else that can name an actor: a mechanism it
/// provides, a strategy it leads (and partners), a case, a subsidiary it controls, a fund it
/// manages (with a posting), an account speaking for it; and an actor whose id starts alike
/// ("…:R10"), whose own references must stay.
const REFERENCES_FIXTURE: &str = r#"{"type":"actor","id":"leeds-bread","name":"Leeds Bread Co-op"}
{"type":"actor","id":"coops-uk-2017:R1","name":"Leeds Bread Cooperative Ltd"}
{"type":"actor","id":"coops-uk-2017:R10","name":"Leeds Flour Co-op"}
{"type":"actor","id":"gov","name":"Council","category":"public_authority"}
{"type":"actor","id":"sub","name":"Bakery Shop Ltd","facts":{"control.controlled_by":{"value":"coops-uk-2017:R1","source":"Companies House"}}}
{"type":"actor","id":"sub-2","name":"Flour Shop Ltd","facts":{"control.controlled_by":"coops-uk-2017:R10"}}
{"type":"mechanism","id":"bread-loans","name":"Bread loans","kind":"loan","provider":"coops-uk-2017:R1"}
{"type":"mechanism","id":"flour-grants","name":"Flour grants","kind":"grant","provider":"coops-uk-2017:R10"}
{"type":"strategy","id":"leeds-plan","territory":"GB-ENG","title":"Leeds food plan","from":"2026","actions":[{"id":"bake","title":"Bake for schools","block":"market_access","lead":"coops-uk-2017:R1","partners":["leeds-bread","coops-uk-2017:R1","gov"],"commitments":[{"actor":"coops-uk-2017:R1","what":"ovens"}]},{"id":"mill","title":"Mill","block":"finance","lead":"coops-uk-2017:R10"}]}
{"type":"case","id":"bread-case","name":"Community bakery","actors":[{"actor":"coops-uk-2017:R1","role":"founder"},{"actor":"gov"}]}"#;

/// The fund definitions and account links: the state of a merge outside the registry's records.
fn funds_and_accounts(store: &mut dyn Store) -> (Vec<String>, Vec<(String, String)>) {
    (store.fund_docs().unwrap(), store.account_actors().unwrap())
}

fn set_up_references(store: &mut dyn Store) {
    let report = import_text(store, "refs.jsonl", REFERENCES_FIXTURE);
    assert!(report.committed, "{:?}", report.problems);
    let fund = serde_json::json!({"type":"fund","id":"bread-fund","name":"Bread fund","manager":"coops-uk-2017:R1",
        "currency":"GBP","public_sources":["gov","coops-uk-2017:R1"]});
    assert!(solidaria_app::finance::put_fund(store, "t", &fund).unwrap());
    let receipt = serde_json::json!({"type":"transaction","id":"r1","fund":"bread-fund","date":"2024-02-01",
        "kind":"receipt","amount":"1000","counterparty":"gov"});
    let posted = solidaria_app::finance::post(store, "t", &[(1, receipt)]).unwrap();
    assert!(posted.committed, "{:?}", posted.problems);
    store.add_user("admin", "baker", solidaria_core::moderation::Role::Contributor, "$argon2id$x").unwrap();
    assert!(store.set_account_actor("admin", "baker", Some("coops-uk-2017:R1")).unwrap());
    store.add_user("admin", "miller", solidaria_core::moderation::Role::Contributor, "$argon2id$x").unwrap();
    assert!(store.set_account_actor("admin", "miller", Some("coops-uk-2017:R10")).unwrap());
}

fn a_merge_repoints_every_reference_to_the_absorbed_actor_and_undo_restores_them(store: &mut dyn Store) {
    use solidaria_app::merge;
    set_up_references(store);
    let before = snapshot(store);
    let outside_before = funds_and_accounts(store);
    let mo = moderator(store, "mo");

    // The preview names every reference, and writes nothing.
    let p = merge::preview(store, "leeds-bread", "coops-uk-2017:R1").unwrap();
    let moves: Vec<(String, String, Vec<String>)> =
        p.references.iter().map(|m| (m.record_type.clone(), m.key.clone(), m.fields.clone())).collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        moves,
        [
            (s("case"), s("bread-case"), vec![s("actors[0].actor")]),
            (s("mechanism"), s("bread-loans"), vec![s("provider")]),
            (
                s("strategy"),
                s("leeds-plan"),
                vec![s("actions[0].lead"), s("actions[0].partners[1]"), s("actions[0].commitments[0].actor")]
            ),
            (s("actor"), s("sub"), vec![s("facts.control.controlled_by")]),
            (s("fund"), s("bread-fund"), vec![s("manager"), s("public_sources[0]")]),
            (s("account"), s("baker"), vec![s("actor")]),
        ]
    );
    assert_eq!(snapshot(store), before, "a preview writes nothing");

    let m = merge::merge(store, &mo, "leeds-bread", "coops-uk-2017:R1").unwrap();
    assert_eq!(m.preview.references, p.references);
    let get = |store: &mut dyn Store, t: RecordType, k: &str| store.get(t, k).unwrap().unwrap().to_json();
    assert_eq!(get(store, RecordType::Mechanism, "bread-loans")["provider"], "leeds-bread");
    assert_eq!(
        get(store, RecordType::Mechanism, "flour-grants")["provider"],
        "coops-uk-2017:R10",
        "a lookalike id stays"
    );
    let plan = get(store, RecordType::Strategy, "leeds-plan");
    assert_eq!(plan["actions"][0]["lead"], "leeds-bread");
    assert_eq!(plan["actions"][0]["partners"], serde_json::json!(["leeds-bread", "gov"]), "one partner, once");
    assert_eq!(plan["actions"][0]["commitments"][0]["actor"], "leeds-bread");
    assert_eq!(plan["actions"][1]["lead"], "coops-uk-2017:R10");
    assert_eq!(get(store, RecordType::Case, "bread-case")["actors"][0]["actor"], "leeds-bread");
    let sub = get(store, RecordType::Actor, "sub");
    assert_eq!(
        sub["facts"]["control.controlled_by"],
        serde_json::json!({"value": "leeds-bread", "source": "Companies House"}),
        "the provenance stays"
    );
    assert_eq!(get(store, RecordType::Actor, "sub-2")["facts"]["control.controlled_by"], "coops-uk-2017:R10");
    let fund = solidaria_app::finance::fund(store, "bread-fund").unwrap();
    assert_eq!(fund.manager.as_str(), "leeds-bread");
    assert_eq!(fund.public_sources.iter().map(|i| i.as_str()).collect::<Vec<_>>(), ["gov", "leeds-bread"]);
    assert_eq!(
        store.account_actors().unwrap(),
        [(s("baker"), s("leeds-bread")), (s("miller"), s("coops-uk-2017:R10"))]
    );
    // Audited as the merge, in the same log as the relations.
    for (t, k) in [
        (RecordType::Mechanism, "bread-loans"),
        (RecordType::Strategy, "leeds-plan"),
        (RecordType::Case, "bread-case"),
        (RecordType::Actor, "sub"),
    ] {
        let log = store.audit(Some((t, k)), 10).unwrap();
        let last = log.last().unwrap();
        assert_eq!((last.action.as_str(), last.who.clone()), ("update", format!("mo (merge {})", m.id)), "{t} {k}");
        assert_eq!(last.before.as_ref().unwrap()["id"], k);
    }
    let events = store.account_events(50).unwrap();
    assert!(
        events.iter().any(|e| e.who == format!("mo (merge {})", m.id) && e.subject == "baker"),
        "the account's new link is logged as the merge"
    );
    // The merge keeps what it changed.
    let entry = merge::entry(store, m.id).unwrap();
    assert_eq!(entry.doc["references"].as_array().unwrap().len(), 6);

    // Undo: every record, fund and account exactly as before.
    let u = merge::undo(store, &mo, m.id).unwrap();
    assert_eq!(u.references, 6);
    assert_eq!(snapshot(store), before);
    assert_eq!(funds_and_accounts(store), outside_before);
    let log = store.audit(Some((RecordType::Mechanism, "bread-loans")), 10).unwrap();
    assert_eq!(log.last().unwrap().who, format!("mo (undo of merge {})", m.id));
    // The fund still takes postings under its restored definition.
    let receipt = serde_json::json!({"type":"transaction","id":"r2","fund":"bread-fund","date":"2024-03-01",
        "kind":"receipt","amount":"5","counterparty":"coops-uk-2017:R1"});
    assert!(solidaria_app::finance::post(store, "t", &[(1, receipt)]).unwrap().committed);
}

fn an_undo_is_refused_when_a_repointed_record_changed_since(store: &mut dyn Store) {
    use solidaria_app::merge;
    set_up_references(store);
    let mo = moderator(store, "mo");
    let m = merge::merge(store, &mo, "leeds-bread", "coops-uk-2017:R1").unwrap();
    let edit =
        r#"{"type":"mechanism","id":"bread-loans","name":"Bread loans at 2 %","kind":"loan","provider":"leeds-bread"}"#;
    assert!(import_text(store, "edit.jsonl", edit).committed);
    let after_edit = (snapshot(store), funds_and_accounts(store));
    let e = merge::undo(store, &mo, m.id).unwrap_err();
    assert_eq!(e.code, solidaria_app::Code::MergeRefused);
    assert!(e.message.contains("mechanism \"bread-loans\""), "{}", e.message);
    assert_eq!((snapshot(store), funds_and_accounts(store)), after_edit, "a refused undo writes nothing");
    // An account linked elsewhere since the merge refuses too.
    let edit = r#"{"type":"mechanism","id":"bread-loans","name":"Bread loans","kind":"loan","provider":"leeds-bread"}"#;
    assert!(import_text(store, "edit.jsonl", edit).committed);
    assert!(store.set_account_actor("admin", "baker", Some("gov")).unwrap());
    let e = merge::undo(store, &mo, m.id).unwrap_err();
    assert!(e.message.contains("account \"baker\""), "{}", e.message);
    assert!(merge::entry(store, m.id).unwrap().undone_at.is_none());
}

fn an_undo_is_refused_when_the_kept_record_changed_since(store: &mut dyn Store) {
    use solidaria_app::merge;
    assert!(import_text(store, "m.jsonl", MERGE_FIXTURE).committed);
    let mo = moderator(store, "mo");
    let m = merge::merge(store, &mo, "leeds-bread", "lbc-2022").unwrap();
    let edit = r#"{"type":"actor","id":"leeds-bread","name":"Leeds Bread Co-operative"}"#;
    assert!(import_text(store, "edit.jsonl", edit).committed);
    let after_edit = snapshot(store);
    let e = merge::undo(store, &mo, m.id).unwrap_err();
    assert_eq!(e.code, solidaria_app::Code::MergeRefused);
    assert_eq!(e.class(), solidaria_app::error::Class::Conflict);
    assert!(e.message.contains("changed since merge"), "{}", e.message);
    assert_eq!(snapshot(store), after_edit, "a refused undo writes nothing");
    assert!(merge::entry(store, m.id).unwrap().undone_at.is_none());
}

fn alternate_names_are_searched(store: &mut dyn Store) {
    let text = r#"{"type":"actor","id":"suma","name":"Suma Wholefoods","alternate_names":["Triangle Wholefoods Collective"]}
{"type":"actor","id":"other","name":"Other"}"#;
    assert!(import_text(store, "a.jsonl", text).committed);
    let q = solidaria_store::search::ActorSearch { text: Some("triangle".into()), limit: 10, ..Default::default() };
    let page = store.search_actors(&q).unwrap();
    assert_eq!(page.items.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["suma"]);
    assert_eq!(page.items[0].alternate_names, ["Triangle Wholefoods Collective"]);
}

fn an_import_merges_pairs_above_its_threshold_keeping_the_older_record(store: &mut dyn Store) {
    use solidaria_app::import::{Source, import_noting_actors};
    let old = r#"{"type":"actor","id":"z-old","name":"Greenmarque Ltd","identifiers":{"gb_companies_house":"6504771"},"address":{"postcode":"SW9 6BG"}}"#;
    assert!(import_text(store, "old.jsonl", old).committed);
    let new = r#"{"type":"actor","id":"a-new","name":"Greenmarque","identifiers":{"gb_companies_house":"06504771"},"address":{"postcode":"SW9 6BG"}}
{"type":"actor","id":"other","name":"Other Co-op","address":{"postcode":"M60 0AG"}}"#;
    let sources = vec![Source { name: "new.jsonl".into(), entries: Ok(read_lines(new.as_bytes())) }];
    let report = import_noting_actors(store, "test", sources, &mut |_| {}).unwrap();
    assert!(report.committed);
    assert_eq!(report.actors, ["a-new", "other"]);
    let bad = solidaria_app::merge::merge_duplicates(store, "test", 0.2, &report.actors).unwrap_err();
    assert_eq!(bad.code, solidaria_app::Code::QueryInvalid);
    let merges = solidaria_app::merge::merge_duplicates(store, "test", 0.95, &report.actors).unwrap();
    assert_eq!(merges.len(), 1);
    assert_eq!((merges[0].keep.as_str(), merges[0].absorbed.as_str()), ("z-old", "a-new"), "the older record kept");
    assert!(merges[0].score >= 0.95);
    assert!(store.get(RecordType::Actor, "a-new").unwrap().is_none());
    let log = store.audit(Some((RecordType::Actor, "a-new")), 5).unwrap();
    assert_eq!(log.last().unwrap().who, format!("test (--merge-duplicates 0.95) (merge {})", merges[0].id));
    // Nothing left to merge.
    assert!(solidaria_app::merge::merge_duplicates(store, "test", 0.95, &report.actors).unwrap().is_empty());
}

/// What an index kept beside the store reads: the records written after a position, in order,
/// within a range, at most a number; the last position.
fn changes_list_what_was_written_after_a_position(store: &mut dyn Store) {
    let start = store.last_position().unwrap();
    import_text(
        store,
        "a.jsonl",
        "{\"type\":\"actor\",\"id\":\"a\",\"name\":\"A\"}\n{\"type\":\"actor\",\"id\":\"b\",\"name\":\"B\"}\n",
    );
    let mut tx = store.transaction().unwrap();
    assert!(tx.delete("t", RecordType::Actor, "a").unwrap());
    tx.commit().unwrap();
    let all = store.changes(start, None, 100).unwrap();
    let keys: Vec<(&str, &str)> = all.iter().map(|c| (c.record_type.as_str(), c.key.as_str())).collect();
    assert_eq!(keys, [("actor", "a"), ("actor", "b"), ("actor", "a")]);
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(store.last_position().unwrap(), all[2].seq);
    assert_eq!(store.changes(start, None, 1).unwrap().len(), 1);
    assert_eq!(store.changes(all[0].seq, Some(all[1].seq), 100).unwrap(), vec![all[1].clone()]);
    assert!(store.changes(all[2].seq, None, 100).unwrap().is_empty());
}

/// A whole-register pass reads documents undecoded (to decode them on every core): the same
/// records, in the same key order, as the decoded pass; a key in the error of a corrupt document.
fn stored_documents_read_undecoded_decode_to_the_records(store: &mut dyn Store) {
    import_text(store, "real.jsonl", REAL_ORGS);
    let mut decoded = Vec::new();
    store
        .for_each(RecordType::Actor, &mut |r| {
            decoded.push(r);
            Ok(())
        })
        .unwrap();
    let mut raw = Vec::new();
    store
        .for_each_doc(RecordType::Actor, &mut |key, doc| {
            raw.push(solidaria_store::parse_doc(RecordType::Actor, key, doc)?);
            Ok(())
        })
        .unwrap();
    assert!(decoded.len() > 5);
    assert_eq!(raw, decoded);
    let e = solidaria_store::parse_doc(RecordType::Actor, "k1", "{\"type\":\"actor\"").unwrap_err();
    assert!(e.to_string().contains("k1"), "{e}");
}

/// A page of search results is read in one call: the records in the order of the keys asked,
/// keys without a record (deleted, never written) left out, each as `get` reads it.
fn records_read_together_come_in_the_order_asked(store: &mut dyn Store) {
    import_text(store, "real.jsonl", REAL_ORGS);
    let mut keys = Vec::new();
    store
        .for_each_doc(RecordType::Actor, &mut |key, _| {
            keys.push(key.to_string());
            Ok(())
        })
        .unwrap();
    assert!(keys.len() >= 3);
    let asked = [keys[2].as_str(), "no-such-actor", keys[0].as_str(), keys[1].as_str()];
    let got = store.get_many(RecordType::Actor, &asked).unwrap();
    let expected: Vec<Record> = [keys[2].as_str(), keys[0].as_str(), keys[1].as_str()]
        .iter()
        .map(|k| store.get(RecordType::Actor, k).unwrap().unwrap())
        .collect();
    assert_eq!(got, expected);
    assert!(store.get_many(RecordType::Actor, &[]).unwrap().is_empty());
}

/// Real rows of Co-operatives UK's 2017 files (attribution in the fixtures' README).
const ORGANISATIONS_2017: &str = include_str!("../../solidaria-formats/tests/fixtures/coops-uk-2017/organisations.csv");
const OUTLETS_2017: &str = include_str!("../../solidaria-formats/tests/fixtures/coops-uk-2017/outlets.csv");
const OUTLET_PROBLEMS_2017: &str =
    include_str!("../../solidaria-formats/tests/fixtures/coops-uk-2017/outlets-problems.csv");

/// Imports files as `import --from coops-uk-2017` does: each read with the mapping its columns
/// fit, the outlets as sites.
fn import_2017(store: &mut dyn Store, files: &[(&str, &str)]) -> solidaria_app::import::ImportReport {
    use solidaria_app::import::{import_with_sites, mapped_sites, mapped_source};
    use solidaria_formats::mapping::{Mapping, RowsAre};
    let named = Mapping::built_in("coops-uk-2017").unwrap();
    let (mut sources, mut sites) = (Vec::new(), Vec::new());
    for (name, text) in files {
        let m = named.for_file(text.as_bytes()).unwrap();
        let reader = std::io::Cursor::new(text.as_bytes().to_vec());
        if m.rows == RowsAre::Sites {
            sites.push(mapped_sites(name, &m, None, reader).0);
        } else {
            sources.push(mapped_source(name, &m, None, reader).0);
        }
    }
    import_with_sites(store, "test", sources, sites, &mut |_| {}, false).unwrap()
}

fn actor_of(store: &mut dyn Store, id: &str) -> solidaria_core::Actor {
    match store.get(RecordType::Actor, id).unwrap() {
        Some(Record::Actor(a)) => a,
        other => panic!("no actor {id}: {other:?}"),
    }
}

fn site_lines(a: &solidaria_core::Actor) -> Vec<(String, u64)> {
    a.sites
        .iter()
        .map(|s| {
            let src = s.source.as_ref().unwrap();
            (src.dataset.clone(), src.line.unwrap())
        })
        .collect()
}

fn outlets_become_sites_of_their_organisations_all_or_nothing(store: &mut dyn Store) {
    // A malformed row, an orphan outlet and a short row: each named, nothing written.
    let r = import_2017(
        store,
        &[("organisations.csv", ORGANISATIONS_2017), ("outlets-problems.csv", OUTLET_PROBLEMS_2017)],
    );
    assert!(!r.committed);
    let problems: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "outlets-problems.csv:4: \"CUK Organisation ID\" (id): expected a value naming the actor this site belongs to, found an empty cell",
            "outlets-problems.csv:9: \"CUK Organisation ID\" (id): expected the id of the actor this site belongs to, in this import or already in the database, found \"R000001\" (actor coops-uk-2017:R000001), which is neither",
            "outlets-problems.csv:12: file: expected a readable file, found expected 10 cells as in the header, found 9",
        ]
    );
    assert_eq!(store.count(RecordType::Actor).unwrap(), 0, "all or nothing");

    // Both files: every organisation is one actor, written once with its outlets as sites.
    let r = import_2017(store, &[("outlets.csv", OUTLETS_2017), ("organisations.csv", ORGANISATIONS_2017)]);
    assert!(r.committed, "{:?}", r.problems);
    assert_eq!(r.counts.by_type[&RecordType::Actor], (3, 0, 0));
    assert_eq!(r.sites, 6);
    assert_eq!(r.site_actors, ["coops-uk-2017:R000028", "coops-uk-2017:R003235", "coops-uk-2017:R006048"]);
    let wooldale = actor_of(store, "coops-uk-2017:R000028");
    assert_eq!(wooldale.name, "Wooldale Co-operative Society", "the organisation stays the actor");
    let outlets = "coops-uk-2017-outlets".to_string();
    assert_eq!(site_lines(&wooldale), [(outlets.clone(), 7), (outlets.clone(), 9), (outlets.clone(), 11)]);
    assert_eq!(wooldale.sites[2].name.as_deref(), Some("Wooldale Co-operative - Thongsbridge Village Store"));
    assert_eq!(wooldale.sites[2].address.postcode.as_deref(), Some("HD9 7SN"));
    assert_eq!(wooldale.sites[2].source.as_ref().unwrap().licence.as_deref(), Some("ODC-By-1.0"));
    let log = store.audit(Some((RecordType::Actor, "coops-uk-2017:R000028")), 10).unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["insert"], "one version, with its sites");
    assert_eq!(log[0].after.as_ref().unwrap()["sites"].as_array().unwrap().len(), 3);
    // The sites round-trip through an export.
    let exported = export_all(store);
    let again = exported.iter().find(|r| r.key() == "coops-uk-2017:R006048").unwrap();
    assert_eq!(again, &Record::Actor(actor_of(store, "coops-uk-2017:R006048")));
    assert_eq!(parse_record(&again.to_json()).unwrap(), *again);

    // The outlets again, alone: nothing changes.
    let r = import_2017(store, &[("outlets.csv", OUTLETS_2017)]);
    assert!(r.committed, "{:?}", r.problems);
    assert_eq!(r.counts.by_type[&RecordType::Actor], (0, 0, 3));
}

fn a_newer_file_of_outlets_replaces_its_own_sites_and_follows_merges(store: &mut dyn Store) {
    use solidaria_app::merge;
    assert!(import_2017(store, &[("organisations.csv", ORGANISATIONS_2017)]).committed);
    // A site from another source, and True Food merged into a record of another directory.
    let mut wooldale = actor_of(store, "coops-uk-2017:R000028");
    let survey = serde_json::json!({"name": "Wooldale Co-operative - Scholes Store", "address": {"postcode": "HD9 1SN"},
        "source": {"dataset": "own-survey", "line": 4}});
    let mut v = Record::Actor(wooldale.clone()).to_json();
    v["sites"] = serde_json::json!([survey]);
    let other = r#"{"type":"actor","id":"true-food","name":"True Food Co-op","address":{"postcode":"RG4 8LJ"}}"#;
    let text = format!("{}\n{other}", serde_json::to_string(&v).unwrap());
    assert!(import_text(store, "own.jsonl", &text).committed);
    let mo = moderator(store, "mo");
    merge::merge(store, &mo, "true-food", "coops-uk-2017:R006048").unwrap();

    // The outlets, after the organisations: the merged id leads to the record kept.
    let r = import_2017(store, &[("outlets.csv", OUTLETS_2017)]);
    assert!(r.committed, "{:?}", r.problems);
    assert_eq!(r.site_actors, ["coops-uk-2017:R000028", "coops-uk-2017:R003235", "true-food"]);
    assert_eq!(r.counts.by_type[&RecordType::Actor], (0, 3, 0));
    assert_eq!(actor_of(store, "true-food").sites.len(), 2);
    wooldale = actor_of(store, "coops-uk-2017:R000028");
    let outlets = "coops-uk-2017-outlets".to_string();
    assert_eq!(
        site_lines(&wooldale),
        [("own-survey".to_string(), 4), (outlets.clone(), 7), (outlets.clone(), 9), (outlets.clone(), 11)]
    );
    let log = store.audit(Some((RecordType::Actor, "true-food")), 10).unwrap();
    assert_eq!(log.last().unwrap().who, "test");

    // A newer file with fewer outlets: the dataset's sites are replaced, the survey's stay, and
    // the actors it does not name keep theirs (listed).
    let newer: String = OUTLETS_2017.split_inclusive("\r\n").take(3).collect();
    let r = import_2017(store, &[("outlets-2018.csv", &newer)]);
    assert!(r.committed, "{:?}", r.problems);
    assert_eq!(r.sites, 2);
    wooldale = actor_of(store, "coops-uk-2017:R000028");
    assert_eq!(site_lines(&wooldale), [("own-survey".to_string(), 4), (outlets.clone(), 7)]);
    let kept = solidaria_app::import::sites_elsewhere(store, "coops-uk-2017-outlets", &r.site_actors).unwrap();
    assert_eq!(kept, ["true-food"]);
}
