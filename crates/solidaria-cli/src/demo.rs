//! `solidaria demo`: loads the bundled demo ecosystem through the normal import pipeline.

use crate::import::{open_source, print_report};
use anyhow::Result;
use solidaria_formats::Format;
use std::process::ExitCode;

/// The demo ecosystem, compiled into the binary (sources in `demo/SOURCES.md`).
pub const DEMO: &str = include_str!("../demo/ecosystem.jsonl");

/// Runs `demo`.
pub fn run(db: &str) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let source = open_source("demo/ecosystem.jsonl", DEMO.as_bytes(), Some(Format::JsonLines))?;
    let report = solidaria_app::import::import(store.as_mut(), "demo", vec![source], &mut |_| {})?;
    let code = print_report(&report, 1, store.as_mut())?;
    if report.committed {
        println!(
            "\nNext: `solidaria actors list --territory CA-QC`, `solidaria actors show tiess`, `solidaria export --format csv`"
        );
    }
    Ok(code)
}

/// With `serve --demo` on a database without accounts: one account per role, each with a fresh
/// random password printed once on standard error, so that a newcomer can try moderation at once.
/// Never known in advance (a demo left running in public is not an open door) and never made
/// where any account exists.
pub fn accounts(store: &mut dyn solidaria_store::Store) -> Result<()> {
    use solidaria_core::moderation::Role;
    if !store.users()?.is_empty() {
        return Ok(());
    }
    for (name, role) in
        [("demo-admin", Role::Admin), ("demo-moderator", Role::Moderator), ("demo-contributor", Role::Contributor)]
    {
        let password = solidaria_app::accounts::new_secret()?[..20].to_string();
        solidaria_app::accounts::add_user(store, "serve --demo", name, role, &password)?;
        eprintln!("demo account: {name} ({role}), password {password}");
    }
    eprintln!("log in at /login; these passwords are shown only now (solidaria user password NAME changes one)");
    Ok(())
}
