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
            // A command that refuses its arguments exits before reading: a broken pipe is fine.
            let _ = child.stdin.take().unwrap().write_all(input);
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

/// The demo published for other systems (issue #14 item 3): one JSON-LD document of
/// organizations, and one Murmurations profile per actor, with the addresses of --base-url; and
/// neither is an import format.
#[test]
fn the_demo_publishes_as_json_ld_and_murmurations() {
    let dbs = Dbs::new("pub");
    for (a, _) in &dbs.urls {
        ok(solidaria(a, &["demo"], None));
        let actors = ok(solidaria(a, &["export", "--format", "jsonl", "--type", "actor"], None)).lines().count();
        let base = ["--base-url", "https://sse.example.org/"];
        let ld = ok(solidaria(a, &[&["export", "--format", "jsonld"][..], &base].concat(), None));
        let doc: serde_json::Value = serde_json::from_str(&ld).unwrap();
        assert_eq!(doc["@context"], "https://sse.example.org/context.jsonld");
        let graph = doc["@graph"].as_array().unwrap();
        assert_eq!(graph.len(), actors, "{a}");
        assert!(graph.iter().all(|n| n["@type"] == "Organization"
            && n["@id"].as_str().unwrap().starts_with("https://sse.example.org/actors/")));
        let m =
            ok(solidaria(a, &[&["export", "--format", "murmurations", "--type", "actor"][..], &base].concat(), None));
        let profiles: Vec<serde_json::Value> = m.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(profiles.len(), actors);
        assert!(profiles.iter().all(|p| p["linked_schemas"][0] == "organizations_schema-v1.0.0"
            && p["primary_url"].as_str().unwrap().starts_with("http")));
        // Not importable: import does not know these formats.
        let out = solidaria(a, &["import", "-", "--format", "jsonld"], Some(ld.as_bytes()));
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
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
    // The environment's database is the one used (and, missing, refused rather than created).
    let fallback = solidaria(&from_env, &["actors", "list", "--format", "jsonl"], None);
    assert_eq!(fallback.status.code(), Some(66));
    assert!(String::from_utf8_lossy(&fallback.stderr).contains("env.db"));
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
    for args in [
        &["export", "--format", "csv"][..],
        &["export", "--format", "jsonl"],
        &["vocabulary"],
        &["finance", "export", "--fund", "demo-sff-quebec", "--format", "cids"],
        &["finance", "report", "--fund", "demo-sff-quebec"],
        &["finance", "mechanisms", "--format", "json"],
        &["finance", "funds"],
        &["mappings"],
        &["actors", "show", "utile"],
    ] {
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

const LISTED_COMPANY: &str = r#"{"type":"actor","id":"bigco","name":"BigCo plc","legal_form":{"family":"company"},"claims":["sse","social_innovation"],"facts":{"purpose.primary":"private_profit","governance.voting_rule":"capital_weighted","control.investor_share":0.9,"control.public_share":0,"listing.regulated_market":true,"assets.lock":false,"reserves.indivisible":false}}"#;

#[test]
fn screening_a_file_explains_verdicts_and_flags_claims() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "s.db");
    let out = ok(solidaria(
        &db,
        &["screen", "--profile", "un-2023,oecd-2022", "--format", "json", "-"],
        Some(LISTED_COMPANY.as_bytes()),
    ));
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["subject"], "bigco");
    assert_eq!(lines[0]["profile"], "un-2023");
    assert_eq!(lines[0]["profile_version"], "1.0.0");
    assert_eq!(lines[0]["verdict"], "does_not_qualify");
    let criteria = lines[0]["criteria"].as_array().unwrap();
    assert!(criteria.iter().all(|c| c["citation"].as_str().is_some_and(|s| s.contains("A/RES/77/281"))));
    let purpose = criteria.iter().find(|c| c["id"] == "purpose").unwrap();
    assert_eq!(purpose["outcome"], "fail");
    assert!(purpose["reason"].as_str().unwrap().contains("private_profit"));
    assert_eq!(lines[0]["claim_mismatches"][0]["claim"], "sse");
    assert_eq!(lines[0]["facts_used"]["purpose.primary"], "private_profit");
    assert_eq!(lines[0]["facts_used"]["membership.open_voluntary"], serde_json::Value::Null);
    let claims: Vec<&str> =
        lines[1]["claim_mismatches"].as_array().unwrap().iter().map(|m| m["claim"].as_str().unwrap()).collect();
    assert_eq!(claims, ["sse", "social_innovation"]);
    // The readable report says the same.
    let text = ok(solidaria(&db, &["screen", "--profile", "un-2023", "-"], Some(LISTED_COMPANY.as_bytes())));
    assert!(text.contains("BigCo plc (bigco) under un-2023 v1.0.0: DOES NOT QUALIFY"), "{text}");
    assert!(text.contains("! claim mismatch: claims \"sse\""), "{text}");
}

#[test]
fn screening_says_which_facts_are_self_declared() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "s.db");
    let coop = r#"{"type":"actor","id":"coop","name":"Coop","legal_form":{"family":"cooperative"},"facts":{"purpose.primary":"mutual_interest","membership.open_voluntary":{"value":true,"source":"Statutes art. 3","assurance":"verified"},"governance.voting_rule":{"value":"one_member_one_vote","source":"self-assessment by the organization","assurance":"self_declared"},"control.public_share":0,"control.investor_share":0,"surplus.distribution_allowed":false,"assets.lock":{"value":true,"assurance":"self_declared"}}}"#;
    let out = ok(solidaria(&db, &["screen", "--profile", "un-2023", "--format", "json", "-"], Some(coop.as_bytes())));
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["verdict"], "qualifies");
    assert_eq!(v["self_declared"], serde_json::json!(["assets.lock", "governance.voting_rule"]));
    assert_eq!(v["facts_used"]["governance.voting_rule"]["assurance"], "self_declared");
    let democratic = v["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "democratic").unwrap();
    assert!(
        democratic["reason"].as_str().unwrap().starts_with("self-declared: governance.voting_rule"),
        "{democratic}"
    );
    let text = ok(solidaria(&db, &["screen", "--profile", "un-2023", "-"], Some(coop.as_bytes())));
    assert!(
        text.contains("! rests on 2 self-declared fact(s), not verified: assets.lock, governance.voting_rule"),
        "{text}"
    );
    assert!(text.contains("self-declared: governance.voting_rule is one_member_one_vote"), "{text}");
}

#[test]
fn screening_refuses_bad_input_and_unknown_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "s.db");
    let bad = format!(
        "{LISTED_COMPANY}\n{{\"type\":\"actor\",\"id\":\"x\",\"name\":\"X\",\"facts\":{{\"assets.lock\":\"yes\"}}}}\n"
    );
    let out = solidaria(&db, &["screen", "--profile", "un-2023", "-"], Some(bad.as_bytes()));
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("-:2: facts.assets.lock: expected true or false"), "{err}");
    let out = solidaria(&db, &["screen", "--profile", "un-2024", "--all"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no built-in profile \"un-2024\""));
    let out = solidaria(&db, &["screen", "--all"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("name at least one profile"));
}

#[test]
fn own_profiles_are_validated_with_line_numbers_and_used() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "s.db");
    let good = dir.path().join("network.toml");
    std::fs::write(
        &good,
        r#"id = "my-network"
title = "Membership charter of my network"
version = "2"
instrument = "Charter of My Network (2024)"
jurisdiction = "CA-QC"
adopted = "2024-03"
source_url = "https://example.org/charter"
subject = "actor"
claims = ["sse"]

[[criteria]]
id = "one-vote"
title = "One member, one vote"
kind = "mandatory"
grade = "A"
citation = "Charter, art. 4"
test = { fact = "governance.voting_rule", eq = "one_member_one_vote" }
"#,
    )
    .unwrap();
    let said = ok(solidaria(&db, &["profiles", "validate", good.to_str().unwrap()], None));
    assert!(said.contains("valid profile my-network v2 with 1 criteria (1 mandatory)"), "{said}");
    let out = ok(solidaria(
        &db,
        &["screen", "--profile-file", good.to_str().unwrap(), "--format", "json", "-"],
        Some(LISTED_COMPANY.as_bytes()),
    ));
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["profile"], "my-network");
    assert_eq!(v["verdict"], "does_not_qualify");
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(&good).unwrap().replace("grade = \"A\"", "grade = \"C\"");
    std::fs::write(&bad, text).unwrap();
    let out = solidaria(&db, &["profiles", "validate", bad.to_str().unwrap()], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:14: one-vote: a criterion graded C", bad.to_str().unwrap())), "{err}");
}

#[test]
fn profiles_list_every_builtin_with_its_citations() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "p.db");
    let list: serde_json::Value =
        serde_json::from_str(&ok(solidaria(&db, &["profiles", "--format", "json"], None))).unwrap();
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 19);
    assert!(ids.contains(&"qc-2013") && ids.contains(&"kr-2007"));
    let case_profiles: Vec<&str> =
        list.as_array().unwrap().iter().filter(|p| p["subject"] == "case").map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(case_profiles, ["si-strength"]);
    let programme: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["subject"] == "programme")
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(programme, ["programme-social-dimension"]);
    for p in list.as_array().unwrap() {
        assert!(p["criteria"].as_u64().unwrap() >= 3, "{p}");
        assert!(!p["instrument"].as_str().unwrap().is_empty());
    }
    let shown: serde_json::Value =
        serde_json::from_str(&ok(solidaria(&db, &["profiles", "show", "fr-esus", "--format", "json"], None))).unwrap();
    let pay = shown["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "pay.top5").unwrap();
    assert_eq!(pay["test"], serde_json::json!({"fact": "pay.top5_to_min_wage", "le": 7.0}));
    assert!(pay["citation"].as_str().unwrap().contains("L3332-17-1 I 3° a)"));
}

#[test]
fn saved_screenings_show_on_the_actor_on_every_backend() {
    let dbs = Dbs::new("scr");
    for (a, _) in &dbs.urls {
        ok(solidaria(a, &["demo"], None));
        let summary = ok(solidaria(a, &["screen", "--profile", "all", "--all", "--save"], None));
        assert!(summary.contains("Screened 82 actor(s) under 17 profile(s); saved in the history."), "{summary}");
        // The fast summary path agrees with the full screenings, profile by profile.
        let fast = ok(solidaria(a, &["screen", "--profile", "all", "--all", "--format", "summary"], None));
        let table =
            |t: &str| t.lines().skip_while(|l| !l.starts_with("PROFILE")).map(str::to_string).collect::<Vec<_>>();
        assert_eq!(table(&fast), table(&summary));
        assert_eq!(table(&fast).len(), 18);
        let shown = ok(solidaria(a, &["actors", "show", "desjardins"], None));
        assert!(shown.contains("Screenings (latest saved per profile: 17)"), "{shown}");
        assert!(shown.contains("qc-2013 v1.0.0: "), "{shown}");
        let json: serde_json::Value =
            serde_json::from_str(&ok(solidaria(a, &["actors", "show", "desjardins", "--format", "json"], None)))
                .unwrap();
        let saved = json["screenings"].as_array().unwrap();
        assert_eq!(saved.len(), 17);
        assert_eq!(saved[0]["who"], "cli:tester");
        assert!(saved.iter().all(|s| s["screening"]["facts_used"].is_object()));
    }
}

