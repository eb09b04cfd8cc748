//! Issue #18 item 23: the examples of the docs work. Every `solidaria` command line in a code
//! block of the README, `examples/README.md` and `docs/*.md` is run with the binary on the PATH,
//! in a directory holding the shipped `examples/`, on a database the demo loaded, unless it is one
//! of the kinds a reader cannot run as written (each kind named in [`not_runnable`]); the profile
//! example of docs/screening.md passes `profiles validate` and is screened with, and its statute
//! example parses.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One command line of the docs, where it is written.
#[derive(Debug)]
struct Example {
    at: String,
    command: String,
}

/// The files whose examples are run.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md"), root().join("examples/README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The command lines of the code blocks of `text` (a `$ ` prompt dropped, a trailing `# comment`
/// and the docs' `[optional]` notation removed).
fn command_lines(name: &str, text: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        let line = line.trim().strip_prefix("$ ").unwrap_or(line.trim());
        if !in_block || !(line.starts_with("solidaria ") || line.contains("| solidaria ")) {
            continue;
        }
        let mut command = match line.find(" # ") {
            Some(at) if !line[..at].contains('\'') && !line[..at].contains('"') => line[..at].to_string(),
            _ => line.to_string(),
        };
        while let (Some(open), Some(close)) = (command.find(" ["), command.find(']')) {
            if close < open {
                break;
            }
            command.replace_range(open..=close, "");
        }
        out.push(Example { at: format!("{name}:{}", i + 1), command: command.trim().to_string() });
    }
    out
}

/// Why a command line is not run as written, if it is not: it serves until stopped, names its
/// own database, holds a placeholder, or reads a file the reader brings (a register, a fund).
fn not_runnable(command: &str, dir: &Path) -> Option<&'static str> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if words.windows(2).any(|w| w == ["solidaria", "serve"]) {
        return Some("serves until stopped (the HTTP tests start it)");
    }
    if words.contains(&"--db") {
        return Some("names its own database");
    }
    // Four capitals or more (a territory code such as CA has two).
    if words.iter().any(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_uppercase() || c == '_')) {
        return Some("holds a placeholder (KEEP, MODERATOR…)");
    }
    let inputs = words.iter().enumerate().filter(|(i, w)| {
        let after = if *i > 0 { words[i - 1] } else { "" };
        let file_like = [".csv", ".json", ".jsonl", ".toml", ".geojson"].iter().any(|e| w.ends_with(e));
        file_like && !matches!(after, ">" | "--output")
    });
    for (_, w) in inputs {
        if !dir.join(w).exists() {
            return Some("reads a file the reader brings");
        }
    }
    None
}

/// The profile example of docs/screening.md (the TOML block that has `[[criteria]]`).
fn profile_example() -> String {
    blocks(&std::fs::read_to_string(root().join("docs/screening.md")).unwrap(), "toml")
        .into_iter()
        .find(|b| b.contains("[[criteria]]"))
        .expect("docs/screening.md shows a profile")
}

/// The fund example of docs/finance.md (the JSON block defining `sff-cap-finance`).
fn fund_example() -> String {
    blocks(&std::fs::read_to_string(root().join("docs/finance.md")).unwrap(), "json")
        .into_iter()
        .find(|b| b.contains("\"type\": \"fund\", \"id\": \"sff-cap-finance\""))
        .expect("docs/finance.md shows the fund sff-cap-finance")
}

/// The code blocks of `text` in `language`.
fn blocks(text: &str, language: &str) -> Vec<String> {
    text.split(&format!("```{language}\n")).skip(1).map(|b| b.split("```").next().unwrap().to_string()).collect()
}

