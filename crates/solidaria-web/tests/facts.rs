//! Supplying the facts that would decide a verdict, over real HTTP: the form asks exactly the
//! missing facts, contributors' facts go to moderation with their evidence, a validation decides
//! the verdict, and whatever cannot be used comes back at its field.

mod common;
use common::{Server, api, form, get, hidden, json, log_in, start};
use solidaria_core::moderation::Role;
use solidaria_core::screening::{builtin, evidence::evidence};
use std::collections::BTreeSet;

const DEMO: &str = include_str!("../../solidaria-cli/demo/ecosystem.jsonl");
const FORM: &str = "/actors/desjardins/facts?profile=ica-1995";
/// Adds an account and returns an API token for it.
fn user(s: &Server, name: &str, role: Role) -> String {
    common::account(s, name, role, None)
}

/// The demo's Desjardins (a financial services co-operative of Quebec) added to the server's data.
fn desjardins(s: &Server) -> solidaria_core::Actor {
    let line = DEMO.lines().find(|l| l.contains("\"id\":\"desjardins\"")).unwrap();
    let record = solidaria_core::record::parse_record(&serde_json::from_str(line).unwrap()).unwrap();
    let mut store = solidaria_store::open(&s.db).unwrap();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("test", std::slice::from_ref(&record)).unwrap();
    tx.commit().unwrap();
    match record {
        solidaria_core::Record::Actor(a) => a,
        _ => unreachable!(),
    }
}

/// The verdict of an actor under a profile, from the API.
fn verdict(s: &Server, id: &str, profile: &str) -> String {
    let v = json(&get(s, &format!("/api/actors/{id}"), "").2);
    let found = v["screenings"].as_array().unwrap().iter().find(|x| x["profile"] == profile).unwrap().clone();
    found["verdict"].as_str().unwrap().to_string()
}

