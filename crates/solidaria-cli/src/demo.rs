//! `solidaria demo`: loads the bundled demo ecosystem through the normal import pipeline, then
//! the demo's matched fund and its illustrative ledger through the finance use cases.

use crate::import::{open_source, print_report};
use anyhow::Result;
use solidaria_formats::Format;
use std::process::ExitCode;

/// The demo ecosystem, compiled into the binary (sources in `demo/SOURCES.md`).
pub const DEMO: &str = include_str!("../demo/ecosystem.jsonl");

/// The demo's matched fund and its transactions (every amount illustrative), loaded after the
/// records: the fund names actors of the demo ecosystem.
pub const DEMO_FUND: &str = include_str!("../demo/fund.jsonl");

/// The id of the demo's matched fund.
pub const DEMO_FUND_ID: &str = "demo-sff-quebec";

/// Runs `demo`.
pub fn run(db: &str) -> Result<ExitCode> {
    let mut store = crate::create_store(db)?;
    let source = open_source("demo/ecosystem.jsonl", DEMO.as_bytes(), Some(Format::JsonLines))?;
    let report = solidaria_app::import::import(store.as_mut(), "demo", vec![source], &mut |_| {})?;
    let code = print_report(&report, 1, store.as_mut())?;
    if report.committed {
        load_fund(store.as_mut())?;
        println!(
            "\nNext: `solidaria actors list --territory CA-QC`, `solidaria actors show tiess`, `solidaria finance mechanisms --territory ZA-GP`, `solidaria finance report --fund {DEMO_FUND_ID}`"
        );
    }
    Ok(code)
}

/// Saves the demo fund and posts its transactions (a second run changes nothing).
fn load_fund(store: &mut dyn solidaria_store::Store) -> Result<()> {
    let mut transactions = Vec::new();
    for (i, l) in DEMO_FUND.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(l)?;
        if v.get("type").and_then(serde_json::Value::as_str) == Some("fund") {
            solidaria_app::finance::put_fund(store, "demo", &v)?;
        } else {
            transactions.push((i as u64 + 1, v));
        }
    }
    let r = solidaria_app::finance::post(store, "demo", &transactions)?;
    if !r.committed {
        anyhow::bail!("demo/fund.jsonl: the demo ledger was refused: {}", r.problems.join("; "));
    }
    println!(
        "fund {DEMO_FUND_ID}: {} transaction{} posted, {} already in the ledger (illustrative amounts)",
        r.posted,
        if r.posted == 1 { "" } else { "s" },
        r.unchanged
    );
    Ok(())
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
