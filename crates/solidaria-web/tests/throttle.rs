//! The rate of anonymous API requests (issue #18 item 16): a burst per client address, then 429
//! `too_many_requests` with `Retry-After`, behind a trusted proxy per forwarded client; callers
//! with a token or a session are not counted.

mod common;

use common::*;
use solidaria_core::moderation::Role;
use std::num::NonZeroU32;

fn rated(per_minute: u32, trusted: &[&str]) -> Server {
    start_with(solidaria_web::Options {
        api_rate: NonZeroU32::new(per_minute),
        trusted_proxies: trusted.iter().map(|p| p.parse().unwrap()).collect(),
        ..Default::default()
    })
}

/// The `retry-after` header of a lower-cased response head.
fn retry_after(head: &str) -> Option<u64> {
    head.lines().find_map(|l| l.strip_prefix("retry-after: ")).and_then(|v| v.trim().parse().ok())
}

#[test]
fn anonymous_api_requests_past_the_burst_get_429_with_retry_after() {
    let s = rated(3, &[]);
    for i in 0..3 {
        assert_eq!(get(&s, "/api/profiles", "").0, 200, "request {i} of the burst");
    }
    let (status, head, body) = get(&s, "/api/screenings?detail=true", "");
    assert_eq!(status, 429, "{body}");
    let e = json(&body);
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["reason"].as_str()),
        (Some("rate_limited"), Some("too_many_requests"))
    );
    // Three a minute: one every 20 s.
    let wait = retry_after(&head).expect("Retry-After");
    assert!((19..=20).contains(&wait), "{head}");
    assert!(e["error"]["message"].as_str().unwrap().contains(&format!("{wait} s")), "{body}");
    assert!(head.contains("content-type: application/json"), "{head}");
    // Pages are not API requests; a wrong token is anonymous and counted (a 429, not a 401).
    assert_eq!(get(&s, "/profiles", "").0, 200);
    assert_eq!(get(&s, "/api/profiles", "Authorization: Bearer not-a-token\r\n").0, 429);
}

#[test]
fn callers_with_a_token_or_a_session_are_not_counted() {
    let s = rated(2, &[]);
    let token = account(&s, "ana", Role::Contributor, None);
    let cookie = log_in(&s, "ana");
    for i in 0..5 {
        let (status, _, body) = get(&s, "/api/profiles", &format!("Authorization: Bearer {token}\r\n"));
        assert_eq!(status, 200, "token, request {i}: {body}");
        let (status, _, body) = get(&s, "/api/profiles", &format!("Cookie: {cookie}\r\n"));
        assert_eq!(status, 200, "session, request {i}: {body}");
    }
    assert_eq!(get(&s, "/api/profiles", "").0, 200);
    assert_eq!(get(&s, "/api/profiles", "").0, 200);
    // An unknown session cookie is anonymous.
    let stale = format!("Cookie: {}=0123456789abcdef\r\n", solidaria_web::auth::SESSION_COOKIE);
    assert_eq!(get(&s, "/api/profiles", &stale).0, 429);
}

#[test]
fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate() {
    let s = rated(2, &["127.0.0.1"]);
    let a = "X-Forwarded-For: 198.51.100.1\r\n";
    assert_eq!(get(&s, "/api/profiles", a).0, 200);
    assert_eq!(get(&s, "/api/profiles", a).0, 200);
    assert_eq!(get(&s, "/api/profiles", a).0, 429);
    assert_eq!(get(&s, "/api/profiles", "X-Forwarded-For: 198.51.100.2\r\n").0, 200, "another client");
    // Writing another address on the left of the chain does not escape.
    assert_eq!(get(&s, "/api/profiles", "X-Forwarded-For: 203.0.113.9, 198.51.100.1\r\n").0, 429);
}

#[test]
fn without_a_trusted_proxy_forwarded_headers_do_not_change_the_client() {
    let s = rated(2, &[]);
    for i in 0..2 {
        assert_eq!(get(&s, "/api/profiles", &format!("X-Forwarded-For: 198.51.100.{i}\r\n")).0, 200);
    }
    assert_eq!(get(&s, "/api/profiles", "X-Forwarded-For: 203.0.113.7\r\n").0, 429, "the socket address counts");
}

#[test]
fn without_a_rate_anonymous_requests_are_not_limited() {
    let s = rated(0, &[]);
    for i in 0..200 {
        assert_eq!(get(&s, "/api/profiles", "").0, 200, "request {i}");
    }
}
