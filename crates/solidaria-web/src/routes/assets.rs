//! Files served under `/static/`, compiled into the binary.

use crate::WebError;
use crate::state::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use solidaria_app::Code;

/// The assets' route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/static/{*path}", get(asset))
}

/// Files served under `/static/`, compiled into the binary: the vendored Leaflet (see
/// `static/leaflet/SOURCE.md`), htmx (`static/htmx/SOURCE.md`) and our three small scripts.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("leaflet/leaflet.js", "text/javascript; charset=utf-8", include_bytes!("../../static/leaflet/leaflet.js")),
    ("leaflet/leaflet.css", "text/css; charset=utf-8", include_bytes!("../../static/leaflet/leaflet.css")),
    ("leaflet/images/marker-icon.png", "image/png", include_bytes!("../../static/leaflet/images/marker-icon.png")),
    (
        "leaflet/images/marker-icon-2x.png",
        "image/png",
        include_bytes!("../../static/leaflet/images/marker-icon-2x.png"),
    ),
    ("leaflet/images/marker-shadow.png", "image/png", include_bytes!("../../static/leaflet/images/marker-shadow.png")),
    ("leaflet/images/layers.png", "image/png", include_bytes!("../../static/leaflet/images/layers.png")),
    ("leaflet/images/layers-2x.png", "image/png", include_bytes!("../../static/leaflet/images/layers-2x.png")),
    ("leaflet/LICENSE", "text/plain; charset=utf-8", include_bytes!("../../static/leaflet/LICENSE")),
    ("map.js", "text/javascript; charset=utf-8", include_bytes!("../../static/map.js")),
    ("htmx/htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../../static/htmx/htmx.min.js")),
    ("htmx/LICENSE", "text/plain; charset=utf-8", include_bytes!("../../static/htmx/LICENSE")),
    ("import.js", "text/javascript; charset=utf-8", include_bytes!("../../static/import.js")),
    ("search.js", "text/javascript; charset=utf-8", include_bytes!("../../static/search.js")),
];

async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, mime, body)) => {
            ([(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, "public, max-age=86400")], *body).into_response()
        }
        None => WebError::new(Code::FileNotFound, format!("no file {path:?}")).into_response(),
    }
}
