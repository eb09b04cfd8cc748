//! The ecosystem diagnostic of a territory: the seven building blocks scored with reasons, the
//! network of its actors and its brokers, the gaps, and the partnerships that would close them.
//!
//! **Who serves a block.** An actor serves the blocks listed in its `roles`; an actor without roles
//! serves the blocks of its category by a default mapping ([`default_blocks`]): support networks
//! build capacity and mobilise, knowledge institutions transfer knowledge and measure, public
//! authorities make policy and open markets through procurement, finance providers finance,
//! private businesses open markets, civil-society movements mobilise. SSE organizations are the
//! ones served, and serve no block by default.
//!
//! **Score of a block (0–100)** = coverage (40) + diversity (20) + connection (40):
//! coverage is `min(actors serving it, 3) / 3 × 40`; diversity is `min(categories among them, 2) / 2
//! × 20`; connection is the share of the territory's SSE organizations directly linked to at least
//! one actor serving the block, × 40 (0 when the territory records no SSE organization). A block
//! scoring under 40 is a **gap**.
//!
//! **Brokers** are actors with a betweenness above zero whose neighbours belong to at least two
//! categories (the categories they bridge), sorted by betweenness, highest first.
//!
//! **The shortlist of brokers** joins two rules, and each broker on it says which put it there:
//!
//! 1. *Stands out* (`stands_out`, with its `z`): its betweenness is well above what its number of
//!    links alone would give: above the mean plus two standard deviations of its betweenness in
//!    [`NULL_GRAPHS`] random graphs with the same degrees (each actor keeps its number of links;
//!    [`SWAPS_PER_EDGE`] double-edge swaps per link, Maslov and Sneppen's rewiring, seeded so the
//!    same network gives the same shortlist; see [`NullModel`]). A hub whose every wiring makes it
//!    central, such as the centre of a star, does not stand out: any actor with as many links
//!    would be there.
//! 2. *Covers* (`covers`, the pairs of categories it is the first to bridge): the fewest brokers
//!    that together bridge every pair of categories that some broker bridges (a broker bridges
//!    each pair of the categories of its neighbours), chosen greedily ([`cover`]): repeatedly the
//!    broker bridging the most pairs not yet bridged, ties broken by the higher betweenness, then
//!    the id. Finding the fewest is set cover, NP-hard; the greedy choice is within a factor
//!    H(m) ≤ 1 + ln m of the fewest, m being the most pairs one broker bridges (Johnson 1974,
//!    Chvátal 1979). This rule always names someone when there are brokers, so a hub-and-spoke
//!    network, where nobody stands out, still gets a shortlist.
//!
//! The shortlist lists the brokers that stand out, highest betweenness first, then the other
//! brokers of the cover in the order they were chosen. In a network of many co-operatives most
//! actors with two kinds of neighbours sit on some shortest path, so the full list is long; it
//! stays in `brokers`.
//!
//! **Suggestions** are unlinked pairs of an SSE organization with no link to any actor serving a
//! weak block (score under 70) and an actor serving it; a pair that would also join two separate
//! parts of the network ranks higher, then the weaker the block, then the better connected the
//! server.

use crate::actor::{Actor, BuildingBlock, Category};
use crate::network::Graph;
use serde::Serialize;
use std::collections::BTreeSet;

/// The blocks an actor of a category serves when its roles are not recorded.
pub fn default_blocks(category: Option<Category>) -> &'static [BuildingBlock] {
    use BuildingBlock::*;
    match category {
        Some(Category::SupportNetwork) => &[CapacityBuilding, AwarenessMobilisation],
        Some(Category::KnowledgeInstitution) => &[KnowledgeTransfer, DataMeasurement],
        Some(Category::PublicAuthority) => &[Policy, MarketAccess],
        Some(Category::FinanceProvider) => &[Finance],
        Some(Category::PrivateBusiness) => &[MarketAccess],
        Some(Category::CivilSocietyMovement) => &[AwarenessMobilisation],
        Some(Category::SseOrganization) | None => &[],
    }
}

/// The blocks an actor serves: its roles, or its category's defaults.
pub fn blocks_of(a: &Actor) -> (&[BuildingBlock], bool) {
    if a.roles.is_empty() { (default_blocks(a.category), true) } else { (&a.roles, false) }
}

