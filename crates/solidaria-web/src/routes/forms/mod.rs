//! The HTML side of accounts and moderation, read by people rather than programs (so errors are
//! pages, and anonymous callers are sent to the login page): `account` (log in and out, the
//! account page with own proposals and API tokens, changing one's password), `moderation`
//! (proposing an edit of an actor, the moderation queue with diffs), `facts` (supplying the
//! facts that would decide a verdict, with their evidence) and `admin` (user
//! management, imports). Every form carries a CSRF token: the session's (synchronizer token) once
//! signed in, a double-submit cookie on the login form. Writes go through
//! `solidaria_app::write::apply` and `solidaria_app::moderate::decide`, like the API's.

mod account;
mod admin;
mod facts;
mod moderation;

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

/// A local path to go back to after logging in: only absolute paths on this site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 500 => n.to_string(),
        _ => "/account".to_string(),
    }
}

fn with_cookie(mut r: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The flash message of an actor page after an edit (`?saved=`).
pub(crate) fn flash(t: &Messages, saved: Option<&str>) -> String {
    match saved {
        Some("applied") => t.applied.clone(),
        Some(s) if s.starts_with("proposal-") => format!("{} (#{})", t.proposal_sent, &s["proposal-".len()..]),
        _ => String::new(),
    }
}

/// Every form route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().merge(account::routes()).merge(moderation::routes()).merge(facts::routes()).merge(admin::routes())
}