const SIRENE_HEADER: &str = "siren,denominationUniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,etatAdministratifUniteLegale,economieSocialeSolidaireUniteLegale";

fn register_file(dir: &Path, body: &[u8]) -> String {
    let path = dir.join("StockUniteLegale.csv");
    let mut text = format!("{SIRENE_HEADER}\n").into_bytes();
    text.extend_from_slice(body);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn register_screening_counts_rules_and_reports_bad_rows_without_stopping() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = Vec::new();
    body.extend_from_slice(b"100000001,ASSO,9220,94.99Z,NAFRev2,A,O\n"); // line 2: ess_by_status
    body.extend_from_slice(b"100000002,\"SCOP, ateliers\nde la gare\",5458,43.21A,NAFRev2,A,N\n"); // lines 3-4: quoted newline; conflict
    body.extend_from_slice(b"100000003,SAS,5710,62.01Z,NAFRev2,A,O\n"); // line 5: ess_company
    body.extend_from_slice(b"100000004,MAIRIE,7210,84.11Z,NAFRev2,A,N\n"); // line 6: not_ess (activity)
    body.extend_from_slice(b"100000005,OLD,9220,52.4Z,NAFRev1,C,O\n"); // line 7: ceased
    body.extend_from_slice(b"100000006,SHORT,9220\n"); // line 8: wrong column count
    body.extend_from_slice(b"100000007,BAD \xff NAME,9220,94.99Z,NAFRev2,A,O\n"); // line 9: invalid UTF-8
    body.extend_from_slice(b"100000008,X,1234,94.99Z,NAFRev2,A,O\n"); // line 10: unknown legal category
    let file = register_file(dir.path(), &body);
    let out_csv = dir.path().join("verdicts.csv");
    let db = sqlite(dir.path(), "unused.db");
    let out = ok(solidaria(
        &db,
        &["register", "screen", "--input", &file, "--format", "json", "--output", out_csv.to_str().unwrap()],
        None,
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], 8);
    assert_eq!(v["by_verdict"], serde_json::json!({"ceased": 1, "not_ess": 1, "ess_by_status": 2, "ess_company": 1}));
    assert_eq!(v["flag_conflicts"], serde_json::json!({"ess_family_without_flag": 1, "flag_without_ess_family": 1}));
    assert_eq!(v["malformed"]["total"], 3);
    assert_eq!(v["malformed"]["wrong_column_count"], 1);
    assert_eq!(v["malformed"]["invalid_utf8"], 1);
    assert_eq!(v["malformed"]["unknown_legal_category"], 1);
    let lines: Vec<u64> =
        v["malformed"]["examples"].as_array().unwrap().iter().map(|e| e["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [8, 9, 10]);
    let counts = v["counts"].as_array().unwrap();
    assert!(counts.contains(
        &serde_json::json!({"verdict": "ess_by_status", "family": "cooperative", "section": "F", "count": 1})
    ));
    assert!(
        counts.contains(&serde_json::json!({"verdict": "ceased", "family": "association", "section": "?", "count": 1}))
    );
    // One output line per row, in file order, with its reason.
    let written = std::fs::read_to_string(&out_csv).unwrap();
    let rows: Vec<&str> = written.lines().collect();
    assert_eq!(rows[0], "siren,verdict,family,section,reason");
    assert_eq!(rows.len(), 9);
    assert!(
        rows[1].starts_with("100000001,ess_by_status,association,S,\"a cooperative, mutual, association or foundation")
    );
    assert!(rows[3].starts_with("100000003,ess_company,other,J,"));
    assert_eq!(rows[6], "100000006,malformed,,,wrong_column_count");
    // --strict stops at malformed rows; a missing column stops before any work.
    let strict = solidaria(&db, &["register", "screen", "--input", &file, "--strict"], None);
    assert!(!strict.status.success());
    assert!(String::from_utf8_lossy(&strict.stderr).contains("line 8: expected 7 fields, found 3"));
    let headless = dir.path().join("other.csv");
    std::fs::write(&headless, "siren,nom\n1,x\n").unwrap();
    let missing = solidaria(&db, &["register", "screen", "--input", headless.to_str().unwrap()], None);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no column \"categorieJuridiqueUniteLegale\""));
}

/// Blocks are cut at record boundaries: a register larger than one read block, with quoted
/// newlines, gives the same counts with one thread and with several.
#[test]
fn register_blocks_cut_between_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = Vec::new();
    for i in 0..120_000u32 {
        let name = if i % 7 == 0 { format!("\"NAME {i},\nSECOND LINE\"") } else { format!("NAME {i}") };
        let (cj, naf, state, flag) = match i % 5 {
            0 => ("9220", "94.99Z", "A", "O"),
            1 => ("5710", "62.01Z", "A", "N"),
            2 => ("5458", "", "C", "O"),
            3 => ("1000", "84.11Z", "A", "N"),
            _ => ("5710", "70.22Z", "A", "O"),
        };
        body.extend_from_slice(format!("{},{name},{cj},{naf},NAFRev2,{state},{flag}\n", 100_000_000 + i).as_bytes());
    }
    let file = register_file(dir.path(), &body);
    let db = sqlite(dir.path(), "unused.db");
    let run = |threads: &str| -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(&ok(solidaria(
            &db,
            &["register", "screen", "--input", &file, "--format", "json", "--threads", threads],
            None,
        )))
        .unwrap();
        v.as_object_mut().unwrap().remove("elapsed_s");
        v
    };
    let one = run("1");
    assert_eq!(one["rows"], 120_000);
    assert_eq!(one["malformed"]["total"], 0);
    assert_eq!(
        one["by_verdict"],
        serde_json::json!({"ceased": 24000, "not_ess": 48000, "ess_by_status": 24000, "ess_company": 24000})
    );
    assert_eq!(run("3"), one);
}