/// The names of the fact inputs of a page (dotted names), each once.
fn fact_inputs(page: &str) -> BTreeSet<String> {
    page.split("name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|n| n.contains('.'))
        .map(str::to_string)
        .collect()
}

fn cookie(c: &str) -> String {
    format!("Cookie: {c}\r\n")
}

#[test]
fn a_contributor_supplies_the_facts_that_decide_and_a_moderator_validates_them() {
    let s = start();
    let a = desjardins(&s);
    user(&s, "bo", Role::Contributor);
    let bo_token = user(&s, "bo2", Role::Contributor);
    user(&s, "mo", Role::Moderator);
    assert_eq!(verdict(&s, "desjardins", "ica-1995"), "insufficient_evidence");

    // The actor page links the undecided verdict to the form.
    let (_, _, page) = get(&s, "/actors/desjardins", "");
    assert!(page.contains("href=\"/actors/desjardins/facts?profile=ica-1995&amp;lang=en\""), "{page}");

    // Anonymous visitors see the facts and a link to sign in, no form.
    let (status, _, page) = get(&s, FORM, "");
    assert_eq!(status, 200);
    assert!(page.contains("id=\"sign-in\" href=\"/login?lang=en&#38;next=/actors/desjardins/facts"), "{page}");
    assert!(!page.contains("<form method=\"post\""));
    assert!(page.contains("<code>membership.open_voluntary</code>"));

    // Signed in, the form asks exactly the facts the evidence module says would decide.
    let bo = log_in(&s, "bo");
    let (status, _, page) = get(&s, FORM, &cookie(&bo));
    assert_eq!(status, 200);
    let profile = builtin::find("ica-1995").unwrap();
    let e = evidence(profile, &a).unwrap();
    let expected: BTreeSet<String> =
        solidaria_core::supply::askable(&e, &a).iter().map(|s| s.key.to_string()).collect();
    assert_eq!(
        expected,
        ["control.investor_share", "control.public_share", "membership.open_voluntary"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    assert_eq!(fact_inputs(&page), expected, "{page}");
    // Typed by the vocabulary, and nothing preselected.
    assert!(page.contains("type=\"radio\" name=\"membership.open_voluntary\" value=\"true\">"), "{page}");
    assert!(page.contains("type=\"number\" id=\"in-control.public_share\" name=\"control.public_share\" value=\"\" step=\"any\" min=\"0\" max=\"1\""), "{page}");
    assert!(!page.contains(" checked") && !page.contains(" selected"));
    let csrf = hidden(&page, "csrf");

    // Anonymous and wrong-token posts are refused as the other forms refuse them.
    let good = [
        ("membership.open_voluntary", "true"),
        ("control.public_share", "0"),
        ("control.investor_share", "0"),
        ("source", "Act respecting financial services cooperatives, CQLR c C-67.3"),
        ("url", "https://www.legisquebec.gouv.qc.ca/en/document/cs/C-67.3"),
        ("date", "2024-06"),
        ("note", "s. 4 and s. 63"),
    ];
    let with = |csrf: &str| {
        let mut f = vec![("csrf", csrf.to_string())];
        f.extend(good.iter().map(|(k, v)| (*k, v.to_string())));
        f
    };
    let refs = |f: &[(&'static str, String)]| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let send = |c: &str, f: &[(&str, String)]| {
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form(&s, FORM, c, &f)
    };
    let (status, head, _) = send("", &refs(&with(&csrf)));
    assert_eq!(status, 303);
    assert!(head.contains("location: /login?lang=en&next=/actors/desjardins"), "{head}");
    assert_eq!(send(&bo, &refs(&with("0000"))).0, 403);

    // What cannot be used comes back at its field, with what was typed, and nothing is written.
    let bad = vec![
        ("csrf", csrf.clone()),
        ("membership.open_voluntary", "maybe".to_string()),
        ("control.public_share", "1.5".to_string()),
        ("assets.lock", "true".to_string()),
        ("source", "  ".to_string()),
        ("url", "ftp://example.org/x".to_string()),
        ("date", "last year".to_string()),
    ];
    let (status, _, page) = send(&bo, &bad);
    assert_eq!(status, 422, "{page}");
    for field in ["membership.open_voluntary", "control.public_share", "assets.lock", "source", "url", "date"] {
        assert!(page.contains(&format!("<li><code>{field}: expected")), "{field}: {page}");
    }
    assert!(page.contains("value=\"last year\"") && page.contains("value=\"1.5\""), "{page}");
    assert!(page.contains("value=\"ftp://example.org/x\""));
    assert_eq!(hidden(&page, "csrf"), csrf, "the form can be sent again");
    // A bare submit sends no value.
    let (status, _, page) = send(&bo, &[("csrf", csrf.clone()), ("source", "x".into())]);
    assert_eq!(status, 422);
    assert!(page.contains("<li><code>facts: expected a value for at least one"), "{page}");
    assert!(!get(&s, "/moderation", &cookie(&log_in(&s, "mo"))).2.contains("id=\"proposal-"), "nothing was proposed");

    // A contributor's facts become a proposal, with their evidence; the verdict waits for it.
    let (status, head, _) = send(&bo, &with(&csrf).iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>());
    assert_eq!(status, 303, "{head}");
    assert!(head.contains("location: /actors/desjardins?lang=en&saved=proposal-"), "{head}");
    let id: String = head.split("saved=proposal-").nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
    assert_eq!(verdict(&s, "desjardins", "ica-1995"), "insufficient_evidence");
    let (status, p) = api(&s, "GET", &format!("/api/proposals/{id}"), &bo_token, "");
    assert_eq!(status, 404, "another contributor does not see it: {p}");
    let mo = log_in(&s, "mo");
    let (_, _, queue) = get(&s, "/moderation", &cookie(&mo));
    assert!(queue.contains(&format!("id=\"proposal-{id}\"")), "{queue}");
    assert!(queue.contains("facts that would decide ica-1995"), "{queue}");
    let mut store = solidaria_store::open(&s.db).unwrap();
    let proposal = store.proposal(id.parse().unwrap()).unwrap().unwrap();
    assert_eq!(proposal.proposer, "bo");
    let doc = proposal.doc.unwrap();
    assert_eq!(
        doc["facts"]["membership.open_voluntary"],
        serde_json::json!({"value": true, "source": "Act respecting financial services cooperatives, CQLR c C-67.3",
            "date": "2024-06", "url": "https://www.legisquebec.gouv.qc.ca/en/document/cs/C-67.3", "note": "s. 4 and s. 63"})
    );
    assert_eq!(doc["facts"]["control.public_share"]["value"], 0.0);
    assert_eq!(doc["facts"]["governance.voting_rule"]["value"], "one_member_one_vote", "documented facts are kept");

    // The moderator validates: the verdict is decided.
    let csrf_mo = hidden(&queue, "csrf");
    let (status, _, _) = form(&s, &format!("/moderation/{id}"), &mo, &[("csrf", &csrf_mo), ("state", "validated")]);
    assert_eq!(status, 303);
    assert_eq!(verdict(&s, "desjardins", "ica-1995"), "qualifies");
    let (_, _, page) = get(&s, FORM, &cookie(&bo));
    assert!(page.contains("id=\"verdict\">qualifies</span>"), "{page}");
    assert!(fact_inputs(&page).is_empty(), "documented facts are no longer asked");
    let (_, _, page) = get(&s, "/actors/desjardins", "");
    assert!(page.contains("s. 4 and s. 63"), "the evidence is shown with the fact");
}

#[test]
fn a_moderators_facts_are_applied_at_once_and_refute_a_verdict() {
    let s = start();
    desjardins(&s);
    user(&s, "mo", Role::Moderator);
    let mo = log_in(&s, "mo");
    let (_, _, page) = get(&s, FORM, &cookie(&mo));
    let csrf = hidden(&page, "csrf");
    let (status, head, _) = form(
        &s,
        FORM,
        &mo,
        &[("csrf", &csrf), ("membership.open_voluntary", "false"), ("source", "Annual report 2024"), ("date", "2024")],
    );
    assert_eq!(status, 303);
    assert!(head.contains("saved=applied"), "{head}");
    assert_eq!(verdict(&s, "desjardins", "ica-1995"), "does_not_qualify");
    // Law-only keys are never taken, even when sent.
    let (status, _, page) = get(&s, "/actors/desjardins/facts?profile=fr-ess-2014", &cookie(&mo));
    assert_eq!(status, 200);
    assert!(!page.contains("status.sse_by_law\""), "{page}");
    let (status, _, page) = form(
        &s,
        "/actors/desjardins/facts?profile=fr-ess-2014",
        &mo,
        &[("csrf", &csrf), ("status.sse_by_law", "true"), ("source", "x")],
    );
    assert_eq!(status, 422);
    assert!(page.contains("<li><code>status.sse_by_law: expected"), "{page}");
    // An unknown profile or actor is a page, not a crash.
    assert_eq!(get(&s, "/actors/desjardins/facts?profile=nope", &cookie(&mo)).0, 404);
    assert_eq!(get(&s, "/actors/nobody/facts?profile=ica-1995", &cookie(&mo)).0, 404);
    assert_eq!(get(&s, "/actors/desjardins/facts?lang=fr", "").0, 303, "no profile: back to the actor");
}