/// One building block's score.
#[derive(Debug, Clone, Serialize)]
pub struct BlockScore {
    /// The block's id.
    pub id: BuildingBlock,
    /// 0 to 100.
    pub score: u32,
    /// The actors serving it.
    pub actors: Vec<String>,
    /// Why the score is what it is.
    pub reasons: Vec<String>,
    /// Whether the block is a gap (listed in [`Diagnostic::gaps`]).
    pub gap: bool,
}

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

/// The network part of a diagnostic.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkSummary {
    /// Actors of the territory (linked or not).
    pub nodes: usize,
    /// Distinct links among them.
    pub edges: usize,
    /// Connected components (an isolated actor is one).
    pub components: usize,
    /// Actors with no link in the territory.
    pub isolated: Vec<String>,
    /// Brokers, highest betweenness first.
    pub brokers: Vec<Broker>,
    /// The ids of the brokers to contact first (the module's rule): those that stand out from the
    /// random graphs with the same degrees, highest betweenness first, then the others of the
    /// greedy cover of the pairs of categories, in the order chosen.
    pub shortlist: Vec<String>,
    /// Communities (Louvain), each a list of actor ids, largest first.
    pub communities: Vec<Vec<String>>,
    /// Every actor's degree, betweenness and closeness.
    pub centrality: Vec<Centrality>,
}

/// One actor's centralities.
#[derive(Debug, Clone, Serialize)]
pub struct Centrality {
    /// Actor id.
    pub id: String,
    /// Links.
    pub degree: usize,
    /// Normalised betweenness.
    pub betweenness: f64,
    /// Closeness (Wasserman–Faust).
    pub closeness: f64,
}

/// A suggested partnership.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The SSE organization.
    pub from: String,
    /// The actor serving the weak block.
    pub to: String,
    /// The block it would strengthen.
    pub block: BuildingBlock,
    /// Why.
    pub reason: String,
}

/// The diagnostic of one territory.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// The territory.
    pub territory: String,
    /// The seven blocks, in their fixed order.
    pub building_blocks: Vec<BlockScore>,
    /// The network.
    pub network: NetworkSummary,
    /// Blocks with weak or no coverage, in plain words.
    pub gaps: Vec<String>,
    /// Partnerships that would close gaps, best first.
    pub suggestions: Vec<Suggestion>,
}

/// Largest number of suggestions reported.
pub const MAX_SUGGESTIONS: usize = 25;

