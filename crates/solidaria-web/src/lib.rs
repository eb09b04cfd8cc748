//! # solidaria-web
//!
//! The web app and JSON API: a searchable directory with facets, actor pages
//! with facts and their evidence, relations, verdicts under every screening profile with reasons
//! and citations and a visible warning on claims the facts contradict; the profiles; a JSON API
//! under `/api`; `/healthz`. Pages are server-rendered (askama, which escapes every value) in
//! English, French or Spanish, chosen by `?lang=` or `Accept-Language`.
//!
//! The `Store` trait is synchronous: handlers run it on a blocking thread with a pooled
//! connection ([`with_store`]), so they never block the async runtime. Writes need an account: [`auth`] says who is asking
//! (session cookie or bearer token), `writes` applies or proposes changes through one checked path
//! (the API), `forms` is the HTML side (login, account, edit, moderation queue, users).

pub mod auth;
mod export;
mod forms;
mod i18n;
mod pages;
mod writes;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use solidaria_app::diagnose::{self, Loaded};
use solidaria_app::directory::{self, DirectoryQuery, Listing};
use solidaria_app::innovation;
use solidaria_app::{AppError, Class};
use solidaria_core::record::Record;
use solidaria_core::screening::builtin;
use solidaria_store::{Store, StoreError};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A failure answered as JSON with a stable code (and, for pages, as a short HTML page).
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Nothing at this address.
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// The request names no valid credentials (no session, no bearer token, or a wrong one).
    #[error("{0}")]
    Unauthorized(String),
    /// The caller's role does not allow this, or the form's CSRF token is wrong.
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the current state (a key taken, a proposal already decided).
    #[error("{0}")]
    Conflict(String),
    /// The record is well-formed but invalid: each problem names its field.
    #[error("{message}")]
    Invalid {
        /// A summary.
        message: String,
        /// `field: expected …, found …` for each problem.
        problems: Vec<String>,
    },
    /// The body was refused before reading (too large, not JSON, wrong content type); the status
    /// is the one axum's extractor chose (413, 400, 415, 422).
    #[error("{message}")]
    Rejected {
        /// The HTTP status.
        status: StatusCode,
        /// What was wrong.
        message: String,
    },
    /// Too many failed logins from this client or for this user.
    #[error("too many failed logins: wait 15 minutes")]
    TooManyRequests,
    /// The database failed; the cause is logged, never shown.
    #[error("internal error")]
    Internal(String),
    /// A use case's failure, answered with the status of its class, the class as `code` and
    /// the fine-grained code as `reason` (an internal one's message is logged, never shown).
    #[error("{}", if .0.class() == Class::Internal { "internal error" } else { .0.message.as_str() })]
    App(AppError),
}

