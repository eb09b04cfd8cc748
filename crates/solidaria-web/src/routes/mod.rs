//! The handlers, by area. Each module's `routes()` lists its addresses; the crate's router merges
//! them.

pub(crate) mod assets;
pub(crate) mod cases;
pub(crate) mod dashboard;
pub(crate) mod directory;
pub(crate) mod docs;
pub(crate) mod export;
pub(crate) mod finance;
pub(crate) mod forms;
pub(crate) mod merges;
pub(crate) mod profiles;
pub(crate) mod publication;
pub(crate) mod strategies;
pub(crate) mod territories;
pub(crate) mod users;
pub(crate) mod writes;

use axum::response::Response;
use serde_json::json;

/// One JSON line on standard error per request: method, path (never the query, which may hold
/// what someone searched for), status and duration. Credentials are in headers and bodies, which
/// are not logged.
pub(crate) async fn log_request(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
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
