//! Betweenness benchmark: exact Brandes betweenness on a random graph (G(n, m), fixed seed) on
//! every core, as `solidaria diagnose` computes it, plus sampled betweenness (k sources, scaled by
//! n/k) with its error against the exact values.
//!
//! `cargo run --release -p solidaria-app --example bench_betweenness -- NODES EDGES EDGES_FILE`
//! writes the edge list to EDGES_FILE (for `scripts/betweenness_igraph.py`) and the exact values
//! to EDGES_FILE.solidaria.json.

#[path = "common/rng.rs"]
mod rng;

use rng::Rng;
use solidaria_app::diagnose::shares;
use solidaria_core::network::Graph;
use std::io::Write;
use std::time::Instant;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let m: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(50_000);
    let path = args.get(3).cloned().unwrap_or_else(|| "/tmp/graph.edges".into());
    let mut rng = Rng(0x00B0_77E7_2026);
    let mut set = std::collections::HashSet::new();
    while set.len() < m {
        let (a, b) = ((rng.next() % n as u64) as usize, (rng.next() % n as u64) as usize);
        if a != b {
            set.insert((a.min(b), a.max(b)));
        }
    }
    let mut edges: Vec<(usize, usize)> = set.into_iter().collect();
    edges.sort_unstable();
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
    writeln!(f, "{n}")?;
    for (a, b) in &edges {
        writeln!(f, "{a} {b}")?;
    }
    f.flush()?;
    let graph = Graph::new(n, edges);
    println!("graph: {} nodes, {} edges, {} threads", graph.nodes(), graph.edges(), rayon::current_num_threads());

    let t = Instant::now();
    let all: Vec<usize> = (0..n).collect();
    let scale = graph.betweenness_scale();
    let exact: Vec<f64> = shares(&graph, &all).into_iter().map(|x| x * scale).collect();
    let secs = t.elapsed().as_secs_f64();
    println!("exact betweenness: {secs:.2} s");
    std::fs::write(format!("{path}.solidaria.json"), serde_json::to_string(&exact).unwrap_or_default())?;

    for k in [100usize, 500, 2000] {
        let k = k.min(n);
        let mut sources: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + (rng.next() % (n - i) as u64) as usize;
            sources.swap(i, j);
        }
        sources.truncate(k);
        let t = Instant::now();
        let sampled: Vec<f64> = shares(&graph, &sources).into_iter().map(|x| x * scale * n as f64 / k as f64).collect();
        let secs = t.elapsed().as_secs_f64();
        let max = exact.iter().cloned().fold(0.0, f64::max);
        let max_err = exact.iter().zip(&sampled).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        let mean_rel =
            exact.iter().zip(&sampled).filter(|(a, _)| **a > 0.0).map(|(a, b)| (a - b).abs() / a).sum::<f64>()
                / exact.iter().filter(|a| **a > 0.0).count().max(1) as f64;
        let top = |v: &[f64]| {
            let mut idx: Vec<usize> = (0..v.len()).collect();
            idx.sort_by(|&i, &j| v[j].total_cmp(&v[i]));
            idx.truncate(20);
            idx
        };
        let (te, ts) = (top(&exact), top(&sampled));
        let shared = te.iter().filter(|i| ts.contains(i)).count();
        println!(
            "sampled, k = {k}: {secs:.2} s; max abs error {max_err:.2e} (largest value {max:.2e}); mean relative error {:.1} %; top-20 overlap {shared}/20",
            mean_rel * 100.0
        );
    }
    Ok(())
}
