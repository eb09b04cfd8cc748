//! What every handler shares: [`AppState`] (where the database is, the [`Options`], the login
//! limiter, the anonymous API's limiter, the connection [`Pool`], the [`SearchCache`]) and
//! [`with_store`], the one way a handler reaches the database.

use crate::WebError;
use crate::auth;
use crate::throttle::Throttle;
use solidaria_app::directory::Listing;
use solidaria_store::{Store, StoreError};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

/// How the app is served.
#[derive(Debug, Clone)]
pub struct Options {
    /// Whether cookies carry `Secure` (true everywhere but a plain-HTTP loopback demo).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes; larger ones get 413.
    pub body_limit: usize,
    /// Directory searches whose answers are kept (0: none), valid until the next write.
    pub cache_entries: usize,
    /// Whether the directory searches through the in-memory index (relevance, typos, areas of
    /// the map) rather than the database's full-text index alone.
    pub search_index: bool,
    /// The address the instance is served at, which published documents (JSON-LD,
    /// Murmurations profiles) use for their stable addresses; when absent, `http://` and the
    /// request's `Host`.
    pub base_url: Option<solidaria_formats::BaseUrl>,
    /// The reverse proxies whose `X-Forwarded-For` or `Forwarded` header is believed: the login
    /// limiter counts the client address they forward (`auth::client_ip`). Empty: the TCP peer
    /// is the client and those headers are ignored.
    pub trusted_proxies: Vec<auth::TrustedProxy>,
    /// Requests to `/api/…` without credentials that one client address may send a minute (in a
    /// burst at most as large; then 429 with `Retry-After`); `None`: no limit. The address is the
    /// one the login limiter counts (see `trusted_proxies`).
    pub api_rate: Option<NonZeroU32>,
    /// Requests that use the database (and the search index) at once; the others wait their
    /// turn in arrival order. [`db_requests_default`]: four per core, at least 8.
    pub db_requests: usize,
}

/// The default [`Options::db_requests`]: four per core, at least 8, at most 32 (the idle
/// connections kept). Measured on two cores with 100 clients searching a million actors
/// (BENCHMARKS.md): 8 answered 5 % (SQLite) to 9 % (PostgreSQL) more than 4, and 2 a fifth less.
pub fn db_requests_default() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores * 4).clamp(8, POOL_IDLE)
}

/// The default [`Options::api_rate`]: 120 anonymous API requests a minute per client address.
pub const API_RATE: NonZeroU32 = NonZeroU32::new(120).expect("not zero");

impl Default for Options {
    fn default() -> Self {
        Options {
            secure_cookies: true,
            body_limit: 1 << 20,
            cache_entries: 1000,
            search_index: true,
            base_url: None,
            trusted_proxies: Vec::new(),
            api_rate: Some(API_RATE),
            db_requests: db_requests_default(),
        }
    }
}

/// Answers of recent directory searches, each with the database version it was computed at:
/// an answer is served again only while no write has been committed since (the store's
/// `version`), so it is never stale. Full: emptied (searches are cheap to recompute; the
/// popular ones come back first).
#[derive(Default)]
pub(crate) struct SearchCache {
    entries: Mutex<HashMap<String, (i64, Arc<Listing>)>>,
}

impl SearchCache {
    /// The answer kept for `key`, if it was computed at database version `version`.
    pub(crate) fn get(&self, key: &str, version: i64) -> Option<Arc<Listing>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.get(key).filter(|(at, _)| *at == version).map(|(_, hit)| hit.clone())
    }

    /// Keeps `answer` for `key` at `version`, emptying the cache first when it holds `capacity`.
    pub(crate) fn put(&self, key: String, version: i64, answer: Arc<Listing>, capacity: usize) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= capacity {
            entries.clear();
        }
        entries.insert(key, (version, answer));
    }
}

/// What every handler needs: where the database is, how cookies are set, the login limiter.
#[derive(Clone)]
pub struct AppState {
    pub(crate) db: Arc<String>,
    pub(crate) options: Arc<Options>,
    pub(crate) limiter: Arc<auth::RateLimiter>,
    pub(crate) pool: Arc<Pool>,
    pub(crate) cache: Arc<SearchCache>,
    /// The directory's search index, kept current from the audit log.
    pub(crate) index: Arc<solidaria_app::search_index::LiveIndex>,
    /// The anonymous API's limiter (none when `api_rate` is `None`).
    pub(crate) throttle: Option<Arc<Throttle>>,
}

impl AppState {
    /// A state for the database at `db` (a SQLite path or a PostgreSQL URL), opened on first use.
    pub(crate) fn new(db: &str, options: Options) -> Self {
        AppState {
            throttle: options.api_rate.map(|rate| Arc::new(Throttle::new(rate))),
            pool: Arc::new(Pool::new(options.db_requests)),
            db: Arc::new(db.to_string()),
            options: Arc::new(options),
            limiter: Arc::new(Default::default()),
            cache: Arc::new(SearchCache::default()),
            index: {
                let db = db.to_string();
                solidaria_app::search_index::LiveIndex::new(Arc::new(move || solidaria_store::open(&db)))
            },
        }
    }
}

/// Open database connections kept for the next requests (each used by one request at a time),
/// and a bound on how many requests use the database at once ([`Options::db_requests`]): too
/// many would only share the cores and wait for each other inside the database (and SQLite's
/// locks), while queued requests cost nothing.
pub(crate) struct Pool {
    idle: Mutex<Vec<Box<dyn Store + Send>>>,
    busy: tokio::sync::Semaphore,
}

/// Idle connections kept at most.
const POOL_IDLE: usize = 32;

impl Pool {
    /// A pool that lets `busy` requests use the database at once (at least one).
    fn new(busy: usize) -> Self {
        Pool { idle: Default::default(), busy: tokio::sync::Semaphore::new(busy.max(1)) }
    }

    /// An idle connection, or a new one.
    pub(crate) fn take(&self, db: &str) -> Result<Box<dyn Store + Send>, StoreError> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match idle {
            Some(s) => Ok(s),
            None => solidaria_store::open(db),
        }
    }

    /// Keeps a connection for the next request (closed if enough are kept).
    pub(crate) fn give_back(&self, store: Box<dyn Store + Send>) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < POOL_IDLE {
            idle.push(store);
        }
    }
}

/// Runs `f` on a blocking thread with a pooled connection (opened on first use). A connection
/// whose request failed inside the database is closed rather than reused.
pub(crate) async fn with_store<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut dyn Store) -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    let (db, pool) = (state.db.clone(), state.pool.clone());
    let _permit = state.pool.busy.acquire().await.map_err(WebError::system)?;
    tokio::task::spawn_blocking(move || {
        let mut store = pool.take(&db)?;
        let result = f(store.as_mut());
        if !matches!(&result, Err(e) if e.is_internal()) {
            pool.give_back(store);
        }
        result
    })
    .await
    .map_err(WebError::system)?
}
