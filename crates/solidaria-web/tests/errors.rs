//! Every JSON error says its class (`code`, as since the first version of the API) and its fine
//! code (`reason`), and names the parameter or field involved when there is one.

mod common;
use common::{Server, api, get, json, request, start};
use serde_json::Value;
use solidaria_app::accounts;
use solidaria_core::moderation::Role;

/// Adds a user and returns an API token for it.
fn user(s: &Server, name: &str, role: Role) -> String {
    let mut store = solidaria_store::open(&s.db).unwrap();
    store.add_user("test", name, role, &accounts::hash_password("a passphrase long enough").unwrap()).unwrap();
    let token = accounts::new_secret().unwrap();
    store.create_token("test", &accounts::token_digest(&token), name, "test", false).unwrap();
    token
}

/// Status, `code`, `reason` and `field` of an error answer.
fn error(status: u16, v: &Value) -> (u16, &str, &str, Option<&str>) {
    let e = &v["error"];
    (status, e["code"].as_str().unwrap(), e["reason"].as_str().unwrap_or("-"), e["field"].as_str())
}

#[test]
fn errors_carry_their_class_their_reason_and_their_field() {
    let s = start();
    let moderator = user(&s, "mo", Role::Moderator);
    let contributor = user(&s, "bo", Role::Contributor);
    let read = |path: &str| {
        let (status, _, body) = get(&s, path, "");
        (status, json(&body))
    };
    let (st, v) = read("/api/actors/nobody");
    assert_eq!(error(st, &v), (404, "not_found", "record_not_found", None));
    let (st, v) = read("/api/actors?limit=ten");
    assert_eq!(error(st, &v), (400, "bad_request", "query_invalid", None));
    let (st, v) = read("/api/export?format=xml");
    assert_eq!(error(st, &v), (400, "bad_request", "format_unknown", Some("format")));
    let (st, v) = read("/api/profiles/nope");
    assert_eq!(error(st, &v), (404, "not_found", "profile_not_found", None));

    let actor = r#"{"id":"m1","name":"Mutual One"}"#;
    let (status, head, body) =
        request(&s, "POST", "/api/actors", "Content-Type: application/json\r\n", actor.as_bytes());
    assert_eq!(error(status, &json(&body)), (401, "unauthorized", "credentials_missing", None));
    assert!(head.contains("www-authenticate: bearer"), "{head}");
    let (st, v) = api(&s, "POST", "/api/actors", "not-a-token", actor);
    assert_eq!(error(st, &v), (401, "unauthorized", "credentials_invalid", None));
    let (st, _, body) = request(&s, "GET", "/api/me", "Authorization: Basic eDp5\r\n", b"");
    assert_eq!(error(st, &json(&body)), (401, "unauthorized", "credentials_invalid", None));
    let (st, v) = api(&s, "POST", "/api/proposals/1/decision", &contributor, r#"{"state":"validated"}"#);
    assert_eq!(error(st, &v), (403, "forbidden", "role_insufficient", None));

    // A session without its CSRF token in X-CSRF-Token.
    let mut store = solidaria_store::open(&s.db).unwrap();
    let session = accounts::new_secret().unwrap();
    store.create_session(&accounts::token_digest(&session), "mo", "the-csrf", 3600).unwrap();
    let extra =
        format!("Cookie: {}={session}\r\nContent-Type: application/json\r\n", solidaria_web::auth::SESSION_COOKIE);
    let (st, _, body) = request(&s, "POST", "/api/actors", &extra, actor.as_bytes());
    assert_eq!(error(st, &json(&body)), (403, "forbidden", "csrf_invalid", None));

    assert_eq!(api(&s, "POST", "/api/actors", &moderator, actor).0, 201);
    let (st, v) = api(&s, "POST", "/api/actors", &moderator, actor);
    assert_eq!(error(st, &v), (409, "conflict", "record_exists", None));
    let (st, v) = api(&s, "PUT", "/api/actors/m1", &moderator, r#"{"id":"other","name":"M"}"#);
    assert_eq!(error(st, &v).3, Some("id"));
    let (st, v) = api(&s, "POST", "/api/relations", &moderator, r#"{"from":"m1","to":"ghost","kind":"member_of"}"#);
    assert_eq!(error(st, &v), (422, "invalid_record", "record_invalid", None));
    let (st, v) = api(&s, "GET", "/api/proposals/999", &moderator, "");
    assert_eq!(error(st, &v), (404, "not_found", "proposal_not_found", None));
    // Bodies refused before reading keep their own codes, with no reason.
    let (st, v) = api(&s, "POST", "/api/actors", &moderator, r#"{"id":"x","name":"#);
    assert_eq!(error(st, &v), (400, "bad_body", "-", None));
}

#[test]
fn a_body_with_a_repeated_key_is_refused() {
    // Fails without the check: serde_json kept the last "name" and the actor was created as "B".
    let s = start();
    let moderator = user(&s, "mo", Role::Moderator);
    let (st, v) = api(&s, "POST", "/api/actors", &moderator, r#"{"id":"d1","name":"A","name":"B"}"#);
    assert_eq!(error(st, &v), (422, "bad_body", "-", None));
    assert!(v["error"]["message"].as_str().unwrap().contains("duplicate key \"name\""), "{v}");
    assert_eq!(api(&s, "GET", "/api/actors/d1", &moderator, "").0, 404);
    // Nested objects too; the decision body of a proposal as well.
    let (st, _) = api(&s, "POST", "/api/actors", &moderator, r#"{"id":"d2","name":"A","facts":{"x.a":1,"x.a":2}}"#);
    assert_eq!(st, 422);
    let (st, _) =
        api(&s, "POST", "/api/proposals/1/decision", &moderator, r#"{"state":"validated","state":"rejected"}"#);
    assert_eq!(st, 422);
    assert_eq!(api(&s, "POST", "/api/actors", &moderator, r#"{"id":"d3","name":"A"}"#).0, 201);
}

/// Issue #18 items 12, 14 and 15: axum's own answers come in the error format, every response
/// carries the security headers, and a revoked token is refused even where visitors may read.
#[test]
fn every_answer_is_the_error_format_with_security_headers_and_revoked_tokens_are_refused() {
    let s = start();
    let token = user(&s, "ana", Role::Contributor);
    // A method the address does not answer: 405 as JSON (it was an empty body).
    let (status, head, body) = request(&s, "DELETE", "/api/actors", "", b"");
    assert_eq!(status, 405, "{head}");
    assert_eq!(error(status, &json(&body)), (405, "method_not_allowed", "method_not_allowed", None));
    // A form body over the limit: 413 (it was 400 "Failed to buffer"), a page for a browser.
    let big = vec![b'a'; (1 << 20) + 10];
    let (status, _, body) = request(&s, "POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n", &big);
    assert_eq!(status, 413, "{body}");
    let (status, head, page) =
        request(&s, "POST", "/login", "Accept: text/html\r\nContent-Type: application/x-www-form-urlencoded\r\n", &big);
    assert!(status == 413 && head.contains("content-type: text/html") && page.contains("<html"), "{head}");
    // Headers on pages, the API and errors alike; /embed may be framed.
    for path in ["/", "/api/actors", "/nowhere", "/actors/coop"] {
        let (_, head, _) = get(&s, path, "");
        assert!(head.contains("content-security-policy: default-src 'self'; script-src 'self';"), "{path}: {head}");
        assert!(head.contains("frame-ancestors 'none'") && head.contains("x-frame-options: deny"), "{path}");
        assert!(
            head.contains("x-content-type-options: nosniff")
                && head.contains("referrer-policy: strict-origin-when-cross-origin")
        );
    }
    let (_, head, _) = get(&s, "/embed", "");
    assert!(head.contains("frame-ancestors *") && !head.contains("x-frame-options"), "{head}");
    // A valid token reads; once revoked it is refused, on the API and on pages.
    assert_eq!(get(&s, "/api/actors", &format!("Authorization: Bearer {token}\r\n")).0, 200);
    let mut store = solidaria_store::open(&s.db).unwrap();
    let id = store.tokens(Some("ana")).unwrap()[0].id;
    assert!(store.revoke_token("test", id).unwrap());
    for path in ["/api/actors", "/", "/api/openapi.json"] {
        let (status, _, body) = get(&s, path, &format!("Authorization: Bearer {token}\r\n"));
        assert_eq!(status, 401, "{path}: {body}");
    }
    let (status, _, body) = get(&s, "/api/actors", "");
    assert_eq!(status, 200, "anonymous still reads: {body}");
}

/// Issue #18 item 13: control characters, terminal escapes and direction overrides in written
/// records are refused at their field; a name with nothing visible too.
#[test]
fn hostile_text_in_writes_is_refused_at_its_field() {
    let s = start();
    let moderator = user(&s, "mo", Role::Moderator);
    for (body, field) in [
        (r#"{"id":"n1","name":"Nul\u0000here"}"#, "name"),
        (r#"{"id":"n2","name":"Red \u001b[31mtext"}"#, "name"),
        (r#"{"id":"n3","name":"Invoice \u202efdp.exe"}"#, "name"),
        (r#"{"id":"n4","name":"\u200b\u200d"}"#, "name"),
        (r#"{"id":"n5","name":"Fine","description":"bad \u2066 isolate"}"#, "description"),
    ] {
        let (status, v) = api(&s, "POST", "/api/actors", &moderator, body);
        assert_eq!(status, 422, "{body}: {v}");
        let problems = v["error"]["problems"].as_array().unwrap();
        assert!(problems.iter().any(|p| p.as_str().unwrap().starts_with(&format!("{field}: expected"))), "{body}: {v}");
    }
    let (status, v) = api(&s, "POST", "/api/actors", &moderator, r#"{"id":"ok","name":"جمعية تعاونية\u200f"}"#);
    assert_eq!(status, 201, "right-to-left marks are text: {v}");
}

/// Issue #18 item 11: a proposal whose record a moderator deleted meanwhile cannot be validated
/// (it would re-create it, or "delete" it twice): 409 proposal_stale, and the proposal stays
/// pending.
#[test]
fn proposals_on_deleted_records_are_conflicts() {
    let s = start();
    let moderator = user(&s, "mo", Role::Moderator);
    let contributor = user(&s, "bo", Role::Contributor);
    let (status, v) = api(&s, "PUT", "/api/actors/coop", &contributor, r#"{"id":"coop","name":"Coop edited"}"#);
    assert_eq!(status, 202, "{v}");
    let edit = v["proposal"]["id"].as_i64().unwrap();
    let (status, v) = api(&s, "DELETE", "/api/actors/bigco", &contributor, "");
    assert_eq!(status, 202, "{v}");
    let delete = v["proposal"]["id"].as_i64().unwrap();
    assert_eq!(api(&s, "DELETE", "/api/actors/coop", &moderator, "").0, 200);
    assert_eq!(api(&s, "DELETE", "/api/actors/bigco", &moderator, "").0, 200);
    for id in [edit, delete] {
        let (status, v) =
            api(&s, "POST", &format!("/api/proposals/{id}/decision"), &moderator, r#"{"state":"validated"}"#);
        assert_eq!(error(status, &v), (409, "conflict", "proposal_stale", None), "{v}");
    }
    assert_eq!(get(&s, "/api/actors/coop", "").0, 404, "not re-created");
    let (_, v) = api(&s, "GET", &format!("/api/proposals/{edit}"), &moderator, "");
    assert_eq!(v["state"], "pending", "{v}");
    let (status, _) = api(
        &s,
        "POST",
        &format!("/api/proposals/{edit}/decision"),
        &moderator,
        r#"{"state":"rejected","message":"the actor was deleted"}"#,
    );
    assert_eq!(status, 200);
}

/// Issue #18 items 16 and 17: the documented maxima are enforced, not clamped silently, and the
/// detailed screenings are bounded for everyone.
#[test]
fn documented_maxima_are_enforced() {
    let s = start();
    for (path, ok) in [
        ("/api/actors?limit=500", true),
        ("/api/actors?limit=501", false),
        ("/api/actors?limit=0", false),
        ("/api/screenings?limit=500", true),
        ("/api/screenings?detail=true&limit=50", true),
        ("/api/screenings?detail=true&limit=500", false),
    ] {
        let (status, _, body) = get(&s, path, "");
        if ok {
            assert_eq!(status, 200, "{path}: {body}");
        } else {
            assert_eq!(error(status, &json(&body)), (400, "bad_request", "query_invalid", Some("limit")), "{path}");
        }
    }
}
