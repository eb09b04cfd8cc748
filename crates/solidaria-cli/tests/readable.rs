//! What people read, pinned by snapshots (`cargo insta review` to accept a deliberate change):
//! the help texts and the description of an actor with its evidence.

use std::process::Command;

fn run(args: &[&str], db: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_solidaria"))
        .args(args)
        .args(["--db", db])
        .env_remove("SOLIDARIA_DB")
        .env("SOLIDARIA_USER", "reader")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_texts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let db = db.to_str().unwrap();
    insta::assert_snapshot!("help", run(&["--help"], db));
    insta::assert_snapshot!("import_help", run(&["import", "--help"], db));
    insta::assert_snapshot!("export_help", run(&["export", "--help"], db));
    insta::assert_snapshot!("actors_list_help", run(&["actors", "list", "--help"], db));
    insta::assert_snapshot!("screen_help", run(&["screen", "--help"], db));
    insta::assert_snapshot!("profiles_help", run(&["profiles", "--help"], db));
    insta::assert_snapshot!("finance_readiness_help", run(&["finance", "readiness", "--help"], db));
    insta::assert_snapshot!("finance_match_help", run(&["finance", "match", "--help"], db));
    insta::assert_snapshot!("finance_mechanisms_help", run(&["finance", "mechanisms", "--help"], db));
    insta::assert_snapshot!("finance_report_help", run(&["finance", "report", "--help"], db));
    insta::assert_snapshot!("finance_export_help", run(&["finance", "export", "--help"], db));
    insta::assert_snapshot!("strategy_help", run(&["strategy", "--help"], db));
    insta::assert_snapshot!("diagnose_help", run(&["diagnose", "--help"], db));
    insta::assert_snapshot!("vocabulary_help", run(&["vocabulary", "--help"], db));
    insta::assert_snapshot!("cases_list_help", run(&["cases", "list", "--help"], db));
    insta::assert_snapshot!("profiles_show_help", run(&["profiles", "show", "--help"], db));
    insta::assert_snapshot!("transfer_help", run(&["transfer", "--help"], db));
    insta::assert_snapshot!("innovation_programmes_help", run(&["innovation", "programmes", "--help"], db));
}

/// Issue #18 item 23: a help text describes its own command's output, never another's (the
/// shared `--format` values used to describe `screen`'s JSON Lines and `actors show`'s object).
#[test]
fn each_help_describes_its_own_output() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let db = db.to_str().unwrap();
    for (command, own) in [
        (&["vocabulary", "--help"][..], "\"key\", \"type\""),
        (&["cases", "list", "--help"][..], "JSON Lines of the records"),
        (&["cases", "show", "--help"][..], "the JSON record"),
        (&["profiles", "--help"][..], "\"mandatory\""),
        (&["profiles", "show", "--help"][..], "the profile as JSON"),
        (&["transfer", "--help"][..], "\"fit\", \"preconditions\""),
        (&["innovation", "assess", "--help"][..], "\"class\", \"rule\""),
        (&["innovation", "recommend", "--help"][..], "one ranked case per line"),
        (&["innovation", "programmes", "--help"][..], "\"verdict\""),
    ] {
        let help = run(command, db);
        assert!(help.contains(own), "{command:?} does not describe its output: {help}");
        for other in ["for `screen`", "\"relations\"", "legal_form_elf"] {
            assert!(!help.contains(other), "{command:?} describes another command's output ({other}): {help}");
        }
    }
    let programmes = run(&["innovation", "programmes", "--help"], db);
    assert!(!programmes.contains("\"class\""), "programmes are screened, not classed: {programmes}");
}

/// Issue #18 item 23: the profiles table's headers line up with their columns, and no id is cut.
#[test]
fn the_profiles_table_lines_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let table = run(&["profiles"], db.to_str().unwrap());
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    let starts: Vec<usize> = header
        .match_indices(|c: char| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || header.as_bytes()[i - 1] == b' ')
        .collect();
    let names: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(names, ["ID", "SUBJECT", "VERSION", "WHERE", "CRITERIA", "TITLE"]);
    let rows: Vec<&str> = lines.take_while(|l| !l.is_empty()).collect();
    assert!(rows.len() >= 19, "{table}");
    for row in &rows {
        let chars: Vec<char> = row.chars().collect();
        for &at in &starts[1..] {
            assert!(
                chars[at - 1] == ' ' && chars[at] != ' ',
                "a column does not start under its header:\n{header}\n{row}"
            );
        }
        assert!(!row.split(' ').next().unwrap().ends_with('…'), "an id is cut: {row}");
    }
    assert!(rows.iter().any(|r| r.starts_with("programme-social-dimension programme ")), "{table}");
}

