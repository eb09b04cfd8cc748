//! Ledger benchmark (issue #15): N transactions (default 1,000,000) over F funds (default 1,000)
//! posted through `finance::post` with every invariant checked, then a fund's report, timed
//! against the same figures computed by one SQL query on PostgreSQL.
//!
//! `cargo run --release -p solidaria-app --example bench_ledger -- [N] [F] [DB] [CHUNK]`
//!
//! DB is a SQLite path (default: a temporary file) or a `postgres://` URL (the database must be
//! empty). Transactions are generated deterministically and valid by construction (receipts,
//! drawdowns within the 2:1 rule, investments within the cash, repayments within the principal,
//! fees), interleaved across funds, and posted in chunks of CHUNK (default 50,000; one call of
//! `finance::post`, one database transaction, each). DB `-` is a temporary file.

#[path = "common/rng.rs"]
mod rng;

use rng::Rng;
use serde_json::{Value, json};
use solidaria_app::finance;
use solidaria_app::import::{Source, import};
use solidaria_formats::jsonl::read_lines;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CHUNK: usize = 50_000;
const INVESTEES: usize = 100;

#[derive(Default, Clone)]
struct State {
    private: i64,
    public: i64,
    cash: i64,
    outstanding: Vec<i64>,
}

fn cents(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let funds: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1_000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let db = match args.get(3) {
        Some(d) if d != "-" => d.clone(),
        _ => tmp.path().join("ledger.db").to_string_lossy().into_owned(),
    };
    let chunk: usize = args.get(4).and_then(|s| s.parse().ok()).filter(|c| *c > 0).unwrap_or(CHUNK);
    let mut store = solidaria_store::open(&db).expect("open the database");
    let store = store.as_mut();

    let mut actors = String::from(
        "{\"type\":\"actor\",\"id\":\"mgr\",\"name\":\"Manager\"}\n{\"type\":\"actor\",\"id\":\"esdc\",\"name\":\"ESDC\"}\n",
    );
    for i in 0..INVESTEES {
        actors.push_str(&format!(
            "{{\"type\":\"actor\",\"id\":\"inv{i}\",\"name\":\"Investee {i}\",\"territory\":\"CA-QC\"}}\n"
        ));
    }
    let r = import(
        store,
        "bench",
        vec![Source { name: "actors".into(), entries: Ok(read_lines(actors.as_bytes())) }],
        &mut |_| {},
    )
    .expect("import");
    assert!(r.committed);
    for f in 0..funds {
        let fund = json!({"type":"fund","id":format!("f{f}"),"name":format!("Fund {f}"),"manager":"mgr","currency":"CAD",
            "public_sources":["esdc"],"release":{"rule":"leverage","private_per_public":"2"},
            "eligibility":{"territories":["CA"],"instruments":["loan"]}});
        finance::put_fund(store, "bench", &fund).expect("fund");
    }

    let mut rng = Rng(42);
    let mut states = vec![State { outstanding: vec![0; INVESTEES], ..State::default() }; funds];
    let mut posted = 0u64;
    let mut next = 0usize;
    // Time in `finance::post` alone, besides the whole loop (which also builds the records).
    let mut in_post = 0.0f64;
    let start = Instant::now();
    while next < n {
        let mut records: Vec<(u64, Value)> = Vec::with_capacity(chunk);
        while records.len() < chunk && next < n {
            let f = (rng.next() % funds as u64) as usize;
            let s = &mut states[f];
            let roll = rng.next() % 100;
            let amount = 1_000 + (rng.next() % 1_000_000) as i64;
            let who = (rng.next() % INVESTEES as u64) as usize;
            let (kind, amount, extra) = if roll < 40 || s.cash < 2_000 {
                s.private += amount;
                s.cash += amount;
                ("receipt", amount, json!({}))
            } else if roll < 60 && s.private / 2 - s.public >= 1_000 {
                let a = amount.min(s.private / 2 - s.public);
                s.public += a;
                s.cash += a;
                ("drawdown", a, json!({}))
            } else if roll < 80 {
                let a = amount.min(s.cash);
                s.cash -= a;
                s.outstanding[who] += a;
                ("investment", a, json!({"counterparty": format!("inv{who}"), "instrument": "loan"}))
            } else if roll < 95 && s.outstanding[who] > 0 {
                let a = amount.min(s.outstanding[who]);
                s.cash += a;
                s.outstanding[who] -= a;
                ("repayment", a, json!({"counterparty": format!("inv{who}")}))
            } else {
                let a = (amount / 100).clamp(1, s.cash);
                s.cash -= a;
                ("fee", a, json!({}))
            };
            let day = 1 + next * 365 / n.max(1);
            let date = format!("2024-{:02}-{:02}", 1 + (day - 1) / 31 % 12, 1 + (day - 1) % 28);
            let mut v = json!({"type":"transaction","id":format!("t{next}"),"fund":format!("f{f}"),"date":date,"kind":kind,"amount":cents(amount)});
            for (k, x) in extra.as_object().expect("object") {
                v[k] = x.clone();
            }
            records.push((next as u64 + 1, v));
            next += 1;
        }
        let t = Instant::now();
        let r = finance::post(store, "bench", &records).expect("post");
        in_post += t.elapsed().as_secs_f64();
        assert!(r.committed, "{:?}", &r.problems[..r.problems.len().min(5)]);
        posted += r.posted;
        eprint!("\r{posted} posted");
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!();
    println!(
        "{}: posted {posted} transactions over {funds} funds in {secs:.2} s, in calls of {chunk}: {:.0} transactions/s, every invariant checked",
        store.backend(),
        posted as f64 / secs
    );
    println!(
        "  of which in finance::post (records given, parsed, checked and written): {in_post:.2} s: {:.0} transactions/s",
        posted as f64 / in_post
    );

    let mut times = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let (_, rep) = finance::fund_report(store, "f0", None).expect("report");
        std::hint::black_box(rep);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!("fund report (kept balances): median {:.2} ms", times[10]);
    let mut times = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let (_, rep) = finance::fund_report(store, "f0", Some("2024-12-31")).expect("report");
        std::hint::black_box(rep);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!("fund report as of a day (summing the entries): median {:.2} ms", times[10]);
    let (_, rep) = finance::fund_report(store, "f0", None).expect("report");
    println!(
        "f0: private {} public {} invested {} repaid {} cash {} leverage {:?}",
        rep.private_received, rep.public_received, rep.invested, rep.repaid, rep.cash, rep.leverage
    );

    if db.starts_with("postgres") {
        sql_report(&db);
    }
}

/// The same figures as one SQL query over the ledger's rows, on PostgreSQL.
fn sql_report(url: &str) {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    let sql = "WITH e AS (SELECT x->>0 AS account, (x->>1)::BIGINT AS amount FROM ledger_transactions t, \
                 jsonb_array_elements(t.entries::jsonb) x WHERE t.fund = $1 AND t.date <= $2) \
        SELECT \
        (SELECT COALESCE(SUM(amount), 0)::BIGINT FROM e WHERE account = 'cash') AS cash, \
        (SELECT COALESCE(-SUM(amount), 0)::BIGINT FROM e WHERE account IN ('capital:private', 'receivable:private')) AS private_received, \
        (SELECT COALESCE(-SUM(amount), 0)::BIGINT FROM e WHERE account IN ('capital:public', 'receivable:public')) AS public_received, \
        (SELECT COALESCE(SUM(amount), 0)::BIGINT FROM e WHERE account LIKE 'investments:%') AS outstanding, \
        (SELECT COALESCE(SUM(flow_amount) FILTER (WHERE flow_kind = 'investment'), 0)::BIGINT FROM ledger_transactions WHERE fund = $1 AND date <= $2) AS invested, \
        (SELECT COALESCE(SUM(flow_amount) FILTER (WHERE flow_kind = 'repayment'), 0)::BIGINT FROM ledger_transactions WHERE fund = $1 AND date <= $2) AS repaid";
    let mut times = Vec::new();
    let mut row = None;
    for _ in 0..21 {
        let t = Instant::now();
        row = Some(c.query_one(sql, &[&"f0", &"2024-12-31"]).expect("query"));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let row = row.expect("row");
    println!("one SQL query, as of a day: median {:.2} ms", times[10]);
    println!(
        "f0 by SQL: private {} public {} invested {} repaid {} cash {}",
        row.get::<_, i64>(1),
        row.get::<_, i64>(2),
        row.get::<_, i64>(4),
        row.get::<_, i64>(5),
        row.get::<_, i64>(0)
    );
}
