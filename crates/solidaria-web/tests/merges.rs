//! Duplicates merged and undone by moderators over real HTTP on loopback: the page of candidate
//! pairs, a merge reviewed with its conflicts side by side, confirmed with the session's CSRF
//! token, old links redirected, undone from the page; the same through the API, where an undo
//! after the kept record changed is refused with 409.

mod common;
use common::{Server, api, form, get, hidden, log_in, start};
use solidaria_core::moderation::Role;

const DUPLICATE: &str = r#"{"type":"actor","id":"coop-dup","name":"Coop <b>One</b> Ltd","category":"sse_organization","location":{"lat":46.8,"lon":-71.2},"legal_form":{"family":"cooperative"},"territory":"CA-QC","website":"https://coop.example","facts":{"governance.voting_rule":{"value":"capped_weighted","source":"Registry extract","date":"2025-03","url":"https://registry.example/1","note":"art. 9"}}}
{"type":"relation","from":"coop-dup","to":"bigco","kind":"partners_with"}
{"type":"mechanism","id":"dup-loans","name":"Member loans","kind":"loan","provider":"coop-dup"}"#;
/// Adds an account and returns an API token for it.
fn user(s: &Server, name: &str, role: Role) -> String {
    common::account(s, name, role, None)
}

fn add_duplicate(s: &Server) {
    let mut store = solidaria_store::open(&s.db).unwrap();
    let records: Vec<_> = DUPLICATE
        .lines()
        .map(|l| solidaria_core::record::parse_record(&serde_json::from_str(l).unwrap()).unwrap())
        .collect();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("test", &records).unwrap();
    tx.commit().unwrap();
}