#[test]
fn actor_description_shows_facts_with_their_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = db.to_str().unwrap();
    let file = dir.path().join("orgs.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"type":"territory","id":"debagoiena","name":"Debagoiena","parent":"ES-PV"}"#, "\n",
            r#"{"type":"actor","id":"mondragon","name":"Mondragon Corporation","category":"support_network","legal_form":{"family":"cooperative","label":"cooperativa de segundo grado"},"territory":"debagoiena","claims":["cooperative"],"roles":["finance"],"founded":1956,"description":"Federation of worker cooperatives.","facts":{"governance.voting_rule":{"value":"one_member_one_vote","source":"Ley 11/2019 de Cooperativas de Euskadi","date":"2019-12-20","note":"general assembly"},"members.count":80,"x.sector":"industry"}}"#, "\n",
            r#"{"type":"actor","id":"eroski","name":"Eroski S. Coop.","territory":"ES-PV"}"#, "\n",
            r#"{"type":"relation","from":"eroski","to":"mondragon","kind":"member_of","since":"1969","source":"Mondragon annual report"}"#, "\n",
        ),
    )
    .unwrap();
    run(&["import", file.to_str().unwrap()], db);
    insta::assert_snapshot!("show_mondragon", run(&["actors", "show", "mondragon"], db));
    insta::assert_snapshot!("list_es", run(&["actors", "list", "--territory", "ES"], db));
    // A screening report: Mondragon's one-member-one-vote rule is documented, the rest is not.
    insta::assert_snapshot!(
        "screen_mondragon",
        run(&["screen", "--profile", "ica-1995", "--actor", "mondragon", "--save"], db)
    );
    let shown = run(&["actors", "show", "mondragon"], db);
    let screenings = shown.split("\nScreenings").nth(1).expect("a Screenings section");
    // Timestamps vary: digits are masked.
    insta::assert_snapshot!("show_mondragon_screened", screenings.replace(|c: char| c.is_ascii_digit(), "#"));
}

/// The finance match tables line up: the status starts at one column whatever the length of the
/// ids (a 25-character id pushed its row's status one column right).
#[test]
fn the_finance_match_tables_line_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let db = db.as_str();
    for args in [&["finance", "match", "--fund", "demo-sff-quebec"][..], &["finance", "match", "--actor", "utile"]] {
        let table = run(args, db);
        // A row: an id, then its status ("not eligible" starts with "not").
        let rows: Vec<&str> = table
            .lines()
            .filter(|l| !l.starts_with(' '))
            .filter(|l| l.split_whitespace().nth(1).is_some_and(|s| ["eligible", "undecided", "not"].contains(&s)))
            .collect();
        assert!(rows.len() >= 3, "{args:?}:\n{table}");
        assert!(
            rows.iter().any(|r| r.split(' ').next().unwrap().chars().count() > 24),
            "{args:?}: a long id:\n{table}"
        );
        // Within each table (funds, mechanisms, organizations) the status starts at one column.
        for section in table.split("\nMechanisms\n") {
            let cols: Vec<usize> = rows.iter().filter(|r| section.contains(**r)).map(|r| column_after_id(r)).collect();
            assert!(cols.windows(2).all(|w| w[0] == w[1]), "{args:?}: statuses not in one column:\n{section}");
        }
    }
}

/// The funds list lines up too: a fund's name starts at one column whatever the length of the
/// ids (the list asked for ids padded to 24 characters, but ids ignored the width, so each name
/// followed its id at one space).
#[test]
fn the_funds_list_lines_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let db = db.as_str();
    let fund = dir.path().join("long.json");
    std::fs::write(
        &fund,
        r#"{"type":"fund","id":"a-fund-with-a-rather-long-identifier","name":"Long","manager":"cap-finance","currency":"CAD","release":{"rule":"none"}}"#,
    )
    .unwrap();
    run(&["finance", "fund", fund.to_str().unwrap()], db);
    let list = run(&["finance", "funds"], db);
    let rows: Vec<&str> = list.lines().collect();
    assert_eq!(rows.len(), 2, "{list}");
    assert_eq!(column_after_id(rows[0]), column_after_id(rows[1]), "names not in one column:\n{list}");
}

/// A database in `dir` with the demo loaded.
fn demo_db(dir: &tempfile::TempDir) -> String {
    let db = dir.path().join("demo.db").to_str().unwrap().to_string();
    run(&["demo"], &db);
    db
}

/// Where a table row's second column starts: after its id (the first word) and the spaces.
fn column_after_id(row: &str) -> usize {
    let id = row.split(' ').next().unwrap_or_default();
    id.len() + row[id.len()..].chars().take_while(|c| *c == ' ').count()
}
