//! Brokers of an ecosystem's network and their shortlist (the rule is in the parent module's
//! documentation): each broker's betweenness against random networks with the same degrees
//! ([`NullModel`]), and the fewest brokers that together bridge every pair of categories
//! ([`cover`]).

use crate::network::Graph;
use serde::Serialize;
use std::collections::BTreeSet;

/// A broker: an actor on many shortest paths, between actors of different categories.
#[derive(Debug, Clone, Serialize)]
pub struct Broker {
    /// Actor id.
    pub id: String,
    /// Actor name.
    pub name: String,
    /// Normalised betweenness (as networkx computes it).
    pub betweenness: f64,
    /// The categories of its neighbours.
    pub bridges: Vec<String>,
    /// Its mean betweenness in the random graphs with the same degrees ([`NullModel`]).
    pub expected: f64,
    /// The standard deviation of that betweenness.
    pub spread: f64,
    /// How many standard deviations its betweenness is above `expected` (none when `spread` is 0).
    pub z: Option<f64>,
    /// Whether its betweenness is well above the random graphs' ([`NullModel::well_above`]).
    pub stands_out: bool,
    /// The pairs of categories it is the first to bridge in the greedy [`cover`] (empty when the
    /// cover does not choose it), each pair in alphabetical order.
    pub covers: Vec<[String; 2]>,
}

impl Broker {
    /// The pairs of categories it bridges: each pair of its neighbours' categories.
    pub fn pairs(&self) -> Vec<[String; 2]> {
        let b = &self.bridges;
        (0..b.len()).flat_map(|i| (i + 1..b.len()).map(move |j| [b[i].clone(), b[j].clone()])).collect()
    }

    /// Why it is on the shortlist, in English words (empty when it is not): "stands out from
    /// random networks (0.250 against 0.080 ± 0.050, z = 3.4); first to bridge finance_provider
    /// and sse_organization".
    pub fn reason(&self) -> String {
        let mut why = Vec::new();
        if self.stands_out {
            why.push(format!(
                "stands out from random networks ({:.3} against {:.3} ± {:.3}{})",
                self.betweenness,
                self.expected,
                self.spread,
                self.z.map_or(String::new(), |z| format!(", z = {z:.1}"))
            ));
        }
        if !self.covers.is_empty() {
            let pairs: Vec<String> = self.covers.iter().map(|[x, y]| format!("{x} and {y}")).collect();
            why.push(format!("first to bridge {}", pairs.join("; ")));
        }
        why.join("; ")
    }
}

/// The greedy cover of the pairs of categories the brokers bridge: repeatedly the broker bridging
/// the most pairs not yet bridged (ties: the higher betweenness, then the id, i.e. the first in
/// `brokers` when they are sorted as [`NetworkSummary::brokers`] is), until every pair some
/// broker bridges is bridged. Gives, in the order chosen, each chosen broker's index with the
/// pairs it is the first to bridge. Within a factor 1 + ln m of the fewest brokers, m being the
/// most pairs one broker bridges.
pub fn cover(brokers: &[Broker]) -> Vec<(usize, Vec<[String; 2]>)> {
    let pairs: Vec<BTreeSet<[String; 2]>> = brokers.iter().map(|b| b.pairs().into_iter().collect()).collect();
    let mut open: BTreeSet<[String; 2]> = pairs.iter().flatten().cloned().collect();
    let mut chosen = Vec::new();
    while !open.is_empty() {
        let best = (0..brokers.len())
            .map(|i| (pairs[i].intersection(&open).count(), i))
            .filter(|&(new, _)| new > 0)
            .max_by(|&(k, i), &(l, j)| {
                let (a, b) = (&brokers[i], &brokers[j]);
                k.cmp(&l).then(a.betweenness.total_cmp(&b.betweenness)).then(b.id.cmp(&a.id))
            });
        let Some((_, i)) = best else { break };
        let newly: Vec<[String; 2]> = pairs[i].intersection(&open).cloned().collect();
        for p in &newly {
            open.remove(p);
        }
        chosen.push((i, newly));
    }
    chosen
}

/// How many random graphs with the same degrees the shortlist of brokers is compared with.
pub const NULL_GRAPHS: usize = 20;

/// Double-edge swaps per link when a random graph with the same degrees is drawn.
pub const SWAPS_PER_EDGE: usize = 10;

/// Every actor's betweenness in random graphs with the same degrees as the network: its mean and
/// standard deviation over [`NULL_GRAPHS`] rewirings (seeds 1 to [`NULL_GRAPHS`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NullModel {
    /// Mean betweenness of each node.
    pub mean: Vec<f64>,
    /// Standard deviation of each node's betweenness.
    pub spread: Vec<f64>,
}

impl NullModel {
    /// The model of `graph`, with `betweenness` computing a graph's normalised betweenness (the
    /// shell may spread it over threads, or estimate it from a sample of sources).
    pub fn of(graph: &Graph, mut betweenness: impl FnMut(&Graph) -> Vec<f64>) -> NullModel {
        let n = graph.nodes();
        let samples: Vec<Vec<f64>> =
            (1..=NULL_GRAPHS as u64).map(|seed| betweenness(&graph.rewired(seed, SWAPS_PER_EDGE))).collect();
        let k = samples.len() as f64;
        let mean: Vec<f64> = (0..n).map(|i| samples.iter().map(|s| s[i]).sum::<f64>() / k).collect();
        let spread =
            (0..n).map(|i| (samples.iter().map(|s| (s[i] - mean[i]).powi(2)).sum::<f64>() / k).sqrt()).collect();
        NullModel { mean, spread }
    }

    /// Whether a node's betweenness `b` is well above the model's: above its mean plus two
    /// standard deviations (by more than rounding).
    pub fn well_above(&self, node: usize, b: f64) -> bool {
        let (mean, sd) = (self.mean.get(node).copied().unwrap_or(0.0), self.spread.get(node).copied().unwrap_or(0.0));
        b > mean + 2.0 * sd + 1e-9 * b.abs().max(1e-12)
    }
}