#[test]
fn register_import_loads_the_ess_rows_as_actors_on_every_backend() {
    let dir = tempfile::tempdir().unwrap();
    let body = b"100000001,ASSO DU QUARTIER,9220,94.99Z,NAFRev2,A,O\n100000002,SCOP,5458,43.21A,NAFRev2,A,N\n100000003,SAS SOLIDAIRE,5710,62.01Z,NAFRev2,A,O\n100000004,SAS,5710,62.01Z,NAFRev2,A,N\n100000005,OLD,9220,,,C,O\n";
    let file = register_file(dir.path(), body);
    let dbs = Dbs::new("reg");
    for (a, _) in &dbs.urls {
        let out = ok(solidaria(a, &["register", "screen", "--input", &file, "--import"], None));
        assert!(out.contains("actors       3 new"), "{out}");
        let exported = ok(solidaria(a, &["export", "--format", "jsonl", "--type", "actor"], None));
        let actors: Vec<serde_json::Value> = exported.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let ids: Vec<&str> = actors.iter().map(|v| v["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["fr-siren-100000001", "fr-siren-100000002", "fr-siren-100000003"]);
        assert_eq!(
            actors[0]["legal_form"],
            serde_json::json!({"family": "association", "code": "INSEE-CJ-9220", "label": "Association déclarée"})
        );
        assert_eq!(actors[0]["claims"], serde_json::json!(["sse"]));
        assert_eq!(actors[1]["claims"], serde_json::Value::Null);
        assert_eq!(actors[2]["legal_form"]["family"], serde_json::Value::Null);
        assert_eq!(actors[2]["facts"]["register.activity"]["value"], "62.01Z");
        // The register's ess_by_status rows qualify under the law they were classified by: the
        // two paths agree (issue #13), and the SAS flagged ESS by the register stays undecided.
        let screened = ok(solidaria(a, &["screen", "--all", "--profile", "fr-ess-2014", "--format", "json"], None));
        let verdicts: Vec<(String, String)> = screened
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| (v["subject"].as_str().unwrap().to_string(), v["verdict"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(
            verdicts,
            [
                ("fr-siren-100000001".to_string(), "qualifies".to_string()),
                ("fr-siren-100000002".to_string(), "qualifies".to_string()),
                ("fr-siren-100000003".to_string(), "insufficient_evidence".to_string()),
            ]
        );
        // Running it again changes nothing.
        let again = ok(solidaria(a, &["register", "screen", "--input", &file, "--import"], None));
        assert!(again.contains("0 new, 0 updated, 3 unchanged"), "{again}");
    }
}

#[test]
fn register_import_reports_ess_rows_whose_id_cannot_be_loaded_or_fails_when_strict() {
    // Fails without the fix: "imported 1 record", the two other ESS rows skipped silently.
    let dir = tempfile::tempdir().unwrap();
    let body = b"100000001,ASSO,9220,94.99Z,NAFRev2,A,O\n,ASSO SANS ID,9220,94.99Z,NAFRev2,A,O\n10-02,ASSO TIRET,9220,94.99Z,NAFRev2,A,O\n";
    let file = register_file(dir.path(), body);
    let db = sqlite(dir.path(), "r.db");
    let out = ok(solidaria(&db, &["register", "screen", "--input", &file, "--import"], None));
    assert!(out.contains("ESS rows not imported, their id cannot make an actor id: 2"), "{out}");
    assert!(out.contains("line 3: id \"\"") && out.contains("line 4: id \"10-02\""), "{out}");
    let strict = solidaria(&db, &["register", "screen", "--input", &file, "--import", "--strict"], None);
    assert!(!strict.status.success());
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.contains("line 3: id \"\""), "{stderr}");
}

const COMMONS: &str = r#"{"type":"territory","id":"ZA","facts":{"context.income_level":"upper_middle","context.formal_credit_access":{"value":0.3,"source":"test"}}}
{"type":"territory","id":"ZA-GP","facts":{"context.local_trust_reliance":"high"}}
{"type":"territory","id":"CA","facts":{"context.income_level":"high","context.formal_credit_access":0.95}}
{"type":"territory","id":"X-SUBURB","name":"A prosperous suburb","parent":"CA","facts":{"context.local_trust_reliance":"low"}}
{"type":"case","id":"credit-coop","name":"Suburban credit cooperative","territory":"X-SUBURB","kind":"organization","facts":{"si.community_empowerment":true,"si.addresses_root_causes":true,"si.collective_action":true,"si.actor_types":3,"si.led_by":"sse_organization","si.permanence":"organization"},"preconditions":[{"key":"context.formal_credit_access","op":">=","value":0.6,"reason":"members refinance with banks"},{"key":"context.local_trust_reliance","op":"in","value":["low","medium"],"reason":"formal membership rules replace trust","kind":"supportive"}]}
{"type":"case","id":"tech-fund","name":"Deep-tech competitiveness fund","territory":"CA","kind":"programme","facts":{"programme.social_from_outset":false,"programme.co_constructed":false}}
{"type":"case","id":"volunteer-day","name":"Corporate volunteering day","territory":"CA","kind":"service","facts":{"si.collective_action":false,"si.led_by":"corporate","si.permanence":"one_off","si.community_empowerment":false}}
"#;

#[test]
fn innovation_strength_and_transfer_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "c.db");
    ok(solidaria(&db, &["import", "-", "--format", "jsonl"], Some(COMMONS.as_bytes())));
    let assessed: Vec<serde_json::Value> = ok(solidaria(&db, &["innovation", "assess", "--format", "json"], None))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(assessed.len(), 3);
    assert_eq!(assessed[0]["case"], "credit-coop");
    assert_eq!(assessed[0]["class"], "strong");
    assert_eq!(assessed[2]["class"], "weak");
    let dims = assessed[2]["dimensions"].as_array().unwrap();
    let permanence = dims.iter().find(|d| d["id"] == "permanence").unwrap();
    assert_eq!(permanence["outcome"], "fail");
    assert!(permanence["reason"].as_str().unwrap().contains("si.permanence is one_off"));
    assert!(permanence["citation"].as_str().unwrap().contains("UNTFSSE"));
    // To a township: the essential credit precondition fails and is named.
    let t: serde_json::Value = serde_json::from_str(&ok(solidaria(
        &db,
        &["transfer", "--case", "credit-coop", "--territory", "ZA-GP", "--format", "json"],
        None,
    )))
    .unwrap();
    assert_eq!(t["fit"], "does_not_fit");
    assert_eq!(t["preconditions"][0]["key"], "context.formal_credit_access");
    assert_eq!(t["preconditions"][0]["outcome"], "fail");
    assert!(t["preconditions"][0]["reason"].as_str().unwrap().contains("(from ZA)"));
    assert_eq!(t["preconditions"][1]["outcome"], "fail");
    assert!(t["similarity"]["score"].as_f64().unwrap() < 0.5);
    // To a similar context (Canada, whose facts the suburb inherits): fits.
    let home: serde_json::Value = serde_json::from_str(&ok(solidaria(
        &db,
        &["transfer", "--case", "credit-coop", "--territory", "CA", "--format", "json"],
        None,
    )))
    .unwrap();
    // Canada documents no trust reliance: the supportive precondition is unknown, which does not
    // keep the case from fitting.
    assert_eq!(home["fit"], "fits");
    assert_eq!(home["preconditions"][1]["outcome"], "unknown");
    let text = ok(solidaria(&db, &["transfer", "--case", "credit-coop", "--territory", "X-SUBURB"], None));
    assert!(text.contains("from X-SUBURB to X-SUBURB: FITS"), "{text}");
    // Recommendations for the suburb: the strong case that fits comes first and is recommended.
    let rec: Vec<serde_json::Value> =
        ok(solidaria(&db, &["innovation", "recommend", "--territory", "X-SUBURB", "--format", "json"], None))
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    assert_eq!(rec[0]["case"], "credit-coop");
    assert_eq!(rec[0]["recommended"], true);
    assert_eq!(rec[1]["recommended"], false);
    // Programmes: the fund that leaves the social dimension out fails, and says why.
    let progs: Vec<serde_json::Value> = ok(solidaria(&db, &["innovation", "programmes", "--format", "json"], None))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(progs.len(), 1);
    assert_eq!(progs[0]["subject"], "tech-fund");
    assert_eq!(progs[0]["verdict"], "does_not_qualify");
    assert_eq!(progs[0]["criteria"][0]["reason"], "programme.social_from_outset is false, not true");
    // Cases can be listed by territory (nested ones included) and text, and shown.
    let listed = ok(solidaria(&db, &["cases", "list", "--territory", "CA"], None));
    assert!(
        listed.contains("credit-coop") && listed.contains("volunteer-day") && listed.ends_with("3 cases\n"),
        "{listed}"
    );
    let found = ok(solidaria(&db, &["cases", "list", "--q", "VOLUNTEERING", "--format", "json"], None));
    assert_eq!(found.lines().count(), 1);
    assert!(found.contains("\"id\":\"volunteer-day\""));
    let shown = ok(solidaria(&db, &["cases", "show", "credit-coop"], None));
    assert!(
        shown.contains("[essential] context.formal_credit_access >= 0.6 — members refinance with banks"),
        "{shown}"
    );
    // A case profile cannot screen actors.
    let out = solidaria(&db, &["screen", "--profile", "si-strength", "--all"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("screens cases, not actors"));
}

const ECOSYSTEM: &str = r#"{"type":"territory","id":"region-q","name":"Region Q","parent":"CA"}
{"type":"actor","id":"coop-a","name":"Coop A","category":"sse_organization","territory":"region-q"}
{"type":"actor","id":"coop-b","name":"Coop B","category":"sse_organization","territory":"region-q"}
{"type":"actor","id":"hub","name":"Hub","category":"support_network","territory":"region-q"}
{"type":"actor","id":"uni","name":"University","category":"knowledge_institution","territory":"region-q"}
{"type":"actor","id":"fund","name":"Fund","category":"finance_provider","territory":"CA-ON"}
{"type":"relation","from":"coop-a","to":"hub","kind":"member_of"}
{"type":"relation","from":"hub","to":"coop-a","kind":"supports"}
{"type":"relation","from":"coop-b","to":"hub","kind":"member_of"}
{"type":"relation","from":"hub","to":"uni","kind":"researches_with"}
{"type":"relation","from":"fund","to":"hub","kind":"funds"}
"#;

#[test]
fn diagnose_scores_blocks_finds_brokers_and_compares_territories() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "e.db");
    ok(solidaria(&db, &["import", "-", "--format", "jsonl"], Some(ECOSYSTEM.as_bytes())));
    let v: serde_json::Value =
        serde_json::from_str(&ok(solidaria(&db, &["diagnose", "--territory", "region-q", "--format", "json"], None)))
            .unwrap();
    assert_eq!(v["territory"], "region-q");
    assert_eq!(v["building_blocks"].as_array().unwrap().len(), 7);
    assert_eq!(v["building_blocks"][0]["id"], "capacity_building");
    // region-q: 4 actors; the fund is in Ontario, so its link does not count here; the reciprocal
    // relation between coop-a and the hub counts once.
    assert_eq!(v["network"]["nodes"], 4);
    assert_eq!(v["network"]["edges"], 3);
    assert_eq!(v["network"]["components"], 1);
    // The hub lies on every shortest path between the others: (3 pairs) / ((n-1)(n-2)/2 = 3) = 1.
    assert_eq!(v["network"]["brokers"][0]["id"], "hub");
    assert_eq!(v["network"]["brokers"][0]["betweenness"], 1.0);
    assert_eq!(v["network"]["brokers"][0]["bridges"], serde_json::json!(["knowledge_institution", "sse_organization"]));
    // A star: any wiring of these degrees puts the hub there, so it does not stand out, but it
    // alone bridges its two categories: the cover shortlists it, with the pair as its reason.
    assert_eq!(v["network"]["brokers"][0]["stands_out"], false);
    assert_eq!(
        v["network"]["brokers"][0]["covers"],
        serde_json::json!([["knowledge_institution", "sse_organization"]])
    );
    assert_eq!(v["network"]["shortlist"], serde_json::json!(["hub"]));
    let text = ok(solidaria(&db, &["diagnose", "--territory", "region-q"], None));
    assert!(text.contains("Brokers to contact first (1 of 1"), "{text}");
    assert!(text.contains("(hub): first to bridge knowledge_institution and sse_organization"), "{text}");
    let gaps: Vec<&str> = v["gaps"].as_array().unwrap().iter().map(|g| g.as_str().unwrap()).collect();
    assert!(gaps.contains(&"finance: no actor of region-q serves this block"), "{gaps:?}");
    // CA includes region-q and Ontario: the fund now counts, and the suggestions link it to the co-ops.
    let ca: serde_json::Value = serde_json::from_str(&ok(solidaria(
        &db,
        &["diagnose", "--territory", "CA", "--compare", "region-q", "--format", "json"],
        None,
    )))
    .unwrap();
    assert_eq!(ca["compare"][0]["network"]["nodes"], 5);
    let finance = &ca["differences"][1];
    assert_eq!(finance["block"], "finance");
    assert!(finance["CA"].as_i64().unwrap() > finance["region-q"].as_i64().unwrap());
    let text = ok(solidaria(&db, &["diagnose", "--territory", "CA", "--compare", "region-q"], None));
    assert!(text.contains("CA compared with region-q"), "{text}");
    // The HTML report escapes what the database holds.
    let hostile = r#"{"type":"actor","id":"evil","name":"<script>alert('x')</script>","category":"support_network","territory":"region-q"}"#;
    ok(solidaria(&db, &["import", "-", "--format", "jsonl"], Some(hostile.as_bytes())));
    let out = dir.path().join("report.html");
    ok(solidaria(
        &db,
        &[
            "diagnose",
            "--territory",
            "region-q",
            "--compare",
            "CA",
            "--format",
            "html",
            "--output",
            out.to_str().unwrap(),
        ],
        None,
    ));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"en\">"));
    assert_eq!(html.matches("<svg").count(), 3, "a radar chart and two network pictures");
    assert!(!html.contains("<script>"), "unescaped");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
}

