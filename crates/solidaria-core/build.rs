//! Finds the data files compiled into `solidaria-core`, so that none of them is listed by hand:
//!
//! - `profiles/*.toml`: the built-in screening profiles (`screening::builtin`);
//! - `registers/*.toml`: the built-in register profiles (`register::BUILTIN`);
//! - `data/codes/*.csv`: the legal-category code systems register profiles name (`register`);
//! - `statutes/*.toml`: what the law of each legal form makes true (`statute`);
//! - `readiness/*.toml`: the built-in investment-readiness profiles (`finance::readiness`);
//! - `decision_rules/*.toml`: the rules a strategy is decided under (`deliberation`).
//!
//! For each directory it writes, into `OUT_DIR`, a Rust expression: a slice of (file stem, text)
//! pairs in file-name order, each text an `include_str!` of the file's absolute path (the files
//! are embedded; nothing reads them at run time), and the number of files found. Adding, removing
//! or renaming a file reruns this script. Only the standard library is used.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    embed(&manifest, "profiles", "toml", &out, "profiles");
    embed(&manifest, "registers", "toml", &out, "registers");
    embed(&manifest, "data/codes", "csv", &out, "codes");
    embed(&manifest, "statutes", "toml", &out, "statutes");
    embed(&manifest, "readiness", "toml", &out, "readiness");
    embed(&manifest, "decision_rules", "toml", &out, "decision_rules");
}

/// Writes `{name}.rs` (the slice of stems and texts) and `{name}_count.rs` (how many files) for the
/// files of `dir` ending in `.{ext}`.
fn embed(manifest: &Path, dir: &str, ext: &str, out: &Path, name: &str) {
    // A directory: Cargo reruns the script when any file in it changes, appears or disappears.
    println!("cargo:rerun-if-changed={dir}");
    let files = files(&manifest.join(dir), ext);
    let mut code = String::from("&[\n");
    for (stem, path) in &files {
        code.push_str(&format!("    ({stem:?}, include_str!({path:?})),\n"));
    }
    code.push(']');
    write(&out.join(format!("{name}.rs")), &code);
    write(&out.join(format!("{name}_count.rs")), &files.len().to_string());
}

/// The files of `dir` ending in `.{ext}`, as (stem, absolute path), sorted by stem.
fn files(dir: &Path, ext: &str) -> Vec<(String, String)> {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())).path();
        if !path.is_file() || path.extension().is_none_or(|x| x != ext) {
            continue;
        }
        let (Some(stem), Some(text)) = (path.file_stem().and_then(|s| s.to_str()), path.to_str()) else {
            panic!("{}: expected a file name and path in UTF-8", path.display());
        };
        files.push((stem.to_string(), text.to_string()));
    }
    files.sort();
    files
}

/// Writes a generated file, leaving it untouched when its content is unchanged.
fn write(path: &Path, code: &str) {
    if fs::read_to_string(path).is_ok_and(|old| old == code) {
        return;
    }
    fs::write(path, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
