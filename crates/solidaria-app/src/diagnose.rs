//! The ecosystem diagnostic of a territory, loaded from a store: the actors within it, the
//! relations between them, betweenness on every core (rayon over sources), the same in random
//! graphs with the same degrees (the null model the shortlist of brokers is compared with), and
//! the pure diagnostic of `solidaria_core::ecosystem`. `solidaria diagnose`, the territory page and its
//! API all call [`load`]; the printable report is [`crate::report::diagnostic_html`].

use crate::error::AppResult;
use rayon::prelude::*;
use solidaria_core::actor::Actor;
use solidaria_core::ecosystem::{self, Diagnostic};
use solidaria_core::network::{Graph, Scratch};
use solidaria_core::record::{Record, RecordType};
use solidaria_store::Store;
use std::collections::HashMap;

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

/// Sources of the shortest paths counted in a random graph of the null model beyond which they
/// are sampled: exact betweenness up to this many actors, an estimate from this many evenly spaced
/// sources (scaled by n / k) beyond, so that comparing with [`ecosystem::NULL_GRAPHS`] random
/// graphs costs at most a few exact computations on a large network.
pub const NULL_SOURCES: usize = 300;

/// Betweenness in one random graph of the null model: exact up to [`NULL_SOURCES`] actors,
/// estimated from that many sources beyond.
fn null_betweenness(graph: &Graph) -> Vec<f64> {
    let n = graph.nodes();
    if n <= NULL_SOURCES {
        return betweenness(graph);
    }
    let sources: Vec<usize> = (0..NULL_SOURCES).map(|k| k * n / NULL_SOURCES).collect();
    let scale = graph.betweenness_scale() * n as f64 / NULL_SOURCES as f64;
    shares(graph, &sources).into_iter().map(|x| x * scale).collect()
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
/// A malformed territory is `territory_malformed`.
pub fn load(store: &mut dyn Store, t: &str) -> AppResult<Loaded> {
    let actors: Vec<Actor> = crate::directory::actors(store, Some(t), None, None)?;
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
    let null = ecosystem::NullModel::of(&graph, null_betweenness);
    let diagnostic = ecosystem::diagnose(t, &actors, &graph, &b, &null);
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