/// The demo's cases show the source document's contrasts: strong collective innovations and weak
/// one-offs; a mechanism built for a formal economy does not fit a township, a women's mobility
/// network does.
#[test]
fn demo_cases_show_strong_weak_and_context_fit() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "d.db");
    ok(solidaria(&db, &["demo"], None));
    let classes: std::collections::BTreeMap<String, String> =
        ok(solidaria(&db, &["innovation", "assess", "--format", "json"], None))
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .map(|v| (v["case"].as_str().unwrap().to_string(), v["class"].as_str().unwrap().to_string()))
            .collect();
    assert_eq!(classes["tiess-knowledge-transfer"], "strong");
    assert_eq!(classes["safe-mobility-mirzapur"], "strong");
    assert_eq!(classes["mandela-day"], "weak");
    assert_eq!(classes["telus-days-of-giving"], "weak");
    let t: serde_json::Value = serde_json::from_str(&ok(solidaria(
        &db,
        &["transfer", "--case", "canada-social-finance-fund", "--territory", "ZA-GP", "--format", "json"],
        None,
    )))
    .unwrap();
    assert_eq!(t["fit"], "does_not_fit");
    let failing: Vec<&str> = t["preconditions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["outcome"] == "fail" && p["kind"] == "essential")
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(failing, ["context.formal_credit_access"]);
    let t: serde_json::Value = serde_json::from_str(&ok(solidaria(
        &db,
        &["transfer", "--case", "safe-mobility-mirzapur", "--territory", "ZA-GP", "--format", "json"],
        None,
    )))
    .unwrap();
    assert_eq!(t["fit"], "fits");
    let rec = ok(solidaria(&db, &["innovation", "recommend", "--territory", "ZA-GP", "--format", "json"], None));
    let first: serde_json::Value = serde_json::from_str(rec.lines().next().unwrap()).unwrap();
    assert_eq!((first["case"].as_str(), first["recommended"].as_bool()), (Some("safe-mobility-mirzapur"), Some(true)));
}

/// The demo's financial mechanisms are fitted to a context as cases are: a credit union's loans do
/// not fit Gauteng, where 12 % of adults borrow formally, a stokvel does and is offered there
/// (listed first); the demo's 2:1 matched fund is loaded with its illustrative ledger, on both
/// stores, its report shows the leverage against the target, and it refuses to invest in an
/// organization that neither qualifies nor is documented as ready.
#[test]
fn demo_mechanisms_fit_contexts_and_the_demo_fund_reports_its_leverage() {
    let dbs = Dbs::new("mech");
    for (db, _) in &dbs.urls {
        let loaded = ok(solidaria(db, &["demo"], None));
        assert!(loaded.contains("mechanisms   11 new"), "{loaded}");
        assert!(loaded.contains("fund demo-sff-quebec: 7 transactions posted"), "{loaded}");
        let listed: Vec<serde_json::Value> = serde_json::from_str(&ok(solidaria(
            db,
            &["finance", "mechanisms", "--territory", "ZA-GP", "--format", "json"],
            None,
        )))
        .unwrap();
        assert_eq!(listed.len(), 11);
        let first = &listed[0];
        assert_eq!(first["mechanism"]["id"], "stokvel-gauteng");
        assert_eq!(
            (first["fit"]["fit"].as_str(), first["fit"]["availability"].as_str()),
            (Some("fits"), Some("offered"))
        );
        let caisse = listed.iter().find(|l| l["mechanism"]["id"] == "caisse-solidaire-credit").unwrap();
        assert_eq!(caisse["fit"]["fit"], "does_not_fit");
        assert_eq!(caisse["fit"]["availability"], "elsewhere");
        let reason = caisse["fit"]["preconditions"][0]["reason"].as_str().unwrap();
        assert!(
            reason.contains("context.formal_credit_access is 0.12 (from ZA); the mechanism needs >= 0.5"),
            "{reason}"
        );
        let text = ok(solidaria(db, &["finance", "mechanisms", "--territory", "CA-QC"], None));
        assert!(text.contains("caisse-solidaire-credit [loan]"), "{text}");
        assert!(text.contains("fit with CA-QC: fits (offered here)"), "{text}");
        // The demo fund: 400,000 private and 200,000 public received, the 2:1 rule met exactly.
        let report = ok(solidaria(db, &["finance", "report", "--fund", "demo-sff-quebec"], None));
        assert!(report.contains("leverage achieved      2.00:1 (target 2:1)"), "{report}");
        assert!(report.contains("demo-illustrative-housing-coop 240000.00 outstanding"), "{report}");
        assert!(report.contains("qc-2013: qualifies"), "{report}");
        // The fund invests only in organizations that qualify under Quebec's Act and are ready:
        // UTILE documents neither, so an investment in it is refused, naming both conditions.
        let utile = br#"{"type":"transaction","id":"demo-i2","fund":"demo-sff-quebec","date":"2024-10-01","kind":"investment","amount":"50000.00","counterparty":"utile","instrument":"loan"}"#;
        let refused = solidaria(db, &["finance", "post", "-"], Some(utile));
        assert_eq!(refused.status.code(), Some(65), "{refused:?}");
        let why = String::from_utf8_lossy(&refused.stderr);
        assert!(why.contains("-:1: eligibility: utile may not receive this investment"), "{why}");
        assert!(why.contains("qc-2013: insufficient_evidence (needed: qualifies)"), "{why}");
        assert!(
            why.contains("readiness (social-finance-readiness): between not_ready and ready (needed: ready)"),
            "{why}"
        );
        // Loading the demo again posts nothing new.
        let again = ok(solidaria(db, &["demo"], None));
        assert!(again.contains("0 transactions posted, 7 already in the ledger"), "{again}");
    }
}

/// The demo shows the contrast the source document describes: Quebec's ecosystem is denser than
/// Ontario's (more actors, links and brokers, fewer gaps, stronger finance and policy blocks).
#[test]
fn demo_quebec_is_denser_than_ontario() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "q.db");
    ok(solidaria(&db, &["demo"], None));
    let v: serde_json::Value = serde_json::from_str(&ok(solidaria(
        &db,
        &["diagnose", "--territory", "CA-QC", "--compare", "CA-ON", "--format", "json"],
        None,
    )))
    .unwrap();
    let (qc, on) = (&v["compare"][0], &v["compare"][1]);
    for key in ["nodes", "edges"] {
        assert!(qc["network"][key].as_u64() > on["network"][key].as_u64(), "{key}");
    }
    assert!(qc["network"]["brokers"].as_array().unwrap().len() > on["network"]["brokers"].as_array().unwrap().len());
    assert!(qc["gaps"].as_array().unwrap().len() < on["gaps"].as_array().unwrap().len());
    let score = |d: &serde_json::Value, block: &str| {
        d["building_blocks"].as_array().unwrap().iter().find(|b| b["id"] == block).unwrap()["score"].as_u64().unwrap()
    };
    for block in ["finance", "policy", "knowledge_transfer", "awareness_mobilisation"] {
        assert!(score(qc, block) > score(on, block), "{block}");
    }
}

#[test]
fn the_first_admin_is_made_from_the_command_line_and_tokens_are_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "u.db");
    let out = solidaria(&db, &["user", "add", "ana", "--role", "admin"], Some(b"a long enough passphrase\n"));
    assert_eq!(ok(out).trim(), "added ana (admin)");
    // Short passwords, bad names and unknown roles are refused with the rule.
    let out = solidaria(&db, &["user", "add", "bob", "--role", "admin"], Some(b"short\n"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected 12 to 256 characters"));
    let out = solidaria(&db, &["user", "add", "Bad Name"], Some(b"a long enough passphrase\n"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("user name: expected 3 to 40"));
    let out = solidaria(&db, &["user", "add", "bob", "--role", "root"], Some(b"a long enough passphrase\n"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role \"root\""));
    let out = solidaria(&db, &["user", "add", "ana"], Some(b"a long enough passphrase\n"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let list = ok(solidaria(&db, &["user", "list"], None));
    assert!(list.starts_with("ana\tadmin\t"), "{list}");
    let token = ok(solidaria(&db, &["user", "token", "ana", "--label", "harvester"], None));
    let token = token.trim();
    assert!(token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    let tokens = ok(solidaria(&db, &["user", "tokens"], None));
    assert!(tokens.contains("harvester") && !tokens.contains(token), "the value is never listed: {tokens}");
    assert_eq!(ok(solidaria(&db, &["user", "revoke", "1"], None)).trim(), "token 1 revoked");
    let events = ok(solidaria(&db, &["user", "events"], None));
    let actions: Vec<&str> = events.lines().map(|l| l.split('\t').nth(3).unwrap()).collect();
    assert_eq!(actions, ["user_add", "token_create", "token_revoke"]);
}

#[test]
fn serve_demo_makes_one_account_per_role_with_passwords_shown_once() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "d.db");
    // Starts `serve --demo`, returns the demo-account lines it printed before listening.
    let start = || {
        let mut child = Command::new(env!("CARGO_BIN_EXE_solidaria"))
            .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
            .env("SOLIDARIA_DB", &db)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut accounts = Vec::new();
        for line in std::io::BufReader::new(child.stderr.take().unwrap()).lines() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("demo account: ") {
                accounts.push(rest.to_string());
            }
            if line.contains("\"listening\"") {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        accounts
    };
    let accounts = start();
    assert_eq!(accounts.len(), 4, "{accounts:?}");
    assert!(accounts[0].starts_with("demo-admin (admin), password "));
    assert_eq!(accounts[0].rsplit(' ').next().unwrap().len(), 20);
    // Beside the demo voters' accounts (linked to actors of the demo, to decide its strategies).
    let roles = |list: &str| list.lines().filter(|l| !l.starts_with("demo-qc-") && !l.starts_with("demo-on-")).count();
    let list = ok(solidaria(&db, &["user", "list"], None));
    assert_eq!(roles(&list), 4, "{list}");
    assert_eq!(list.lines().count(), 4 + 12, "{list}");
    assert!(start().is_empty(), "a second start makes no account");
    assert_eq!(roles(&ok(solidaria(&db, &["user", "list"], None))), 4);
}

/// A use case's failure exits with the code of its class (docs/errors.md), and its message is
/// the one the user reads; other failures exit with 1.
#[test]
fn failures_exit_with_the_code_of_their_class() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "exit.db");
    ok(solidaria(&db, &["demo"], None));
    let cases = [
        (&["cases", "show", "nope"][..], 66, "no case with id \"nope\""),
        (&["transfer", "--case", "nope", "--territory", "ZA"][..], 66, "no case with id"),
        (&["diagnose", "--territory", "bad id"][..], 64, "territory: expected"),
        (&["export", "--format", "csv", "--type", "case"][..], 64, "CSV holds actors"),
        (&["export", "--format", "jsonld", "--type", "relation"][..], 64, "publish actors only"),
        (&["export", "--format", "murmurations", "--base-url", "ftp://x"][..], 2, "--base-url"),
        (&["register", "screen", "--profile", "nope", "--input", "x.csv"][..], 66, "no register rules for \"nope\""),
        (&["import", "/nonexistent/file.jsonl"][..], 1, "cannot open"),
    ];
    for (args, code, message) in cases {
        let out = solidaria(&db, args, None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: ") && stderr.contains(message), "{args:?}: {stderr}");
    }
}

/// A command that only reads refuses a SQLite path where no database exists (a mistyped `--db`
/// answered "0 actors" from a new empty file); commands that write create it.
#[test]
fn a_read_command_on_a_missing_database_fails_and_creates_nothing() {
    // Fails without the fix: `actors list` exited 0 and left an empty missing.db behind.
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "missing.db");
    for args in [
        &["actors", "list"][..],
        &["export", "--format", "jsonl"],
        &["audit"],
        &["user", "list"],
        &["finance", "funds"],
    ] {
        let out = solidaria(&db, args, None);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(66), "{args:?}: {stderr}");
        assert!(stderr.contains("no SQLite database at") && stderr.contains("missing.db"), "{args:?}: {stderr}");
        assert!(!dir.path().join("missing.db").exists(), "{args:?} created the file");
    }
    ok(solidaria(
        &db,
        &["import", "-", "--format", "jsonl"],
        Some(b"{\"type\":\"actor\",\"id\":\"a\",\"name\":\"A\"}\n"),
    ));
    assert!(ok(solidaria(&db, &["actors", "list"], None)).contains("A"));
}

/// `evidence` names, for an undecided verdict, the facts that would decide it, and ranks the
/// registry's missing facts; a decided verdict needs nothing.
#[test]
fn evidence_lists_what_would_decide_and_the_worklist() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "evidence.db");
    ok(solidaria(&db, &["demo"], None));
    let one = ok(solidaria(&db, &["evidence", "--actor", "tiess", "--profile", "qc-2013", "--format", "json"], None));
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["verdict"], "insufficient_evidence", "{v}");
    let to_qualify = v["evidence"]["to_qualify"].as_array().unwrap();
    assert!(
        !to_qualify.is_empty() && to_qualify.iter().all(|s| s.as_array().unwrap().iter().any(|k| k == "assets.lock")),
        "{v}"
    );
    let text = ok(solidaria(&db, &["evidence", "--actor", "tiess", "--profile", "qc-2013"], None));
    assert!(text.contains("to qualify, document: {") && text.contains("could make it not qualify"), "{text}");
    let csv = ok(solidaria(&db, &["evidence", "--all", "--profile", "fr-ess-2014", "--format", "csv"], None));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("fact,verdicts,alone"));
    let first: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert!(first[1].parse::<u64>().unwrap() > 0, "{csv}");
    let bad = solidaria(&db, &["evidence", "--actor", "tiess", "--profile", "si-strength"], None);
    assert_eq!(bad.status.code(), Some(64), "a case profile does not screen actors");
}