impl WebError {
    /// Whether the failure is the system's (its cause logged, never shown).
    pub fn is_internal(&self) -> bool {
        match self {
            WebError::Internal(_) => true,
            WebError::App(e) => e.class() == Class::Internal,
            _ => false,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        self.code().0
    }

    fn code(&self) -> (StatusCode, &'static str) {
        match self {
            WebError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            WebError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            WebError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            WebError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            WebError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            WebError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_record"),
            WebError::Rejected { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => (*status, "too_large"),
            WebError::Rejected { status, .. } => (*status, "bad_body"),
            WebError::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            WebError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            WebError::App(e) => (status_of(e.class()), e.class().as_str()),
        }
    }
}

/// The HTTP status of a class of failure.
pub fn status_of(class: Class) -> StatusCode {
    match class {
        Class::BadRequest => StatusCode::BAD_REQUEST,
        Class::NotFound => StatusCode::NOT_FOUND,
        Class::Conflict => StatusCode::CONFLICT,
        Class::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        Class::Unauthorized => StatusCode::UNAUTHORIZED,
        Class::Forbidden => StatusCode::FORBIDDEN,
        Class::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Class::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError::App(e)
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => WebError::Conflict(format!("{what} already exists")),
            e => WebError::Internal(e.to_string()),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for WebError {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        WebError::Rejected { status: r.status(), message: r.body_text() }
    }
}

impl From<solidaria_core::moderation::ModerationError> for WebError {
    fn from(e: solidaria_core::moderation::ModerationError) -> Self {
        match e {
            solidaria_core::moderation::ModerationError::AlreadyDecided(_) => WebError::Conflict(e.to_string()),
            e => WebError::BadRequest(e.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, code) = self.code();
        if let WebError::Internal(cause) = &self {
            eprintln!("{{\"level\":\"error\",\"error\":{}}}", json!(cause));
        }
        let mut error = json!({"code": code, "message": self.to_string()});
        if let WebError::Invalid { problems, .. } = &self {
            error["problems"] = json!(problems);
        }
        if let WebError::App(e) = &self {
            if e.class() == Class::Internal {
                eprintln!(
                    "{{\"level\":\"error\",\"reason\":{},\"error\":{}}}",
                    json!(e.code.as_str()),
                    json!(e.message)
                );
            }
            error["reason"] = json!(e.code.as_str());
            if let Some(f) = &e.field {
                error["field"] = json!(f);
            }
            if !e.problems.is_empty() {
                error["problems"] = json!(e.problems);
            }
        }
        let mut response = (status, axum::Json(json!({ "error": error }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// How the app is served.
#[derive(Debug, Clone)]
pub struct Options {
    /// Whether cookies carry `Secure` (true everywhere but a plain-HTTP loopback demo).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes; larger ones get 413.
    pub body_limit: usize,
    /// Directory searches whose answers are kept (0: none), valid until the next write.
    pub cache_entries: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { secure_cookies: true, body_limit: 1 << 20, cache_entries: 1000 }
    }
}

/// Answers of recent directory searches, each with the database version it was computed at:
/// an answer is served again only while no write has been committed since (the store's
/// `version`), so it is never stale. Full: emptied (searches are cheap to recompute; the
/// popular ones come back first).
#[derive(Default)]
struct SearchCache {
    entries: std::sync::Mutex<std::collections::HashMap<String, (i64, Arc<Listing>)>>,
}

/// What every handler needs: where the database is, how cookies are set, the login limiter.
#[derive(Clone)]
pub struct AppState {
    db: Arc<String>,
    options: Arc<Options>,
    limiter: Arc<auth::RateLimiter>,
    pool: Arc<Pool>,
    cache: Arc<SearchCache>,
}

/// The page language: `?lang=`, else `Accept-Language`, else English.
fn lang_of(asked: Option<&str>, headers: &HeaderMap) -> &'static str {
    i18n::choose(asked, headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// Open database connections kept for the next requests (each used by one request at a time),
/// and a bound on how many requests use the database at once: more would only make them wait
/// for each other inside the database (and SQLite's locks), while queued requests cost nothing.
pub(crate) struct Pool {
    idle: std::sync::Mutex<Vec<Box<dyn Store + Send>>>,
    busy: tokio::sync::Semaphore,
}

/// Idle connections kept at most.
const POOL_IDLE: usize = 32;

impl Default for Pool {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Pool { idle: Default::default(), busy: tokio::sync::Semaphore::new((cores * 2).clamp(4, POOL_IDLE)) }
    }
}

impl Pool {
    pub(crate) fn take(&self, db: &str) -> Result<Box<dyn Store + Send>, StoreError> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match idle {
            Some(s) => Ok(s),
            None => solidaria_store::open(db),
        }
    }

    pub(crate) fn give_back(&self, store: Box<dyn Store + Send>) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < POOL_IDLE {
            idle.push(store);
        }
    }
}

/// Runs `f` on a blocking thread with a pooled connection (opened on first use). A connection
/// whose request failed inside the database is closed rather than reused.
async fn with_store<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut dyn Store) -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    let (db, pool) = (state.db.clone(), state.pool.clone());
    let _permit = state.pool.busy.acquire().await.map_err(|e| WebError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let mut store = pool.take(&db)?;
        let result = f(store.as_mut());
        if !matches!(&result, Err(e) if e.is_internal()) {
            pool.give_back(store);
        }
        result
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
}

/// The application's routes, with default options (secure cookies, 1 MiB bodies).
pub fn router(db: &str) -> Router {
    router_with(db, Options::default())
}

/// The application's routes.
pub fn router_with(db: &str, options: Options) -> Router {
    let limit = options.body_limit;
    let state = AppState {
        db: Arc::new(db.to_string()),
        options: Arc::new(options),
        limiter: Arc::new(Default::default()),
        pool: Arc::new(Pool::default()),
        cache: Arc::new(SearchCache::default()),
    };
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/", get(home))
        .route("/actors/{id}", get(actor_page))
        .route("/cases", get(cases_page))
        .route("/territories/{id}/diagnostic", get(diagnostic_page))
        .route("/api/territories/{id}/diagnostic", get(api_diagnostic))
        .route("/cases/{id}", get(case_page))
        .route("/api/actors", get(api_actors))
        .route("/api/actors.geojson", get(api_geojson))
        .route("/api/actors/{id}", get(api_actor))
        .route("/api/openapi.json", get(openapi))
        .route("/api/docs", get(api_docs))
        .route("/embed", get(embed))
        .route("/map", get(map_page))
        .route("/static/{*path}", get(asset))
        .route("/api/cases", get(api_cases))
        .route("/api/cases/{id}", get(api_case))
        .route("/api/profiles", get(api_profiles))
        .route("/api/profiles/{id}", get(api_profile))
        .route("/api/screenings", get(api_screenings))
        .route("/profiles", get(profiles_page))
        .route("/profiles/{id}", get(profile_page))
        .route("/api/export", get(export::api_export))
        .merge(writes::routes())
        .merge(forms::routes())
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn(log_request))
        .with_state(state)
}

/// One JSON line on standard error per request: method, path (never the query, which may hold
/// what someone searched for), status and duration. Credentials are in headers and bodies, which
/// are not logged.
async fn log_request(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (method, path) = (request.method().to_string(), request.uri().path().to_string());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    if path != "/healthz" {
        eprintln!(
            "{}",
            json!({"level": "info", "event": "request", "method": method, "path": path, "status": status,
                   "ms": (started.elapsed().as_secs_f64() * 1e4).round() / 10.0})
        );
    }
    response
}

/// Query of a screening of the directory's filtered actors.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ScreeningsQuery {
    /// Profile ids, comma-separated (default: every actor profile).
    pub profile: Option<String>,
    /// Text, as in the directory.
    pub q: Option<String>,
    /// Territory, nested ones included.
    pub territory: Option<String>,
    /// Category, exactly.
    pub category: Option<String>,
    /// Legal-form family, exactly.
    pub family: Option<String>,
    /// A claim, exactly.
    pub claim: Option<String>,
    /// Actors screened (default 50, at most 500).
    pub limit: Option<usize>,
    /// Matches skipped.
    pub offset: Option<usize>,
    /// Every criterion with its reason and citation, not only the verdicts.
    pub detail: Option<bool>,
}

/// Screens a page of the directory's filtered actors (or one, with `q` set to its id) against
/// profiles: per actor its verdict under each profile (with criteria, reasons and citations when
/// `detail=true`), and the verdict counts per profile.
async fn api_screenings(
    State(state): State<AppState>,
    query: Result<Query<ScreeningsQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(sq) = query.map_err(|e| WebError::BadRequest(e.body_text()))?;
    let profiles = solidaria_app::screen::actor_profiles(sq.profile.as_deref())?;
    let q = ListQuery {
        profile: None,
        verdict: None,
        q: sq.q,
        territory: sq.territory,
        category: sq.category,
        family: sq.family,
        claim: sq.claim,
        limit: sq.limit,
        offset: sq.offset,
        lang: None,
    };
    let listing = list_cached(&state, q, 500).await?;
    let (items, counts) = solidaria_app::screen::screen_actors(&listing.actors, &profiles, sq.detail.unwrap_or(false));
    Ok(axum::Json(json!({"items": items, "total": listing.total, "facets": {"verdicts": counts}})).into_response())
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
    let app = router_with(db, Options { secure_cookies: !loopback, ..options });
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Query of the actor listing (API and home page).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Text to search in names and records.
    pub q: Option<String>,
    /// Territory, nested ones included.
    pub territory: Option<String>,
    /// Category (e.g. `sse_organization`), exactly.
    pub category: Option<String>,
    /// Legal-form family (e.g. `cooperative`), exactly.
    pub family: Option<String>,
    /// A claim the actor makes (e.g. `sse`), exactly.
    pub claim: Option<String>,
    /// An actor profile: adds the facet of verdicts under it.
    pub profile: Option<String>,
    /// Only actors with this verdict under `profile`.
    pub verdict: Option<String>,
    /// Page size (default 50, at most 500).
    pub limit: Option<usize>,
    /// Items to skip.
    pub offset: Option<usize>,
    /// Interface language (pages only).
    pub lang: Option<String>,
}

/// The filters of a listing query, to keep them in the page's links.
fn filters_of(q: &ListQuery) -> pages::Filters {
    pages::Filters {
        q: q.q.clone().unwrap_or_default(),
        territory: q.territory.clone().unwrap_or_default(),
        category: q.category.clone().unwrap_or_default(),
        family: q.family.clone().unwrap_or_default(),
        claim: q.claim.clone().unwrap_or_default(),
        profile: q.profile.clone().unwrap_or_default(),
        verdict: q.verdict.clone().unwrap_or_default(),
    }
}

/// [`list`] through the search cache of `state` (see [`SearchCache`]): every directory listing
/// (API, home page, map, embed, GeoJSON, screenings) goes through here.
async fn list_cached(state: &AppState, q: ListQuery, max: u64) -> Result<Arc<Listing>, WebError> {
    let capacity = state.options.cache_entries;
    let key = format!(
        "{max}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}",
        q.q, q.territory, q.category, q.family, q.claim, q.profile, q.verdict, q.limit, q.offset
    );
    let cache = state.cache.clone();
    with_store(state, move |s| {
        let version = if capacity > 0 { s.version()? } else { None };
        if let Some(v) = version {
            let entries = cache.entries.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, hit)) = entries.get(&key)
                && *at == v
            {
                return Ok(hit.clone());
            }
        }
        let fresh = Arc::new(directory::list(s, &directory_query(q), max)?);
        if let Some(v) = version {
            let mut entries = cache.entries.lock().unwrap_or_else(|p| p.into_inner());
            if entries.len() >= capacity {
                entries.clear();
            }
            entries.insert(key, (v, fresh.clone()));
        }
        Ok(fresh)
    })
    .await
}

/// The use case's query of a listing.
fn directory_query(q: ListQuery) -> DirectoryQuery {
    DirectoryQuery {
        q: q.q,
        territory: q.territory,
        category: q.category,
        family: q.family,
        claim: q.claim,
        profile: q.profile,
        verdict: q.verdict,
        limit: q.limit,
        offset: q.offset,
    }
}

async fn api_actors(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(q) = query.map_err(|e| WebError::BadRequest(e.body_text()))?;
    let listing = list_cached(&state, q, 500).await?;
    let items: Vec<Value> = listing.actors.iter().map(|a| Record::Actor(a.clone()).to_json()).collect();
    Ok(axum::Json(json!({"items": items, "total": listing.total, "facets": listing.facets})).into_response())
}

async fn api_actor(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let (actor, relations) = with_store(&state, move |s| Ok(directory::actor(s, &id)?)).await?;
    let screenings: Vec<Value> = solidaria_app::screen::under_every_profile(&actor)
        .iter()
        .map(|s| serde_json::to_value(s).unwrap_or(Value::Null))
        .collect();
    Ok(axum::Json(json!({
        "actor": Record::Actor(actor.clone()).to_json(),
        "relations": relations.iter().map(Record::to_json).collect::<Vec<_>>(),
        "screenings": screenings,
    }))
    .into_response())
}

async fn api_profiles() -> Response {
    let items: Vec<Value> = builtin::all()
        .iter()
        .map(|p| json!({"id": p.id, "title": p.title, "version": p.version, "subject": p.subject, "jurisdiction": p.jurisdiction, "instrument": p.instrument, "criteria": p.criteria.len()}))
        .collect();
    let total = items.len();
    axum::Json(json!({"items": items, "total": total, "facets": {}})).into_response()
}

async fn profiles_page(headers: HeaderMap, Query(q): Query<BTreeMap<String, String>>) -> Response {
    Html(pages::profiles(lang_of(q.get("lang").map(String::as_str), &headers))).into_response()
}

async fn profile_page(
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let lang = lang_of(q.get("lang").map(String::as_str), &headers);
    match builtin::find(&id) {
        Some(p) => Html(pages::profile(lang, p)).into_response(),
        None => (StatusCode::NOT_FOUND, Html(pages::not_found(lang, &format!("no profile {id:?}")))).into_response(),
    }
}

async fn api_profile(Path(id): Path<String>) -> Result<Response, WebError> {
    Ok(axum::Json(solidaria_app::screen::profile(&id)?).into_response())
}

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(q) = query.map_err(|e| WebError::BadRequest(e.body_text()))?;
    let lang = lang_of(q.lang.as_deref(), &headers);
    let filters = filters_of(&q);
    let listing = list_cached(&state, q, 500).await?;
    Ok(Html(pages::home(lang, &filters, &listing.actors, listing.total, &listing.facets)).into_response())
}