#[test]
fn every_command_of_the_docs_runs() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path();
    std::os::unix::fs::symlink(root().join("examples"), work.join("examples")).unwrap();
    // The files the docs show are the reader's: the profile of docs/screening.md is their
    // my-network.toml, the fund of docs/finance.md their sff-cap-finance.json.
    std::fs::write(work.join("my-network.toml"), profile_example()).unwrap();
    std::fs::write(work.join("sff-cap-finance.json"), fund_example()).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_solidaria")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let db = work.join("docs.db");
    let run = |command: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(work)
            .env("PATH", &path)
            .env("SOLIDARIA_DB", &db)
            .env("SOLIDARIA_USER", "docs")
            .output()
            .unwrap()
    };
    assert!(run("solidaria demo").status.success());
    let (mut ran, mut skipped, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for file in documents() {
        let name = file.strip_prefix(root()).unwrap_or(&file).display().to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        for e in command_lines(&name, &text) {
            if let Some(why) = not_runnable(&e.command, work) {
                skipped.push(format!("{}: {} ({why})", e.at, e.command));
                continue;
            }
            let out = run(&e.command);
            let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            // A refusal the docs show on purpose (an import with mistakes) is shown line for line.
            let as_shown = !said.trim().is_empty() && said.lines().all(|l| text.contains(l));
            if out.status.success() || as_shown {
                ran.push(e);
            } else {
                failed.push(format!("{}: {}\n{}", e.at, e.command, String::from_utf8_lossy(&out.stderr)));
            }
        }
    }
    assert!(failed.is_empty(), "examples of the docs that fail:\n{}", failed.join("\n"));
    eprintln!("ran {} examples; not run:\n{}", ran.len(), skipped.join("\n"));
    assert!(ran.len() >= 40, "only {} examples ran", ran.len());
    // The README's examples on shipped files are among those run, and so is the profile example.
    for shown in [
        "solidaria import examples/members.jsonl",
        "solidaria screen --profile un-2023 examples/bigco.jsonl",
        "solidaria register screen --input examples/sirene-sample.csv",
    ] {
        assert!(ran.iter().any(|e| e.at.starts_with("README.md") && e.command == shown), "{shown} did not run");
    }
    for shown in
        ["solidaria profiles validate my-network.toml", "solidaria screen --profile-file my-network.toml --all"]
    {
        assert!(ran.iter().any(|e| e.command == shown), "{shown} did not run");
    }
}

/// The README's register example on the shipped SIRENE-layout sample prints what it shows.
#[test]
fn the_readme_s_register_example_prints_what_it_shows() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let command = "$ solidaria register screen --input examples/sirene-sample.csv\n";
    let shown: Vec<&str> = readme
        .split(command)
        .nth(1)
        .expect("the README shows the example")
        .lines()
        .take_while(|l| !l.starts_with("```"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_solidaria"))
        .current_dir(root())
        .args([
            "--db",
            dir.path().join("r.db").to_str().unwrap(),
            "register",
            "screen",
            "--input",
            "examples/sirene-sample.csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(shown.len() >= 10, "{shown:?}");
    for line in shown.iter().filter(|l| **l != "…") {
        let line = line.trim_end_matches('…');
        assert!(printed.contains(line), "the README shows a line the command does not print: {line}\n{printed}");
    }
}

#[test]
fn the_profile_example_of_the_screening_docs_validates() {
    // Failed before the fix: its only mandatory criterion applied to co-operatives alone.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("my-network.toml");
    std::fs::write(&file, profile_example()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_solidaria"))
        .args(["profiles", "validate", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_statute_example_of_the_screening_docs_parses() {
    let text = std::fs::read_to_string(root().join("docs/screening.md")).unwrap();
    let statute = blocks(&text, "toml").into_iter().find(|b| b.contains("[[forms]]")).expect("a statute example");
    let forms = solidaria_core::statute::parse_statutes(&statute).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!forms.is_empty());
}

#[test]
fn doc_command_lines_are_read_as_a_reader_types_them() {
    let text = "```sh\n$ solidaria profiles                # the built-in profiles\nsolidaria finance mechanisms --territory ZA-GP [--format json]   # x\n```\nsolidaria outside\n";
    let lines: Vec<String> = command_lines("t.md", text).into_iter().map(|e| e.command).collect();
    assert_eq!(lines, ["solidaria profiles", "solidaria finance mechanisms --territory ZA-GP"]);
    let dir = tempfile::tempdir().unwrap();
    assert!(not_runnable("solidaria serve --demo", dir.path()).is_some());
    assert!(not_runnable("solidaria dedup undo MERGE --as MODERATOR", dir.path()).is_some());
    assert!(not_runnable("solidaria finance post 2024-q1.jsonl", dir.path()).is_some());
    assert!(not_runnable("solidaria strategy list --territory CA", dir.path()).is_none());
    assert!(not_runnable("solidaria export --format csv --type actor > actors.csv", dir.path()).is_none());
}