/// A documented fact that contradicts the law of the actor's legal form is imported as the source
/// says, reported as a data conflict with its line, and shown by `actors show`.
#[test]
fn import_reports_facts_that_contradict_the_law() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "law.db");
    let file = dir.path().join("asso.jsonl");
    std::fs::write(
        &file,
        "{\"type\":\"actor\",\"id\":\"ok\",\"name\":\"Fine\",\"legal_form\":{\"code\":\"INSEE-CJ-9220\"}}\n\
         {\"type\":\"actor\",\"id\":\"asso\",\"name\":\"Asso\",\"legal_form\":{\"code\":\"INSEE-CJ-9220\"},\"facts\":{\"surplus.distribution_allowed\":true}}\n",
    )
    .unwrap();
    let out = solidaria(&db, &["import", file.to_str().unwrap()], None);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("asso.jsonl:2: data conflict: surplus.distribution_allowed is documented as true, but the law (Loi du 1er juillet 1901, art. 1) makes it false"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("data conflict").count(), 1, "{stderr}");
    let shown = ok(solidaria(&db, &["actors", "show", "asso"], None));
    assert!(shown.contains("By law (") && shown.contains("! data conflict: surplus.distribution_allowed"), "{shown}");
}

/// A GoGoCarto export imports without a converter; the columns it does not map are listed; a newer
/// edition updates what changed and lists the element that is gone, on every backend.
#[test]
fn import_from_a_directory_export_and_its_newer_edition() {
    let dbs = Dbs::new("from");
    let dir = tempfile::tempdir().unwrap();
    let v1 = dir.path().join("v1.json");
    let v2 = dir.path().join("v2.json");
    std::fs::write(
        &v1,
        r#"{"data": [
  {"id": "a1", "name": "Atelier vélo", "geo": {"latitude": 45.76, "longitude": 4.83}, "categories": ["Mobilité"], "openHours": {"Mo": "9-12"}, "colour": "green"},
  {"id": "b2", "name": "Épicerie", "address": {"postalCode": "69001", "addressLocality": "Lyon"}}
]}"#,
    )
    .unwrap();
    std::fs::write(
        &v2,
        r#"{"data": [{"id": "a1", "name": "Atelier vélo solidaire", "geo": {"latitude": 45.76, "longitude": 4.83}}]}"#,
    )
    .unwrap();
    for (db, _) in &dbs.urls {
        let out =
            ok(solidaria(db, &["import", "--from", "gogocarto", "--edition", "2026-01", v1.to_str().unwrap()], None));
        assert!(out.contains("2 new"), "{out}");
        assert!(out.contains("column \"colour\" is not mapped: 1 value not imported"), "{out}");
        let shown = ok(solidaria(db, &["export", "--format", "jsonl"], None));
        assert!(shown.contains(r#""sources":[{"dataset":"gogocarto","edition":"2026-01","line":2}]"#), "{shown}");
        assert!(shown.contains(r#""claims":["mobilite"]"#), "{shown}");
        let out =
            ok(solidaria(db, &["import", "--from", "gogocarto", "--edition", "2026-02", v2.to_str().unwrap()], None));
        assert!(out.contains("0 new, 1 updated"), "{out}");
        assert!(
            out.contains("1 actor from earlier imports of gogocarto is not in this edition")
                && out.contains("gogocarto:b2"),
            "{out}"
        );
    }
    let db = &dbs.urls[0].1;
    let bad = solidaria(db, &["import", "--from", "gogocarto", "--format", "csv", v1.to_str().unwrap()], None);
    assert_eq!(bad.status.code(), Some(2), "--from and --format exclude each other");
    let mapping = dir.path().join("m.toml");
    std::fs::write(&mapping, "[dataset]\nname = \"x\"\n").unwrap();
    let bad = solidaria(db, &["import", "--mapping", mapping.to_str().unwrap(), v1.to_str().unwrap()], None);
    assert_eq!(bad.status.code(), Some(64), "{}", String::from_utf8_lossy(&bad.stderr));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("missing field"), "{}", String::from_utf8_lossy(&bad.stderr));
    let listed = ok(solidaria(db, &["mappings"], None));
    assert!(listed.contains("essglobal-csv") && listed.contains("murmurations"), "{listed}");
    let printed = ok(solidaria(db, &["mappings", "geojson"], None));
    assert!(printed.contains("[dataset]"), "{printed}");
}

/// `solidaria finance`: a fund saved, transactions posted all or nothing with the refused
/// invariant named and exit 65, a report in text and JSON, on every backend.
#[test]
fn finance_fund_post_and_report() {
    let dbs = Dbs::new("finance");
    let dir = tempfile::tempdir().unwrap();
    let fund = dir.path().join("fund.json");
    std::fs::write(
        &fund,
        r#"{"type":"fund","id":"sff","name":"Matched fund","manager":"cap-finance","currency":"CAD","public_sources":["esdc"],"release":{"rule":"leverage","private_per_public":"2"}}"#,
    )
    .unwrap();
    let good = dir.path().join("good.jsonl");
    std::fs::write(
        &good,
        "{\"type\":\"transaction\",\"id\":\"r1\",\"fund\":\"sff\",\"date\":\"2024-02-01\",\"kind\":\"receipt\",\"amount\":\"600000.00\"}\n\
         {\"type\":\"transaction\",\"id\":\"d1\",\"fund\":\"sff\",\"date\":\"2024-02-15\",\"kind\":\"drawdown\",\"amount\":\"300000.00\"}\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"type\":\"transaction\",\"id\":\"d2\",\"fund\":\"sff\",\"date\":\"2024-03-01\",\"kind\":\"drawdown\",\"amount\":\"0.01\"}\n").unwrap();
    for (db, _) in &dbs.urls {
        ok(solidaria(db, &["demo"], None));
        assert!(ok(solidaria(db, &["finance", "fund", fund.to_str().unwrap()], None)).contains("fund sff: saved"));
        assert!(
            ok(solidaria(db, &["finance", "post", good.to_str().unwrap()], None)).contains("posted 2 transactions")
        );
        let refused = solidaria(db, &["finance", "post", bad.to_str().unwrap()], None);
        assert_eq!(refused.status.code(), Some(65));
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains("bad.jsonl:1: release_rule: at most 1 public per 2 private received"), "{stderr}");
        let text = ok(solidaria(db, &["finance", "report", "--fund", "sff"], None));
        assert!(text.contains("leverage achieved      2.00:1 (target 2:1)"), "{text}");
        let json: serde_json::Value =
            serde_json::from_str(&ok(solidaria(db, &["finance", "report", "--fund", "sff", "--format", "json"], None)))
                .unwrap();
        assert_eq!(json["public"]["received"], "300000.00");
        assert_eq!(json["cash"], "900000.00");
        let missing = solidaria(db, &["finance", "report", "--fund", "nope"], None);
        assert_eq!(missing.status.code(), Some(66));
    }
}

/// `solidaria finance report` shows reach (by territory, country, legal-form family, building
/// block, instrument, target group and verdicts) as of a day, draws money received over time as
/// SVG, and exports the portfolio in CIDS JSON-LD and its grants in 360Giving, on every backend.
#[test]
fn finance_reach_chart_and_exports() {
    let dbs = Dbs::new("reach");
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let orgs = write(
        "orgs.jsonl",
        concat!(
            r#"{"type":"actor","id":"coop-a","name":"Coop A","category":"sse_organization","territory":"CA-QC","legal_form":{"family":"cooperative"},"roles":["market_access"],"facts":{"beneficiaries.vulnerable_share":0.7}}"#,
            "\n",
            r#"{"type":"actor","id":"asso-b","name":"Asso B","category":"sse_organization","territory":"CA-QC","legal_form":{"family":"association"},"facts":{"workers.disadvantaged_share":0.2}}"#,
            "\n",
        ),
    );
    let fund = write(
        "fund.json",
        r#"{"type":"fund","id":"sff","name":"Matched fund","manager":"cap-finance","currency":"CAD","public_sources":["esdc"],"release":{"rule":"leverage","private_per_public":"2"},"eligibility":{"profiles":["ica-1995"],"verdict":"insufficient_evidence","territories":["CA-QC"]}}"#,
    );
    let txs = write(
        "tx.jsonl",
        concat!(
            r#"{"type":"transaction","id":"r1","fund":"sff","date":"2024-02-01","kind":"receipt","amount":"600000.00"}"#,
            "\n",
            r#"{"type":"transaction","id":"d1","fund":"sff","date":"2024-02-15","kind":"drawdown","amount":"300000.00"}"#,
            "\n",
            r#"{"type":"transaction","id":"i1","fund":"sff","date":"2024-03-01","kind":"investment","amount":"50000.00","counterparty":"coop-a","instrument":"loan"}"#,
            "\n",
            r#"{"type":"transaction","id":"g1","fund":"sff","date":"2024-03-05","kind":"investment","amount":"10000.00","counterparty":"asso-b","instrument":"grant"}"#,
            "\n",
            r#"{"type":"transaction","id":"g2","fund":"sff","date":"2024-03-06","kind":"investment","amount":"2500.25","counterparty":"asso-b","instrument":"grant"}"#,
            "\n",
            r#"{"type":"transaction","id":"x2","fund":"sff","date":"2024-03-07","kind":"reversal","amount":"2500.25","of":"g2"}"#,
            "\n",
            r#"{"type":"transaction","id":"p1","fund":"sff","date":"2024-06-01","kind":"repayment","amount":"5000.00","counterparty":"coop-a"}"#,
            "\n",
        ),
    );
    for (db, _) in &dbs.urls {
        ok(solidaria(db, &["demo"], None));
        ok(solidaria(db, &["import", &orgs], None));
        ok(solidaria(db, &["finance", "fund", &fund], None));
        let posted = solidaria(db, &["finance", "post", &txs], None);
        assert!(posted.status.success(), "{}", String::from_utf8_lossy(&posted.stderr));

        let json: serde_json::Value =
            serde_json::from_str(&ok(solidaria(db, &["finance", "report", "--fund", "sff", "--format", "json"], None)))
                .unwrap();
        let reach = &json["reach"];
        assert_eq!(reach["investees"], 2, "{reach:#}");
        assert_eq!(reach["territory"]["CA-QC"]["invested"], "60000.00");
        assert_eq!(reach["territory"]["CA-QC"]["outstanding"], "55000.00");
        assert_eq!(reach["country"]["CA"]["investees"], 2);
        assert_eq!(reach["legal_family"]["cooperative"]["outstanding"], "45000.00");
        assert_eq!(reach["building_block"]["market_access"]["invested"], "50000.00");
        assert_eq!(reach["building_block"]["none"]["invested"], "10000.00");
        assert_eq!(reach["instrument"]["grant"]["invested"], "10000.00", "the reversed grant is left out");
        assert_eq!(reach["target_group"]["beneficiaries.vulnerable_share: majority"]["investees"], 1);
        assert_eq!(reach["target_group"]["workers.disadvantaged_share: some"]["invested"], "10000.00");
        assert_eq!(reach["verdict_at_investment"]["ica-1995: insufficient_evidence"]["investees"], 2);
        assert_eq!(reach["verdict_now"]["ica-1995: insufficient_evidence"]["investees"], 2);

        // As of a day before the repayment and the grants.
        let early: serde_json::Value = serde_json::from_str(&ok(solidaria(
            db,
            &["finance", "report", "--fund", "sff", "--as-of", "2024-03-01", "--format", "json"],
            None,
        )))
        .unwrap();
        assert_eq!(early["reach"]["investees"], 1);
        assert_eq!(early["reach"]["territory"]["CA-QC"]["outstanding"], "50000.00");

        let text = ok(solidaria(db, &["finance", "report", "--fund", "sff"], None));
        assert!(text.contains("reach: 2 investees"), "{text}");
        assert!(text.contains("  by legal-form family\n    association"), "{text}");

        let svg = ok(solidaria(db, &["finance", "report", "--fund", "sff", "--format", "svg"], None));
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
        assert!(svg.contains("private received: CAD 600,000.00") && svg.contains("public received: CAD 300,000.00"));

        let cids: serde_json::Value =
            serde_json::from_str(&ok(solidaria(db, &["finance", "export", "--fund", "sff", "--format", "cids"], None)))
                .unwrap();
        let used = solidaria_formats::cids::terms_used(&cids);
        let listed: std::collections::BTreeSet<&str> =
            solidaria_formats::cids::TERMS.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
        assert!(used.iter().all(|t| listed.contains(t.as_str())), "{used:?}");
        let graph = cids["@graph"].as_array().unwrap();
        let coop = graph.iter().find(|n| n["@id"] == "urn:solidaria:actor:coop-a").unwrap();
        assert_eq!(coop["@type"], "cids:SocialPurposeOrganization");
        assert_eq!(
            coop["sff:hasOrganizationProfile"]["sff:hasFundingStatus"]["sff:reportedDate"]["@value"],
            "2024-06-01T00:00:00Z"
        );

        let giving: serde_json::Value = serde_json::from_str(&ok(solidaria(
            db,
            &["finance", "export", "--fund", "sff", "--format", "360giving", "--prefix", "capf"],
            None,
        )))
        .unwrap();
        let grants = giving["grants"].as_array().unwrap();
        assert_eq!(grants.len(), 1, "{giving:#}");
        let g = &grants[0];
        for f in [
            "id",
            "title",
            "description",
            "currency",
            "amountAwarded",
            "awardDate",
            "recipientOrganization",
            "fundingOrganization",
        ] {
            assert!(!g[f].is_null(), "{f} in {g:#}");
        }
        assert_eq!(g["id"], "360G-capf-g1");
        assert_eq!(g["amountAwarded"], 10000.0);
        assert_eq!(g["awardDate"], "2024-03-05");
        assert_eq!(g["recipientOrganization"][0]["id"], "360G-capf-asso-b");
        assert_eq!(g["fundingOrganization"][0]["id"], "360G-capf-cap-finance");

        let bad = solidaria(db, &["finance", "export", "--fund", "nope", "--format", "cids"], None);
        assert_eq!(bad.status.code(), Some(66));
    }
}

/// `dedup` finds the same organization in two datasets, names both rows, honours its options,
/// and refuses a threshold outside 0..1 with the documented exit code (64).
#[test]
fn dedup_lists_pairs_with_reasons_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "dedup.db");
    let records = concat!(
        r#"{"type":"actor","id":"old:1","name":"Greenmarque Ltd","identifiers":{"gb_companies_house":"6504771","coops_uk":"R1"},"address":{"postcode":"SW9 6BG"},"sources":[{"dataset":"old","line":2}]}"#,
        "\n",
        r#"{"type":"actor","id":"new:1","name":"Greenmarque","identifiers":{"gb_companies_house":"06504771","coops_uk":"R1"},"address":{"postcode":"WV16 6LH"},"sources":[{"dataset":"new","line":7}]}"#,
        "\n",
        r#"{"type":"actor","id":"new:2","name":"Hadleigh Rugby Club","address":{"postcode":"IP7 5NE"},"sources":[{"dataset":"new","line":8}]}"#,
        "\n",
        r#"{"type":"actor","id":"new:3","name":"Hadleigh Rugby Club Limited","address":{"postcode":"IP7 5NE"},"sources":[{"dataset":"new","line":9}]}"#,
        "\n",
    );
    ok(solidaria(&db, &["import", "-", "--format", "jsonl"], Some(records.as_bytes())));

    let csv = ok(solidaria(&db, &["dedup", "--format", "csv", "--ignore-scheme", "coops_uk"], None));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[0].starts_with("score,a_id,a_name,a_identifiers,a_sources,b_id"), "{csv}");
    let pair = lines.iter().find(|l| l.contains("new:1")).unwrap();
    assert!(pair.contains("gb_companies_house=6504771") && pair.contains("old line 2"), "{pair}");
    assert!(pair.contains("same gb_companies_house 06504771"), "{pair}");
    assert!(!pair.contains("coops_uk R1"), "ignored scheme used: {pair}");

    let across = ok(solidaria(&db, &["dedup", "--format", "json", "--across-sources-only"], None));
    let pairs: Vec<serde_json::Value> = across.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(pairs.len(), 1, "{across}");
    assert_eq!(pairs[0]["a"]["id"], "new:1");
    assert_eq!(pairs[0]["b"]["sources"][0]["line"], 2);

    let text = ok(solidaria(&db, &["dedup"], None));
    assert!(
        text.contains("same postcode IP7 5NE") && text.contains("2 pair(s) at or above 0.5 among 4 actors"),
        "{text}"
    );

    let bad = solidaria(&db, &["dedup", "--threshold", "2"], None);
    assert_eq!(bad.status.code(), Some(64), "{}", String::from_utf8_lossy(&bad.stderr));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("threshold"));
}