async fn actor_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = lang_of(q.get("lang").map(String::as_str), &headers);
    let flash = forms::flash(i18n::messages(lang), q.get("saved").map(String::as_str));
    match with_store(&state, move |s| Ok(directory::actor(s, &id)?)).await {
        Ok((actor, relations)) => Ok(Html(pages::actor(lang, &actor, &relations, &flash)).into_response()),
        Err(WebError::App(e)) if e.class() == Class::NotFound => {
            Ok((StatusCode::NOT_FOUND, Html(pages::not_found(lang, &e.message))).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The OpenAPI 3.1 description of the API, kept as data next to the code it describes (a test
/// checks that every route it lists answers).
pub const OPENAPI: &str = include_str!("../api/openapi.json");

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// A readable reference of the API, generated from the OpenAPI document.
async fn api_docs() -> Response {
    use solidaria_app::report::escape;
    let doc: Value = serde_json::from_str(OPENAPI).unwrap_or(Value::Null);
    let mut s = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Solidaria API</title>\
         <style>body{font:16px/1.5 sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{background:#eee;padding:0 .2rem}</style></head>\
         <body><h1>Solidaria API</h1><p>Machine-readable: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1). \
         Errors are JSON: <code>{\"error\": {\"code\", \"message\"}}</code>.</p>",
    );
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            s.push_str(&format!(
                "<h2><code>{} {}</code></h2><p>{}</p>",
                escape(&method.to_uppercase()),
                escape(path),
                escape(op["summary"].as_str().unwrap_or(""))
            ));
            if let Some(d) = op["description"].as_str() {
                s.push_str(&format!("<p>{}</p>", escape(d)));
            }
            let params: Vec<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    format!(
                        "<li><code>{}</code> ({})</li>",
                        escape(p["name"].as_str().unwrap_or("")),
                        escape(p["in"].as_str().unwrap_or(""))
                    )
                })
                .collect();
            if !params.is_empty() {
                s.push_str(&format!("<ul>{}</ul>", params.join("")));
            }
        }
    }
    s.push_str("</body></html>");
    Html(s).into_response()
}

/// Most actors in one GeoJSON answer (a map shows a territory, not a whole national register).
const GEOJSON_MAX: u64 = 20_000;

/// Actors with a location as an RFC 7946 FeatureCollection (longitude first).
async fn api_geojson(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(mut q) = query.map_err(|e| WebError::BadRequest(e.body_text()))?;
    q.limit = Some(GEOJSON_MAX as usize);
    q.offset = None;
    let listing = list_cached(&state, q, GEOJSON_MAX).await?;
    let features: Vec<Value> = listing
        .actors
        .iter()
        .filter_map(|a| {
            let l = a.location?;
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [l.lon, l.lat]},
                "properties": {"id": a.id, "name": a.name, "category": a.category, "territory": a.territory.as_ref().map(|t| t.to_string())},
            }))
        })
        .collect();
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        axum::Json(json!({"type": "FeatureCollection", "features": features})),
    )
        .into_response())
}

