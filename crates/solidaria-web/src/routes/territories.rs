//! A territory's ecosystem diagnostic: the printable page and the API.

use crate::WebError;
use crate::state::{AppState, with_store};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use solidaria_app::diagnose::{self, Loaded};
use std::collections::BTreeMap;

/// The diagnostic's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/territories/{id}/diagnostic", get(diagnostic_page))
        .route("/api/territories/{id}/diagnostic", get(api_diagnostic))
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
