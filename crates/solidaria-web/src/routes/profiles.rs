//! The screening profiles: their list and pages, and the API's.

use crate::extract::Lang;
use crate::state::AppState;
use crate::{WebError, pages};
use axum::Router;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use solidaria_core::screening::builtin;

/// The profiles' routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/profiles", get(profiles_page))
        .route("/profiles/{id}", get(profile_page))
        .route("/api/profiles", get(api_profiles))
        .route("/api/profiles/{id}", get(api_profile))
}

async fn api_profiles() -> Response {
    let items: Vec<Value> = builtin::all()
        .iter()
        .map(|p| json!({"id": p.id, "title": p.title, "version": p.version, "subject": p.subject, "jurisdiction": p.jurisdiction, "instrument": p.instrument, "criteria": p.criteria.len()}))
        .collect();
    let total = items.len();
    axum::Json(json!({"items": items, "total": total, "facets": {}})).into_response()
}

async fn profiles_page(Lang(lang): Lang) -> Response {
    Html(pages::profiles(lang)).into_response()
}

async fn profile_page(Lang(lang): Lang, Path(id): Path<String>) -> Response {
    match builtin::find(&id) {
        Some(p) => Html(pages::profile(lang, p)).into_response(),
        None => pages::not_found(lang, &format!("no profile {id:?}")),
    }
}

async fn api_profile(Path(id): Path<String>) -> Result<Response, WebError> {
    Ok(axum::Json(solidaria_app::screen::profile(&id)?).into_response())
}
