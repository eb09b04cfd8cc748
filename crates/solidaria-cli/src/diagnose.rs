//! `solidaria diagnose`: the ecosystem diagnostic of a territory (and a comparison of two), from
//! the database. The rules are in `solidaria_core::ecosystem`, the loading (actors, relations,
//! betweenness on every core) and the HTML report in `solidaria_app`; this shell writes JSON,
//! text or HTML.

use crate::cli::{DiagnoseArgs, DiagnoseFormat};
use crate::term::line;
use anyhow::{Context as _, Result};
use solidaria_app::diagnose::{History, history, load, load_as_of};
use solidaria_app::report::diagnostic_html as html;
use solidaria_core::actor::BuildingBlock;
use solidaria_core::ecosystem::Diagnostic;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// Runs `diagnose`.
pub fn run(db: &str, args: &DiagnoseArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    if args.history {
        let h = history(store.as_mut(), &args.territory, args.since, &solidaria_app::clock::today())?;
        let text = match args.format {
            DiagnoseFormat::Json => serde_json::to_string_pretty(&h)? + "\n",
            DiagnoseFormat::Csv => history_csv(&h)?,
            DiagnoseFormat::Html => solidaria_app::report::history_html(&h),
            DiagnoseFormat::Text => history_text(&h),
        };
        return write_out(args, &text);
    }
    let first_loaded = load_as_of(store.as_mut(), &args.territory, args.as_of.as_deref())?;
    let second_loaded = match &args.compare {
        Some(t) => Some(load(store.as_mut(), t)?),
        None => None,
    };
    let first = &first_loaded.diagnostic;
    let second = second_loaded.as_ref().map(|l| &l.diagnostic);
    let text = match args.format {
        DiagnoseFormat::Html => html(&first_loaded, second_loaded.as_ref()),
        DiagnoseFormat::Json => {
            let value = match &second {
                None => serde_json::to_value(first)?,
                Some(b) => serde_json::json!({"compare": [first, b], "differences": differences(first, b)}),
            };
            serde_json::to_string_pretty(&value)? + "\n"
        }
        DiagnoseFormat::Csv => anyhow::bail!("--format csv is for --history; use json for one diagnostic"),
        DiagnoseFormat::Text => {
            let mut s = report(first);
            if args.as_of.is_none() {
                s.push_str(&social_finance(&solidaria_app::finance::in_territory(store.as_mut(), &first.territory)?));
            }
            if let Some(b) = second {
                s.push('\n');
                s.push_str(&report(b));
                s.push('\n');
                s.push_str(&comparison(first, b));
            }
            s
        }
    };
    write_out(args, &text)
}

fn write_out(args: &DiagnoseArgs, text: &str) -> Result<ExitCode> {
    match &args.output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", line(path)))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The history as CSV: one row per date.
fn history_csv(h: &History) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["date".to_string()];
    header.extend(BuildingBlock::ALL.iter().map(|b| b.as_str().to_string()));
    header
        .extend(["actors", "sse_organizations", "links", "components", "gaps", "brokers", "changes"].map(String::from));
    w.write_record(&header)?;
    for p in &h.points {
        let mut row = vec![p.date.clone()];
        row.extend(BuildingBlock::ALL.iter().map(|&b| p.score(b).map_or(String::new(), |s| s.to_string())));
        row.extend([p.actors, p.sse_organizations, p.links, p.components].map(|n| n.to_string()));
        row.push(p.gaps.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" "));
        row.push(p.brokers.join("; "));
        row.push(p.changes.join("; "));
        w.write_record(row.iter().map(|c| solidaria_formats::csv_actors::neutralise(c).into_owned()))?;
    }
    Ok(String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?)
}

/// The history as a readable table, then what changed at each date.
fn history_text(h: &History) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Ecosystem of {} over time", h.territory);
    let _ = write!(s, "\n{:<11}", "date");
    for b in BuildingBlock::ALL {
        let _ = write!(s, " {:>4}", short(*b));
    }
    let _ = writeln!(s, " {:>6} {:>5}  gaps", "actors", "links");
    for p in &h.points {
        let _ = write!(s, "{:<11}", p.date);
        for b in BuildingBlock::ALL {
            let _ = write!(s, " {:>4}", p.score(*b).unwrap_or(0));
        }
        let _ = writeln!(s, " {:>6} {:>5}  {}", p.actors, p.links, p.gaps.len());
    }
    let _ = writeln!(
        s,
        "\nColumns: {}",
        BuildingBlock::ALL.iter().map(|b| format!("{} = {}", short(*b), b)).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(s, "\nChanges");
    for p in h.points.iter().skip(1) {
        if !p.changes.is_empty() {
            let _ = writeln!(s, "  {}: {}", p.date, p.changes.join("; "));
        }
    }
    let _ = writeln!(s, "\n{}", h.note);
    s
}

/// A block's column heading.
fn short(b: BuildingBlock) -> &'static str {
    match b {
        BuildingBlock::CapacityBuilding => "cap",
        BuildingBlock::Finance => "fin",
        BuildingBlock::MarketAccess => "mkt",
        BuildingBlock::Policy => "pol",
        BuildingBlock::KnowledgeTransfer => "know",
        BuildingBlock::DataMeasurement => "data",
        BuildingBlock::AwarenessMobilisation => "aware",
    }
}

