//! Screening benchmark: N actors (default 1,000,000) against every built-in profile, on all cores.
//!
//! `cargo run --release -p solidaria-app --example bench_screening -- [N] [codes]`
//!
//! With `codes`, every actor also carries the legal-form code of a built-in statute form, so the
//! screening reads statutory facts too (the cost of issue #13's "what the law makes true").
//!
//! Actors are generated deterministically with most actor facts of the vocabulary documented
//! (each with probability 0.7, values spread over their whole range), so that every criterion
//! does real work. To keep memory small, a pool of 100,000 distinct actors is screened N/100,000
//! times. Four passes are timed: verdicts only (the fast path used for summaries), screenings
//! (every criterion's outcome, the verdict and the claim mismatches, with reasons written only on
//! demand), screenings with every reason written out, and screenings serialised to JSON Lines.

#[path = "common/rng.rs"]
mod rng;

use rayon::prelude::*;
use rng::Rng;
use solidaria_core::actor::{Actor, Claim};
use solidaria_core::fact::{Fact, FactValue};
use solidaria_core::legal_form::Family;
use solidaria_core::screening::{Prepared, Verdict, builtin, screen, verdict};
use solidaria_core::text::Id;
use solidaria_core::vocab::{FactType, Subject, VOCABULARY};
use std::time::Instant;

/// The allocator of the `solidaria` binary, so that figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const POOL: usize = 100_000;

/// With `codes`, every actor also gets the legal-form code of a built-in statute form (so that
/// screening reads statutory facts and looks its form up), in turn over every coded form.
fn actor(i: usize, rng: &mut Rng, codes: &[&str]) -> Actor {
    let mut a = Actor::new(Id::parse(&format!("bench-{i}")).expect("valid id"), format!("Actor {i}"));
    a.legal_form.family = Some(Family::ALL[(rng.next() % Family::ALL.len() as u64) as usize]);
    if !codes.is_empty() {
        a.legal_form.code = Some(codes[i % codes.len()].to_string());
    }
    if rng.next().is_multiple_of(2) {
        a.claims = vec![Claim::Sse, Claim::SocialEnterprise];
    }
    for spec in VOCABULARY.iter().filter(|s| s.subject == Subject::Actor) {
        if rng.unit() > 0.7 {
            continue;
        }
        let value = match spec.ty {
            FactType::Bool => FactValue::Bool(!rng.next().is_multiple_of(4)),
            FactType::Count => FactValue::Count(rng.next() % 500),
            FactType::Share | FactType::Rate => FactValue::Number((rng.unit() * 100.0).round() / 100.0),
            FactType::Ratio => FactValue::Number(1.0 + (rng.unit() * 20.0).round()),
            FactType::Number => FactValue::Number(rng.unit() * 3.0),
            FactType::Enum(values) => FactValue::Choice(values[(rng.next() % values.len() as u64) as usize].into()),
            FactType::Set(values) => FactValue::Set(vec![values[(rng.next() % values.len() as u64) as usize].into()]),
            FactType::ActorRef => continue,
        };
        a.facts.insert(spec.key.to_string(), Fact::bare(value));
    }
    a
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let with_codes = std::env::args().nth(2).is_some_and(|a| a == "codes");
    let codes: Vec<&str> = if with_codes {
        solidaria_core::statute::forms().iter().filter_map(|f| f.codes.first().map(String::as_str)).collect()
    } else {
        Vec::new()
    };
    let profiles = builtin::all();
    let mut rng = Rng(0x5EED_2026);
    let pool: Vec<Actor> = (0..POOL.min(n)).map(|i| actor(i, &mut rng, &codes)).collect();
    if with_codes {
        println!("every actor has the code of one of {} statute forms", codes.len());
    }
    let rounds = n.div_ceil(pool.len());
    let screened = rounds * pool.len();
    println!(
        "{screened} actors x {} profiles ({} criteria) on {} threads",
        profiles.len(),
        profiles.iter().map(|p| p.criteria.len()).sum::<usize>(),
        rayon::current_num_threads()
    );

    let t = Instant::now();
    let mut counts = [0u64; 3];
    for _ in 0..rounds {
        let c = pool
            .par_iter()
            .map(|a| {
                let mut c = [0u64; 3];
                let a = Prepared::new(a);
                for p in profiles {
                    c[Verdict::ALL.iter().position(|v| *v == verdict(p, &a)).unwrap_or(2)] += 1;
                }
                c
            })
            .reduce(|| [0; 3], |x, y| [x[0] + y[0], x[1] + y[1], x[2] + y[2]]);
        (0..3).for_each(|i| counts[i] += c[i]);
    }
    report("verdicts only", t, screened, profiles.len());
    println!("  qualifies {} · does_not_qualify {} · insufficient_evidence {}", counts[0], counts[1], counts[2]);

    let t = Instant::now();
    let mut mismatched = 0usize;
    for _ in 0..rounds {
        mismatched += pool
            .par_iter()
            .map(|a| {
                let a = Prepared::new(a);
                profiles.iter().map(|p| screen(p, &a).claim_mismatches.len()).sum::<usize>()
            })
            .sum::<usize>();
    }
    report("screenings (every outcome, verdict, claim mismatches; reasons on demand)", t, screened, profiles.len());
    println!("  {mismatched} claim mismatches");

    let t = Instant::now();
    let mut reasons = 0usize;
    for _ in 0..rounds {
        reasons += pool
            .par_iter()
            .map(|a| {
                use std::fmt::Write as _;
                let mut text = String::new();
                for p in profiles {
                    for c in screen(p, a).criteria {
                        let _ = write!(text, "{}", c.reason);
                    }
                }
                text.len()
            })
            .sum::<usize>();
    }
    report("full screenings, every reason written out", t, screened, profiles.len());
    println!("  {:.1} MB of reasons", reasons as f64 / 1e6);

    let t = Instant::now();
    let mut bytes = 0usize;
    for _ in 0..rounds {
        bytes += pool
            .par_iter()
            .map(|a| {
                profiles.iter().map(|p| serde_json::to_string(&screen(p, a)).map_or(0, |s| s.len() + 1)).sum::<usize>()
            })
            .sum::<usize>();
    }
    report("full screenings as JSON Lines", t, screened, profiles.len());
    println!("  {:.1} GB of JSON", bytes as f64 / 1e9);
}

fn report(what: &str, t: Instant, actors: usize, profiles: usize) {
    let s = t.elapsed().as_secs_f64();
    println!("{what}: {s:.2} s, {:.0} actor-profile screenings/s", (actors * profiles) as f64 / s);
}
