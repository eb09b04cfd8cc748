//! `solidaria diagnose`: the ecosystem diagnostic of a territory (and a comparison of two), from
//! the database. The rules are in `solidaria_core::ecosystem`; this shell loads the actors and
//! relations, computes betweenness on every core, and writes JSON or text.

use crate::cli::{DiagnoseArgs, DiagnoseFormat};
use crate::term::line;
use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;
use solidaria_core::actor::Actor;
use solidaria_core::ecosystem::{self, Diagnostic};
use solidaria_core::network::{Graph, Scratch};
use solidaria_core::record::{Record, RecordType};
use solidaria_core::territory::{self, TerritoryId};
use solidaria_store::{ActorFilter, Store};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// Exact betweenness on every core: sources are shared out among threads, each adding its
/// sources' shares into its own vector; the vectors are then summed.
pub fn betweenness(graph: &Graph) -> Vec<f64> {
    let n = graph.nodes();
    let mut total = (0..n)
        .into_par_iter()
        .fold(
            || (vec![0.0f64; n], Scratch::default()),
            |(mut acc, mut scratch), s| {
                graph.betweenness_from(s, &mut scratch, &mut acc);
                (acc, scratch)
            },
        )
        .map(|(acc, _)| acc)
        .reduce(
            || vec![0.0; n],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    let scale = graph.betweenness_scale();
    total.iter_mut().for_each(|x| *x *= scale);
    total
}

/// A diagnostic with what its pictures need: per node, its category and name; the edges.
struct Loaded {
    diagnostic: Diagnostic,
    categories: Vec<String>,
    names: Vec<String>,
    edges: Vec<(usize, usize)>,
}

fn load(store: &mut dyn Store, t: &str) -> Result<Loaded> {
    if let Err(e) = TerritoryId::parse(t) {
        bail!("--territory: expected {e}, found \"{}\"", line(t));
    }
    let parents = store.territory_parents()?;
    let within = territory::descendants(t, &parents);
    let actors: Vec<Actor> = store.list_actors(&ActorFilter { territories: Some(within), text: None, limit: None })?;
    let index: HashMap<String, usize> = actors.iter().enumerate().map(|(i, a)| (a.id.to_string(), i)).collect();
    let mut edges = Vec::new();
    store.for_each(RecordType::Relation, &mut |r| {
        if let Record::Relation(rel) = r
            && let (Some(&a), Some(&b)) = (index.get(rel.from.as_str()), index.get(rel.to.as_str()))
        {
            edges.push((a, b));
        }
        Ok(())
    })?;
    let graph = Graph::new(actors.len(), edges);
    let b = betweenness(&graph);
    let diagnostic = ecosystem::diagnose(t, &actors, &graph, &b);
    let distinct: Vec<(usize, usize)> = (0..graph.nodes())
        .flat_map(|v| graph.neighbours(v).iter().map(move |&w| (v, w as usize)))
        .filter(|(v, w)| v < w)
        .collect();
    Ok(Loaded {
        diagnostic,
        categories: actors.iter().map(|a| a.category.map_or("unknown".into(), |c| c.to_string())).collect(),
        names: actors.iter().map(|a| a.name.clone()).collect(),
        edges: distinct,
    })
}

/// Runs `diagnose`.
pub fn run(db: &str, args: &DiagnoseArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let first_loaded = load(store.as_mut(), &args.territory)?;
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
        DiagnoseFormat::Text => {
            let mut s = report(first);
            if let Some(b) = second {
                s.push('\n');
                s.push_str(&report(b));
                s.push('\n');
                s.push_str(&comparison(first, b));
            }
            s
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, text).with_context(|| format!("cannot write {}", line(path)))?,
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
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
    let _ = writeln!(s, "\nBrokers (actors bridging categories, by betweenness)");
    if n.brokers.is_empty() {
        let _ = writeln!(s, "  none: no actor links actors of different categories along shortest paths");
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

/// A printable HTML report: the radar chart of the blocks (with the compared territory), and for
/// each territory its scores with reasons, network picture, brokers, gaps and suggestions. Every
/// text from the database is escaped.
fn html(a: &Loaded, b: Option<&Loaded>) -> String {
    use solidaria_core::charts::{escape, network_picture, radar};
    let labels: Vec<&str> = a.diagnostic.building_blocks.iter().map(|x| ecosystem::block_words(x.id)).collect();
    let mut series =
        vec![(a.diagnostic.territory.as_str(), a.diagnostic.building_blocks.iter().map(|x| x.score).collect())];
    if let Some(b) = b {
        series.push((b.diagnostic.territory.as_str(), b.diagnostic.building_blocks.iter().map(|x| x.score).collect()));
    }
    let title = match b {
        Some(b) => format!("SSE ecosystem of {} compared with {}", a.diagnostic.territory, b.diagnostic.territory),
        None => format!("SSE ecosystem of {}", a.diagnostic.territory),
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font:14px/1.45 sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}}\
         svg{{max-width:100%;height:auto}}section{{break-inside:avoid}}@media print{{body{{margin:0}}}}</style></head><body>\
         <h1>{}</h1><p>Generated by Solidaria. Scores, brokers and suggestions follow the rules in docs/ecosystem.md.</p>\
         <section><h2>Building blocks</h2>{}</section>",
        escape(&title),
        escape(&title),
        radar(&labels, &series)
    );
    for l in std::iter::once(a).chain(b) {
        let d = &l.diagnostic;
        let n = &d.network;
        let _ = write!(
            s,
            "<section><h2>{}</h2><p>{} actors, {} links, {} connected part(s), {} communities, {} isolated actor(s).</p>\
             <table><tr><th>block</th><th>score</th><th>why</th></tr>",
            escape(&d.territory),
            n.nodes,
            n.edges,
            n.components,
            n.communities.len(),
            n.isolated.len()
        );
        for x in &d.building_blocks {
            let reasons: Vec<String> = x.reasons.iter().map(|r| escape(r)).collect();
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ecosystem::block_words(x.id),
                x.score,
                reasons.join("<br>")
            );
        }
        s.push_str("</table><h3>Network</h3>");
        s.push_str(&network_picture(d, &l.categories, &l.names, &l.edges));
        s.push_str("<h3>Brokers</h3><table><tr><th>actor</th><th>betweenness</th><th>bridges</th></tr>");
        for br in n.brokers.iter().take(15) {
            let _ = write!(
                s,
                "<tr><td>{} ({})</td><td>{:.3}</td><td>{}</td></tr>",
                escape(&br.name),
                escape(&br.id),
                br.betweenness,
                escape(&br.bridges.join(", "))
            );
        }
        s.push_str("</table><h3>Gaps</h3><ul>");
        for g in &d.gaps {
            let _ = write!(s, "<li>{}</li>", escape(g));
        }
        s.push_str("</ul><h3>Suggested partnerships</h3><ul>");
        for x in d.suggestions.iter().take(15) {
            let _ = write!(
                s,
                "<li><strong>{} ↔ {}</strong> ({}): {}</li>",
                escape(&x.from),
                escape(&x.to),
                x.block.as_str(),
                escape(&x.reason)
            );
        }
        s.push_str("</ul></section>");
    }
    s.push_str("</body></html>\n");
    s
}
