//! Funds on the web, over real HTTP: the list, a fund's public page with its chart, the API's
//! public figures, and nothing by organization.

mod common;
use common::{get, json, start};
use serde_json::json;
use solidaria_app::finance;
use solidaria_app::import::{Source, import};
use solidaria_formats::jsonl::read_lines;

#[test]
fn a_fund_shows_its_public_figures_and_no_position_by_organization() {
    let s = start();
    {
        let mut store = solidaria_store::open(&s.db).unwrap();
        let store = store.as_mut();
        let actors = "{\"type\":\"actor\",\"id\":\"cap-finance\",\"name\":\"CAP Finance\",\"territory\":\"CA-QC\"}\n\
                      {\"type\":\"actor\",\"id\":\"esdc\",\"name\":\"ESDC\",\"territory\":\"CA\"}\n\
                      {\"type\":\"actor\",\"id\":\"secret-coop\",\"name\":\"Secret Coop\",\"territory\":\"CA-QC\"}\n";
        let r = import(
            store,
            "t",
            vec![Source { name: "a".into(), entries: Ok(read_lines(actors.as_bytes())) }],
            &mut |_| {},
        )
        .unwrap();
        assert!(r.committed);
        let fund = json!({"type":"fund","id":"sff","name":"Matched <fund>","manager":"cap-finance","currency":"CAD",
            "public_sources":["esdc"],"release":{"rule":"leverage","private_per_public":"2"},"eligibility":{"territories":["CA-QC"]}});
        finance::put_fund(store, "t", &fund).unwrap();
        let t = |id: &str, date: &str, kind: &str, amount: &str, extra: serde_json::Value| {
            let mut v = json!({"type":"transaction","id":id,"fund":"sff","date":date,"kind":kind,"amount":amount});
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            v
        };
        let txs = [
            t("r1", "2024-02-01", "receipt", "600000", json!({})),
            t("d1", "2024-02-15", "drawdown", "300000", json!({})),
            t("i1", "2024-03-01", "investment", "250000", json!({"counterparty":"secret-coop","instrument":"loan"})),
        ];
        let lines: Vec<(u64, serde_json::Value)> =
            txs.iter().enumerate().map(|(i, v)| (i as u64 + 1, v.clone())).collect();
        assert!(finance::post(store, "t", &lines).unwrap().committed);
    }
    let (status, _, list) = get(&s, "/funds?lang=fr", "");
    assert_eq!(status, 200);
    assert!(list.contains("/funds/sff?lang=fr") && list.contains("2.00:1"), "{list}");
    assert!(list.contains("Matched &#60;fund&#62;") && !list.contains("Matched <fund>"), "names are escaped");

    let (status, _, page) = get(&s, "/funds/sff", "");
    assert_eq!(status, 200);
    for expected in
        ["600000.00", "300000.00", "2.00:1 (target 2:1)", "250000.00", "<svg", "private received: 600000.00 CAD"]
    {
        assert!(page.contains(expected), "{expected} in the page");
    }
    assert!(!page.contains("secret-coop"), "no position by organization on the public page");

    let (status, _, body) = get(&s, "/api/funds/sff", "");
    assert_eq!(status, 200);
    let v = json(&body);
    assert_eq!(v["public"]["received"], "300000.00");
    assert_eq!(v["leverage"]["achieved"], "2.00");
    assert!(v.get("outstanding_by_investee").is_none() && !body.contains("secret-coop"), "{body}");
    assert_eq!(json(&get(&s, "/api/funds", "").2)["total"], 1);

    assert_eq!(get(&s, "/funds/nope", "").0, 404);
    let (status, _, body) = get(&s, "/api/funds/nope", "");
    assert_eq!(status, 404);
    assert_eq!(json(&body)["error"]["reason"], "fund_not_found", "{body}");
}

/// Links shared from newsletters and social networks carry tracking parameters: the pages ignore
/// them (the API, a contract, still refuses unknown parameters).
#[test]
fn pages_ignore_tracking_parameters_the_api_does_not() {
    let s = start();
    for path in ["/?utm_source=newsletter&fbclid=abc", "/map?utm_campaign=x", "/embed?gclid=1&lang=fr"] {
        let (status, _, body) = get(&s, path, "");
        assert_eq!(status, 200, "{path}: {body}");
        assert!(body.contains("<html"), "{path}");
    }
    let (status, _, body) = get(&s, "/?limit=abc&utm_source=x", "");
    assert_eq!(status, 400, "a malformed known parameter is still refused: {body}");
    assert_eq!(get(&s, "/api/actors?utm_source=x", "").0, 400);
}
