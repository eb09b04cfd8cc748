//! Network analytics over an ecosystem's relations, taken as an undirected simple graph: every
//! actor is a node, linked or not; reciprocal and parallel relations count once; self-loops are
//! dropped.
//!
//! Measures follow networkx's defaults so that results can be checked against it: degree;
//! betweenness by Brandes' algorithm, normalised by `1 / ((n - 1)(n - 2))` (each pair being counted
//! from both ends); closeness with the Wasserman–Faust correction for disconnected graphs;
//! connected components; communities by the Louvain method (deterministic: nodes visited in
//! order). The core stays single-threaded: [`Graph::betweenness_from`] gives one source's share so
//! that a shell can spread the sources over threads and add the shares up.

use std::collections::{BTreeMap, HashMap, VecDeque};

/// An undirected simple graph over nodes `0..n`, stored as sorted adjacency lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    adjacency: Vec<Vec<u32>>,
    edges: usize,
}

impl Graph {
    /// A graph of `n` nodes and the given edges; duplicates, reversed duplicates and self-loops
    /// are dropped, and edges naming a node out of range are ignored.
    pub fn new(n: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut adjacency: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (a, b) in edges {
            if a != b && a < n && b < n {
                adjacency[a].push(b as u32);
                adjacency[b].push(a as u32);
            }
        }
        let mut count = 0;
        for list in &mut adjacency {
            list.sort_unstable();
            list.dedup();
            count += list.len();
        }
        Graph { adjacency, edges: count / 2 }
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.adjacency.len()
    }

    /// Number of edges.
    pub fn edges(&self) -> usize {
        self.edges
    }

    /// The neighbours of a node, sorted.
    pub fn neighbours(&self, v: usize) -> &[u32] {
        &self.adjacency[v]
    }

    /// Whether two nodes are linked.
    pub fn linked(&self, a: usize, b: usize) -> bool {
        self.adjacency[a].binary_search(&(b as u32)).is_ok()
    }

    /// Degree of every node.
    pub fn degrees(&self) -> Vec<usize> {
        self.adjacency.iter().map(Vec::len).collect()
    }

    /// One source's contribution to every node's (unnormalised) betweenness, added into `into`:
    /// the dependency of `source` on each node (Brandes 2001, unweighted). Summing over all sources
    /// and multiplying by [`Graph::betweenness_scale`] gives networkx's normalised betweenness.
    pub fn betweenness_from(&self, source: usize, scratch: &mut Scratch, into: &mut [f64]) {
        let n = self.nodes();
        scratch.reset(n);
        let Scratch { state, order, dag } = scratch;
        state[source] = NodeState { sigma: 1.0, delta: 0.0, dist: 0 };
        // Breadth-first search, recording the edges of the shortest-path DAG in discovery order.
        order.push(source as u32);
        let mut head = 0;
        while head < order.len() {
            let v = order[head];
            head += 1;
            let NodeState { sigma: sv, dist: dv, .. } = state[v as usize];
            for &w in &self.adjacency[v as usize] {
                let s = &mut state[w as usize];
                if s.dist < 0 {
                    s.dist = dv + 1;
                    order.push(w);
                }
                if s.dist == dv + 1 {
                    s.sigma += sv;
                    dag.push((v, w));
                }
            }
        }
        // Dependencies, edges taken in reverse discovery order: every edge leaving a node was
        // recorded after every edge entering it, so a node's dependency is complete before it
        // is passed back to its predecessors.
        for &(v, w) in dag.iter().rev() {
            let (sw, dw) = (state[w as usize].sigma, state[w as usize].delta);
            let sv = state[v as usize].sigma;
            state[v as usize].delta += sv / sw * (1.0 + dw);
        }
        for &w in order.iter() {
            if w as usize != source {
                into[w as usize] += state[w as usize].delta;
            }
        }
    }

