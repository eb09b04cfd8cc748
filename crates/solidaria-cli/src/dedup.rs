//! `solidaria dedup`: the pairs of actors that may be one organization, as a readable table,
//! JSON Lines or CSV; the use case is `solidaria_app::dedup`.

use crate::cli::{DedupArgs, DedupCommand, DedupFormat};
use crate::term::{cell, line};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use solidaria_core::dedup::{Candidate, Options, Side};
use solidaria_core::record::RecordType;
use std::io::Write;
use std::process::ExitCode;

/// Runs `dedup`.
pub fn run(db: &str, args: &DedupArgs) -> Result<ExitCode> {
    if let Some(command) = &args.command {
        return merges(db, command);
    }
    let options = Options {
        threshold: args.threshold,
        ignore_schemes: args.ignore_scheme.iter().cloned().collect(),
        across_sources_only: args.across_sources_only,
        one_to_one: args.one_to_one,
    };
    solidaria_app::dedup::check_options(&options)?;
    let mut store = crate::open_store(db)?;
    let bar = ProgressBar::new(store.count(RecordType::Actor)?);
    bar.set_style(
        ProgressStyle::with_template("{spinner} reading {bar:30} {pos}/{len} actors {per_sec} ETA {eta}")
            .expect("valid template"),
    );
    let outcome = solidaria_app::dedup::candidates(store.as_mut(), &options, &mut |n| bar.set_position(n))?;
    bar.finish_and_clear();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        DedupFormat::Json => {
            for c in &outcome.candidates {
                serde_json::to_writer(&mut out, c)?;
                out.write_all(b"\n")?;
            }
        }
        DedupFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record([
                "score",
                "a_id",
                "a_name",
                "a_identifiers",
                "a_sources",
                "b_id",
                "b_name",
                "b_identifiers",
                "b_sources",
                "reasons",
            ])?;
            for c in &outcome.candidates {
                let score = format!("{:.4}", c.score);
                let cells = [
                    score.as_str(),
                    &c.a.id,
                    &c.a.name,
                    &identifiers(&c.a),
                    &sources(&c.a),
                    &c.b.id,
                    &c.b.name,
                    &identifiers(&c.b),
                    &sources(&c.b),
                    &reasons(c),
                ];
                // Names come from the data: a cell a spreadsheet would run is written as text.
                w.write_record(cells.map(solidaria_formats::csv_actors::neutralise).iter().map(|c| c.as_bytes()))?;
            }
            w.flush()?;
        }
        DedupFormat::Text => {
            writeln!(out, "{:<6}  {:<45}  {:<45}", "SCORE", "ACTOR", "ACTOR")?;
            for c in &outcome.candidates {
                writeln!(out, "{:<6.4}  {}  {}", c.score, cell(&c.a.id, 45), cell(&c.b.id, 45))?;
                writeln!(out, "{:<6}  {}  {}", "", cell(&c.a.name, 45), cell(&c.b.name, 45))?;
                let (ia, ib) = (identifiers(&c.a), identifiers(&c.b));
                if !ia.is_empty() || !ib.is_empty() {
                    writeln!(out, "{:<6}  {}  {}", "", cell(&ia, 45), cell(&ib, 45))?;
                }
                writeln!(out, "{:<6}  {}  {}", "", cell(&sources(&c.a), 45), cell(&sources(&c.b), 45))?;
                for r in &c.reasons {
                    writeln!(out, "{:<6}  {:+5.1}  {}", "", r.weight, line(&r.text))?;
                }
            }
            let s = outcome.stats;
            writeln!(
                out,
                "{} pair(s) at or above {} among {} actors ({} pairs compared).",
                s.candidates, options.threshold, s.actors, s.compared
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `scheme=value; …` as the sources wrote them.
fn identifiers(s: &Side) -> String {
    s.identifiers.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
}

/// `dataset edition line N; …`.
fn sources(s: &Side) -> String {
    s.sources
        .iter()
        .map(|r| {
            let mut t = r.dataset.clone();
            if let Some(e) = &r.edition {
                t.push_str(&format!(" {e}"));
            }
            if let Some(l) = r.line {
                t.push_str(&format!(" line {l}"));
            }
            t
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The reasons, `+6.0 same postcode M60 0AG; …`.
fn reasons(c: &Candidate) -> String {
    c.reasons.iter().map(|r| format!("{:+.1} {}", r.weight, r.text)).collect::<Vec<_>>().join("; ")
}

/// The account `--as` names (refused when missing or disabled).
fn account(store: &mut dyn solidaria_store::Store, name: &str) -> Result<solidaria_store::accounts::User> {
    Ok(solidaria_app::accounts::acting_account(store, name)?)
}

fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// The preview of a merge, in words: conflicts side by side, then the relations and the other
/// references re-pointed.
fn preview_text(out: &mut impl Write, p: &solidaria_app::merge::Preview) -> Result<()> {
    use solidaria_core::dedup::merge::Side;
    writeln!(out, "keep   {}  {}", p.kept.id, line(&p.kept.name))?;
    writeln!(out, "absorb {}  {}", p.absorbed.id, line(&p.absorbed.name))?;
    if p.conflicts.is_empty() {
        writeln!(out, "no conflicting values")?;
    }
    for c in &p.conflicts {
        let mark = |s: Side| if c.chosen == s { "*" } else { " " };
        writeln!(out, "conflict {}:", c.field)?;
        writeln!(out, "  {} kept:     {}", mark(Side::Kept), line(&shown(&c.kept)))?;
        writeln!(out, "  {} absorbed: {}", mark(Side::Absorbed), line(&shown(&c.absorbed)))?;
        writeln!(out, "    ({})", c.why)?;
    }
    for r in &p.relations {
        match &r.to_key {
            Some(k) => writeln!(out, "relation {} -> {} ({})", r.from_key, k, r.action)?,
            None => writeln!(out, "relation {} ({})", r.from_key, r.action)?,
        }
    }
    for r in &p.references {
        writeln!(out, "{} {}: {} -> {}", r.record_type, line(&r.key), r.fields.join(", "), p.kept.id)?;
    }
    Ok(())
}

/// Runs `dedup merge`, `dedup undo` and `dedup merges`.
fn merges(db: &str, command: &DedupCommand) -> Result<ExitCode> {
    use solidaria_app::merge;
    let mut store = crate::open_store(db)?;
    let store = store.as_mut();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match command {
        DedupCommand::Merge { keep, absorb, as_user, dry_run, json } => {
            let user = account(store, as_user)?;
            if *dry_run {
                let p = merge::preview(store, keep, absorb)?;
                if *json {
                    writeln!(out, "{}", serde_json::to_string_pretty(&p)?)?;
                } else {
                    preview_text(&mut out, &p)?;
                    writeln!(out, "nothing written (--dry-run)")?;
                }
            } else {
                let m = merge::merge(store, &user, keep, absorb)?;
                if *json {
                    writeln!(out, "{}", serde_json::to_string_pretty(&m)?)?;
                } else {
                    preview_text(&mut out, &m.preview)?;
                    writeln!(
                        out,
                        "merge {}: {absorb} merged into {keep} (undo: solidaria dedup undo {} --as {as_user})",
                        m.id, m.id
                    )?;
                }
            }
        }
        DedupCommand::Undo { merge: id, as_user } => {
            let user = account(store, as_user)?;
            let u = merge::undo(store, &user, *id)?;
            writeln!(
                out,
                "merge {} undone: {} and {} restored with {} relation(s) and {} other reference(s)",
                u.id, u.keep, u.absorbed, u.relations, u.references
            )?;
        }
        DedupCommand::Merges { limit, json } => {
            for e in merge::list(store, *limit)? {
                if *json {
                    serde_json::to_writer(&mut out, &e)?;
                    out.write_all(b"\n")?;
                } else {
                    let undone = match (&e.undone_at, &e.undone_by) {
                        (Some(at), Some(by)) => format!("  undone {at} by {by}"),
                        _ => String::new(),
                    };
                    writeln!(out, "{}\t{}\t{}\t{} <- {}{undone}", e.id, e.at, line(&e.who), e.keep, e.absorbed)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
