//! The HTML side of accounts and moderation, read by people rather than programs (so errors are
//! pages, and anonymous callers are sent to the login page): `account` (log in and out, the
//! account page with own proposals and API tokens, changing one's password), `moderation`
//! (proposing an edit of an actor, the moderation queue with diffs), `duplicates` (candidate
//! pairs, a merge reviewed with its conflicts side by side, merges undone), `facts` (supplying the
//! facts that would decide a verdict, with their evidence), `self_assessment` (an
//! organization's own account answering its country's questionnaire) and `admin` (user
//! management, imports). Every form carries a CSRF token: the session's (synchronizer token) once
//! signed in, a double-submit cookie on the login form. Writes go through
//! `solidaria_app::write::apply` and `solidaria_app::moderate::decide`, like the API's.

mod account;
mod admin;
mod duplicates;
mod facts;
mod ledger;
mod moderation;
mod self_assessment;
mod strategies;

use crate::WebError;
use crate::i18n::Messages;
use crate::pages::{encode, render};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "notice.html")]
struct Notice<'a> {
    lang: &'a str,
    t: &'a Messages,
    heading: String,
    class: &'a str,
    message: String,
    problems: Vec<String>,
    link: String,
    link_text: String,
}

/// An error as an HTML page (forms are read by people, not programs): anonymous callers are sent
/// to the login page, everything else is explained.
fn html_error(lang: &str, next: &str, e: WebError) -> Response {
    let status = e.status();
    if status == StatusCode::UNAUTHORIZED {
        let to = format!("/login?lang={lang}&next={}", encode(next));
        return Redirect::to(&to).into_response();
    }
    e.log_if_internal();
    let t = crate::i18n::messages(lang);
    let problems = e.problems().to_vec();
    let page = Notice {
        lang,
        t,
        heading: t.error.clone(),
        class: "warning",
        message: e.to_string(),
        problems,
        link: next.to_string(),
        link_text: next.to_string(),
    };
    (status, Html(render(page))).into_response()
}

/// The page `run` makes or, when it fails, its error as a page (`back` is the page to go back
/// to, or to return to after logging in).
async fn as_page(lang: &str, back: &str, run: impl Future<Output = Result<Response, WebError>>) -> Response {
    run.await.unwrap_or_else(|e| html_error(lang, back, e))
}

/// A form that carries nothing but its CSRF token.
#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

crate::extract::csrf_field!(CsrfForm);

/// A local path to go back to after logging in: only a path on this site, else `/account`.
///
/// The value (already decoded from the form or query) must be visible ASCII (so it is a valid
/// `Location` header: no tab, newline, DEL or other control character, which browsers strip to
/// turn `/<tab>/evil.example` into `//evil.example`), start with a single `/`, and hold neither
/// `//` nor a backslash, checked again after percent-decoding it once more.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.len() < 500 && same_origin_path(n) => n.to_string(),
        _ => "/account".to_string(),
    }
}

fn same_origin_path(n: &str) -> bool {
    let local = |b: &[u8]| {
        b.first() == Some(&b'/')
            && !b.windows(2).any(|w| w == b"//")
            && !b.iter().any(|c| *c == b'\\' || c.is_ascii_control())
    };
    n.bytes().all(|b| b.is_ascii_graphic()) && local(n.as_bytes()) && local(&percent_decoded(n.as_bytes()))
}

/// The bytes with each `%XX` (two hexadecimal digits) replaced by the byte it stands for.
fn percent_decoded(s: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let pair = (s[i] == b'%').then(|| Some((hex(*s.get(i + 1)?)?, hex(*s.get(i + 2)?)?))).flatten();
        match pair {
            Some((hi, lo)) => {
                out.push(hi << 4 | lo);
                i += 3;
            }
            None => {
                out.push(s[i]);
                i += 1;
            }
        }
    }
    out
}

fn with_cookie(mut r: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The flash message of an actor page after an edit (`?saved=`): only the values the app sets
/// itself (`applied`, `proposal-N` with N a proposal number); any other text shows nothing.
pub(crate) fn flash(t: &Messages, saved: Option<&str>) -> String {
    let proposal = saved
        .and_then(|s| s.strip_prefix("proposal-"))
        .filter(|n| !n.is_empty() && n.len() <= 19 && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<u64>().ok());
    match (saved, proposal) {
        (Some("applied"), _) => t.applied.clone(),
        (_, Some(n)) => format!("{} (#{n})", t.proposal_sent),
        _ => String::new(),
    }
}

/// Every form route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(account::routes())
        .merge(moderation::routes())
        .merge(duplicates::routes())
        .merge(facts::routes())
        .merge(self_assessment::routes())
        .merge(admin::routes())
        .merge(strategies::routes())
        .merge(ledger::routes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flash_shows_only_what_the_app_sets() {
        // Fails without the fix: "proposal-<any text>" was shown in the status box.
        let t = crate::i18n::messages("en");
        assert_eq!(flash(t, Some("applied")), t.applied);
        assert_eq!(flash(t, Some("proposal-42")), format!("{} (#42)", t.proposal_sent));
        for other in ["proposal-", "proposal-4x", "proposal-Call 0800 SCAM", "proposal--1", "anything", "Applied"] {
            assert_eq!(flash(t, Some(other)), "", "{other:?}");
        }
        assert_eq!(flash(t, None), "");
    }

    #[test]
    fn only_paths_on_this_site_are_followed_after_login() {
        for good in ["/account", "/actors/coop/edit?lang=fr&x=%20", "/search?q=a%2Fb"] {
            assert_eq!(safe_next(Some(good)), good);
        }
        // Fails without the fix for the tab, DEL, newline and encoded cases.
        for bad in [
            "/\t/evil.example",
            "/\u{7f}",
            "/\n/evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/%7F",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil.example",
            "/a//b",
            "/é",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/account", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/account");
        assert_eq!(percent_decoded(b"%41%4a%zz%4"), b"AJ%zz%4");
    }
}
