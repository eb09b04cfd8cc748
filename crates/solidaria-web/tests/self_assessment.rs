//! Self-assessment over real HTTP: only the organization's own account (linked to the actor)
//! sees and sends its questionnaire; the answers, each with its evidence, become one proposal of
//! self-declared facts; a moderator validates them as declared or as verified; and every
//! screening output says which verdicts rest on self-declared facts.

mod common;
use common::{Server, api, form, get, hidden, json, log_in, start};
use solidaria_core::moderation::Role;
use std::collections::BTreeSet;

const PAGE: &str = "/actors/coop-eus/self-assessment";
/// Adds an account (linked to `actor` when given) and returns an API token for it.
fn user(s: &Server, name: &str, role: Role, actor: Option<&str>) -> String {
    common::account(s, name, role, actor)
}

fn cookie(c: &str) -> String {
    format!("Cookie: {c}\r\n")
}

/// A Basque worker co-operative that documents only how it votes, and another actor.
fn seed(s: &Server) {
    let lines = [
        r#"{"type":"actor","id":"coop-eus","name":"Langile Koop","legal_form":{"family":"cooperative"},"territory":"ES-PV","claims":["sse"],"facts":{"governance.voting_rule":"one_member_one_vote"}}"#,
        r#"{"type":"actor","id":"other-org","name":"Other","territory":"ES"}"#,
    ];
    let mut store = solidaria_store::open(&s.db).unwrap();
    let mut tx = store.transaction().unwrap();
    let records: Vec<_> = lines
        .iter()
        .map(|l| solidaria_core::record::parse_record(&serde_json::from_str(l).unwrap()).unwrap())
        .collect();
    tx.upsert_records("test", &records).unwrap();
    tx.commit().unwrap();
}