/// `dedup merge` merges a pair as a moderator account (a contributor is refused with 77), shows
/// the conflicts, `dedup merges` lists it, `dedup undo` restores both records exactly, and a
/// second undo is refused as a conflict (73).
#[test]
fn dedup_merge_and_undo_as_a_moderator() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "merge.db");
    let records = concat!(
        r#"{"type":"actor","id":"a","name":"Greenmarque Ltd","website":"https://a.example","sources":[{"dataset":"old","line":2}]}"#,
        "\n",
        r#"{"type":"actor","id":"b","name":"Greenmarque","website":"https://b.example","identifiers":{"gb_companies_house":"06504771"},"sources":[{"dataset":"new","line":7}]}"#,
        "\n",
        r#"{"type":"actor","id":"c","name":"Wholesaler"}"#,
        "\n",
        r#"{"type":"relation","from":"c","to":"b","kind":"supplies"}"#,
        "\n",
        r#"{"type":"mechanism","id":"b-loans","name":"Greenmarque loans","kind":"loan","provider":"b"}"#,
        "\n",
    );
    ok(solidaria(&db, &["import", "-", "--format", "jsonl"], Some(records.as_bytes())));
    let before = ok(solidaria(&db, &["export", "--format", "jsonl"], None));
    ok(solidaria(&db, &["user", "add", "moe", "--role", "moderator"], Some(b"a long enough passphrase\n")));
    ok(solidaria(&db, &["user", "add", "cyd", "--role", "contributor"], Some(b"a long enough passphrase\n")));

    let dry = ok(solidaria(&db, &["dedup", "merge", "a", "b", "--as", "moe", "--dry-run"], None));
    assert!(dry.contains("conflict website:") && dry.contains("https://b.example"), "{dry}");
    assert!(
        dry.contains("relation c|supplies|b -> c|supplies|a (repointed)") && dry.contains("nothing written"),
        "{dry}"
    );
    assert!(dry.contains("mechanism b-loans: provider -> a"), "{dry}");
    assert_eq!(ok(solidaria(&db, &["export", "--format", "jsonl"], None)), before);

    let refused = solidaria(&db, &["dedup", "merge", "a", "b", "--as", "cyd"], None);
    assert_eq!(refused.status.code(), Some(77), "{}", String::from_utf8_lossy(&refused.stderr));

    let merged = ok(solidaria(&db, &["dedup", "merge", "a", "b", "--as", "moe"], None));
    assert!(merged.contains("merge 1: b merged into a"), "{merged}");
    let show = ok(solidaria(&db, &["actors", "show", "a", "--format", "json"], None));
    assert!(show.contains("06504771") && show.contains("alternate_ids"), "{show}");
    let list = ok(solidaria(&db, &["dedup", "merges"], None));
    assert!(list.starts_with("1\t") && list.contains("a <- b"), "{list}");

    let undone = ok(solidaria(&db, &["dedup", "undo", "1", "--as", "moe"], None));
    assert!(undone.contains("merge 1 undone") && undone.contains("1 other reference(s)"), "{undone}");
    assert_eq!(ok(solidaria(&db, &["export", "--format", "jsonl"], None)), before);
    let again = solidaria(&db, &["dedup", "undo", "1", "--as", "moe"], None);
    assert_eq!(again.status.code(), Some(73), "{}", String::from_utf8_lossy(&again.stderr));
    let missing = solidaria(&db, &["dedup", "undo", "9", "--as", "moe"], None);
    assert_eq!(missing.status.code(), Some(66));
}

