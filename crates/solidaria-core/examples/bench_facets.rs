//! The cost of counting facets as the search index does (`search::query`, value by value): the
//! size of the intersection of a broad match set with each facet value's set, over 1,000,000
//! actors. Dense sets on both sides (a third of the actors match; 40 facet values of an eighth
//! each), so roaring intersects bitmap containers and the time is the population count of their
//! words, which depends on the target CPU (BENCHMARKS.md, "Broad searches over HTTP").
//!
//! Usage: `cargo run --release -p solidaria-core --example bench_facets`, then again with
//! `RUSTFLAGS="-C target-cpu=x86-64"` (no POPCNT) and a separate `CARGO_TARGET_DIR`.

use roaring::RoaringBitmap;
use std::time::Instant;

fn main() {
    let n = 1_000_000u32;
    let matches: RoaringBitmap = (0..n).filter(|i| i % 4 == 1 || i % 7 == 0).collect();
    // A multiplicative hash spreads each value's actors over every container.
    let facets: Vec<RoaringBitmap> =
        (0..40u32).map(|f| (0..n).filter(|i| i.wrapping_mul(2_654_435_761) % 8 == f % 8).collect()).collect();
    let rounds = 200;
    let started = Instant::now();
    let mut total = 0u64;
    for _ in 0..rounds {
        for f in &facets {
            total += matches.intersection_len(f);
        }
    }
    println!(
        "{} matches, 40 facet values: {:?} per query (total counted {total})",
        matches.len(),
        started.elapsed() / rounds
    );
}
