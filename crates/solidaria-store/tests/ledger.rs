//! The social-finance ledger on both stores: postings all or nothing, a repeated id a no-op or a
//! refusal, a reversal once, balances kept equal to the sum of the entries, and two writers of
//! one fund at once never drawing public money beyond the release rule, and random sequences of
//! postings by two concurrent writers keeping every invariant at every step of the ledger. Each test runs on a fresh
//! SQLite file and, when `SOLIDARIA_TEST_PG` holds a PostgreSQL URL, on a fresh PostgreSQL database.

mod common;

#[cfg(feature = "postgres")]
use common::TestDatabase;
use serde_json::{Value, json};
use solidaria_app::finance;
use solidaria_app::import::{Source, import};
use solidaria_formats::jsonl::read_lines;
use solidaria_store::Store;
use solidaria_store::sqlite::SqliteStore;

/// Opens a new handle on the same database.
type Opener = Box<dyn Fn() -> Box<dyn Store + Send> + Send + Sync>;

fn sqlite() -> (tempfile::TempDir, Opener) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.db").to_str().unwrap().to_string();
    (dir, Box::new(move || Box::new(SqliteStore::open(&path).unwrap())))
}

#[cfg(feature = "postgres")]
fn postgres() -> Option<(TestDatabase, Opener)> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let db = TestDatabase::new(&format!("ledger{}", N.fetch_add(1, Ordering::SeqCst)))?;
    let config = db.config.clone();
    let open: Opener = Box::new(move || Box::new(solidaria_store::postgres::PgStore::connect_config(&config).unwrap()));
    Some((db, open))
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { let (_dir, open) = super::sqlite(); super::$name(&open); })*
        }
        #[cfg(feature = "postgres")]
        mod postgres {
            $(#[test] fn $name() {
                match super::postgres() {
                    Some((_db, open)) => super::$name(&open),
                    None => eprintln!("skipped: set SOLIDARIA_TEST_PG to run the PostgreSQL ledger tests"),
                }
            })*
        }
    };
}

on_both!(
    a_matched_fund_end_to_end_with_every_refusal_named,
    two_writers_of_one_fund_never_break_the_release_rule,
    random_postings_by_two_writers_keep_every_invariant_in_ledger_order,
);

/// The registry's actors and a 2:1 fund investing in Quebec co-operatives screened under qc-2013.
fn setup(store: &mut dyn Store) {
    let actors = r#"{"type":"actor","id":"cap-finance","name":"CAP Finance","territory":"CA-QC"}
{"type":"actor","id":"esdc","name":"ESDC","category":"public_authority","territory":"CA"}
{"type":"actor","id":"fondaction","name":"Fondaction","territory":"CA-QC"}
{"type":"actor","id":"good-coop","name":"Good Co-op","territory":"CA-QC-MTL","legal_form":{"family":"cooperative"},"facts":{"income.trading_share":0.9,"purpose.primary":"collective_interest","governance.voting_rule":"one_member_one_vote","control.public_share":0,"surplus.distribution_allowed":false,"assets.lock":true}}
{"type":"actor","id":"plain-company","name":"Plain Company","territory":"CA-QC","legal_form":{"family":"company"}}
{"type":"territory","id":"CA-QC-MTL","name":"Montréal","parent":"CA-QC"}
"#;
    let r = import(
        store,
        "t",
        vec![Source { name: "a.jsonl".into(), entries: Ok(read_lines(actors.as_bytes())) }],
        &mut |_| {},
    )
    .unwrap();
    assert!(r.committed, "{:?}", r.problems);
    let fund = json!({"type":"fund","id":"sff","name":"Matched fund","manager":"cap-finance","currency":"CAD",
        "public_sources":["esdc"],"release":{"rule":"leverage","private_per_public":"2"},
        "eligibility":{"profiles":["qc-2013"],"territories":["CA-QC"],"instruments":["loan"]}});
    assert!(finance::put_fund(store, "t", &fund).unwrap());
    assert!(!finance::put_fund(store, "t", &fund).unwrap(), "the same definition again changes nothing");
}

fn lines(records: &[Value]) -> Vec<(u64, Value)> {
    records.iter().enumerate().map(|(i, v)| (i as u64 + 1, v.clone())).collect()
}