    /// The factor that turns summed [`Graph::betweenness_from`] shares into networkx's normalised
    /// betweenness of an undirected graph.
    pub fn betweenness_scale(&self) -> f64 {
        let n = self.nodes() as f64;
        if n <= 2.0 { 0.0 } else { 1.0 / ((n - 1.0) * (n - 2.0)) }
    }

    /// Exact normalised betweenness of every node, on one thread.
    pub fn betweenness(&self) -> Vec<f64> {
        let mut total = vec![0.0; self.nodes()];
        let mut scratch = Scratch::default();
        for s in 0..self.nodes() {
            self.betweenness_from(s, &mut scratch, &mut total);
        }
        let scale = self.betweenness_scale();
        total.iter_mut().for_each(|x| *x *= scale);
        total
    }

    /// A random graph with the same degree sequence: `swaps_per_edge` times the number of edges,
    /// two edges `a–b` and `c–d` drawn at random become `a–d` and `c–b`, unless that would make a
    /// self-loop or a parallel edge (Maslov and Sneppen's rewiring). Deterministic: the same seed
    /// gives the same graph (a small splitmix64 generator, no randomness from the system).
    pub fn rewired(&self, seed: u64, swaps_per_edge: usize) -> Graph {
        let mut edges: Vec<(u32, u32)> = (0..self.nodes())
            .flat_map(|v| self.adjacency[v].iter().filter(move |&&w| (v as u32) < w).map(move |&w| (v as u32, w)))
            .collect();
        if edges.len() < 2 {
            return self.clone();
        }
        let key = |a: u32, b: u32| if a < b { (a, b) } else { (b, a) };
        let mut present: std::collections::HashSet<(u32, u32)> = edges.iter().copied().collect();
        let mut state = seed;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let m = edges.len() as u64;
        for _ in 0..swaps_per_edge * edges.len() {
            let (i, j) = ((next() % m) as usize, (next() % m) as usize);
            if i == j {
                continue;
            }
            let ((a, b), (mut c, mut d)) = (edges[i], edges[j]);
            if next() & 1 == 1 {
                std::mem::swap(&mut c, &mut d);
            }
            if a == d || c == b || present.contains(&key(a, d)) || present.contains(&key(c, b)) {
                continue;
            }
            present.remove(&key(a, b));
            present.remove(&key(c, d));
            edges[i] = key(a, d);
            edges[j] = key(c, b);
            present.insert(edges[i]);
            present.insert(edges[j]);
        }
        Graph::new(self.nodes(), edges.into_iter().map(|(a, b)| (a as usize, b as usize)))
    }

    /// Closeness of every node as networkx computes it by default: `(r / total distance)` times
    /// `r / (n - 1)`, where `r` is the number of nodes it reaches; 0 for an isolated node.
    pub fn closeness(&self) -> Vec<f64> {
        let n = self.nodes();
        let mut dist = vec![-1i64; n];
        let mut queue = VecDeque::new();
        (0..n)
            .map(|s| {
                dist.iter_mut().for_each(|d| *d = -1);
                dist[s] = 0;
                queue.clear();
                queue.push_back(s);
                let (mut reached, mut total) = (0usize, 0i64);
                while let Some(v) = queue.pop_front() {
                    for &w in &self.adjacency[v] {
                        let w = w as usize;
                        if dist[w] < 0 {
                            dist[w] = dist[v] + 1;
                            reached += 1;
                            total += dist[w];
                            queue.push_back(w);
                        }
                    }
                }
                if total == 0 || n <= 1 {
                    0.0
                } else {
                    (reached as f64 / total as f64) * (reached as f64 / (n - 1) as f64)
                }
            })
            .collect()
    }

    /// The connected components, each sorted, in order of their smallest node.
    pub fn components(&self) -> Vec<Vec<usize>> {
        let n = self.nodes();
        let mut seen = vec![false; n];
        let mut out = Vec::new();
        for s in 0..n {
            if seen[s] {
                continue;
            }
            let mut component = vec![s];
            seen[s] = true;
            let mut i = 0;
            while i < component.len() {
                let v = component[i];
                for &w in &self.adjacency[v] {
                    if !seen[w as usize] {
                        seen[w as usize] = true;
                        component.push(w as usize);
                    }
                }
                i += 1;
            }
            component.sort_unstable();
            out.push(component);
        }
        out
    }

