//! The `solidaria` binary end to end: import, export, listing, errors, on SQLite and (when
//! `SOLIDARIA_TEST_PG` is set) PostgreSQL.

use std::path::Path;
use std::process::{Command, Output};

fn solidaria(db: &str, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_solidaria"));
    cmd.args(args).env("SOLIDARIA_DB", db).env("SOLIDARIA_USER", "tester");
    match stdin {
        None => cmd.output().unwrap(),
        Some(input) => {
            use std::io::Write;
            let mut child = cmd
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            child.stdin.take().unwrap().write_all(input).unwrap();
            child.wait_with_output().unwrap()
        }
    }
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn sqlite(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_string()
}

/// Every database this test should run against: two fresh SQLite files, and two fresh PostgreSQL
/// databases when SOLIDARIA_TEST_PG is set (dropped at the end).
struct Dbs {
    urls: Vec<(String, String)>,
    pg: Option<(::postgres::Config, Vec<String>)>,
    _dir: tempfile::TempDir,
}

impl Dbs {
    fn new(tag: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut urls = vec![(sqlite(dir.path(), "a.db"), sqlite(dir.path(), "b.db"))];
        let mut pg = None;
        if let Some(url) = std::env::var("SOLIDARIA_TEST_PG").ok().filter(|u| !u.is_empty()) {
            let admin: ::postgres::Config = url.parse().unwrap();
            let mut c = admin.connect(::postgres::NoTls).unwrap();
            let names: Vec<String> =
                ["a", "b"].iter().map(|x| format!("solidaria_cli_{tag}_{x}_{}", std::process::id())).collect();
            let mut pair = Vec::new();
            for n in &names {
                c.batch_execute(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)")).unwrap();
                c.batch_execute(&format!("CREATE DATABASE {n}")).unwrap();
                let user = admin.get_user().unwrap_or("postgres");
                let host = match admin.get_hosts().first() {
                    Some(::postgres::config::Host::Tcp(h)) => h.clone(),
                    _ => "127.0.0.1".into(),
                };
                let port = admin.get_ports().first().copied().unwrap_or(5432);
                pair.push(format!("postgres://{user}@{host}:{port}/{n}"));
            }
            urls.push((pair[0].clone(), pair[1].clone()));
            pg = Some((admin, names));
        } else {
            eprintln!("PostgreSQL part skipped: set SOLIDARIA_TEST_PG to run it");
        }
        Dbs { urls, pg, _dir: dir }
    }
}

impl Drop for Dbs {
    fn drop(&mut self) {
        if let Some((admin, names)) = &self.pg
            && let Ok(mut c) = admin.connect(::postgres::NoTls)
        {
            for n in names {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)"));
            }
        }
    }
}

#[test]
fn demo_exports_and_reimports_identically_in_jsonl_and_csv() {
    let dbs = Dbs::new("rt");
    for (a, b) in &dbs.urls {
        let loaded = ok(solidaria(a, &["demo"], None));
        assert!(loaded.contains("imported"), "{loaded}");
        let jsonl = ok(solidaria(a, &["export", "--format", "jsonl"], None));
        assert!(jsonl.lines().count() > 5);
        // JSON Lines into a second database, back out: identical.
        ok(solidaria(b, &["import", "-", "--format", "jsonl"], Some(jsonl.as_bytes())));
        assert_eq!(ok(solidaria(b, &["export", "--format", "jsonl"], None)), jsonl, "{a}");
        // CSV of actors and of relations re-imports to the same data.
        let actors = ok(solidaria(a, &["export", "--format", "csv", "--type", "actor"], None));
        let relations = ok(solidaria(a, &["export", "--format", "csv", "--type", "relation"], None));
        let dir = tempfile::tempdir().unwrap();
        let (fa, fr) = (dir.path().join("actors.csv"), dir.path().join("relations.csv"));
        std::fs::write(&fa, &actors).unwrap();
        std::fs::write(&fr, &relations).unwrap();
        let report = ok(solidaria(b, &["import", fa.to_str().unwrap(), fr.to_str().unwrap()], None));
        assert!(report.contains("unchanged"), "{report}");
        assert!(!report.contains(" 1 updated") && report.contains("0 updated"), "CSV changed data: {report}");
        assert_eq!(ok(solidaria(b, &["export", "--format", "csv"], None)), actors);
        // JSON array output reads back too.
        let array = ok(solidaria(a, &["export", "--format", "json"], None));
        assert!(array.starts_with("[\n"));
        ok(solidaria(b, &["import", "-", "--format", "json"], Some(array.as_bytes())));
        assert_eq!(ok(solidaria(b, &["export", "--format", "jsonl"], None)), jsonl);
    }
}