fn t(id: &str, date: &str, kind: &str, amount: &str, extra: Value) -> Value {
    let mut v = json!({"type":"transaction","id":id,"fund":"sff","date":date,"kind":kind,"amount":amount});
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn a_matched_fund_end_to_end_with_every_refusal_named(open: &Opener) {
    let mut store = open();
    let store = store.as_mut();
    setup(store);
    let first = [
        t("c1", "2024-01-10", "commitment", "1000000", json!({"source":"public","counterparty":"esdc"})),
        t("r1", "2024-02-01", "receipt", "600000", json!({"counterparty":"fondaction"})),
        t("d1", "2024-02-15", "drawdown", "300000", json!({"counterparty":"esdc"})),
        t("i1", "2024-03-01", "investment", "250000", json!({"counterparty":"good-coop","instrument":"loan"})),
    ];
    let r = finance::post(store, "t", &lines(&first)).unwrap();
    assert!(r.committed, "{:?}", r.problems);
    assert_eq!((r.posted, r.unchanged), (4, 0));

    // One bad posting in a file keeps nothing of it, and every refusal is named with its line.
    let second = [
        t("r2", "2024-04-01", "receipt", "100", json!({})),
        t("d2", "2024-04-02", "drawdown", "50.01", json!({})),
        t("i2", "2024-04-03", "investment", "1000", json!({"counterparty":"plain-company","instrument":"loan"})),
        t("p1", "2024-04-04", "repayment", "250000.01", json!({"counterparty":"good-coop"})),
        t("r1", "2024-02-01", "receipt", "600001", json!({"counterparty":"fondaction"})),
        t("x1", "2024-04-05", "reversal", "300000", json!({"of":"d1"})),
        t("x2", "2024-04-06", "reversal", "300000", json!({"of":"d1"})),
    ];
    let r = finance::post(store, "t", &lines(&second)).unwrap();
    assert!(!r.committed);
    let all = r.problems.join("\n");
    for expected in [
        "2: release_rule: at most 1 public per 2 private received: 600100.00 private received allows 300050.00 public; after this drawdown public money received would be 300050.01",
        "3: eligibility: plain-company may not receive this investment: qc-2013: does_not_qualify (needed: qualifies)",
        "4: outstanding: 250000.00 principal outstanding from good-coop",
        "5: duplicate: transaction r1 was posted before with other content",
        "7: reversal: d1 was already reversed",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    assert_eq!(r.problems.len(), 5, "{all}");
    let (_, rep) = finance::fund_report(store, "sff", None).unwrap();
    assert_eq!((rep.private_received, rep.public_received, rep.invested), (60_000_000, 30_000_000, 25_000_000));

    // The same file again is a no-op; a reversal corrects; the report as of a date ignores later days.
    let r = finance::post(store, "t", &lines(&first)).unwrap();
    assert_eq!((r.committed, r.posted, r.unchanged), (true, 0, 4));
    let third = [
        t("p2", "2024-06-01", "repayment", "50000", json!({"counterparty":"good-coop"})),
        t("x3", "2024-06-02", "reversal", "50000", json!({"of":"p2"})),
        t("p3", "2024-06-03", "repayment", "5000", json!({"counterparty":"good-coop"})),
    ];
    let r = finance::post(store, "t", &lines(&third)).unwrap();
    assert!(r.committed, "{:?}", r.problems);
    let (_, now) = finance::fund_report(store, "sff", None).unwrap();
    assert_eq!((now.repaid, now.outstanding, now.cash), (500_000, 24_500_000, 65_500_000));
    let (_, before) = finance::fund_report(store, "sff", Some("2024-02-20")).unwrap();
    assert_eq!((before.invested, before.cash, before.leverage.as_deref()), (0, 90_000_000, Some("2.00")));

    // Balances kept by the store equal the sum of every entry; the investment kept its screening.
    assert_eq!(store.balances("sff", None).unwrap(), store.balances("sff", Some("9999-12-31")).unwrap());
    let postings = store.postings("sff").unwrap();
    let inv = postings.iter().find(|p| p.doc.contains("\"id\":\"i1\"")).unwrap();
    let evidence: Value = serde_json::from_str(inv.evidence.as_deref().unwrap()).unwrap();
    assert_eq!(evidence["screenings"][0]["verdict"], "qualifies");
    assert_eq!(evidence["screenings"][0]["profile"], "qc-2013");

    // The definition is fixed once postings exist.
    let changed = json!({"type":"fund","id":"sff","name":"Renamed","manager":"cap-finance","currency":"CAD"});
    let e = finance::put_fund(store, "t", &changed).unwrap_err();
    assert_eq!(e.code, solidaria_app::error::Code::FundFixed);
}

fn two_writers_of_one_fund_never_break_the_release_rule(open: &Opener) {
    setup(open().as_mut());
    let receipts: Vec<Value> =
        (0..120).map(|i| t(&format!("r{i}"), "2024-05-01", "receipt", "100.00", json!({}))).collect();
    let drawdowns: Vec<Value> =
        (0..120).map(|i| t(&format!("d{i}"), "2024-05-01", "drawdown", "60.00", json!({}))).collect();
    // The drawdowns start once two receipts are in (so the first one is always allowed: 200
    // private allow 100 public), then race the remaining receipts: whatever the scheduler does,
    // the test sees drawdowns both accepted and, while receipts lag, refused.
    let received = std::sync::atomic::AtomicUsize::new(0);
    let drawn = std::thread::scope(|s| {
        let a = s.spawn(|| {
            let mut st = open();
            for r in &receipts {
                let rep = finance::post(st.as_mut(), "a", &lines(std::slice::from_ref(r))).unwrap();
                assert!(rep.committed, "{:?}", rep.problems);
                received.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
        let b = s.spawn(|| {
            let mut st = open();
            while received.load(std::sync::atomic::Ordering::SeqCst) < 2 {
                std::thread::yield_now();
            }
            let mut drawn = 0u64;
            for d in &drawdowns {
                let rep = finance::post(st.as_mut(), "b", &lines(std::slice::from_ref(d))).unwrap();
                if rep.committed {
                    drawn += 1;
                } else {
                    assert!(rep.problems[0].contains("release_rule"), "{:?}", rep.problems);
                }
            }
            drawn
        });
        a.join().unwrap();
        b.join().unwrap()
    });
    let mut store = open();
    let (_, rep) = finance::fund_report(store.as_mut(), "sff", None).unwrap();
    assert_eq!(rep.private_received, 1_200_000);
    assert_eq!(rep.public_received, i128::from(drawn) * 6_000, "every accepted drawdown is in the ledger");
    assert!(rep.public_received * 2 <= rep.private_received, "release rule under two writers: {rep:?}");
    assert!(drawn > 0, "the first drawdown, after two receipts, is allowed");
    assert_eq!(store.balances("sff", None).unwrap(), store.balances("sff", Some("9999-12-31")).unwrap());
    assert_eq!(store.balances("sff", None).unwrap().values().sum::<i128>(), 0);
}

/// Minor units of a decimal amount as the ledger writes it ("1234.50").
fn cents(s: &str) -> i128 {
    let (units, frac) = s.split_once('.').unwrap_or((s, "0"));
    units.parse::<i128>().unwrap() * 100 + format!("{frac:0<2}")[..2].parse::<i128>().unwrap()
}

/// Random sequences of postings (receipts, drawdowns, investments, repayments, write-offs, fees,
/// reversals) split between two writers posting at once, one transaction per call: whatever the
/// interleaving, replaying the ledger in its order finds every invariant kept after every
/// posting (cash never negative, public money within 1 per 2 private, no principal repaid or
/// written off beyond what is outstanding), and the kept balances equal the sum of the entries.
fn random_postings_by_two_writers_keep_every_invariant_in_ledger_order(open: &Opener) {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    setup(open().as_mut());
    let case = std::sync::atomic::AtomicU32::new(0);
    let op = (0u8..7, 1i64..500_000);
    let mut runner = TestRunner::new(Config { cases: 6, failure_persistence: None, ..Config::default() });
    runner
        .run(&(proptest::collection::vec(op.clone(), 1..40), proptest::collection::vec(op, 1..40)), |(a, b)| {
            let n = case.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let fund = format!("sff{n}");
            let def = json!({"type":"fund","id":fund,"name":"Matched fund","manager":"cap-finance","currency":"CAD",
                "public_sources":["esdc"],"release":{"rule":"leverage","private_per_public":"2"},
                "eligibility":{"profiles":["qc-2013"],"territories":["CA-QC"],"instruments":["loan"]}});
            finance::put_fund(open().as_mut(), "t", &def).unwrap();
            let make = |writer: &str, ops: &[(u8, i64)]| -> Vec<Value> {
                ops.iter()
                    .enumerate()
                    .map(|(i, (k, amount))| {
                        let id = format!("{writer}{i}");
                        let amount = format!("{}.{:02}", amount / 100, amount % 100);
                        let (kind, extra) = match k {
                            0 | 1 => ("receipt", json!({})),
                            2 => ("drawdown", json!({})),
                            3 => ("investment", json!({"counterparty": "good-coop", "instrument": "loan"})),
                            4 => ("repayment", json!({"counterparty": "good-coop"})),
                            5 => ("write_off", json!({"counterparty": "good-coop"})),
                            _ => ("fee", json!({})),
                        };
                        let mut v = t(&id, "2024-06-01", kind, &amount, extra);
                        v["fund"] = json!(fund);
                        v
                    })
                    .collect()
            };
            let (wa, wb) = (make("a", &a), make("b", &b));
            std::thread::scope(|s| {
                for (who, ops) in [("a", &wa), ("b", &wb)] {
                    let open = &open;
                    s.spawn(move || {
                        let mut st = open();
                        for (i, v) in ops.iter().enumerate() {
                            let r = finance::post(st.as_mut(), who, &lines(std::slice::from_ref(v))).unwrap();
                            if !r.committed {
                                // A refusal names its invariant; every third one is followed by a
                                // reversal of this writer's last accepted posting, when there is one.
                                assert!(r.problems.iter().all(|p| p.contains(": ")), "{:?}", r.problems);
                            } else if i % 3 == 2 {
                                let of = v["id"].as_str().unwrap().to_string();
                                let mut rev = t(
                                    &format!("{of}-rev"),
                                    "2024-06-02",
                                    "reversal",
                                    v["amount"].as_str().unwrap(),
                                    json!({"of": of}),
                                );
                                rev["fund"] = v["fund"].clone();
                                let _ = finance::post(st.as_mut(), who, &lines(std::slice::from_ref(&rev))).unwrap();
                            }
                        }
                    });
                }
            });
            let mut st = open();
            let postings = st.postings(&fund).unwrap();
            let (mut private, mut public, mut cash, mut outstanding) = (0i128, 0i128, 0i128, 0i128);
            let mut seen: std::collections::HashMap<String, (String, i128)> = Default::default();
            for p in &postings {
                let v: Value = serde_json::from_str(&p.doc).unwrap();
                let kind = v["kind"].as_str().unwrap().to_string();
                let amount = cents(v["amount"].as_str().unwrap());
                let (effective, signed) = if kind == "reversal" {
                    let (k, a) = seen[v["of"].as_str().unwrap()].clone();
                    (k, -a)
                } else {
                    (kind.clone(), amount)
                };
                match effective.as_str() {
                    "receipt" => {
                        private += signed;
                        cash += signed;
                    }
                    "drawdown" => {
                        public += signed;
                        cash += signed;
                    }
                    "investment" => {
                        cash -= signed;
                        outstanding += signed;
                    }
                    "repayment" => {
                        cash += signed;
                        outstanding -= signed;
                    }
                    "write_off" => outstanding -= signed,
                    "fee" => cash -= signed,
                    other => panic!("unexpected kind {other}"),
                }
                seen.insert(v["id"].as_str().unwrap().to_string(), (kind, amount));
                prop_assert!(cash >= 0, "cash {} after posting {}", cash, p.seq);
                prop_assert!(
                    public * 2 <= private,
                    "release rule after posting {}: {} public, {} private",
                    p.seq,
                    public,
                    private
                );
                prop_assert!(outstanding >= 0, "outstanding {} after posting {}", outstanding, p.seq);
            }
            let kept = st.balances(&fund, None).unwrap();
            prop_assert_eq!(&kept, &st.balances(&fund, Some("9999-12-31")).unwrap());
            prop_assert_eq!(kept.values().sum::<i128>(), 0);
            prop_assert_eq!(kept.get("cash").copied().unwrap_or(0), cash);
            Ok(())
        })
        .unwrap();
}
