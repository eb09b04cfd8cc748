//! Account controls over real HTTP (issue #18 item 15): accounts disabled and enabled by an
//! admin, read-only API tokens, and the login limiter behind a trusted reverse proxy.

mod common;
use common::{PASSWORD, Server, account, api, form, get, hidden, json, log_in, request, set_cookie, start, start_with};
use solidaria_core::moderation::Role;
use solidaria_web::auth;

/// A login through the form, from a client that sends `extra` header lines; returns the status.
fn login_with(s: &Server, extra: &str, user: &str, password: &str) -> u16 {
    let (_, head, _) = get(s, "/login", extra);
    let csrf = set_cookie(&head, auth::LOGIN_CSRF_COOKIE).unwrap();
    let body = format!("user={user}&password={}&csrf={csrf}", password.replace(' ', "+"));
    let headers = format!(
        "{extra}Content-Type: application/x-www-form-urlencoded\r\nCookie: {}={csrf}\r\n",
        auth::LOGIN_CSRF_COOKIE
    );
    request(s, "POST", "/login", &headers, body.as_bytes()).0
}

#[test]
fn a_disabled_account_cannot_log_in_and_its_sessions_and_tokens_stop_at_once() {
    // Fails without the fix: there was no way to disable an account.
    let s = start();
    let admin = account(&s, "ana", Role::Admin, None);
    let bo = account(&s, "bob", Role::Contributor, None);
    let moderator = account(&s, "mo-1", Role::Moderator, None);
    let session = log_in(&s, "bob");
    assert_eq!(get(&s, "/account", &format!("Cookie: {session}\r\n")).0, 200);
    assert_eq!(api(&s, "GET", "/api/me", &bo, "").0, 200);

    // Only an admin disables, never their own account, only an account that exists.
    let (status, v) = api(&s, "POST", "/api/users/bob/disable", &moderator, "");
    assert_eq!((status, v["error"]["reason"].as_str()), (403, Some("role_insufficient")), "{v}");
    let (status, v) = api(&s, "POST", "/api/users/ana/disable", &admin, "");
    assert_eq!((status, v["error"]["reason"].as_str()), (409, Some("self_demotion")), "{v}");
    let (status, v) = api(&s, "POST", "/api/users/ghost/disable", &admin, "");
    assert_eq!((status, v["error"]["reason"].as_str()), (404, Some("user_not_found")), "{v}");
    let (status, v) = api(&s, "POST", "/api/users/bob/disable", &admin, "");
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["name"], "bob");
    assert!(v["disabled_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{v}");
    assert!(v.get("password_hash").is_none(), "{v}");

    // At once: the token is refused everywhere, reads included; the session is gone.
    for path in ["/api/me", "/api/actors", "/api/actors/coop"] {
        let (status, v) = api(&s, "GET", path, &bo, "");
        assert_eq!((status, v["error"]["reason"].as_str()), (401, Some("credentials_invalid")), "{path}: {v}");
    }
    assert_eq!(api(&s, "POST", "/api/actors", &bo, r#"{"id":"x1","name":"X"}"#).0, 401);
    let (status, head, _) = get(&s, "/account", &format!("Cookie: {session}\r\n"));
    assert!(status == 303 && head.contains("location: /login"), "{head}");
    let (status, _, body) = get(&s, "/api/me", &format!("Cookie: {session}\r\n"));
    assert_eq!(status, 401, "{body}");
    // No new login: the right password says the account is disabled, a wrong one says nothing.
    assert_eq!(login_with(&s, "", "bob", PASSWORD), 403);
    let (_, head, _) = get(&s, "/login?lang=fr", "");
    let csrf = set_cookie(&head, auth::LOGIN_CSRF_COOKIE).unwrap();
    let cookie = format!("{}={csrf}", auth::LOGIN_CSRF_COOKIE);
    let (_, _, page) =
        form(&s, "/login?lang=fr", &cookie, &[("user", "bob"), ("password", PASSWORD), ("csrf", csrf.as_str())]);
    assert!(page.contains("Ce compte est désactivé"), "{page}");
    assert_eq!(login_with(&s, "", "bob", "not the password at all"), 401);
    let users = api(&s, "GET", "/api/users", &admin, "").1;
    assert_eq!(users["total"], 3);
    let row = users["items"].as_array().unwrap().iter().find(|u| u["name"] == "bob").unwrap().clone();
    assert!(row["disabled_at"].is_string(), "{users}");
    assert_eq!(api(&s, "GET", "/api/users", &bo, "").0, 401);
    assert_eq!(api(&s, "GET", "/api/users", &moderator, "").0, 403);

    // The admin page shows it and enables it again: its token works again, it logs in again.
    let ana = log_in(&s, "ana");
    let (status, _, page) = get(&s, "/admin/users", &format!("Cookie: {ana}\r\n"));
    assert_eq!(status, 200);
    let row = page.split("<tr id=\"user-bob\">").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("disabled") && row.contains("action=\"/admin/users/bob/enable\""), "{row}");
    let csrf = hidden(&page, "csrf");
    assert_eq!(form(&s, "/admin/users/bob/enable", &ana, &[("csrf", "wrong")]).0, 403);
    let (status, head, _) = form(&s, "/admin/users/bob/enable", &ana, &[("csrf", &csrf)]);
    assert_eq!(status, 303, "{head}");
    assert_eq!(api(&s, "GET", "/api/me", &bo, "").1["name"], "bob");
    assert_eq!(get(&s, "/account", &format!("Cookie: {session}\r\n")).0, 303, "ended sessions stay ended");
    assert_eq!(login_with(&s, "", "bob", PASSWORD), 303);
    // And disables it from the page too.
    let (status, _, _) = form(&s, "/admin/users/bob/disable", &ana, &[("csrf", &csrf)]);
    assert_eq!(status, 303);
    assert_eq!(api(&s, "GET", "/api/me", &bo, "").0, 401);

    // Each change is in the append-only account events, with who made it.
    let mut store = solidaria_store::open(&s.db).unwrap();
    let events: Vec<(String, String, String)> =
        store.account_events(100).unwrap().into_iter().map(|e| (e.who, e.action, e.subject)).collect();
    let changes: Vec<(&str, &str, &str)> = events
        .iter()
        .filter(|(_, a, _)| a == "user_disable" || a == "user_enable")
        .map(|(w, a, s)| (w.as_str(), a.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        changes,
        [("ana", "user_disable", "bob"), ("ana", "user_enable", "bob"), ("ana", "user_disable", "bob")]
    );
}

#[test]
fn a_read_only_token_reads_and_every_write_is_refused_with_its_code() {
    // Fails without the fix: tokens could not be read-only.
    let s = start();
    let writable = account(&s, "mo-1", Role::Moderator, None);
    let session = log_in(&s, "mo-1");
    // Issued on the account page, with its box ticked; listed as read-only.
    let (_, _, page) = get(&s, "/account", &format!("Cookie: {session}\r\n"));
    assert!(page.contains("name=\"read_only\""), "{page}");
    let csrf = hidden(&page, "csrf");
    let (status, _, page) =
        form(&s, "/account/tokens", &session, &[("csrf", &csrf), ("label", "dashboard"), ("read_only", "1")]);
    assert_eq!(status, 200);
    let token = page.split("<code id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert_eq!(token.len(), 64);
    let row = page.split("<td>dashboard</td>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("Read-only"), "{row}");

    // It reads, including what only its role may read.
    let me = api(&s, "GET", "/api/me", &token, "").1;
    assert_eq!((me["name"].as_str(), me["read_only"].as_bool()), (Some("mo-1"), Some(true)), "{me}");
    assert_eq!(api(&s, "GET", "/api/me", &writable, "").1["read_only"], false);
    assert_eq!(api(&s, "GET", "/api/proposals", &token, "").0, 200);
    assert_eq!(api(&s, "GET", "/api/actors/coop", &token, "").0, 200);
    // Every write of the API is refused with token_read_only, before anything is read or done.
    let doc = json(&get(&s, "/api/openapi.json", "").2);
    let mut writes = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", "coop").replace("{name}", "mo-1");
        for method in ops.as_object().unwrap().keys().filter(|m| *m != "get") {
            let (status, v) = api(&s, &method.to_uppercase(), &concrete, &token, r#"{"id":"coop","name":"X"}"#);
            if path == "/api/merges/preview" {
                assert_ne!(v["error"]["reason"], "token_read_only", "a preview only reads: {v}");
                continue;
            }
            writes += 1;
            assert_eq!((status, v["error"]["reason"].as_str()), (403, Some("token_read_only")), "{method} {path}: {v}");
            assert!(v["error"]["message"].as_str().unwrap().contains("read-only"), "{v}");
        }
    }
    assert!(writes >= 20, "{writes} writes tried");
    assert!(!get(&s, "/api/actors/coop", "").2.contains("\"name\":\"X\""), "nothing was written");
    // The same role with a token that writes is not refused: the token decides, not the role.
    let (status, v) = api(&s, "PUT", "/api/actors/coop", &writable, r#"{"name":"Coop renamed"}"#);
    assert_eq!(status, 200, "{v}");

    // Revoked, it is a 401 everywhere, reads included (never anonymous).
    let mut store = solidaria_store::open(&s.db).unwrap();
    let id = store.tokens(Some("mo-1")).unwrap().iter().find(|t| t.read_only).unwrap().id;
    assert!(store.revoke_token("test", id).unwrap());
    for (method, path) in [("GET", "/api/actors"), ("GET", "/api/me"), ("POST", "/api/actors")] {
        let (status, v) = api(&s, method, path, &token, "");
        assert_eq!((status, v["error"]["reason"].as_str()), (401, Some("credentials_invalid")), "{method} {path}");
    }
}

#[test]
fn behind_a_trusted_proxy_one_client_over_the_limit_does_not_lock_out_the_others() {
    // Fails without the fix: every client behind the proxy shared the proxy's address as its key.
    let options = solidaria_web::Options { trusted_proxies: vec!["127.0.0.1".parse().unwrap()], ..Default::default() };
    let s = start_with(options);
    account(&s, "bob", Role::Contributor, None);
    let attacker = "X-Forwarded-For: 198.51.100.66\r\n";
    for i in 0..auth::LOGIN_ATTEMPTS {
        assert_eq!(login_with(&s, attacker, &format!("guess-{i}"), "not the password at all"), 401);
    }
    assert_eq!(login_with(&s, attacker, "guess-x", "not the password at all"), 429, "the attacker is limited");
    // Another client of the proxy logs in; the proxy's own entry (right-most) is skipped.
    assert_eq!(login_with(&s, "X-Forwarded-For: 203.0.113.7\r\n", "bob", PASSWORD), 303);
    let chained = "X-Forwarded-For: 198.51.100.66, 203.0.113.8, 127.0.0.1\r\n";
    assert_eq!(login_with(&s, chained, "bob", PASSWORD), 303, "what the client wrote on the left is ignored");
    // The attacker cannot escape by writing another address on the left of the chain.
    let escape = "X-Forwarded-For: 203.0.113.7, 198.51.100.66\r\n";
    assert_eq!(login_with(&s, escape, "guess-y", "not the password at all"), 429);
    // Forwarded (RFC 7239) is read as well.
    assert_eq!(login_with(&s, "Forwarded: for=\"198.51.100.66:4711\"\r\n", "guess-z", "x"), 429);
    assert_eq!(login_with(&s, "Forwarded: for=203.0.113.9;proto=https\r\n", "bob", PASSWORD), 303);
}

#[test]
fn without_a_trusted_proxy_a_forwarded_header_does_not_change_the_limiter_key() {
    // A spoofed header from an untrusted peer must not let an attacker pick a fresh key per try.
    let s = start();
    account(&s, "bob", Role::Contributor, None);
    for i in 0..auth::LOGIN_ATTEMPTS {
        let spoofed = format!("X-Forwarded-For: 198.51.100.{i}\r\nForwarded: for=192.0.2.{i}\r\n");
        assert_eq!(login_with(&s, &spoofed, &format!("guess-{i}"), "not the password at all"), 401);
    }
    let fresh = "X-Forwarded-For: 203.0.113.7\r\nForwarded: for=203.0.113.7\r\n";
    assert_eq!(login_with(&s, fresh, "bob", PASSWORD), 429, "the socket address is the key");
}
