//! The search engine alone, in process: builds the index of the actors of a JSON Lines file (the
//! generator's, `generate N > actors.jsonl`), then runs each query mode of `scripts/search.lua`
//! one at a time and prints the time per query (mean, p50, p99) and the process's memory.
//! Usage: `bench_search FILE [QUERIES_PER_MODE [MODE]]`.

use solidaria_core::record::{Record, parse_record};
use solidaria_core::search::{Area, Index, Query, SearchDoc};
use std::collections::BTreeSet;
use std::io::BufRead;
use std::time::Instant;

#[path = "shared/vocabulary.rs"]
mod vocabulary;
use vocabulary::{FAMILIES, WORDS};

/// The allocator `solidaria` itself uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: bench_search FILE [QUERIES_PER_MODE]");
    let per_mode: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let only: Option<&str> = args.get(3).map(String::as_str);
    let started = Instant::now();
    let file = std::io::BufReader::new(std::fs::File::open(path).expect("open the file"));
    let mut docs = Vec::new();
    for line in file.lines() {
        let line = line.expect("read a line");
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        if let Ok(Record::Actor(a)) = parse_record(&value) {
            docs.push(SearchDoc::of_actor(&a));
        }
    }
    let read = started.elapsed();
    let n = docs.len();
    let before = rss_mib();
    let started = Instant::now();
    let index = Index::build(docs);
    println!(
        "{n} actors: read in {:.1} s, index built in {:.1} s; memory {before} MiB before the build (the documents), {} MiB after",
        read.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        rss_mib()
    );
    let (words, families) = (WORDS, FAMILIES);
    let territories = ["CA-QC", "CA-ON", "FR", "ES-PV", "IN-UP", "MX", "ZA-GP", "BR", "KR", "IT", "GB"];
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |m: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % m as u64) as usize
    };
    for mode in ["name", "word", "word+filter", "filter", "typo", "near"] {
        if only.is_some_and(|o| o != mode) {
            continue;
        }
        let mut times = Vec::with_capacity(per_mode);
        let mut matched = 0u64;
        for _ in 0..per_mode {
            let w = words[next(words.len())];
            let t = territories[next(territories.len())];
            let ts: BTreeSet<String> = [t.to_string()].into();
            let text = match mode {
                "name" => Some(format!("{w} {}", next(99_999) + 1)),
                "word" | "word+filter" => Some(w.to_string()),
                "typo" => Some(format!("{}x", &w[..w.len() - 1])),
                _ => None,
            };
            let q = Query {
                text: text.as_deref(),
                territories: (mode == "word+filter" || mode == "filter").then_some(&ts),
                family: (mode == "filter").then(|| families[next(families.len())]),
                area: (mode == "near").then(|| Area::Around {
                    lat: next(120) as f64 - 60.0,
                    lon: next(340) as f64 - 170.0,
                    km: 300.0,
                }),
                limit: 20,
                ..Default::default()
            };
            let started = Instant::now();
            let hits = index.search(&q);
            times.push(started.elapsed().as_secs_f64() * 1e3);
            matched += hits.total;
        }
        times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!(
            "{mode:12} {per_mode} queries: mean {mean:.2} ms, p50 {:.2} ms, p99 {:.2} ms (mean matches {})",
            times[times.len() / 2],
            times[times.len() * 99 / 100],
            matched / per_mode as u64
        );
    }
}