/// Files served under `/static/`, compiled into the binary: the vendored Leaflet (see
/// `static/leaflet/SOURCE.md`), htmx (`static/htmx/SOURCE.md`) and our two small scripts.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("leaflet/leaflet.js", "text/javascript; charset=utf-8", include_bytes!("../static/leaflet/leaflet.js")),
    ("leaflet/leaflet.css", "text/css; charset=utf-8", include_bytes!("../static/leaflet/leaflet.css")),
    ("leaflet/images/marker-icon.png", "image/png", include_bytes!("../static/leaflet/images/marker-icon.png")),
    ("leaflet/images/marker-icon-2x.png", "image/png", include_bytes!("../static/leaflet/images/marker-icon-2x.png")),
    ("leaflet/images/marker-shadow.png", "image/png", include_bytes!("../static/leaflet/images/marker-shadow.png")),
    ("leaflet/images/layers.png", "image/png", include_bytes!("../static/leaflet/images/layers.png")),
    ("leaflet/images/layers-2x.png", "image/png", include_bytes!("../static/leaflet/images/layers-2x.png")),
    ("leaflet/LICENSE", "text/plain; charset=utf-8", include_bytes!("../static/leaflet/LICENSE")),
    ("map.js", "text/javascript; charset=utf-8", include_bytes!("../static/map.js")),
    ("htmx/htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../static/htmx/htmx.min.js")),
    ("htmx/LICENSE", "text/plain; charset=utf-8", include_bytes!("../static/htmx/LICENSE")),
    ("import.js", "text/javascript; charset=utf-8", include_bytes!("../static/import.js")),
];