/// `import --merge-duplicates 0.95` merges each imported actor with the record already in the
/// database that shares its register number (the old record kept), and pairs within the file,
/// reporting each merge; without the option nothing is merged; a threshold under 0.5 is refused.
#[test]
fn import_merges_duplicates_above_a_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "automerge.db");
    let old = r#"{"type":"actor","id":"old-1","name":"Greenmarque Ltd","identifiers":{"gb_companies_house":"6504771"},"address":{"postcode":"SW9 6BG"},"sources":[{"dataset":"old","line":2}]}"#;
    ok(solidaria(&db, &["import", "-", "--format", "jsonl"], Some(old.as_bytes())));
    let new = concat!(
        r#"{"type":"actor","id":"new-1","name":"Greenmarque","identifiers":{"gb_companies_house":"06504771"},"address":{"postcode":"SW9 6BG"},"sources":[{"dataset":"new","line":1}]}"#,
        "\n",
        r#"{"type":"actor","id":"new-2","name":"Hadleigh Rugby Club","identifiers":{"gb_companies_house":"IP000123"},"address":{"postcode":"IP7 5NE"}}"#,
        "\n",
        r#"{"type":"actor","id":"new-3","name":"Hadleigh Rugby Club Limited","identifiers":{"gb_companies_house":"IP000123"},"address":{"postcode":"IP7 5NE"}}"#,
        "\n",
        r#"{"type":"actor","id":"new-4","name":"Unrelated Bakery"}"#,
        "\n",
    );
    let bad = solidaria(&db, &["import", "-", "--format", "jsonl", "--merge-duplicates", "0.3"], Some(new.as_bytes()));
    assert_eq!(bad.status.code(), Some(64), "{}", String::from_utf8_lossy(&bad.stderr));
    let out =
        ok(solidaria(&db, &["import", "-", "--format", "jsonl", "--merge-duplicates", "0.95"], Some(new.as_bytes())));
    assert!(out.contains("merged new-1 into old-1 (score"), "{out}");
    assert!(out.contains("merged new-3 into new-2 (score"), "{out}");
    assert!(out.contains("2 pairs merged at or above 0.95"), "{out}");
    let list = ok(solidaria(&db, &["actors", "list", "--format", "json"], None));
    assert!(
        !list.contains("\"id\":\"new-1\"") && !list.contains("\"id\":\"new-3\"") && list.contains("new-4"),
        "{list}"
    );
    let show = ok(solidaria(&db, &["actors", "show", "old-1", "--format", "json"], None));
    assert!(show.contains("\"new\"") && show.contains("new-1"), "both sources and the old id: {show}");
    let merges = ok(solidaria(&db, &["dedup", "merges"], None));
    assert!(merges.contains("--merge-duplicates 0.95"), "{merges}");
    // Off by default.
    let again = r#"{"type":"actor","id":"new-5","name":"Greenmarque","identifiers":{"gb_companies_house":"06504771"}}"#;
    let out = ok(solidaria(&db, &["import", "-", "--format", "jsonl"], Some(again.as_bytes())));
    assert!(!out.contains("merged"), "{out}");
}

/// `import --from murmurations --schemas DIR` checks each profile against the Murmurations schema
/// read from DIR: a profile that breaks it is a `file:line` error with the schema's message and
/// nothing is imported; valid profiles import; without the schemas the import says so.
#[test]
fn murmurations_profiles_are_checked_against_the_schema_on_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "murm.db");
    let schemas = concat!(env!("CARGO_MANIFEST_DIR"), "/../solidaria-formats/tests/fixtures/murmurations");
    let long = "N".repeat(250);
    let profiles = format!(
        "[\n{}\n,\n{}\n,\n{}\n]\n",
        r#"{"linked_schemas": ["organizations_schema-v1.0.0"], "name": "Solar Co-op", "primary_url": "https://solar.example.org", "tags": ["energy"]}"#,
        format_args!(
            r#"{{"linked_schemas": ["organizations_schema-v1.0.0"], "name": "{long}", "primary_url": "https://long.example.org"}}"#
        ),
        r#"{"name": "No schemas linked", "primary_url": "https://none.example.org"}"#,
    );
    let file = dir.path().join("profiles.json");
    std::fs::write(&file, &profiles).unwrap();
    let file = file.to_str().unwrap();
    let out = solidaria(&db, &["import", "--from", "murmurations", "--schemas", schemas, file], None);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{file}:4: name: expected what organizations_schema-v1.0.0 requires")), "{err}");
    assert!(err.contains("is longer than 200 characters"), "{err}");
    assert!(
        err.contains(&format!("{file}:6: profile:")) && err.contains("\"linked_schemas\" is a required property"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    let list = ok(solidaria(&db, &["actors", "list", "--format", "json"], None));
    assert!(!list.contains("solar"), "all or nothing: {list}");

    // Valid profiles import; without --schemas the import says they were not checked.
    let valid = dir.path().join("valid.json");
    std::fs::write(&valid, profiles.lines().take(2).collect::<String>() + "]").unwrap();
    let valid = valid.to_str().unwrap();
    let out = ok(solidaria(&db, &["import", "--from", "murmurations", "--schemas", schemas, valid], None));
    assert!(out.contains("imported 1 record") && !out.contains("not checked"), "{out}");
    let out = ok(solidaria(&db, &["import", "--from", "murmurations", valid], None));
    assert!(out.contains("not checked against the Murmurations schema"), "{out}");
    let bad = solidaria(&db, &["import", "--from", "murmurations", "--schemas", "/nonexistent", valid], None);
    assert_eq!(bad.status.code(), Some(64), "{}", String::from_utf8_lossy(&bad.stderr));
    let bad = solidaria(&db, &["import", "--schemas", schemas, valid], None);
    assert!(!bad.status.success());
}

#[test]
fn finance_readiness_match_and_a_ready_investment() {
    let dbs = Dbs::new("readiness");
    let dir = tempfile::tempdir().unwrap();
    let orgs = dir.path().join("orgs.jsonl");
    std::fs::write(
        &orgs,
        concat!(
            r#"{"type":"actor","id":"ready-coop","name":"Ready Coop","category":"sse_organization","territory":"CA-QC","legal_form":{"family":"cooperative"},"facts":{"purpose.statutory_mission":true,"governance.members_elect_board":true,"transparency.public_accounts":true,"finance.annual_accounts":true,"finance.accounts_audited":true,"income.trading_share":0.8,"finance.business_plan":true,"impact.indicators":true,"transparency.impact_report":true,"employees.count":12,"team.finance_lead":true}}"#,
            "\n",
            r#"{"type":"actor","id":"young-coop","name":"Young Coop","category":"sse_organization","territory":"CA-QC","legal_form":{"family":"cooperative"},"facts":{"governance.members_elect_board":true,"income.trading_share":0.3,"employees.count":2}}"#,
            "\n",
        ),
    )
    .unwrap();
    let fund = dir.path().join("fund.json");
    std::fs::write(
        &fund,
        r#"{"type":"fund","id":"ready-fund","name":"Ready fund","manager":"cap-finance","currency":"CAD","eligibility":{"territories":["CA-QC"],"readiness_min":"emerging"}}"#,
    )
    .unwrap();
    let post = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let receipt = post(
        "r.jsonl",
        "{\"type\":\"transaction\",\"id\":\"r1\",\"fund\":\"ready-fund\",\"date\":\"2024-02-01\",\"kind\":\"receipt\",\"amount\":\"100000.00\"}\n",
    );
    let good = post(
        "i1.jsonl",
        "{\"type\":\"transaction\",\"id\":\"i1\",\"fund\":\"ready-fund\",\"date\":\"2024-03-01\",\"kind\":\"investment\",\"amount\":\"50000.00\",\"counterparty\":\"ready-coop\",\"instrument\":\"loan\"}\n",
    );
    let bad = post(
        "i2.jsonl",
        "{\"type\":\"transaction\",\"id\":\"i2\",\"fund\":\"ready-fund\",\"date\":\"2024-03-01\",\"kind\":\"investment\",\"amount\":\"10000.00\",\"counterparty\":\"young-coop\",\"instrument\":\"loan\"}\n",
    );
    for (db, _) in &dbs.urls {
        ok(solidaria(db, &["demo"], None));
        ok(solidaria(db, &["import", orgs.to_str().unwrap()], None));
        ok(solidaria(db, &["finance", "fund", fund.to_str().unwrap()], None));

        let text = ok(solidaria(db, &["finance", "readiness", "--actor", "ready-coop"], None));
        assert!(text.starts_with("ready-coop: ready (social-finance-readiness"), "{text}");
        assert!(text.contains("Chantier de l'économie sociale (chantier-economie-sociale, CA-QC)"), "{text}");

        let json: serde_json::Value = serde_json::from_str(&ok(solidaria(
            db,
            &["finance", "readiness", "--actor", "young-coop", "--format", "json"],
            None,
        )))
        .unwrap();
        assert_eq!(json["readiness"]["stage"], serde_json::Value::Null, "{json}");
        assert_eq!(json["readiness"]["at_least"], "not_ready");
        let missing: Vec<&str> =
            json["readiness"]["missing"].as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
        assert!(missing.contains(&"finance.annual_accounts") && missing.contains(&"impact.indicators"), "{missing:?}");
        let finance: Vec<&str> =
            json["next_steps"]["finance"].as_array().unwrap().iter().filter_map(|h| h["id"].as_str()).collect();
        assert!(finance.contains(&"fiducie-chantier"), "{finance:?}");

        let text = ok(solidaria(db, &["finance", "match", "--actor", "young-coop"], None));
        assert!(text.contains("ready-fund") && text.contains("undecided"), "{text}");
        assert!(text.contains("[unknown] readiness (social-finance-readiness): between not_ready and ready (needed: emerging); document"), "{text}");
        // The mechanisms of the demo's catalogue, each with its conditions: a Quebec co-operative
        // may use RISQ's loans; a Gauteng stokvel is for informal groups and offered elsewhere.
        let json: serde_json::Value = serde_json::from_str(&ok(solidaria(
            db,
            &["finance", "match", "--actor", "young-coop", "--format", "json"],
            None,
        )))
        .unwrap();
        let funds = json["funds"].as_array().unwrap();
        assert!(funds.iter().any(|f| f["fund"] == "ready-fund" && f["status"] == "unknown"), "{json}");
        let mechanisms = json["mechanisms"].as_array().unwrap();
        let risq = mechanisms.iter().find(|m| m["mechanism"] == "risq-loans").unwrap();
        let stokvel = mechanisms.iter().find(|m| m["mechanism"] == "stokvel-gauteng").unwrap();
        assert_eq!(stokvel["status"], "unmet", "{stokvel}");
        let reasons: Vec<&str> =
            stokvel["checks"].as_array().unwrap().iter().filter_map(|c| c["reason"].as_str()).collect();
        assert!(reasons.contains(&"serves informal_group, not cooperative"), "{reasons:?}");
        assert!(reasons.contains(&"offered in ZA-GP, not in CA-QC: a model to adapt there"), "{reasons:?}");
        let rank = |id: &str| mechanisms.iter().position(|m| m["mechanism"] == id).unwrap();
        assert!(rank("risq-loans") < rank("stokvel-gauteng"), "usable before unusable: {json}");
        assert_ne!(risq["status"], "unmet", "{risq}");
        assert!(text.contains("Mechanisms") && text.contains("stokvel-gauteng"), "{text}");
        let json: serde_json::Value = serde_json::from_str(&ok(solidaria(
            db,
            &["finance", "match", "--fund", "ready-fund", "--format", "json"],
            None,
        )))
        .unwrap();
        let list = json.as_array().unwrap();
        // The eligible first: this test's ready co-operative and the demo fund's fictitious
        // investee (ready and in CA-QC too), then the undecided.
        let eligible: Vec<&str> =
            list.iter().take_while(|m| m["status"] == "met").filter_map(|m| m["actor"].as_str()).collect();
        assert_eq!(eligible, ["demo-illustrative-housing-coop", "ready-coop"], "the eligible first: {json}");
        let young = list.iter().find(|m| m["actor"] == "young-coop").unwrap();
        assert_eq!(young["status"], "unknown");
        assert!(list.iter().all(|m| m["actor"] != "cap-finance"), "the manager is not its own investee");

        ok(solidaria(db, &["finance", "post", &receipt], None));
        assert!(ok(solidaria(db, &["finance", "post", &good], None)).contains("posted 1 transaction"));
        let refused = solidaria(db, &["finance", "post", &bad], None);
        assert_eq!(refused.status.code(), Some(65));
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains("eligibility: young-coop may not receive this investment: readiness (social-finance-readiness): between not_ready and ready (needed: emerging)"),
            "{stderr}"
        );
        let missing = solidaria(db, &["finance", "readiness", "--actor", "nobody"], None);
        assert_eq!(missing.status.code(), Some(66));
    }
}