#[test]
fn a_file_with_one_bad_line_is_refused_whole_and_named() {
    let dbs = Dbs::new("bad");
    for (a, _) in &dbs.urls {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("orgs.jsonl");
        let text = "{\"type\":\"actor\",\"id\":\"good-1\",\"name\":\"Good One\"}\n\
                    {\"type\":\"actor\",\"id\":\"bad\",\"name\":\"Bad\",\"facts\":{\"governance.voting_rule\":\"one_dollar_one_vote\"}}\n\
                    {\"type\":\"actor\",\"id\":\"good-2\",\"name\":\"Good Two\"}\n";
        std::fs::write(&file, text).unwrap();
        let out = solidaria(a, &["import", file.to_str().unwrap()], None);
        assert!(!out.status.success());
        let stderr = String::from_utf8(out.stderr).unwrap();
        let want = format!(
            "{}:2: facts.governance.voting_rule: expected one of \"one_member_one_vote\", \"capped_weighted\", \"capital_weighted\", \"appointed_board\", \"no_members\", found \"one_dollar_one_vote\"",
            file.to_str().unwrap()
        );
        assert!(stderr.lines().any(|l| l == want), "{stderr}");
        assert!(stderr.contains("nothing was written: 1 problem in 3 records read"), "{stderr}");
        let listed = ok(solidaria(a, &["actors", "list", "--format", "jsonl"], None));
        assert_eq!(listed, "", "nothing may be written");
    }
}

#[test]
fn db_option_works_after_the_subcommand_and_env_is_the_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let explicit = sqlite(dir.path(), "explicit.db");
    let from_env = sqlite(dir.path(), "env.db");
    ok(solidaria(&from_env, &["demo", "--db", &explicit], None));
    assert!(
        ok(solidaria(&from_env, &["actors", "list", "--db", &explicit, "--format", "jsonl"], None)).lines().count() > 3
    );
    assert_eq!(ok(solidaria(&from_env, &["actors", "list", "--format", "jsonl"], None)), "");
}

#[test]
fn listing_filters_by_nested_territory_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "l.db");
    ok(solidaria(&db, &["demo"], None));
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&ok(solidaria(&db, &["actors", "list", "--format", "json"], None))).unwrap();
    let in_ca: Vec<serde_json::Value> =
        serde_json::from_str(&ok(solidaria(&db, &["actors", "list", "--territory", "CA", "--format", "json"], None)))
            .unwrap();
    assert!(!in_ca.is_empty() && in_ca.len() < all.len());
    for a in &in_ca {
        let t = a["territory"].as_str().unwrap();
        assert!(t == "CA" || t.starts_with("CA-"), "{t}");
    }
    let bad = solidaria(&db, &["actors", "list", "--territory", "CA-ZZ"], None);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("shaped like an ISO code but is not one"));
    let table = ok(solidaria(&db, &["actors", "list", "--q", "desjardins"], None));
    assert!(table.lines().next().unwrap().starts_with("ID "), "{table}");
    assert!(table.to_lowercase().contains("desjardins"));
}

#[test]
fn show_explains_facts_with_their_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "s.db");
    ok(solidaria(&db, &["demo"], None));
    let first: Vec<serde_json::Value> =
        serde_json::from_str(&ok(solidaria(&db, &["actors", "list", "--format", "json"], None))).unwrap();
    let with_source = first
        .iter()
        .find(|a| a["facts"].as_object().is_some_and(|f| f.values().any(|v| v.get("source").is_some())))
        .expect("the demo has sourced facts");
    let id = with_source["id"].as_str().unwrap();
    let text = ok(solidaria(&db, &["actors", "show", id], None));
    assert!(text.contains("evidence: "), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(solidaria(&db, &["actors", "show", id, "--format", "json"], None))).unwrap();
    assert_eq!(json["actor"]["id"], id);
    let missing = solidaria(&db, &["actors", "show", "no-such-actor"], None);
    assert!(!missing.status.success());
}

#[test]
fn audit_names_who_and_what() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "a.db");
    ok(solidaria(
        &db,
        &["import", "-", "--format", "jsonl"],
        Some(b"{\"type\":\"actor\",\"id\":\"x\",\"name\":\"X\"}\n"),
    ));
    ok(solidaria(
        &db,
        &["import", "-", "--format", "jsonl"],
        Some(b"{\"type\":\"actor\",\"id\":\"x\",\"name\":\"Y\"}\n"),
    ));
    let log = ok(solidaria(&db, &["audit", "--record", "actor:x", "--format", "jsonl"], None));
    let entries: Vec<serde_json::Value> = log.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["who"], "cli:tester");
    assert_eq!(entries[1]["before"]["name"], "X");
    assert_eq!(entries[1]["after"]["name"], "Y");
}

#[test]
fn postgres_password_is_not_echoed() {
    let out = solidaria("postgres://someone:s3cret-pw@127.0.0.1:1/none", &["actors", "list"], None);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("s3cret-pw"), "{stderr}");
    assert!(stderr.contains("***"), "{stderr}");
}

/// `solidaria export | head` and the like: when the reader goes away, the program stops quietly
/// with success instead of printing an error or panicking.
#[test]
fn a_closed_output_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "pipe.db");
    ok(solidaria(&db, &["demo"], None));
    for args in [&["export", "--format", "csv"][..], &["export", "--format", "jsonl"], &["vocabulary"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_solidaria"))
            .args(args)
            .env("SOLIDARIA_DB", &db)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the program has written anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert!(out.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