async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, mime, body)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "public, max-age=86400")], *body).into_response()
        }
        None => WebError::NotFound(format!("no file {path:?}")).into_response(),
    }
}

/// The map of the directory's filtered actors.
async fn map_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(mut q) = query.map_err(|e| WebError::BadRequest(e.body_text()))?;
    let lang = lang_of(q.lang.as_deref(), &headers);
    let filters = filters_of(&q);
    q.limit = Some(500);
    let listing = list_cached(&state, q, 500).await?;
    Ok(Html(pages::map(lang, &filters, &listing.actors)).into_response())
}

/// A compact directory for other sites to embed in an iframe: the same filters as the home page.
async fn embed(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(q) = query.map_err(|e| WebError::BadRequest(e.body_text()))?;
    let lang = lang_of(q.lang.as_deref(), &headers);
    let listing = list_cached(&state, q, 500).await?;
    Ok(Html(pages::embed(lang, &listing.actors, listing.total)).into_response())
}

/// Query of the case listing.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// Text to find in the name, problem, root causes, approach or outcomes.
    pub q: Option<String>,
    /// Territory, nested ones included.
    pub territory: Option<String>,
}

/// Cases, each with its strength class, and facets on kind and class.
async fn api_cases(
    State(state): State<AppState>,
    query: Result<Query<CaseQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(q) = query.map_err(|e| WebError::BadRequest(e.body_text()))?;
    let cases = with_store(&state, move |s| Ok(innovation::find(s, q.q.as_deref(), q.territory.as_deref())?)).await?;
    let (items, facets) = innovation::catalogue(cases)?;
    let total = items.len();
    Ok(axum::Json(json!({"items": items, "total": total, "facets": facets})).into_response())
}