/// `finance post` killed (SIGKILL) at any moment leaves the ledger with none or all of the file's
/// postings, and its balances equal to the sum of the postings kept; posting the file again then
/// completes it. On SQLite, and on PostgreSQL when SOLIDARIA_TEST_PG is set.
#[test]
fn a_killed_posting_keeps_nothing_or_everything() {
    let dbs = Dbs::new("killpost");
    let dir = tempfile::tempdir().unwrap();
    let fund = dir.path().join("fund.json");
    std::fs::write(&fund, r#"{"type":"fund","id":"k","name":"K","manager":"cap-finance","currency":"CAD"}"#).unwrap();
    let file = dir.path().join("big.jsonl");
    let n = 40_000u64;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "{{\"type\":\"transaction\",\"id\":\"k{i}\",\"fund\":\"k\",\"date\":\"2024-01-01\",\"kind\":\"receipt\",\"amount\":\"1.00\"}}\n"
        ));
    }
    std::fs::write(&file, text).unwrap();
    let received = |db: &str| -> i64 {
        let out = ok(solidaria(db, &["finance", "report", "--fund", "k", "--format", "json"], None));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let cash = v["cash"].as_str().unwrap().replace('.', "").parse::<i64>().unwrap();
        let private = v["private"]["received"].as_str().unwrap().replace('.', "").parse::<i64>().unwrap();
        assert_eq!(cash, private, "balances agree with each other");
        private
    };
    for (db, _) in &dbs.urls {
        ok(solidaria(db, &["demo"], None));
        ok(solidaria(db, &["finance", "fund", fund.to_str().unwrap()], None));
        let mut outcomes = Vec::new();
        for delay in [30u64, 150, 400, 900, 1800] {
            let mut child = Command::new(env!("CARGO_BIN_EXE_solidaria"))
                .args(["finance", "post", file.to_str().unwrap()])
                .env("SOLIDARIA_DB", db)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(delay));
            let _ = child.kill();
            let _ = child.wait();
            let got = received(db);
            assert!(got == 0 || got == n as i64 * 100, "after a kill at {delay} ms: {got} cents posted");
            outcomes.push(got);
            if got != 0 {
                break;
            }
        }
        let out = ok(solidaria(db, &["finance", "post", file.to_str().unwrap()], None));
        assert!(out.contains("posted"), "{out}");
        assert_eq!(received(db), n as i64 * 100, "after {outcomes:?}");
    }
}

/// `backup` and `restore` (issue #18 item 7): a copy, refused over an existing file without
/// --force, restored into a new database that lists the same actors; a PostgreSQL address is
/// pointed to pg_dump.
#[test]
fn backup_and_restore_round_trip_and_refuse_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "live.db");
    ok(solidaria(&db, &["demo"], None));
    let file = dir.path().join("b.db");
    let file = file.to_str().unwrap();
    let out = solidaria(&db, &["backup", "--output", file], None);
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success() && said.contains("schema version 10") && said.contains("actors"), "{said}");
    let again = solidaria(&db, &["backup", "--output", file], None);
    assert_eq!(again.status.code(), Some(73), "{}", String::from_utf8_lossy(&again.stderr));
    let restored = sqlite(dir.path(), "restored.db");
    ok(solidaria(&restored, &["restore", file], None));
    let over = solidaria(&restored, &["restore", file], None);
    assert_eq!(over.status.code(), Some(73));
    assert!(String::from_utf8_lossy(&over.stderr).contains("already exists: give --force"));
    ok(solidaria(&restored, &["restore", file, "--force"], None));
    let list = |db: &str| ok(solidaria(db, &["actors", "list", "--format", "json"], None));
    assert_eq!(list(&db), list(&restored));
    let pg = solidaria("postgres://nobody@127.0.0.1:1/x", &["backup", "--output", file], None);
    assert_eq!(pg.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&pg.stderr).contains("pg_dump"));
}

/// Issue #18 item 23: the README's import and screening examples run on the files shipped in
/// `examples/` and print what the README shows, line for line.
#[test]
fn the_readme_s_import_and_screen_examples_print_what_it_shows() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_solidaria"))
            .current_dir(&root)
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    };
    let import = run(&["import", "examples/members.jsonl"]);
    assert_eq!(import.lines().count(), 4, "{import}");
    for line in import.lines() {
        assert!(readme.contains(line), "the README does not show: {line}");
    }
    let screen = run(&["screen", "--profile", "un-2023", "examples/bigco.jsonl"]);
    let shown: Vec<&str> = readme
        .split("$ solidaria screen --profile un-2023 examples/bigco.jsonl\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .filter(|l| *l != "…")
        .collect();
    assert!(shown.len() >= 8, "{shown:?}");
    for line in shown {
        assert!(screen.contains(line), "the README shows a line the command does not print: {line}\n{screen}");
    }
}

/// `import --from coops-uk-2017` reads the organisations and the outlets files by their columns:
/// outlets become sites of their organisations' actors (no actor made), with the notes of what
/// was left; a malformed row, an orphan outlet and a short row are each named at their line, and
/// nothing is written; the outlets file alone, after the organisations, attaches and then changes
/// nothing.
#[test]
fn coops_uk_2017_outlets_are_attached_to_their_organisations() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "outlets.db");
    let fixture =
        |f: &str| format!("{}/../solidaria-formats/tests/fixtures/coops-uk-2017/{f}", env!("CARGO_MANIFEST_DIR"));
    let (orgs, outlets, problems) =
        (fixture("organisations.csv"), fixture("outlets.csv"), fixture("outlets-problems.csv"));

    let out = solidaria(&db, &["import", "--from", "coops-uk-2017", &orgs, &problems], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{problems}:4: \"CUK Organisation ID\" (id): expected a value naming")), "{err}");
    assert!(
        err.contains(&format!("{problems}:9: \"CUK Organisation ID\" (id): expected the id of the actor")),
        "{err}"
    );
    assert!(err.contains("found \"R000001\" (actor coops-uk-2017:R000001), which is neither"), "{err}");
    assert!(err.contains(&format!("{problems}:12: file:")) && err.contains("nothing was written"), "{err}");

    let out = ok(solidaria(&db, &["import", "--from", "coops-uk-2017", &orgs], None));
    assert!(out.contains("imported 3 records"), "{out}");
    let out = ok(solidaria(&db, &["import", "--from", "coops-uk-2017", &outlets], None));
    assert!(out.contains("attached 6 sites to 3 actors") && out.contains("0 new, 3 updated"), "{out}");
    assert!(out.contains("column \"Registered Name\" is ignored by the mapping: 6 values not imported"), "{out}");
    assert!(!out.contains("not in this edition"), "an outlets file says nothing of organisations gone: {out}");
    let show = ok(solidaria(&db, &["actors", "show", "coops-uk-2017:R000028", "--format", "json"], None));
    assert!(
        show.contains("Wooldale Co-operative - New Mill Village Store") && show.contains("coops-uk-2017-outlets"),
        "{show}"
    );
    let out = ok(solidaria(&db, &["import", "--from", "coops-uk-2017-outlets", &outlets], None));
    assert!(out.contains("0 new, 0 updated, 3 unchanged"), "{out}");
}
