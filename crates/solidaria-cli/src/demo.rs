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

/// The demo fund's investee: a fictitious organization, every fact of it illustrative, so that
/// the demo can invest in an organization that is both eligible and ready (no real demo actor
/// documents the readiness facts with a source).
pub const DEMO_ILLUSTRATIVE: &str = include_str!("../demo/illustrative.jsonl");

/// The demo's strategies (illustrative): Quebec's, adopted by demo accounts of its colleges, and
/// Ontario's draft, left for deliberation.
pub const DEMO_STRATEGIES: &str = include_str!("../demo/strategies.jsonl");

/// The actors of the demo accounts that vote: (account, actor). The Quebec ones adopt Quebec's
/// strategy when the demo loads; the Ontario ones, one per college, are left to vote on the web.
pub const DEMO_VOTERS: &[(&str, &str)] = &[
    ("demo-qc-utile", "utile"),
    ("demo-qc-contact", "coop-solidarite-contact"),
    ("demo-qc-chantier", "chantier-economie-sociale"),
    ("demo-qc-cqcm", "cqcm"),
    ("demo-qc-meie", "meie"),
    ("demo-qc-crises", "crises"),
    ("demo-qc-fiducie", "fiducie-chantier"),
    ("demo-qc-desjardins", "desjardins"),
    ("demo-on-solarshare", "solarshare"),
    ("demo-on-oca", "ontario-coop-association"),
    ("demo-on-waterloo", "university-of-waterloo"),
    ("demo-on-tapestry", "tapestry-community-capital"),
];

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
        load_strategies(store.as_mut())?;
        outln!(
            "\nNext: `solidaria actors list --territory CA-QC`, `solidaria actors show tiess`, `solidaria finance mechanisms --territory ZA-GP`, `solidaria finance report --fund {DEMO_FUND_ID}`"
        )?;
    }
    Ok(code)
}

/// Imports a file bundled with the demo through the import pipeline, quietly; a refusal (a fault
/// of the bundle, not of the user's data) lists each problem with its line.
fn import_bundled(store: &mut dyn solidaria_store::Store, name: &str, text: &str) -> Result<()> {
    let source = open_source(name, text.as_bytes(), Some(Format::JsonLines))?;
    let report = solidaria_app::import::import(store, "demo", vec![source], &mut |_| {})?;
    if !report.committed {
        let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        anyhow::bail!("{name}, bundled with the demo, was refused (please report it): {}", problems.join("; "));
    }
    Ok(())
}

/// Imports the fund's fictitious investee, saves the demo fund and posts its transactions (a
/// second run changes nothing).
fn load_fund(store: &mut dyn solidaria_store::Store) -> Result<()> {
    import_bundled(store, "demo/illustrative.jsonl", DEMO_ILLUSTRATIVE)?;
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
    outln!(
        "fund {DEMO_FUND_ID}: {} transaction{} posted, {} already in the ledger (illustrative amounts, fictitious investee)",
        r.posted,
        if r.posted == 1 { "" } else { "s" },
        r.unchanged
    )?;
    Ok(())
}

/// Imports the demo's strategies, makes the demo voters' accounts (random passwords, not shown:
/// `solidaria user password NAME` sets one) linked to their actors, and has Quebec's colleges
/// adopt Quebec's strategy (once: a second run finds it adopted and changes nothing).
fn load_strategies(store: &mut dyn solidaria_store::Store) -> Result<()> {
    use solidaria_app::strategy;
    use solidaria_core::deliberation::Choice;
    use solidaria_core::moderation::Role;
    import_bundled(store, "demo/strategies.jsonl", DEMO_STRATEGIES)?;
    let admin = solidaria_store::accounts::User {
        name: "demo".into(),
        role: Role::Admin,
        password_hash: String::new(),
        created_at: String::new(),
        disabled_at: None,
    };
    for (name, actor) in DEMO_VOTERS {
        if store.user(name)?.is_none() {
            let password = solidaria_app::accounts::new_secret()?;
            solidaria_app::accounts::add_user(store, "demo", name, Role::Contributor, &password)?;
        }
        strategy::link(store, &admin, name, Some(actor))?;
    }
    let id = "qc-market-data-2024";
    if strategy::view(store, id, &solidaria_app::clock::today())?.stage.as_str() == "draft" {
        strategy::open(store, &admin, id)?;
        for (name, _) in DEMO_VOTERS.iter().filter(|(n, _)| n.starts_with("demo-qc-")) {
            let voter = store.user(name)?.ok_or_else(|| anyhow::anyhow!("demo account {name} is missing"))?;
            let (choice, reason) = match *name {
                "demo-qc-desjardins" => (Choice::Abstain, None),
                _ => (Choice::For, None),
            };
            strategy::vote(store, &voter, id, choice, reason)?;
        }
        let (_, outcome) = strategy::close(store, &admin, id)?;
        outln!("strategy {id}: {} (illustrative votes of demo accounts)", outcome.explanation[0])?;
    }
    Ok(())
}

/// With `serve --demo` on a database without accounts: one account per role, each with a fresh
/// random password printed once on standard error, so that a newcomer can try moderation at once.
/// Never known in advance (a demo left running in public is not an open door) and never made
/// where any account exists.
pub fn accounts(store: &mut dyn solidaria_store::Store) -> Result<()> {
    use solidaria_core::moderation::Role;
    // The demo voters' accounts (made by the demo itself) do not count: any other account means
    // someone already set the database up.
    if store.users()?.iter().any(|u| !DEMO_VOTERS.iter().any(|(name, _)| *name == u.name)) {
        return Ok(());
    }
    for (name, role) in [
        ("demo-admin", Role::Admin),
        ("demo-moderator", Role::Moderator),
        ("demo-contributor", Role::Contributor),
        ("demo-fund-manager", Role::Contributor),
    ] {
        let password = solidaria_app::accounts::new_secret()?[..20].to_string();
        solidaria_app::accounts::add_user(store, "serve --demo", name, role, &password)?;
        eprintln!("demo account: {name} ({role}), password {password}");
    }
    // The fund manager's account speaks for the demo fund's manager, so it sees and posts to
    // the fund's ledger (/funds/demo-sff-quebec/ledger).
    store.set_account_actor("serve --demo", "demo-fund-manager", Some("cap-finance"))?;
    eprintln!("log in at /login; these passwords are shown only now (solidaria user password NAME changes one)");
    Ok(())
}
