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
    /// The same reasons as data, for a shell to phrase in its language (`reasons` is their
    /// English).
    #[serde(skip)]
    pub findings: Vec<BlockReason>,
    /// Why the block is a gap, as data (its English is in [`Diagnostic::gaps`]).
    #[serde(skip)]
    pub gap_reason: Option<GapReason>,
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
    /// The block's score (0 to 100), as in `reason`.
    #[serde(skip)]
    pub score: u32,
    /// The links the actor serving the block already has in the territory.
    #[serde(skip)]
    pub degree: usize,
    /// Whether the link would also join two separate parts of the network.
    #[serde(skip)]
    pub joins: bool,
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
        let mut findings = vec![if servers.is_empty() {
            BlockReason::NoServer
        } else {
            BlockReason::Coverage { servers: servers.len(), by_default, points: coverage }
        }];
        if !servers.is_empty() {
            findings
                .push(BlockReason::Diversity { categories: categories.iter().cloned().collect(), points: diversity });
        }
        findings.push(if sse.is_empty() {
            BlockReason::NoSse
        } else {
            BlockReason::Connection { linked: linked_sse, sse: sse.len(), points: connection }
        });
        let gap_reason = if servers.is_empty() {
            Some(GapReason::NoServer)
        } else if sse.is_empty() {
            (score < 40).then_some(GapReason::WeakNoSse { score })
        } else if linked_sse == 0 {
            Some(GapReason::Unlinked)
        } else {
            (score < 40).then_some(GapReason::Weak {
                score,
                servers: servers.len(),
                linked: linked_sse,
                sse: sse.len(),
            })
        };
        gaps.extend(gap_reason.as_ref().map(|g| g.english(territory, block)));
        if score < 70 {
            weak.push((block, score, servers.clone()));
        }
        building_blocks.push(BlockScore {
            id: block,
            score,
            actors: servers.iter().map(|&i| actors[i].id.to_string()).collect(),
            reasons: findings.iter().map(|f| f.english(territory, block)).collect(),
            gap: gap_reason.is_some(),
            findings,
            gap_reason,
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
        suggestions.push(Suggestion {
            from: actors[o].id.to_string(),
            to: actors[s].id.to_string(),
            block,
            reason,
            score,
            degree,
            joins,
        });
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

mod brokers;
mod findings;
pub use brokers::{Broker, NULL_GRAPHS, NullModel, SWAPS_PER_EDGE, cover};
pub use findings::{BlockReason, GapReason};

#[cfg(test)]
mod tests;
