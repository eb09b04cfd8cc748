//! `solidaria strategy …`: a territory's strategies, their deliberation and their follow-up. The
//! rules are in `solidaria_core::{strategy, deliberation}`, the use cases in
//! `solidaria_app::strategy`; this shell finds the acting account and prints text or JSON.

use crate::cli::{BridgeArg, StrategyCommand};
use crate::{open_store, term};
use anyhow::{Context as _, Result, bail};
use solidaria_app::strategy::{self, View};
use solidaria_core::deliberation::{Choice, rules};
use solidaria_store::Store;
use solidaria_store::accounts::User;
use std::io::Write;
use std::process::ExitCode;

/// The account `--as` names (refused when missing or disabled).
fn account(store: &mut dyn Store, name: &str) -> Result<User> {
    Ok(solidaria_app::accounts::acting_account(store, name)?)
}

/// Runs one `strategy` subcommand.
pub fn run(db: &str, command: &StrategyCommand) -> Result<ExitCode> {
    let mut store = open_store(db)?;
    let store = store.as_mut();
    let mut out = std::io::stdout().lock();
    match command {
        StrategyCommand::List { territory, json } => {
            let list = strategy::list(store, territory.as_deref())?;
            if *json {
                writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
            } else {
                for s in list {
                    let until = s.until.unwrap_or_default();
                    writeln!(
                        out,
                        "{}\t{}\t{}–{until}\t{}\t{} action(s)\t{}",
                        s.id,
                        s.territory,
                        s.from,
                        s.stage,
                        s.actions,
                        term::safe(&s.title)
                    )?;
                }
            }
        }
        StrategyCommand::Show { id, json } => {
            let v = strategy::view(store, id, &solidaria_app::clock::today())?;
            if *json {
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
                out.write_all(text(&v).as_bytes())?;
            }
        }
        StrategyCommand::Open { id, as_user } => {
            let u = account(store, as_user)?;
            let e = strategy::open(store, &u, id)?;
            writeln!(out, "round opened on {id} at {} by {}", e.at, e.who)?;
        }
        StrategyCommand::Close { id, as_user } => {
            let u = account(store, as_user)?;
            let (_, o) = strategy::close(store, &u, id)?;
            for line in &o.explanation {
                writeln!(out, "{}", term::safe(line))?;
            }
        }
        StrategyCommand::Vote { id, as_user, choice, reason } => {
            let Ok(choice) = Choice::parse(choice) else {
                bail!("--choice: expected for, against, abstain or object, found {choice:?}");
            };
            let u = account(store, as_user)?;
            let e = strategy::vote(store, &u, id, choice, reason.clone())?;
            writeln!(
                out,
                "{} votes {choice} for {} ({})",
                e.who,
                e.actor.unwrap_or_default(),
                e.college.unwrap_or_default()
            )?;
        }
        StrategyCommand::Amend { id, as_user, text } => {
            let u = account(store, as_user)?;
            let e = strategy::amend(store, &u, id, text.clone())?;
            writeln!(out, "amendment {} recorded for {}", e.seq, e.actor.unwrap_or_default())?;
        }
        StrategyCommand::Export { id, to, locales, closing_at } => {
            let v = match to {
                BridgeArg::Decidim => {
                    let locales: Vec<&str> = locales.split(',').map(str::trim).collect();
                    strategy::export_decidim(store, id, &locales)?
                }
                BridgeArg::Loomio => strategy::export_loomio(store, id, closing_at.as_deref())?,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        StrategyCommand::ImportResults { id, from, file, as_user } => {
            let u = account(store, as_user)?;
            let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", term::line(file)))?;
            let r = match from {
                BridgeArg::Decidim => strategy::import_decidim(store, &u, id, file, &text)?,
                BridgeArg::Loomio => strategy::import_loomio(store, &u, id, file, &text)?,
            };
            writeln!(out, "{} event(s) added to the log of {id}", r.appended)?;
            for l in &r.left {
                writeln!(out, "  not kept: {}", term::safe(l))?;
            }
        }
        StrategyCommand::Rules => {
            for r in rules() {
                writeln!(out, "{}: {}\n  {}\n  basis: {}", r.id, r.title, r.summary, r.basis)?;
                for c in &r.colleges {
                    writeln!(out, "  college {}: {}", c.id, c.categories.join(", "))?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A readable strategy.
pub fn text(v: &View) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let st = &v.strategy;
    let get = |k: &str| st.get(k).and_then(|x| x.as_str()).unwrap_or("");
    let _ = writeln!(
        s,
        "{} — {} ({}, {}–{})",
        get("id"),
        term::safe(get("title")),
        get("territory"),
        get("from"),
        get("until")
    );
    let _ = writeln!(s, "stage: {}   rule: {} ({})", v.stage.as_str(), v.rule.id, v.rule.summary);
    if v.edited_since_opened {
        let _ = writeln!(s, "note: the record changed after the text put to the last round (kept in the log)");
    }
    if let Some(o) = &v.outcome {
        let _ = writeln!(s, "\nCount");
        for line in &o.explanation {
            let _ = writeln!(s, "  {}", term::safe(line));
        }
    }
    let name = |id: &str| v.names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let _ = writeln!(s, "\nActions");
    for (a, doc) in v.actions.iter().zip(st.get("actions").and_then(|x| x.as_array()).into_iter().flatten()) {
        let _ = writeln!(s, "  [{}] {} ({})", a.id, term::safe(&a.title), a.block);
        if let Some(lead) = doc.get("lead").and_then(|x| x.as_str()) {
            let _ = writeln!(s, "    lead: {}", term::safe(&name(lead)));
        }
        for c in doc.get("commitments").and_then(|x| x.as_array()).into_iter().flatten() {
            let who = c.get("actor").and_then(|x| x.as_str()).unwrap_or("");
            let what = c.get("what").and_then(|x| x.as_str()).unwrap_or("");
            let _ = writeln!(s, "    commitment: {} — {}", term::safe(&name(who)), term::safe(what));
        }
        for m in &a.milestones {
            let state =
                serde_json::to_value(m.state).ok().and_then(|x| x.as_str().map(String::from)).unwrap_or_default();
            let _ = writeln!(s, "    milestone: {} (due {}) {state}", term::safe(&m.milestone.title), m.milestone.due);
        }
        if let Some(i) = &a.indicator {
            let _ = writeln!(s, "    indicator: {}", term::safe(&i.summary));
        }
    }
    let _ = writeln!(s, "\nLog");
    for e in &v.events {
        let detail = [e.actor.as_deref(), e.college.as_deref(), e.choice.map(|c| c.as_str()), e.text.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        let _ = writeln!(s, "  {} {} {} {}", e.at, e.who, e.kind, term::safe(&detail));
    }
    s
}
