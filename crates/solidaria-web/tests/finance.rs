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
    for expected in [
        "CAD 600,000.00",
        "CAD 300,000.00",
        "2.00:1 (target 2:1)",
        "CAD 250,000.00",
        "<svg",
        "private money received: CAD 600,000.00",
    ] {
        assert!(page.contains(expected), "{expected} in the page");
    }
    assert!(!page.contains("secret-coop"), "no position by organization on the public page");
    assert!(page.contains(r#"<a href="/actors/cap-finance?lang=en">CAP Finance</a>"#), "the manager by name: {page}");
    // The chart's words follow the page's language.
    let (_, _, page) = get(&s, "/funds/sff?lang=fr", "");
    let chart = &page[page.find("<svg").expect("a chart")..];
    for expected in [
        r#"aria-label="Matched &lt;fund&gt; : argent privé et public reçu au fil du temps""#,
        "<title>argent privé reçu : 600\u{202f}000,00 CAD</title>",
        ">argent public reçu</text>",
    ] {
        assert!(chart.contains(expected), "{expected}: {chart}");
    }
    assert!(!chart.contains("received"), "{chart}");
    // Amounts in the page's language: grouped, comma decimals, the code last.
    assert!(page.contains("<dd>250\u{202f}000,00 CAD</dd>") && !page.contains("250000.00"), "{page}");
    let (_, _, page) = get(&s, "/funds/sff?lang=es", "");
    assert!(page.contains("<td>600.000,00 CAD</td>") && page.contains("<dd>250.000,00 CAD</dd>"), "{page}");

    let (status, _, body) = get(&s, "/api/funds/sff", "");
    assert_eq!(status, 200);
    let v = json(&body);
    assert_eq!(v["public"]["received"], "300000.00");
    assert_eq!(v["leverage"]["achieved"], "2.00");
    assert!(v.get("outstanding_by_investee").is_none() && !body.contains("secret-coop"), "{body}");
    assert_eq!(json(&get(&s, "/api/funds", "").2)["total"], 1);

    // The territory's social finance: the fund reaches Quebec and Canada (which includes it), not Ontario.
    let v = json(&get(&s, "/api/territories/CA-QC/social-finance", "").2);
    assert_eq!((v["funds"][0]["id"].as_str(), v["funds"][0]["investees"].as_u64()), (Some("sff"), Some(1)), "{v}");
    assert_eq!(v["funds"][0]["invested"], "250000.00");
    let v = json(&get(&s, "/api/territories/CA/social-finance", "").2);
    assert_eq!(v["funds"][0]["reach"], "CA-QC (part of CA)");
    let v = json(&get(&s, "/api/territories/CA-ON/social-finance", "").2);
    assert_eq!(v["funds"].as_array().unwrap().len(), 0, "{v}");
    let (_, _, page) = get(&s, "/territories/CA-QC/diagnostic?lang=fr", "");
    assert!(page.contains("La finance solidaire sur ce territoire") && page.contains("/funds/sff?lang=fr"), "{page}");
    // How the fund reaches the territory, in the page's language and by name (the API keeps codes).
    assert!(page.contains("<td>Quebec même</td>"), "{page}");
    assert!(page.contains("<td>250\u{202f}000,00 CAD</td>"), "invested, written in French: {page}");
    let (_, _, page) = get(&s, "/territories/CA/diagnostic?lang=es", "");
    assert!(page.contains("<td>Quebec (parte de Canada)</td>"), "{page}");

    // What an organization may use: the fund (its territory met) and no mechanism yet.
    let v = json(&get(&s, "/api/actors/secret-coop/finance", "").2);
    assert_eq!((v["funds"][0]["fund"].as_str(), v["funds"][0]["status"].as_str()), (Some("sff"), Some("met")), "{v}");
    assert_eq!(v["funds"][0]["checks"][0]["reason"], "within CA-QC");
    assert_eq!(v["mechanisms"].as_array().map(Vec::len), Some(0), "{v}");
    let (status, _, body) = get(&s, "/api/actors/nobody/finance", "");
    assert_eq!(status, 404, "{body}");

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

/// A fund's ledger is its managers' (accounts linked to its manager actor) and admins': others get
/// 403, anonymous callers 401; managers post through the API and the form, and a refused posting
/// names its invariant with the figures, writing nothing.
#[test]
fn only_a_fund_s_managers_see_its_ledger_and_post_to_it() {
    use solidaria_core::moderation::Role;
    let s = start();
    let password = "a passphrase long enough";
    let token = |name: &str, role: Role, actor: Option<&str>| {
        let mut store = solidaria_store::open(&s.db).unwrap();
        store.add_user("t", name, role, &solidaria_app::accounts::hash_password(password).unwrap()).unwrap();
        if let Some(a) = actor {
            store.set_account_actor("t", name, Some(a)).unwrap();
        }
        let t = solidaria_app::accounts::new_secret().unwrap();
        store.create_token("t", &solidaria_app::accounts::token_digest(&t), name, "t", false).unwrap();
        t
    };
    {
        let mut store = solidaria_store::open(&s.db).unwrap();
        let actors = "{\"type\":\"actor\",\"id\":\"cap-finance\",\"name\":\"CAP Finance\",\"territory\":\"CA-QC\"}\n\
                      {\"type\":\"actor\",\"id\":\"esdc\",\"name\":\"ESDC\",\"territory\":\"CA\"}\n";
        let r = import(
            store.as_mut(),
            "t",
            vec![Source { name: "a".into(), entries: Ok(read_lines(actors.as_bytes())) }],
            &mut |_| {},
        )
        .unwrap();
        assert!(r.committed);
        let fund = json!({"type":"fund","id":"sff","name":"Matched fund","manager":"cap-finance","currency":"CAD",
            "public_sources":["esdc"],"release":{"rule":"leverage","private_per_public":"2"},"eligibility":{"territories":["CA-QC"]}});
        finance::put_fund(store.as_mut(), "t", &fund).unwrap();
    }
    let manager = token("mgr", Role::Contributor, Some("cap-finance"));
    let other = token("other", Role::Moderator, Some("esdc"));
    let admin = token("root", Role::Admin, None);

    assert_eq!(get(&s, "/api/funds/sff/ledger", "").0, 401);
    let (status, v) = common::api(&s, "GET", "/api/funds/sff/ledger", &other, "");
    assert_eq!((status, v["error"]["reason"].as_str()), (403, Some("fund_private")), "{v}");
    let receipt = r#"{"type":"transaction","id":"r1","date":"2024-02-01","kind":"receipt","amount":"1000.00"}"#;
    let (status, v) = common::api(&s, "POST", "/api/funds/sff/transactions", &other, receipt);
    assert_eq!(
        (status, v["error"]["reason"].as_str()),
        (403, Some("fund_private")),
        "a moderator of another actor may not post"
    );
    let (status, v) = common::api(&s, "POST", "/api/funds/sff/transactions", &manager, receipt);
    assert_eq!((status, v["posted"].as_u64()), (201, Some(1)), "{v}");
    // Drawing 600 of public money against 1,000 private under the 2:1 rule breaks the release rule.
    let draw = r#"[{"type":"transaction","id":"d1","date":"2024-02-02","kind":"drawdown","amount":"600.00"}]"#;
    let (status, v) = common::api(&s, "POST", "/api/funds/sff/transactions", &manager, draw);
    assert_eq!(status, 422, "{v}");
    let why = v["problems"][0].as_str().unwrap();
    assert!(why.contains("release_rule") && why.contains("500.00"), "{why}");
    let wrong =
        r#"{"type":"transaction","id":"x","fund":"other","date":"2024-02-02","kind":"receipt","amount":"1.00"}"#;
    assert_eq!(common::api(&s, "POST", "/api/funds/sff/transactions", &manager, wrong).0, 400);
    let (status, v) = common::api(&s, "GET", "/api/funds/sff/ledger", &admin, "");
    assert_eq!(status, 200);
    assert_eq!(v["postings"].as_array().unwrap().len(), 1, "the refused drawdown wrote nothing");
    assert_eq!(v["postings"][0]["who"], "mgr");

    // The form: the manager posts in the browser; a refusal is shown with its invariant.
    let (_, head, _) = get(&s, "/login", "");
    let login_csrf = common::set_cookie(&head, solidaria_web::auth::LOGIN_CSRF_COOKIE).unwrap();
    let cookie = format!("{}={login_csrf}", solidaria_web::auth::LOGIN_CSRF_COOKIE);
    let (_, head, _) = common::form(
        &s,
        "/login",
        &cookie,
        &[("user", "mgr"), ("password", password), ("csrf", &login_csrf), ("next", "/account")],
    );
    let session = format!(
        "{}={}",
        solidaria_web::auth::SESSION_COOKIE,
        common::set_cookie(&head, solidaria_web::auth::SESSION_COOKIE).unwrap()
    );
    let (status, _, page) = get(&s, "/funds/sff/ledger", &format!("Cookie: {session}\r\n"));
    assert_eq!(status, 200);
    let csrf = common::hidden(&page, "csrf");
    let fields = |id: &'static str, amount: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("id", id.into()),
            ("date", "2024-03-01".into()),
            ("kind", "drawdown".into()),
            ("amount", amount.into()),
        ]
    };
    let refs = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, x)| (*k, x.clone())).collect::<Vec<_>>();
    let f = refs(&fields("d2", "900.00"));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, x)| (*k, x.as_str())).collect();
    let (status, _, page) = common::form(&s, "/funds/sff/ledger", &session, &f);
    assert_eq!(status, 422);
    assert!(page.contains("role=\"alert\"") && page.contains("release_rule"), "{page}");
    assert!(page.contains("value=\"900.00\""), "the form keeps what was typed");
    let f = refs(&fields("d2", "400.00"));
    let f: Vec<(&str, &str)> = f.iter().map(|(k, x)| (*k, x.as_str())).collect();
    let (status, head, _) = common::form(&s, "/funds/sff/ledger", &session, &f);
    assert_eq!(status, 303, "{head}");
    let (_, _, page) = get(&s, "/funds/sff/ledger", &format!("Cookie: {session}\r\n"));
    assert!(page.contains("<code>d2</code>") && page.contains("<td>CAD 400.00</td>"), "{page}");
    // Kinds in words, in the form and in the postings, as codes only in the form's values.
    assert!(page.contains("<td>public money drawn</td>") && !page.contains("<td>drawdown</td>"), "{page}");
    assert!(page.contains(r#"<option value="drawdown">public money drawn</option>"#), "{page}");
    let (_, _, fr) = get(&s, "/funds/sff/ledger?lang=fr", &format!("Cookie: {session}\r\n"));
    assert!(fr.contains("<td>tirage de fonds publics</td>"), "{fr}");
}