/// Diagnoses a territory from its actors and the links among them (pairs of indexes into
/// `actors`), with the network's betweenness already computed (see [`Graph::betweenness`]; a
/// shell may compute it on several threads) and the [`NullModel`] the brokers are compared with.
pub fn diagnose(territory: &str, actors: &[Actor], graph: &Graph, betweenness: &[f64], null: &NullModel) -> Diagnostic {
    let n = actors.len();
    let sse: Vec<usize> = (0..n).filter(|&i| actors[i].category == Some(Category::SseOrganization)).collect();
    let closeness = graph.closeness();
    let degrees = graph.degrees();
    let components = graph.components();
    let mut component_of = vec![0usize; n];
    for (c, members) in components.iter().enumerate() {
        for &v in members {
            component_of[v] = c;
        }
    }
    let category = |i: usize| actors[i].category.map_or("unknown".to_string(), |c| c.to_string());

    let mut building_blocks = Vec::new();
    let mut gaps = Vec::new();
    let mut weak: Vec<(BuildingBlock, u32, Vec<usize>)> = Vec::new();
    for &block in BuildingBlock::ALL {
        let servers: Vec<usize> = (0..n).filter(|&i| blocks_of(&actors[i]).0.contains(&block)).collect();
        let by_default = servers.iter().filter(|&&i| blocks_of(&actors[i]).1).count();
        let categories: BTreeSet<String> = servers.iter().map(|&i| category(i)).collect();
        let linked_sse = sse.iter().filter(|&&o| servers.iter().any(|&s| graph.linked(o, s))).count();
        let coverage = servers.len().min(3) as f64 / 3.0 * 40.0;
        let diversity = categories.len().min(2) as f64 / 2.0 * 20.0;
        let connection = if sse.is_empty() { 0.0 } else { linked_sse as f64 / sse.len() as f64 * 40.0 };
        let score = (coverage + diversity + connection).round() as u32;
        let mut reasons = Vec::new();
        reasons.push(match servers.len() {
            0 => format!("no actor of {territory} serves {block}"),
            k => format!(
                "{k} actor(s) serve {block}{} ({:.0}/40 for coverage)",
                if by_default > 0 {
                    format!(", {by_default} by the default role of their category")
                } else {
                    String::new()
                },
                coverage
            ),
        });
        if !servers.is_empty() {
            let list: Vec<&str> = categories.iter().map(String::as_str).collect();
            reasons.push(format!(
                "{} categor{} among them: {} ({diversity:.0}/20 for diversity)",
                categories.len(),
                if categories.len() == 1 { "y" } else { "ies" },
                list.join(", ")
            ));
        }
        reasons.push(if sse.is_empty() {
            format!("no SSE organization of {territory} is recorded, so no link to one can be counted (0/40)")
        } else {
            format!("{linked_sse} of the {} SSE organizations are linked to one of them ({connection:.0}/40 for connection)", sse.len())
        });
        let name = block_words(block);
        let gaps_before = gaps.len();
        if servers.is_empty() {
            gaps.push(format!("{name}: no actor of {territory} serves this block"));
        } else if sse.is_empty() {
            if score < 40 {
                gaps.push(format!(
                    "{name}: weak coverage ({score}/100) and no SSE organization recorded in {territory}"
                ));
            }
        } else if linked_sse == 0 {
            gaps.push(format!("{name}: no {} is linked to any SSE organization in {territory}", server_words(block)));
        } else if score < 40 {
            gaps.push(format!(
                "{name}: weak coverage ({score}/100): {} actor(s), {linked_sse} of {} SSE organizations linked",
                servers.len(),
                sse.len()
            ));
        }
        if score < 70 {
            weak.push((block, score, servers.clone()));
        }
        building_blocks.push(BlockScore {
            id: block,
            score,
            actors: servers.iter().map(|&i| actors[i].id.to_string()).collect(),
            reasons,
            gap: gaps.len() > gaps_before,
        });
    }

    // Suggestions: an SSE organization with no link to a weak block, paired with a server of it.
    let mut candidates: Vec<(bool, u32, usize, usize, usize, BuildingBlock)> = Vec::new();
    for (block, score, servers) in &weak {
        for &o in &sse {
            if servers.iter().any(|&s| graph.linked(o, s)) {
                continue;
            }
            for &s in servers {
                if s != o {
                    candidates.push((component_of[o] != component_of[s], *score, degrees[s], o, s, *block));
                }
            }
        }
    }
    candidates
        .sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(b.2.cmp(&a.2)).then(a.3.cmp(&b.3)).then(a.4.cmp(&b.4)));
    let mut seen_orgs: BTreeSet<(usize, BuildingBlock)> = BTreeSet::new();
    let mut suggestions = Vec::new();
    for (joins, score, degree, o, s, block) in candidates {
        if suggestions.len() >= MAX_SUGGESTIONS || !seen_orgs.insert((o, block)) {
            continue;
        }
        let mut reason = format!(
            "{} ({}) has no link to any actor serving {block} ({score}/100 in {territory}); {} serves it{}",
            actors[o].name,
            actors[o].id,
            actors[s].name,
            if degree > 0 { format!(" and already has {degree} link(s) here") } else { String::new() }
        );
        if joins {
            reason.push_str("; the link would also join two separate parts of the network");
        }
        suggestions.push(Suggestion { from: actors[o].id.to_string(), to: actors[s].id.to_string(), block, reason });
    }

    let mut brokers: Vec<Broker> = (0..n)
        .filter(|&i| betweenness[i] > 0.0)
        .filter_map(|i| {
            let bridges: BTreeSet<String> = graph.neighbours(i).iter().map(|&w| category(w as usize)).collect();
            (bridges.len() >= 2).then(|| {
                let expected = null.mean.get(i).copied().unwrap_or(0.0);
                let spread = null.spread.get(i).copied().unwrap_or(0.0);
                Broker {
                    id: actors[i].id.to_string(),
                    name: actors[i].name.clone(),
                    betweenness: betweenness[i],
                    bridges: bridges.into_iter().collect(),
                    expected,
                    spread,
                    z: (spread > 0.0).then(|| (betweenness[i] - expected) / spread),
                    stands_out: null.well_above(i, betweenness[i]),
                    covers: Vec::new(),
                }
            })
        })
        .collect();
    brokers.sort_by(|a, b| b.betweenness.total_cmp(&a.betweenness).then(a.id.cmp(&b.id)));
    let mut shortlist: Vec<String> = brokers.iter().filter(|b| b.stands_out).map(|b| b.id.clone()).collect();
    for (i, pairs) in cover(&brokers) {
        if !brokers[i].stands_out {
            shortlist.push(brokers[i].id.clone());
        }
        brokers[i].covers = pairs;
    }
    let membership = graph.louvain();
    let count = membership.iter().max().map_or(0, |m| m + 1);
    let mut communities: Vec<Vec<String>> = vec![Vec::new(); count];
    for (i, &c) in membership.iter().enumerate() {
        communities[c].push(actors[i].id.to_string());
    }
    communities.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let network = NetworkSummary {
        nodes: n,
        edges: graph.edges(),
        components: components.len(),
        isolated: (0..n).filter(|&i| degrees[i] == 0).map(|i| actors[i].id.to_string()).collect(),
        brokers,
        shortlist,
        communities,
        centrality: (0..n)
            .map(|i| Centrality {
                id: actors[i].id.to_string(),
                degree: degrees[i],
                betweenness: betweenness[i],
                closeness: closeness[i],
            })
            .collect(),
    };
    Diagnostic { territory: territory.to_string(), building_blocks, network, gaps, suggestions }
}

