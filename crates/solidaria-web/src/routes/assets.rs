//! Files served under `/static/`, compiled into the binary; text files gzipped once, the first
//! time they are asked for, and sent so to clients that accept it (htmx: 52 KB, about 16 KB
//! gzipped). Only these public files are compressed: pages, which may hold a session's CSRF
//! token next to text a visitor typed, are not (BREACH).

use crate::WebError;
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use solidaria_app::Code;

/// The assets' route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/static/{*path}", get(asset))
}

/// Files served under `/static/`, compiled into the binary: the vendored Leaflet (see
/// `static/leaflet/SOURCE.md`), htmx (`static/htmx/SOURCE.md`) and our five small scripts.
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
    ("tables.js", "text/javascript; charset=utf-8", include_bytes!("../../static/tables.js")),
    ("network.js", "text/javascript; charset=utf-8", include_bytes!("../../static/network.js")),
];

/// Each text asset gzipped (by its index in [`ASSETS`]), made on first use and shared by every
/// response (a clone of `Bytes` copies nothing); `None` if compression failed.
static GZIPPED: std::sync::LazyLock<Vec<std::sync::OnceLock<Option<Bytes>>>> =
    std::sync::LazyLock::new(|| ASSETS.iter().map(|_| std::sync::OnceLock::new()).collect());

fn gzip(body: &[u8]) -> Option<Bytes> {
    use std::io::Write as _;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(body).ok()?;
    e.finish().ok().map(Bytes::from)
}

/// Whether the request's `Accept-Encoding` accepts gzip (not refused with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |part| {
            let mut it = part.split(';').map(str::trim);
            let name = it.next().unwrap_or("");
            let q0 = it.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q == 0.0)));
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !q0
        },
    )
}

async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(i) = ASSETS.iter().position(|(p, _, _)| *p == path) else {
        return WebError::new(Code::FileNotFound, format!("no file {path:?}")).into_response();
    };
    let (_, mime, body) = ASSETS[i];
    let cache = (header::CACHE_CONTROL, "public, max-age=86400");
    let vary = (header::VARY, "Accept-Encoding");
    if mime.starts_with("text/")
        && accepts_gzip(&headers)
        && let Some(zipped) = GZIPPED[i].get_or_init(|| gzip(body))
    {
        let encoding = (header::CONTENT_ENCODING, "gzip");
        return ([(header::CONTENT_TYPE, mime), cache, vary, encoding], zipped.clone()).into_response();
    }
    ([(header::CONTENT_TYPE, mime), cache, vary], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_accepted_unless_refused() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, v.parse().unwrap());
            accepts_gzip(&h)
        };
        assert!(with("gzip, deflate, br") && with("br;q=1.0, GZIP;q=0.5") && with("*"));
        assert!(!with("br") && !with("gzip;q=0") && !with("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
