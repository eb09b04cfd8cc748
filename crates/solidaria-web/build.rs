//! Finds the interface languages: every `i18n/*.toml` file, by its stem (`fr.toml` is `fr`), so a
//! new language is a new file and no list of them is kept in code. Writes into `OUT_DIR` a slice
//! of (code, `include_str!` of the file), English first (the fallback), then by code. Only the
//! standard library is used.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=i18n");
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dir = manifest.join("i18n");
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())).path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).expect("UTF-8 file names").to_string();
            (stem, p.to_str().expect("UTF-8 paths").to_string())
        })
        .collect();
    files.sort_by(|a, b| (a.0 != "en", &a.0).cmp(&(b.0 != "en", &b.0)));
    assert!(files.first().is_some_and(|f| f.0 == "en"), "i18n/en.toml is the fallback language and must exist");
    let mut code = String::from("&[\n");
    for (stem, path) in &files {
        code.push_str(&format!("    ({stem:?}, include_str!({path:?})),\n"));
    }
    code.push(']');
    let target = out.join("languages.rs");
    if fs::read_to_string(&target).ok().as_deref() != Some(code.as_str()) {
        fs::write(&target, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
    }
}