/// A block in words, for gaps.
pub fn block_words(b: BuildingBlock) -> &'static str {
    match b {
        BuildingBlock::CapacityBuilding => "capacity-building",
        BuildingBlock::Finance => "finance",
        BuildingBlock::MarketAccess => "market access",
        BuildingBlock::Policy => "enabling policy",
        BuildingBlock::KnowledgeTransfer => "knowledge transfer",
        BuildingBlock::DataMeasurement => "data and measurement",
        BuildingBlock::AwarenessMobilisation => "awareness and mobilisation",
    }
}

fn server_words(b: BuildingBlock) -> &'static str {
    match b {
        BuildingBlock::CapacityBuilding => "capacity-building provider",
        BuildingBlock::Finance => "social-finance provider",
        BuildingBlock::MarketAccess => "market or procurement actor",
        BuildingBlock::Policy => "policy actor",
        BuildingBlock::KnowledgeTransfer => "knowledge institution",
        BuildingBlock::DataMeasurement => "data or measurement actor",
        BuildingBlock::AwarenessMobilisation => "awareness or mobilisation actor",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Id;

    fn actor(id: &str, category: Category, roles: &[BuildingBlock]) -> Actor {
        let mut a = Actor::new(Id::parse(id).unwrap(), id.to_uppercase());
        a.category = Some(category);
        a.roles = roles.to_vec();
        a
    }

    /// Two SSE co-ops, a network linking one of them to a university, a fund linked to nobody.
    fn small() -> (Vec<Actor>, Graph) {
        use BuildingBlock::*;
        let actors = vec![
            actor("coop-a", Category::SseOrganization, &[]),
            actor("coop-b", Category::SseOrganization, &[]),
            actor("network", Category::SupportNetwork, &[]),
            actor("university", Category::KnowledgeInstitution, &[KnowledgeTransfer]),
            actor("fund", Category::FinanceProvider, &[]),
        ];
        let graph = Graph::new(5, [(0, 2), (2, 3)]);
        (actors, graph)
    }

    #[test]
    fn blocks_are_scored_by_the_documented_formula() {
        let (actors, graph) = small();
        let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
        let score = |b: BuildingBlock| d.building_blocks.iter().find(|x| x.id == b).unwrap();
        // Capacity-building: the network by default role (13 + 10), linked to one of two co-ops (20).
        let cb = score(BuildingBlock::CapacityBuilding);
        assert_eq!(cb.score, 43);
        assert_eq!(cb.actors, ["network"]);
        assert!(cb.reasons[0].contains("by the default role of their category"), "{:?}", cb.reasons);
        // Finance: the fund, linked to no co-op: 13 + 10 + 0, and said in words.
        assert_eq!(score(BuildingBlock::Finance).score, 23);
        assert!(
            d.gaps.contains(&"finance: no social-finance provider is linked to any SSE organization in XX".to_string()),
            "{:?}",
            d.gaps
        );
        // Policy: nobody.
        assert_eq!(score(BuildingBlock::Policy).score, 0);
        assert!(d.gaps.contains(&"enabling policy: no actor of XX serves this block".to_string()));
    }

    #[test]
    fn brokers_bridge_categories_and_suggestions_join_parts() {
        let (actors, graph) = small();
        let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
        assert_eq!(d.network.components, 3);
        assert_eq!(d.network.isolated, ["coop-b", "fund"]);
        assert_eq!(d.network.brokers.len(), 1);
        assert_eq!(d.network.brokers[0].id, "network");
        assert_eq!(d.network.brokers[0].bridges, ["knowledge_institution", "sse_organization"]);
        // Links that join separate parts come first; among equally weak blocks (knowledge transfer
        // and finance, 23 each), the better-connected server (the university) first.
        let first = &d.suggestions[0];
        assert_eq!(
            (first.from.as_str(), first.to.as_str(), first.block),
            ("coop-b", "university", BuildingBlock::KnowledgeTransfer)
        );
        assert!(first.reason.contains("join two separate parts"), "{}", first.reason);
        assert!(
            d.suggestions
                .iter()
                .any(|s| (s.from.as_str(), s.to.as_str(), s.block) == ("coop-a", "fund", BuildingBlock::Finance))
        );
        assert!(d.suggestions.iter().all(|s| !graph.linked(
            actors.iter().position(|a| a.id.as_str() == s.from).unwrap(),
            actors.iter().position(|a| a.id.as_str() == s.to).unwrap()
        )));
    }

    #[test]
    fn the_shortlist_keeps_brokers_well_above_random_graphs_with_the_same_degrees() {
        use Category::*;
        // Two dense groups (each a clique of five: co-ops, then research centres), one support
        // network tied to two members of each group: the only way between the groups. The members
        // tied to it have more links than the network, but no random wiring of those degrees makes
        // the network so central.
        let mut actors: Vec<Actor> = (0..10)
            .map(|i| actor(&format!("m-{i}"), if i < 5 { SseOrganization } else { KnowledgeInstitution }, &[]))
            .collect();
        actors.push(actor("bridge", SupportNetwork, &[]));
        let mut edges = Vec::new();
        for group in [0..5, 5..10] {
            for a in group.clone() {
                for b in group.clone().filter(|&b| b > a) {
                    edges.push((a, b));
                }
            }
        }
        edges.extend([(10, 0), (10, 1), (10, 5), (10, 6)]);
        let graph = Graph::new(11, edges);
        let null = NullModel::of(&graph, Graph::betweenness);
        let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &null);
        assert_eq!(d.network.brokers[0].id, "bridge");
        assert!(d.network.brokers[0].expected < d.network.brokers[0].betweenness);
        assert_eq!(d.network.shortlist.first().map(String::as_str), Some("bridge"), "{:?}", d.network.brokers);
        let bridge = &d.network.brokers[0];
        assert!(bridge.betweenness > bridge.expected + 2.0 * bridge.spread, "{bridge:?}");
        assert!(bridge.stands_out && bridge.z.is_some_and(|z| z > 2.0), "{bridge:?}");
        assert!(bridge.reason().starts_with("stands out from random networks ("), "{}", bridge.reason());
        // The centre of a star is a broker, but any wiring of those degrees makes it central.
        let star = vec![
            actor("hub", SupportNetwork, &[]),
            actor("a", SseOrganization, &[]),
            actor("b", KnowledgeInstitution, &[]),
            actor("c", SseOrganization, &[]),
        ];
        let graph = Graph::new(4, [(0, 1), (0, 2), (0, 3)]);
        let d = diagnose("XX", &star, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
        assert_eq!(d.network.brokers.len(), 1);
        assert!(!d.network.brokers[0].stands_out, "{:?}", d.network.brokers);
        // It is still the only actor bridging its categories, so the cover names it.
        assert_eq!(d.network.shortlist, ["hub"]);
        assert_eq!(d.network.brokers[0].covers, [pair("knowledge_institution", "sse_organization")]);
    }

    fn pair(a: &str, b: &str) -> [String; 2] {
        [a.to_string(), b.to_string()]
    }

    #[test]
    fn the_cover_picks_the_bridge_beside_a_star() {
        use Category::*;
        // A support network at the centre of a star of co-ops and a university; one of the co-ops
        // is also tied to a fund, which alone reaches a public authority.
        let actors = vec![
            actor("hub", SupportNetwork, &[]),
            actor("coop-1", SseOrganization, &[]),
            actor("coop-2", SseOrganization, &[]),
            actor("coop-3", SseOrganization, &[]),
            actor("coop-4", SseOrganization, &[]),
            actor("university", KnowledgeInstitution, &[]),
            actor("fund", FinanceProvider, &[]),
            actor("ministry", PublicAuthority, &[]),
        ];
        let graph = Graph::new(8, [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (1, 6), (6, 7)]);
        let d = diagnose("XX", &actors, &graph, &graph.betweenness(), &NullModel::of(&graph, Graph::betweenness));
        let n = &d.network;
        let broker = |id: &str| n.brokers.iter().find(|b| b.id == id).unwrap();
        assert_eq!(n.brokers[0].id, "hub", "the hub has the highest betweenness: {:?}", n.brokers);
        // The fund is the only actor between co-ops and the public authority: the cover picks it.
        assert!(n.shortlist.contains(&"fund".to_string()), "{:?}", n.shortlist);
        assert_eq!(broker("fund").covers, [pair("public_authority", "sse_organization")]);
        assert_eq!(broker("fund").reason(), "first to bridge public_authority and sse_organization");
        assert_eq!(broker("hub").covers, [pair("knowledge_institution", "sse_organization")]);
        assert_eq!(broker("coop-1").covers, [pair("finance_provider", "support_network")]);
        // Every pair some broker bridges is bridged by the shortlist, and each by one chooser.
        let all: BTreeSet<[String; 2]> = n.brokers.iter().flat_map(Broker::pairs).collect();
        let covered: Vec<[String; 2]> = n.brokers.iter().flat_map(|b| b.covers.clone()).collect();
        assert_eq!(covered.iter().cloned().collect::<BTreeSet<_>>(), all);
        assert_eq!(covered.len(), all.len());
    }

    #[test]
    fn the_cover_picks_the_only_actor_bridging_two_categories_and_no_redundant_one() {
        let b = |id: &str, betweenness: f64, bridges: &[&str]| Broker {
            id: id.to_string(),
            name: id.to_uppercase(),
            betweenness,
            bridges: bridges.iter().map(|s| s.to_string()).collect(),
            expected: 0.0,
            spread: 0.0,
            z: None,
            stands_out: false,
            covers: Vec::new(),
        };
        let brokers = [
            b("big", 0.9, &["sse_organization", "support_network"]),
            b("wide", 0.5, &["public_authority", "sse_organization", "support_network"]),
            b("also", 0.4, &["sse_organization", "support_network"]),
            b("rare", 0.01, &["finance_provider", "knowledge_institution"]),
        ];
        let chosen = cover(&brokers);
        // The broker bridging the most pairs first, then the only one between finance and
        // knowledge, however low its betweenness; "big" and "also" add no pair.
        assert_eq!(
            chosen,
            [
                (
                    1,
                    vec![
                        pair("public_authority", "sse_organization"),
                        pair("public_authority", "support_network"),
                        pair("sse_organization", "support_network")
                    ]
                ),
                (3, vec![pair("finance_provider", "knowledge_institution")]),
            ]
        );
        // Ties go to the higher betweenness.
        assert_eq!(cover(&brokers[..1]), [(0, vec![pair("sse_organization", "support_network")])]);
        assert_eq!(cover(&[brokers[2].clone(), brokers[0].clone()])[0].0, 1);
        assert!(cover(&[]).is_empty());
    }
}
