//! The middleware every response passes through on its way out, and every request with
//! credentials on its way in:
//!
//! - **Credentials are checked on every address**: a request carrying an `Authorization`
//!   header with an unknown or revoked token is answered 401 (`credentials_invalid`), even
//!   where an anonymous visitor could read, so a revoked token never passes as anonymous (nor
//!   a token of a disabled account). A **read-only token** is refused every write (any method
//!   but GET, HEAD and OPTIONS, save a preview sent by POST) with 403 `token_read_only`.
//! - **Anonymous API requests are rated** per client address (`throttle`): a request to
//!   `/api/…` without a valid token or session past the address's rate is answered 429
//!   `too_many_requests` with `Retry-After`, before any handler runs (a wrong token counts as
//!   anonymous).
//! - **Every error is the error format**: axum's own answers (an unknown method, 405; a path
//!   parameter or form that does not parse, 400; a body over the limit, 413) come as plain text
//!   or nothing; they are rewritten as the JSON error of the API (`docs/errors.md`), which the
//!   layout's middleware turns into an HTML page for browsers.
//! - **Security headers**: a Content-Security-Policy without inline script (scripts only from
//!   this site; styles may be inline, as the SVG charts carry theirs; images from this site and
//!   OpenStreetMap's tiles), `frame-ancestors 'none'` except on `/embed` (made to be framed),
//!   `X-Content-Type-Options: nosniff` and a `Referrer-Policy` that sends no path to other sites.

use crate::extract::Caller;
use crate::state::AppState;
use crate::{WebError, auth};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use solidaria_app::Code;
use std::net::SocketAddr;

/// The Content-Security-Policy of every page but `/embed`.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The Content-Security-Policy of `/embed`, which other sites may frame.
pub const CSP_EMBED: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors *";

/// The fine code and message of an error axum answered by itself, from its status and text.
fn rewritten(status: StatusCode, text: &str) -> (StatusCode, &'static str, &'static str, String) {
    let text = text.trim();
    if status == StatusCode::PAYLOAD_TOO_LARGE || text.contains("length limit exceeded") {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "too_large",
            "the request body is larger than this server accepts".into(),
        );
    }
    match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            status,
            "method_not_allowed",
            "method_not_allowed",
            "this address does not answer this method (see /api/openapi.json)".into(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (status, "bad_body", "bad_body", text.to_string()),
        s if s == StatusCode::BAD_REQUEST => (
            status,
            "bad_request",
            "query_invalid",
            if text.is_empty() { "the request is malformed".into() } else { text.to_string() },
        ),
        s => (s, "bad_request", "bad_request", if text.is_empty() { s.to_string() } else { text.to_string() }),
    }
}

/// The middleware (see the module documentation).
pub(crate) async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let api = path.starts_with("/api/");
    if request.headers().contains_key(header::AUTHORIZATION) {
        match Caller::of(&state, request.headers()).await {
            Err(e) => {
                // A wrong token is an anonymous request: it counts against the address's rate.
                if let Some(refused) = api.then(|| throttled(&state, &request)).flatten() {
                    return with_headers(refused, &path);
                }
                return with_headers(e.into_response(), &path);
            }
            Ok(Some(c)) if c.read_only() && writes(request.method(), &path) => {
                let e = WebError::new(
                    Code::TokenReadOnly,
                    "this API token is read-only: it may read, not write (issue a token without read-only to write)",
                );
                return with_headers(e.into_response(), &path);
            }
            Ok(_) => {}
        }
    } else if api
        && state.throttle.is_some()
        && !signed_in(&state, request.headers()).await
        && let Some(refused) = throttled(&state, &request)
    {
        return with_headers(refused, &path);
    }
    let response = next.run(request).await;
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ours = content_type.starts_with("application/json") || content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || ours {
        return with_headers(response, &path);
    }
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    let (status, code, reason, message) = rewritten(status, &String::from_utf8_lossy(&body));
    let body = json!({"error": {"code": code, "reason": reason, "message": message}});
    with_headers((status, axum::Json(body)).into_response(), &path)
}

/// Whether the request carries the cookie of a session in force (a request without credentials
/// reads nothing from the database here).
async fn signed_in(state: &AppState, headers: &HeaderMap) -> bool {
    let has_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|h| auth::cookie(h, auth::SESSION_COOKIE).is_some());
    has_cookie && matches!(Caller::of(state, headers).await, Ok(Some(_)))
}

/// The 429 answer (with `Retry-After`) when the client of this request without credentials has
/// used up its rate (`throttle`); `None` when it may go on or no rate is set.
fn throttled(state: &AppState, request: &Request) -> Option<Response> {
    let throttle = state.throttle.as_ref()?;
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let client = auth::client_ip(peer, request.headers(), &state.options.trusted_proxies);
    let refused = throttle.check(&client).err()?;
    let mut response = refused.error().into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(refused.retry_after()));
    Some(response)
}

/// Requests sent with a method other than GET or HEAD that only read (a merge previewed).
const READS_BY_POST: &[&str] = &["/api/merges/preview"];

/// Whether a request may change something: every method but GET, HEAD and OPTIONS, except the
/// few [`READS_BY_POST`]. A read-only token is refused these before any handler runs, so a new
/// write endpoint is covered without being listed.
fn writes(method: &Method, path: &str) -> bool {
    !(method == Method::GET
        || method == Method::HEAD
        || method == Method::OPTIONS
        || (method == Method::POST && READS_BY_POST.contains(&path)))
}

fn with_headers(mut r: Response, path: &str) -> Response {
    let h = r.headers_mut();
    let csp = if path == "/embed" { CSP_EMBED } else { CSP };
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if path != "/embed" {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axum_s_own_answers_get_a_code() {
        assert_eq!(rewritten(StatusCode::METHOD_NOT_ALLOWED, "").2, "method_not_allowed");
        let (s, code, _, _) =
            rewritten(StatusCode::BAD_REQUEST, "Failed to buffer the request body: length limit exceeded");
        assert_eq!((s, code), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"));
        let (s, _, reason, m) = rewritten(StatusCode::BAD_REQUEST, "Invalid URL: Cannot parse `x` to a `u64`");
        assert_eq!((s, reason), (StatusCode::BAD_REQUEST, "query_invalid"));
        assert!(m.contains("Cannot parse"));
        assert!(!CSP.contains("script-src 'self' 'unsafe-inline'") && CSP.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn only_safe_methods_and_previews_count_as_reads() {
        assert!(!writes(&Method::GET, "/api/actors") && !writes(&Method::HEAD, "/api/actors"));
        assert!(!writes(&Method::POST, "/api/merges/preview"));
        for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(writes(&m, "/api/actors"), "{m}");
        }
        assert!(writes(&Method::PUT, "/api/merges/preview"));
    }
}