    /// Modularity of a partition (community index per node), as networkx computes it
    /// (resolution 1).
    pub fn modularity(&self, community: &[usize]) -> f64 {
        let m2 = (2 * self.edges) as f64;
        if m2 == 0.0 {
            return 0.0;
        }
        let mut internal: HashMap<usize, f64> = HashMap::new();
        let mut degree: HashMap<usize, f64> = HashMap::new();
        for v in 0..self.nodes() {
            *degree.entry(community[v]).or_default() += self.adjacency[v].len() as f64;
            for &w in &self.adjacency[v] {
                if community[w as usize] == community[v] {
                    *internal.entry(community[v]).or_default() += 1.0;
                }
            }
        }
        degree.iter().map(|(c, d)| internal.get(c).copied().unwrap_or(0.0) / m2 - (d / m2).powi(2)).sum()
    }

    /// Communities by the Louvain method: nodes move, in order, to the neighbouring community that
    /// raises modularity most, until no move helps; communities then become nodes of a weighted
    /// graph and the process repeats. Returns a community index per node, numbered by first
    /// appearance. Deterministic.
    pub fn louvain(&self) -> Vec<usize> {
        let n = self.nodes();
        // Weighted graph: adjacency with weights, self-loop weights.
        let mut adj: Vec<BTreeMap<usize, f64>> =
            self.adjacency.iter().map(|l| l.iter().map(|&w| (w as usize, 1.0)).collect()).collect();
        let mut loops = vec![0.0f64; n];
        let mut membership: Vec<usize> = (0..n).collect();
        let m2: f64 = (2 * self.edges) as f64;
        if m2 == 0.0 {
            return (0..n).collect();
        }
        loop {
            let k = adj.len();
            let strength: Vec<f64> = (0..k).map(|v| adj[v].values().sum::<f64>() + 2.0 * loops[v]).collect();
            let mut community: Vec<usize> = (0..k).collect();
            let mut total: Vec<f64> = strength.clone();
            let mut improved_any = false;
            loop {
                let mut moved = false;
                for v in 0..k {
                    let current = community[v];
                    let mut links: BTreeMap<usize, f64> = BTreeMap::new();
                    for (&w, &weight) in &adj[v] {
                        *links.entry(community[w]).or_default() += weight;
                    }
                    total[current] -= strength[v];
                    let gain = |c: usize, links_to: f64, total: &[f64]| links_to - total[c] * strength[v] / m2;
                    let mut best = current;
                    let mut best_gain = gain(current, links.get(&current).copied().unwrap_or(0.0), &total);
                    for (&c, &l) in &links {
                        let g = gain(c, l, &total);
                        if g > best_gain + 1e-12 {
                            best = c;
                            best_gain = g;
                        }
                    }
                    total[best] += strength[v];
                    if best != current {
                        community[v] = best;
                        moved = true;
                        improved_any = true;
                    }
                }
                if !moved {
                    break;
                }
            }
            // Renumber and fold the graph.
            let mut index: BTreeMap<usize, usize> = BTreeMap::new();
            for &c in &community {
                let next = index.len();
                index.entry(c).or_insert(next);
            }
            for m in membership.iter_mut() {
                *m = index[&community[*m]];
            }
            if !improved_any {
                break;
            }
            let size = index.len();
            let mut folded: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); size];
            let mut folded_loops = vec![0.0f64; size];
            for v in 0..k {
                let cv = index[&community[v]];
                folded_loops[cv] += loops[v];
                for (&w, &weight) in &adj[v] {
                    let cw = index[&community[w]];
                    if cv == cw {
                        folded_loops[cv] += weight / 2.0;
                    } else {
                        *folded[cv].entry(cw).or_default() += weight;
                    }
                }
            }
            adj = folded;
            loops = folded_loops;
        }
        // Number communities by first appearance in node order.
        let mut first: BTreeMap<usize, usize> = BTreeMap::new();
        membership
            .iter()
            .map(|c| {
                let next = first.len();
                *first.entry(*c).or_insert(next)
            })
            .collect()
    }
}