/// One case with its strength assessment, dimension by dimension.
async fn api_case(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let c = with_store(&state, move |s| Ok(innovation::case(s, &id)?)).await?;
    let assessment = serde_json::to_value(solidaria_core::innovation::assess(innovation::strength_profile()?, &c))
        .unwrap_or(Value::Null);
    Ok(axum::Json(json!({"case": Record::Case(c.clone()).to_json(), "strength": assessment})).into_response())
}

async fn case_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = lang_of(q.get("lang").map(String::as_str), &headers);
    match with_store(&state, move |s| Ok(innovation::case(s, &id)?)).await {
        Ok(c) => Ok(Html(pages::case(lang, &c)).into_response()),
        Err(WebError::App(e)) if e.class() == Class::NotFound => {
            Ok((StatusCode::NOT_FOUND, Html(pages::not_found(lang, "no such case"))).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn cases_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let lang = lang_of(q.get("lang").map(String::as_str), &headers);
    let cases = with_store(&state, |s| Ok(solidaria_store::cases(s)?)).await?;
    Ok(Html(pages::cases(lang, &cases)).into_response())
}

/// A territory's diagnostic and, when asked, the one it is compared with.
async fn diagnostic_pair(
    state: &AppState,
    id: String,
    compare: Option<String>,
) -> Result<(Loaded, Option<Loaded>), WebError> {
    with_store(state, move |s| {
        let a = diagnose::load(s, &id)?;
        let b = compare.map(|c| diagnose::load(s, &c)).transpose()?;
        Ok((a, b))
    })
    .await
}

/// The ecosystem diagnostic of a territory as JSON (`?compare=T2` for two side by side).
async fn api_diagnostic(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let (a, b) = diagnostic_pair(&state, id, q.get("compare").cloned()).await?;
    Ok(match b {
        None => axum::Json(serde_json::to_value(&a.diagnostic).unwrap_or(Value::Null)).into_response(),
        Some(b) => axum::Json(json!({"compare": [a.diagnostic, b.diagnostic]})).into_response(),
    })
}

/// The printable diagnostic report (the same as `solidaria diagnose --format html`).
async fn diagnostic_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let (a, b) = diagnostic_pair(&state, id, q.get("compare").cloned()).await?;
    Ok(Html(solidaria_app::report::diagnostic_html(&a, b.as_ref())).into_response())
}
