//! What every page shares beyond its template: the site menu (by the visitor's role) and the
//! error pages that browsers get instead of JSON.
//!
//! [`visit`] is a middleware on every address outside `/api/`, `/static/` and `/healthz`: it
//! finds the visitor's role from the session cookie (no database read without one), keeps it
//! with the request's path for the menu while the handler runs ([`menu`], called by
//! `base.html`), and when the answer is a JSON error and the browser asks for HTML (`Accept:
//! text/html`), answers the same status as a page in the common layout and the request's
//! language. The API (`/api/…`) always answers errors as JSON.

use crate::extract::Caller;
use crate::i18n::{self, Messages};
use crate::pages::render;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use solidaria_core::moderation::{Action, Role};

/// Who is visiting which page, for the menu.
#[derive(Debug, Clone, Default)]
pub(crate) struct Visit {
    /// The request's path.
    pub path: String,
    /// The signed-in visitor's role.
    pub role: Option<Role>,
}

tokio::task_local! {
    static VISIT: Visit;
}

/// One entry of the site menu.
pub struct MenuItem {
    /// Where it goes (with the page language).
    pub href: String,
    /// Its label.
    pub label: String,
    /// Whether the current page is in this area.
    pub current: bool,
}

/// The site menu for the current visitor, in `lang`: directory, map, territories, dashboard, cases,
/// profiles, funds, then moderation for moderators and admins, and the account (or logging in).
pub fn menu(t: &Messages, lang: &str) -> Vec<MenuItem> {
    let visit = VISIT.try_with(Clone::clone).unwrap_or_default();
    let mut items: Vec<(&str, &str)> = vec![
        ("/", &t.directory),
        ("/map", &t.map),
        ("/territories", &t.territories),
        ("/dashboard", &t.dashboard.menu),
        ("/cases", &t.cases),
        ("/profiles", &t.profiles_menu),
        ("/funds", &t.funds),
        ("/strategies", &t.co.strategies),
    ];
    if solidaria_core::moderation::allows(visit.role, Action::Moderate) {
        items.push(("/moderation", &t.moderation));
    }
    items.push(if visit.role.is_some() { ("/account", &t.account) } else { ("/login", &t.log_in) });
    let area = |href: &str| match href {
        "/" => visit.path == "/" || visit.path.starts_with("/actors/"),
        other => visit.path == other || visit.path.starts_with(&format!("{other}/")),
    };
    items
        .into_iter()
        .map(|(href, label)| MenuItem {
            href: format!("{href}?lang={lang}"),
            label: label.to_string(),
            current: area(href),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    status: u16,
    heading: &'a str,
    explanation: &'a str,
    message: String,
    problems: Vec<String>,
}

/// An error as a page in the common layout: the status's heading and explanation in `lang`,
/// then what went wrong (never the cause of an internal error, which the JSON does not hold
/// either).
pub(crate) fn error_page(lang: &str, status: StatusCode, message: &str, problems: Vec<String>) -> Response {
    let t = i18n::messages(lang);
    let (heading, explanation) = match status.as_u16() {
        404 => (&t.error_404, &t.error_404_help),
        403 | 401 => (&t.error_403, &t.error_403_help),
        500..=599 => (&t.error_500, &t.error_500_help),
        _ => (&t.error, &t.error_400_help),
    };
    let page = ErrorPage {
        lang,
        t,
        status: status.as_u16(),
        heading,
        explanation,
        message: if status.is_server_error() { String::new() } else { message.to_string() },
        problems,
    };
    (status, Html(render(page))).into_response()
}

/// Whether a path is a page (menu and HTML errors) rather than the API, a static file or the
/// health check.
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || path == "/api" || path.starts_with("/static/") || path == "/healthz")
}

/// The middleware: the visitor's role for the menu, and error pages for browsers.
pub(crate) async fn visit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if !is_page(&path) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let wants_html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    let asked =
        request.uri().query().and_then(|q| q.split('&').find_map(|p| p.strip_prefix("lang=")).map(str::to_string));
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let lang = i18n::choose(asked.as_deref(), accept.as_deref());
    let role = if headers.contains_key(header::COOKIE) {
        Caller::of(&state, headers).await.ok().flatten().map(|c| c.user.role)
    } else {
        None
    };
    let visit = Visit { path, role };
    VISIT
        .scope(visit, async move {
            let response = next.run(request).await;
            let status = response.status();
            let json = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/json"));
            if !wants_html || !(status.is_client_error() || status.is_server_error()) || !(json || empty(&response)) {
                return response;
            }
            let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap_or_default();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let message = v["error"]["message"].as_str().unwrap_or("").to_string();
            let problems = v["error"]["problems"]
                .as_array()
                .map(|a| a.iter().filter_map(|p| p.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            error_page(lang, status, &message, problems)
        })
        .await
}

/// Whether a response has no body (axum's answer to an unknown address or method).
fn empty(r: &Response) -> bool {
    use http_body::Body as _;
    r.body().size_hint().exact() == Some(0)
}

/// The answer to an address nothing is routed to: `page_not_found` (a page for browsers).
pub(crate) async fn fallback() -> crate::WebError {
    crate::WebError::new(solidaria_app::Code::PageNotFound, "no page or endpoint has this address")
}
