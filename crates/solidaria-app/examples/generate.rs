//! Writes N generated, valid, deterministic actor records as JSON Lines to standard output, for
//! the import benchmark (`scripts/bench-import.sh`). Usage: `generate N [SEED]`.
//!
//! Each actor has a realistic shape: a name, category, legal form, an ISO territory, claims,
//! roles, a location, and four to seven facts, half of them with provenance.

use std::io::{BufWriter, Write};

#[path = "shared/vocabulary.rs"]
mod vocabulary;
use vocabulary::{FAMILIES, WORDS};

/// A small deterministic generator (xorshift64*), so the file is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const CATEGORIES: &[&str] = &[
    "sse_organization",
    "sse_organization",
    "sse_organization",
    "support_network",
    "finance_provider",
    "knowledge_institution",
    "public_authority",
    "private_business",
];
const TERRITORIES: &[&str] =
    &["CA-QC", "CA-ON", "FR", "FR-IDF", "ES-PV", "IN-UP", "MX", "ZA-GP", "BR", "KR", "IT", "GB"];
const CLAIMS: &[&str] = &["sse", "social_economy", "cooperative", "social_enterprise", "social_innovation"];
const ROLES: &[&str] = &["capacity_building", "finance", "market_access", "policy", "knowledge_transfer"];
const VOTING: &[&str] = &["one_member_one_vote", "capped_weighted", "capital_weighted", "appointed_board"];

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        eprintln!("usage: generate N [SEED]");
        std::process::exit(2)
    });
    let mut rng = Rng(args.next().and_then(|s| s.parse().ok()).unwrap_or(20_250_514) | 1);
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    for i in 0..n {
        let name = format!("{} {} {} n°{i}", rng.pick(WORDS), rng.pick(WORDS), rng.pick(WORDS));
        let (lat, lon) = (rng.unit() * 120.0 - 60.0, rng.unit() * 340.0 - 170.0);
        let sourced = |rng: &mut Rng, value: String| {
            if rng.next().is_multiple_of(2) {
                format!(
                    "{{\"value\":{value},\"source\":\"Statutes, art. {}\",\"date\":\"20{:02}\"}}",
                    rng.next() % 90 + 1,
                    rng.next() % 25
                )
            } else {
                value
            }
        };
        let values = [
            format!("\"{}\"", rng.pick(VOTING)),
            (rng.next() % 50_000).to_string(),
            rng.next().is_multiple_of(2).to_string(),
            format!("{:.2}", rng.unit()),
        ];
        let keys = ["governance.voting_rule", "members.count", "assets.lock", "surplus.distribution_cap"];
        let mut facts: Vec<String> =
            keys.iter().zip(values).map(|(k, v)| format!("\"{k}\":{}", sourced(&mut rng, v))).collect();
        if rng.next().is_multiple_of(2) {
            facts.push(format!("\"employees.count\":{}", rng.next() % 500));
            facts.push("\"transparency.public_accounts\":true".to_string());
            facts.push(format!("\"x.register_number\":\"R{:08}\"", rng.next() % 100_000_000));
        }
        writeln!(
            out,
            "{{\"type\":\"actor\",\"id\":\"gen-{i}\",\"name\":\"{name}\",\"category\":\"{}\",\"legal_form\":{{\"family\":\"{}\"}},\"territory\":\"{}\",\"claims\":[\"{}\"],\"roles\":[\"{}\"],\"location\":{{\"lat\":{lat:.4},\"lon\":{lon:.4}}},\"founded\":{},\"facts\":{{{}}}}}",
            rng.pick(CATEGORIES),
            rng.pick(FAMILIES),
            rng.pick(TERRITORIES),
            rng.pick(CLAIMS),
            rng.pick(ROLES),
            1900 + rng.next() % 125,
            facts.join(",")
        )
        .expect("write to stdout");
    }
    out.flush().expect("flush stdout");
}