#[test]
fn a_moderator_reviews_merges_and_undoes_on_the_web() {
    let s = start();
    add_duplicate(&s);
    user(&s, "bo", Role::Contributor);
    user(&s, "mo", Role::Moderator);
    // Deny by default: anonymous callers go to the login page, contributors are refused.
    let (status, head, _) = get(&s, "/moderation/duplicates", "");
    assert!(status == 303 && head.contains("location: /login"), "{head}");
    let bo = log_in(&s, "bo");
    assert_eq!(get(&s, "/moderation/duplicates", &format!("Cookie: {bo}\r\n")).0, 403);
    assert_eq!(get(&s, "/moderation/duplicates/merge?keep=coop&absorb=coop-dup", &format!("Cookie: {bo}\r\n")).0, 403);

    let mo = log_in(&s, "mo");
    let cookie = format!("Cookie: {mo}\r\n");
    let (status, _, page) = get(&s, "/moderation/duplicates?threshold=0.5", &cookie);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<code>coop-dup</code>") && page.contains("keep=coop&amp;absorb=coop-dup"), "{page}");
    assert!(page.contains("Coop &#60;b&#62;One&#60;/b&#62; Ltd"), "names are escaped: {page}");

    let (status, _, review) = get(&s, "/moderation/duplicates/merge?keep=coop&absorb=coop-dup", &cookie);
    assert_eq!(status, 200, "{review}");
    assert!(review.contains("facts.governance.voting_rule"), "{review}");
    assert!(review.contains("one_member_one_vote") && review.contains("capped_weighted"), "both values: {review}");
    assert!(review.contains("better evidenced"), "{review}");
    assert!(review.contains("coop-dup|partners_with|bigco → coop|partners_with|bigco (repointed)"), "{review}");
    assert!(review.contains("<code>mechanism dup-loans: provider</code>"), "other references listed: {review}");
    let csrf = hidden(&review, "csrf");
    let fields = |csrf: &'static str| [("csrf", csrf), ("keep", "coop"), ("absorb", "coop-dup")];
    assert_eq!(form(&s, "/moderation/duplicates/merge", &mo, &fields("0000")).0, 403, "CSRF checked");
    assert_eq!(form(&s, "/moderation/duplicates/merge", &bo, &fields("0000")).0, 403);
    assert_eq!(get(&s, "/api/actors/coop-dup", "").0, 200, "nothing merged yet");
    let csrf: &'static str = Box::leak(csrf.into_boxed_str());
    let (status, head, _) = form(&s, "/moderation/duplicates/merge", &mo, &fields(csrf));
    assert_eq!(status, 303, "{head}");
    assert!(head.contains("location: /moderation/duplicates?lang=en&merged=1"), "{head}");

    // Old links lead to the kept actor.
    let (status, head, _) = get(&s, "/actors/coop-dup", "");
    assert!(status == 303 && head.contains("location: /actors/coop?lang=en"), "{head}");
    let (status, head, _) = get(&s, "/api/actors/coop-dup", "");
    assert!(status == 303 && head.contains("location: /api/actors/coop"), "{head}");
    let v = common::json(&get(&s, "/api/actors/coop", "").2);
    assert_eq!(v["actor"]["alternate_ids"], serde_json::json!(["coop-dup"]));
    assert_eq!(v["actor"]["alternate_names"], serde_json::json!(["Coop <b>One</b> Ltd"]));
    assert_eq!(v["actor"]["facts"]["governance.voting_rule"]["value"], "capped_weighted");
    let rels: Vec<&str> = v["relations"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert!(rels.contains(&"partners_with"), "{v}");

    let (_, _, page) = get(&s, "/moderation/duplicates?lang=en&merged=1", &cookie);
    assert!(page.contains("Merged (merge #1)") && page.contains("/moderation/merges/1/undo"), "{page}");
    let csrf = hidden(&page, "csrf");
    assert_eq!(form(&s, "/moderation/merges/1/undo", &mo, &[("csrf", "0000")]).0, 403);
    let (status, head, _) = form(&s, "/moderation/merges/1/undo", &mo, &[("csrf", &csrf)]);
    assert!(status == 303 && head.contains("undone=1"), "{head}");
    let v = common::json(&get(&s, "/api/actors/coop-dup", "").2);
    assert_eq!(v["actor"]["name"], "Coop <b>One</b> Ltd");
    assert_eq!(v["relations"][0]["kind"], "partners_with");
    let v = common::json(&get(&s, "/api/actors/coop", "").2);
    assert!(v["actor"].get("alternate_ids").is_none(), "{v}");
    // A second undo is a conflict, explained on a page.
    let (status, _, page) = form(&s, "/moderation/merges/1/undo", &mo, &[("csrf", &csrf)]);
    assert!(status == 409 && page.contains("undone already"), "{status} {page}");
}

#[test]
fn the_api_merges_lists_and_refuses_an_undo_after_the_kept_record_changed() {
    let s = start();
    add_duplicate(&s);
    let bo = user(&s, "bo", Role::Contributor);
    let mo = user(&s, "mo", Role::Moderator);
    assert_eq!(api(&s, "GET", "/api/dedup", "", "").0, 401);
    assert_eq!(api(&s, "GET", "/api/dedup", &bo, "").0, 403);
    let (status, pairs) = api(&s, "GET", "/api/dedup?threshold=0.5", &mo, "");
    assert_eq!(status, 200, "{pairs}");
    assert!(pairs["items"].as_array().unwrap().iter().any(|p| p["b"]["id"] == "coop-dup"), "{pairs}");

    let (status, preview) = api(&s, "GET", "/api/merges/preview?keep=coop&absorb=coop-dup", &mo, "");
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["conflicts"][0]["field"], "facts.governance.voting_rule");
    assert_eq!(preview["conflicts"][0]["chosen"], "absorbed");
    assert_eq!(
        preview["references"],
        serde_json::json!([{"type": "mechanism", "key": "dup-loans", "fields": ["provider"]}])
    );

    let body = r#"{"keep":"coop","absorb":"coop-dup"}"#;
    assert_eq!(api(&s, "POST", "/api/merges", &bo, body).0, 403);
    let (status, e) = api(&s, "POST", "/api/merges", &mo, r#"{"keep":"coop","absorb":"coop"}"#);
    assert_eq!((status, e["error"]["reason"].as_str()), (400, Some("merge_invalid")), "{e}");
    let (status, e) = api(&s, "POST", "/api/merges", &mo, r#"{"keep":"coop","absorb":"nobody"}"#);
    assert_eq!((status, e["error"]["reason"].as_str()), (404, Some("record_not_found")), "{e}");
    let (status, m) = api(&s, "POST", "/api/merges", &mo, body);
    assert_eq!(status, 201, "{m}");
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["merged"]["alternate_ids"], serde_json::json!(["coop-dup"]));

    let (status, list) = api(&s, "GET", "/api/merges", &mo, "");
    assert_eq!((status, list["total"].as_u64()), (200, Some(1)));
    let (status, one) = api(&s, "GET", &format!("/api/merges/{id}"), &mo, "");
    assert_eq!(status, 200);
    assert_eq!(one["doc"]["before"].as_array().unwrap().len(), 3, "two actors and one relation: {one}");
    assert_eq!(api(&s, "GET", "/api/merges/99", &mo, "").0, 404);

    // The kept record changes; the undo would lose that change and is refused.
    let (status, current) = api(&s, "GET", "/api/actors/coop", "", "");
    assert_eq!(status, 200);
    let mut edited = current["actor"].clone();
    edited["description"] = serde_json::json!("edited after the merge");
    assert_eq!(api(&s, "PUT", "/api/actors/coop", &mo, &edited.to_string()).0, 200);
    assert_eq!(api(&s, "POST", &format!("/api/merges/{id}/undo"), &bo, "").0, 403);
    let (status, e) = api(&s, "POST", &format!("/api/merges/{id}/undo"), &mo, "");
    assert_eq!((status, e["error"]["reason"].as_str()), (409, Some("merge_refused")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("changed since merge"), "{e}");
    assert_eq!(api(&s, "GET", "/api/actors/coop-dup", "", "").0, 303);
}