/// The names of the answer inputs of a page (dotted names, evidence fields apart), each once.
fn answer_inputs(page: &str) -> BTreeSet<String> {
    page.split("name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|n| n.contains('.') && !n.contains('@'))
        .map(str::to_string)
        .collect()
}

/// The screening of an actor under a profile, from the API.
fn screening(s: &Server, id: &str, profile: &str) -> serde_json::Value {
    let v = json(&get(s, &format!("/api/actors/{id}"), "").2);
    v["screenings"].as_array().unwrap().iter().find(|x| x["profile"] == profile).unwrap().clone()
}

fn send(s: &Server, c: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
    form(s, PAGE, c, fields)
}

#[test]
fn the_organizations_account_answers_a_moderator_validates_and_screening_says_self_declared() {
    let s = start();
    seed(&s);
    user(&s, "koop", Role::Contributor, Some("coop-eus"));
    user(&s, "other", Role::Contributor, Some("other-org"));
    let mo_token = user(&s, "mo", Role::Moderator, None);
    assert_eq!(screening(&s, "coop-eus", "un-2023")["verdict"], "insufficient_evidence");

    // Anonymous visitors are sent to sign in; accounts that do not speak for the actor get 403,
    // whatever their role, and cannot send answers either.
    let (status, head, _) = get(&s, PAGE, "");
    assert_eq!(status, 303);
    assert!(head.contains("location: /login?lang=en&next=/actors/coop-eus/self-assessment"), "{head}");
    let other = log_in(&s, "other");
    let (status, _, page) = get(&s, PAGE, &cookie(&other));
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("does not speak for the actor"), "{page}");
    let mo = log_in(&s, "mo");
    assert_eq!(get(&s, PAGE, &cookie(&mo)).0, 403, "a moderator is not the organization");
    let other_csrf = hidden(&get(&s, "/account", &cookie(&other)).2, "csrf");
    let (status, _, _) = send(&s, &other, &[("csrf", &other_csrf), ("assets.lock", "true")]);
    assert_eq!(status, 403);

    // The organization's account sees its country's questionnaire, in its language.
    let koop = log_in(&s, "koop");
    let (status, _, page) = get(&s, &format!("{PAGE}?lang=es"), &cookie(&koop));
    assert_eq!(status, 200, "{page}");
    let profiles = page.split("id=\"profiles\">").nth(1).unwrap().split('<').next().unwrap();
    for p in ["un-2023", "ilo-2022", "es-2011", "eu-2021"] {
        assert!(profiles.contains(p), "{p}: {profiles}");
    }
    assert!(!profiles.contains("fr-ess-2014") && !profiles.contains("qc-2013"), "{profiles}");
    assert!(page.contains("¿Pueden repartirse sus excedentes"), "{page}");
    assert!(page.contains("<legend>Gobernanza</legend>") && page.contains("<legend>Excedentes y capital</legend>"));
    let asked = answer_inputs(&page);
    assert!(!asked.contains("governance.voting_rule"), "documented facts are not asked: {asked:?}");
    for key in ["assets.lock", "surplus.distribution_allowed", "control.public_share", "purpose.primary"] {
        assert!(asked.contains(key), "{key}: {asked:?}");
        assert!(page.contains(&format!("name=\"{key}@source\"")), "{key} has its evidence");
    }
    assert!(page.contains("un-2023/primacy"), "each question names the criteria it feeds");
    let csrf = hidden(&page, "csrf");

    // A wrong token is refused; what cannot be used comes back at its field, nothing proposed.
    assert_eq!(send(&s, &koop, &[("csrf", "0000"), ("assets.lock", "true")]).0, 403);
    let (status, _, page) = send(
        &s,
        &koop,
        &[
            ("csrf", &csrf),
            ("assets.lock", "true"),
            ("assets.lock@url", "javascript:alert(1)"),
            ("control.public_share", "1.5"),
        ],
    );
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("<li><code>assets.lock@url: expected"), "{page}");
    assert!(page.contains("<li><code>control.public_share: expected"), "{page}");
    assert!(page.contains("value=\"javascript:alert(1)\"") && page.contains("value=\"1.5\""), "kept: {page}");
    let (status, _, page) = send(&s, &koop, &[("csrf", &csrf)]);
    assert_eq!(status, 422);
    assert!(page.contains("<li><code>answers: expected an answer"), "{page}");
    let mut store = solidaria_store::open(&s.db).unwrap();
    assert!(store.proposals(None, None, 0, 10).unwrap().is_empty(), "nothing was proposed");

    // The answers become one proposal of self-declared facts, with their evidence.
    let answers = [
        ("csrf", csrf.as_str()),
        ("purpose.primary", "mutual_interest"),
        ("membership.open_voluntary", "true"),
        ("control.public_share", "0"),
        ("control.investor_share", "0"),
        ("surplus.distribution_allowed", "false"),
        ("assets.lock", "true"),
        ("assets.lock@source", "Estatutos sociales, art. 62"),
        ("assets.lock@url", "https://example.org/estatutos.pdf"),
        ("assets.lock@date", "2022-03"),
    ];
    let (status, head, _) = send(&s, &koop, &answers);
    assert_eq!(status, 303, "{head}");
    assert!(head.contains("location: /actors/coop-eus?lang=en&saved=proposal-"), "{head}");
    let id: i64 = head
        .split("saved=proposal-")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    let proposals = store.proposals(None, None, 0, 10).unwrap();
    assert_eq!(proposals.len(), 1, "one proposal");
    let p = store.proposal(id).unwrap().unwrap();
    assert_eq!(p.proposer, "koop");
    let doc = p.doc.unwrap();
    assert_eq!(
        doc["facts"]["assets.lock"],
        serde_json::json!({"value": true, "source": "Estatutos sociales, art. 62", "date": "2022-03",
            "url": "https://example.org/estatutos.pdf", "assurance": "self_declared"})
    );
    assert_eq!(doc["facts"]["purpose.primary"]["source"], "self-assessment by the organization");
    assert_eq!(doc["facts"]["purpose.primary"]["assurance"], "self_declared");
    assert_eq!(doc["facts"]["governance.voting_rule"], "one_member_one_vote", "documented facts are kept");
    assert_eq!(screening(&s, "coop-eus", "un-2023")["verdict"], "insufficient_evidence", "not before validation");

    // The moderator sees the answers and validates them as declared.
    let (_, _, queue) = get(&s, "/moderation", &cookie(&mo));
    let answers_table = queue.split(&format!("id=\"answers-{id}\"")).nth(1).unwrap().split("</table>").next().unwrap();
    assert!(
        answers_table.contains("<code>assets.lock</code>") && answers_table.contains("Estatutos sociales, art. 62")
    );
    assert!(queue.contains("name=\"assurance\" value=\"verified\""), "{queue}");
    let csrf_mo = hidden(&queue, "csrf");
    let (status, _, _) = form(
        &s,
        &format!("/moderation/{id}"),
        &mo,
        &[("csrf", &csrf_mo), ("state", "validated"), ("assurance", "declared")],
    );
    assert_eq!(status, 303);

    // Every screening output says which facts it read were only declared.
    let un = screening(&s, "coop-eus", "un-2023");
    assert_eq!(un["verdict"], "qualifies");
    let declared: Vec<&str> = un["self_declared"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(
        declared,
        [
            "assets.lock",
            "control.investor_share",
            "control.public_share",
            "membership.open_voluntary",
            "purpose.primary",
            "surplus.distribution_allowed"
        ]
    );
    let primacy = un["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "primacy").unwrap();
    assert!(
        primacy["reason"].as_str().unwrap().contains("self-declared: surplus.distribution_allowed is false"),
        "{primacy}"
    );
    let democratic = un["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "democratic").unwrap();
    assert!(!democratic["reason"].as_str().unwrap().contains("self-declared"), "documented otherwise: {democratic}");
    let (_, _, page) = get(&s, "/actors/coop-eus", "");
    assert!(page.contains("id=\"self-declared-un-2023\""), "{page}");
    assert!(page.contains("Surplus may be distributed: no (self-declared)"), "{page}");
    assert!(page.contains("Estatutos sociales, art. 62 · 2022-03 · self-declared"), "{page}");

    // A second round, answered and validated as verified through the API: no longer self-declared.
    let (_, _, page) = get(&s, PAGE, &cookie(&koop));
    let asked = answer_inputs(&page);
    assert!(!asked.contains("assets.lock") && asked.contains("reserves.indivisible"), "{asked:?}");
    let csrf = hidden(&page, "csrf");
    let (status, head, _) = send(
        &s,
        &koop,
        &[("csrf", &csrf), ("reserves.indivisible", "true"), ("reserves.indivisible@source", "Estatutos, art. 60")],
    );
    assert_eq!(status, 303, "{head}");
    let id2: i64 = head
        .split("saved=proposal-")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    let (status, v) = api(
        &s,
        "POST",
        &format!("/api/proposals/{id2}/decision"),
        &mo_token,
        r#"{"state":"validated","assurance":"checked"}"#,
    );
    assert_eq!((status, v["error"]["reason"].as_str()), (400, Some("decision_invalid")), "{v}");
    let (status, v) = api(
        &s,
        "POST",
        &format!("/api/proposals/{id2}/decision"),
        &mo_token,
        r#"{"state":"validated","assurance":"verified"}"#,
    );
    assert_eq!(status, 200, "{v}");
    let (_, a) = api(&s, "GET", "/api/actors/coop-eus", &mo_token, "");
    assert_eq!(a["actor"]["facts"]["reserves.indivisible"]["assurance"], "verified");
    assert_eq!(a["actor"]["facts"]["assets.lock"]["assurance"], "self_declared", "only the proposal's answers");
    let ica = screening(&s, "coop-eus", "ica-1995");
    assert!(!ica["self_declared"].as_array().unwrap().iter().any(|k| k == "reserves.indivisible"), "{ica}");
}

#[test]
fn an_account_linked_to_nothing_or_to_another_actor_gets_403_on_every_actor() {
    let s = start();
    seed(&s);
    user(&s, "nobody", Role::Admin, None);
    let admin = log_in(&s, "nobody");
    for path in [PAGE, "/actors/other-org/self-assessment"] {
        let (status, _, page) = get(&s, path, &cookie(&admin));
        assert_eq!(status, 403, "{path}: {page}");
        assert!(page.contains("solidaria user link"), "{page}");
    }
    let (status, _, _) = get(&s, "/actors/no-such-actor/self-assessment", &cookie(&admin));
    assert_eq!(status, 404);
}