/// Reusable buffers for [`Graph::betweenness_from`], so that repeated calls allocate nothing.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    state: Vec<NodeState>,
    order: Vec<u32>,
    dag: Vec<(u32, u32)>,
}

/// A node's state during one source's search, kept together for locality.
#[derive(Debug, Clone, Copy)]
struct NodeState {
    sigma: f64,
    delta: f64,
    dist: i32,
}

impl Scratch {
    fn reset(&mut self, n: usize) {
        self.state.clear();
        self.state.resize(n, NodeState { sigma: 0.0, delta: 0.0, dist: -1 });
        self.order.clear();
        self.dag.clear();
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    const GOLDEN: &str = include_str!("../tests/fixtures/networkx-golden.json");

    fn golden() -> Vec<(String, Graph, serde_json::Value)> {
        let v: serde_json::Value = serde_json::from_str(GOLDEN).unwrap();
        v["graphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                let n = g["nodes"].as_u64().unwrap() as usize;
                let edges = g["edges"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| (e[0].as_u64().unwrap() as usize, e[1].as_u64().unwrap() as usize));
                (g["name"].as_str().unwrap().to_string(), Graph::new(n, edges), g.clone())
            })
            .collect()
    }

    fn close(a: &[f64], b: &serde_json::Value, what: &str) {
        let b: Vec<f64> = b.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
        assert_eq!(a.len(), b.len(), "{what}");
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            assert!((x - y).abs() < 1e-12, "{what}[{i}]: {x} vs networkx {y}");
        }
    }

    #[test]
    fn betweenness_and_closeness_equal_networkx() {
        for (name, g, expected) in golden() {
            close(&g.betweenness(), &expected["betweenness"], &format!("{name} betweenness"));
            close(&g.closeness(), &expected["closeness"], &format!("{name} closeness"));
            assert_eq!(g.components().len() as u64, expected["components"].as_u64().unwrap(), "{name}");
        }
    }

    #[test]
    fn louvain_finds_communities_as_good_as_networkx() {
        for (name, g, expected) in golden() {
            let communities = g.louvain();
            let q = g.modularity(&communities);
            let theirs = expected["louvain_modularity"].as_f64().unwrap();
            assert!(q >= theirs - 0.03, "{name}: modularity {q} vs networkx {theirs}");
            // Deterministic.
            assert_eq!(g.louvain(), communities);
        }
    }

    #[test]
    fn parallel_and_reciprocal_relations_count_once() {
        let g = Graph::new(3, [(0, 1), (1, 0), (0, 1), (1, 2), (2, 2), (5, 1)]);
        assert_eq!(g.edges(), 2);
        assert_eq!(g.degrees(), [1, 2, 1]);
        assert_eq!(g.betweenness(), [0.0, 1.0, 0.0]);
        assert!(g.linked(1, 2) && !g.linked(0, 2));
    }

    #[test]
    fn rewiring_keeps_every_degree_and_changes_the_links() {
        // Two triangles joined by one edge, and a path.
        let g = Graph::new(9, [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 3), (6, 7), (7, 8), (8, 0)]);
        let r = g.rewired(7, 10);
        assert_eq!(r.degrees(), g.degrees());
        assert_eq!(r.edges(), g.edges());
        assert_ne!(r, g, "some edges moved");
        assert_eq!(g.rewired(7, 10), r, "deterministic");
        // A star has only one wiring.
        let star = Graph::new(4, [(0, 1), (0, 2), (0, 3)]);
        assert_eq!(star.rewired(1, 10), star);
    }
}
