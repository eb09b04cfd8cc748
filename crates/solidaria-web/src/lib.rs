//! # solidaria-web
//!
//! The web app and JSON API: a searchable directory with facets, a map and an embeddable list;
//! actor pages with facts and their evidence, relations, verdicts under every screening profile
//! with reasons and citations and a visible warning on claims the facts contradict; the
//! profiles; social-innovation cases; territories' ecosystem diagnostics; accounts, edits,
//! moderation, users and imports through forms; a JSON API under `/api` (reads, writes,
//! proposals, export); `/healthz`. Pages are server-rendered (askama, which escapes every value)
//! in English, French or Spanish, chosen by `?lang=` or `Accept-Language`.
//!
//! Modules:
//! - `error`: [`WebError`], a failure answered as JSON with its class as `code` and its fine
//!   code as `reason`.
//! - `state`: [`AppState`] and its [`Options`], the connection pool and `with_store` (the
//!   `Store` trait is synchronous: handlers run it on a blocking thread with a pooled
//!   connection, so they never block the async runtime), the search cache.
//! - `extract`: what handlers take from a request, refusing with a `WebError`: typed queries,
//!   forms and JSON bodies, the page language, and the caller with the action it must be
//!   allowed (and, for writes with a session, its CSRF token).
//! - [`auth`]: the session cookie and the login rate limiter; `throttle`: the rate of anonymous
//!   API requests per client address.
//! - `i18n`: the interface strings of each language; `pages`: the pages' templates filled in.
//! - `layout`: the site menu by the visitor's role, and error pages for browsers (a middleware:
//!   JSON errors stay JSON under `/api/`).
//! - `routes`: the handlers by area: `directory` (home, map, embed, actor pages, the API's
//!   listing, actors, GeoJSON and screenings), `cases`, `territories` (diagnostics), `profiles`,
//!   `assets` (`/static/`), `docs` (OpenAPI and its reference), `export`, `publication` (the
//!   JSON-LD context and Murmurations profiles), `users` (accounts disabled and enabled, for
//!   admins), `writes` (the API's
//!   authenticated writes and proposals) and `forms` (login, account, edit, moderation, users,
//!   import).
//!
//! Beside the code: `templates/` (askama, each page extending `base.html`), `i18n/{en,fr,es}.toml`
//! (every string of the interface), `api/openapi.json` (served, and tested against the routes)
//! and `static/` (vendored Leaflet and htmx and two small scripts, compiled into the binary).
//!
//! This crate is an adapter. It must not hold rules (they are `solidaria-core`'s) or SQL (the
//! database is reached only through the `Store` trait); every record write goes through
//! `solidaria_app::write::apply`, `solidaria_app::moderate::decide` or `solidaria_app::import`,
//! as the command line's do (some reads, and account operations such as sessions, tokens, users
//! and passwords, still call the `Store` trait from their handlers: `solidaria-app` has no use
//! case for them yet). It must never show the cause of an internal error (it is logged), log a secret or a
//! search text, take a wrong bearer token for an anonymous visitor, or let a write through
//! without an account allowed to make it and, for a session, its CSRF token.

pub mod auth;
mod error;
mod extract;
mod i18n;
mod law_view;
mod layout;
mod pages;
mod routes;
mod security;
mod state;
mod throttle;

pub use error::{WebError, status_of};
pub use routes::cases::CaseQuery;
pub use routes::directory::{ListQuery, ScreeningsQuery};
pub use routes::docs::OPENAPI;
pub use state::{API_RATE, AppState, Options, db_requests_default};

use axum::Router;
use axum::routing::get;

/// The application's routes, with default options (secure cookies, 1 MiB bodies).
pub fn router(db: &str) -> Router {
    router_with(db, Options::default())
}

/// The application's routes.
pub fn router_with(db: &str, options: Options) -> Router {
    app(AppState::new(db, options))
}

fn app(state: AppState) -> Router {
    let limit = state.options.body_limit;
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(routes::directory::routes())
        .merge(routes::cases::routes())
        .merge(routes::territories::routes())
        .merge(routes::profiles::routes())
        .merge(routes::finance::routes())
        .merge(routes::dashboard::routes())
        .merge(routes::strategies::routes())
        .merge(routes::docs::routes())
        .merge(routes::assets::routes())
        .merge(routes::export::routes())
        .merge(routes::publication::routes())
        .merge(routes::writes::routes())
        .merge(routes::merges::routes())
        .merge(routes::users::routes())
        .merge(routes::forms::routes())
        .fallback(layout::fallback)
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), layout::visit))
        .layer(axum::middleware::from_fn(routes::log_request))
        .with_state(state)
}

/// Serves on `listener` until `shutdown` completes, then finishes the requests in flight.
/// Cookies are `Secure` unless the listener is on a loopback address (the local demo over HTTP).
pub async fn serve(
    db: &str,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(db, listener, Options::default(), shutdown).await
}

/// [`serve`] with options (`secure_cookies` is decided from the listener's address).
pub async fn serve_with(
    db: &str,
    listener: tokio::net::TcpListener,
    options: Options,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let loopback = listener.local_addr()?.ip().is_loopback();
    let state = AppState::new(db, Options { secure_cookies: !loopback, ..options });
    // The search index is built from the start rather than at the first search.
    let (index, db_for_index) = (state.index.clone(), db.to_string());
    let build = state.options.search_index;
    std::thread::spawn(move || {
        if build
            && let Ok(mut store) = solidaria_store::open(&db_for_index)
            && let Err(e) = index.refresh(store.as_mut())
        {
            eprintln!("search index: {e}");
        }
    });
    let app = app(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
