//! The ecosystem diagnostic of a territory, loaded from a store: shared by `solidaria diagnose`
//! and the web page. Betweenness is computed on every core (rayon over sources).

use rayon::prelude::*;
use solidaria_core::actor::Actor;
use solidaria_core::ecosystem::{self, Diagnostic};
use solidaria_core::network::{Graph, Scratch};
use solidaria_core::record::{Record, RecordType};
use solidaria_core::territory::{self, TerritoryId};
use solidaria_store::{ActorFilter, Store, StoreError};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Why a diagnostic could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiagnosticError {
    /// The territory id is malformed.
    #[error("territory: expected {expected}, found {found:?}")]
    Territory {
        /// What a territory id looks like.
        expected: String,
        /// What was given.
        found: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Exact betweenness on every core: sources are shared out among threads, each adding its
/// sources' shares into its own vector; the vectors are then summed.
pub fn betweenness(graph: &Graph) -> Vec<f64> {
    let all: Vec<usize> = (0..graph.nodes()).collect();
    let scale = graph.betweenness_scale();
    shares(graph, &all).into_iter().map(|x| x * scale).collect()
}

/// The summed (unnormalised) betweenness shares of the given sources, on every core. With every
/// node as a source this is exact betweenness; with a sample of k sources, scaled by n / k, it is
/// the sampled estimate.
pub fn shares(graph: &Graph, sources: &[usize]) -> Vec<f64> {
    let n = graph.nodes();
    sources
        .par_iter()
        .fold(
            || (vec![0.0f64; n], Scratch::default()),
            |(mut acc, mut scratch), &s| {
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
        )
}

/// A diagnostic with what its pictures need: per node, its category and name; the edges.
pub struct Loaded {
    /// The diagnostic.
    pub diagnostic: Diagnostic,
    /// Each node's category.
    pub categories: Vec<String>,
    /// Each node's name.
    pub names: Vec<String>,
    /// The distinct links.
    pub edges: Vec<(usize, usize)>,
}

/// Loads a territory's actors and relations and diagnoses it.
pub fn load(store: &mut dyn Store, t: &str) -> Result<Loaded, DiagnosticError> {
    if let Err(e) = TerritoryId::parse(t) {
        return Err(DiagnosticError::Territory { expected: e.to_string(), found: t.to_string() });
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

/// A printable HTML report: the radar chart of the blocks (with the compared territory), and for
/// each territory its scores with reasons, network picture, brokers, gaps and suggestions. Every
/// text from the database is escaped.
pub fn html(a: &Loaded, b: Option<&Loaded>) -> String {
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