fn differences(a: &Diagnostic, b: &Diagnostic) -> Vec<serde_json::Value> {
    a.building_blocks
        .iter()
        .zip(&b.building_blocks)
        .map(|(x, y)| {
            serde_json::json!({"block": x.id, a.territory.clone(): x.score, b.territory.clone(): y.score,
                "difference": x.score as i64 - y.score as i64})
        })
        .collect()
}

fn bar(score: u32) -> String {
    let full = (score as usize).div_ceil(5);
    format!("{}{}", "█".repeat(full), "·".repeat(20 - full.min(20)))
}

/// A readable diagnostic.
pub fn report(d: &Diagnostic) -> String {
    let mut s = String::new();
    let n = &d.network;
    let _ = writeln!(
        s,
        "Ecosystem of {}: {} actors, {} links, {} connected part(s)",
        d.territory, n.nodes, n.edges, n.components
    );
    let _ = writeln!(s, "\nBuilding blocks (0-100)");
    for b in &d.building_blocks {
        let _ = writeln!(s, "  {:<24} {} {:>3}", b.id.as_str(), bar(b.score), b.score);
        for r in &b.reasons {
            let _ = writeln!(s, "  {:<24}   {}", "", line(r));
        }
    }
    let _ = writeln!(
        s,
        "\nBrokers to contact first ({} of {}: those that stand out from random networks with the same \
         links per actor, then the fewest that together bridge every pair of categories)",
        n.shortlist.len(),
        n.brokers.len()
    );
    if n.brokers.is_empty() {
        let _ = writeln!(s, "  none: no actor links actors of different categories along shortest paths");
    }
    for b in n.shortlist.iter().filter_map(|id| n.brokers.iter().find(|b| b.id == *id)) {
        let _ = writeln!(s, "  {:.3}  {} ({}): {}", b.betweenness, line(&b.name), b.id, b.reason());
    }
    let _ = writeln!(s, "\nAll brokers (actors bridging categories, by betweenness; first 10)");
    if n.brokers.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for b in n.brokers.iter().take(10) {
        let _ = writeln!(s, "  {:.3}  {} ({}) bridges {}", b.betweenness, line(&b.name), b.id, b.bridges.join(", "));
    }
    let _ = writeln!(s, "\nCommunities: {}; isolated actors: {}", n.communities.len(), n.isolated.len());
    let _ = writeln!(s, "\nGaps");
    if d.gaps.is_empty() {
        let _ = writeln!(s, "  none: every block has some coverage");
    }
    for g in &d.gaps {
        let _ = writeln!(s, "  - {}", line(g));
    }
    let _ = writeln!(s, "\nSuggested partnerships");
    if d.suggestions.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for x in d.suggestions.iter().take(10) {
        let _ = writeln!(s, "  - {} ↔ {} ({}): {}", x.from, x.to, x.block.as_str(), line(&x.reason));
    }
    s
}

fn comparison(a: &Diagnostic, b: &Diagnostic) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} compared with {}", a.territory, b.territory);
    let _ = writeln!(s, "  {:<24} {:>8} {:>8}", "block", a.territory, b.territory);
    for (x, y) in a.building_blocks.iter().zip(&b.building_blocks) {
        let _ = writeln!(s, "  {:<24} {:>8} {:>8}", x.id.as_str(), x.score, y.score);
    }
    let _ = writeln!(s, "  {:<24} {:>8} {:>8}", "actors", a.network.nodes, b.network.nodes);
    let _ = writeln!(s, "  {:<24} {:>8} {:>8}", "links", a.network.edges, b.network.edges);
    let _ = writeln!(s, "  {:<24} {:>8} {:>8}", "brokers", a.network.brokers.len(), b.network.brokers.len());
    let _ = writeln!(s, "  {:<24} {:>8} {:>8}", "gaps", a.gaps.len(), b.gaps.len());
    s
}

/// The social finance of the territory, in brief (aggregates only).
fn social_finance(f: &solidaria_app::finance::TerritoryFinance) -> String {
    let mut s = String::from("\nSocial finance\n");
    if f.funds.is_empty() {
        let _ = writeln!(s, "  no fund reaches {}", f.territory);
    }
    for x in &f.funds {
        let _ = writeln!(
            s,
            "  fund {} ({}): reaches it through {}; {} investee(s) here, {} invested, {} outstanding",
            crate::term::safe(&x.name),
            x.id,
            x.reach,
            x.investees,
            x.invested,
            x.outstanding
        );
    }
    let offered: Vec<String> = f
        .mechanisms
        .iter()
        .filter(|m| m.fit.as_ref().is_some_and(|x| x.availability == solidaria_core::mechanism::Availability::Offered))
        .map(|m| crate::term::safe(&m.mechanism.name))
        .collect();
    let _ = writeln!(
        s,
        "  {} mechanism(s) offered here{}",
        offered.len(),
        if offered.is_empty() { String::new() } else { format!(": {}", offered.join("; ")) }
    );
    s
}
