//! The API of duplicates, for moderators: the candidate pairs (`/api/dedup`), a merge previewed
//! with its conflicts, made, listed, shown and undone (`/api/merges…`). The use cases are
//! `solidaria_app::{dedup, merge}`; writes need an API token or the session's CSRF token.

use crate::WebError;
use crate::extract::{Body, Can, CanWrite, Moderate, Params};
use crate::routes::directory::api_limit;
use crate::state::{AppState, with_store};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use solidaria_app::merge;
use solidaria_core::dedup::Options;

/// Query of the candidate pairs.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DedupQuery {
    threshold: Option<f64>,
    across_sources_only: Option<bool>,
    one_to_one: Option<bool>,
    ignore_scheme: Option<String>,
    limit: Option<usize>,
}

/// The candidate pairs, strongest first, with the work done.
async fn api_dedup(
    _c: Can<Moderate>,
    State(state): State<AppState>,
    Params(q): Params<DedupQuery>,
) -> Result<Response, WebError> {
    api_limit(q.limit, DEDUP_LIMIT, "")?;
    let options = Options {
        threshold: q.threshold.unwrap_or(0.5),
        ignore_schemes: q.ignore_scheme.iter().flat_map(|s| s.split(',')).map(str::to_string).collect(),
        across_sources_only: q.across_sources_only.unwrap_or(false),
        one_to_one: q.one_to_one.unwrap_or(false),
    };
    let mut outcome =
        with_store(&state, move |s| Ok(solidaria_app::dedup::candidates(s, &options, &mut |_| {})?)).await?;
    let total = outcome.candidates.len();
    outcome.candidates.truncate(q.limit.unwrap_or(500));
    Ok(axum::Json(json!({"items": outcome.candidates, "total": total, "stats": outcome.stats})).into_response())
}

/// A pair named by its two ids.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    keep: String,
    absorb: String,
}

/// What merging the pair would make, without writing.
async fn api_preview(
    _c: Can<Moderate>,
    State(state): State<AppState>,
    Params(p): Params<Pair>,
) -> Result<Response, WebError> {
    let v = with_store(&state, move |s| Ok(merge::preview(s, &p.keep, &p.absorb)?)).await?;
    Ok(axum::Json(v).into_response())
}

/// The merge made (201), with its number for undoing it.
async fn api_merge(
    c: CanWrite<Moderate>,
    State(state): State<AppState>,
    Body(p): Body<Pair>,
) -> Result<Response, WebError> {
    let m = with_store(&state, move |s| Ok(merge::merge(s, &c.user, &p.keep, &p.absorb)?)).await?;
    let location = format!("/api/merges/{}", m.id);
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, location)], axum::Json(m)).into_response())
}

/// Query of the merge list.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    limit: Option<usize>,
}

/// Largest page of the candidate pairs.
const DEDUP_LIMIT: usize = 10_000;

/// Largest page of the merge list.
const MERGES_LIMIT: usize = 1000;

/// The latest merges, newest first.
async fn api_merges(
    _c: Can<Moderate>,
    State(state): State<AppState>,
    Params(q): Params<ListQuery>,
) -> Result<Response, WebError> {
    api_limit(q.limit, MERGES_LIMIT, "")?;
    let items = with_store(&state, move |s| Ok(merge::list(s, q.limit.unwrap_or(100) as u64)?)).await?;
    let total = items.len();
    Ok(axum::Json(json!({"items": items, "total": total})).into_response())
}

/// One merge with its before-images and conflicts.
async fn api_merge_entry(
    _c: Can<Moderate>,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let e = with_store(&state, move |s| Ok(merge::entry(s, id)?)).await?;
    Ok(axum::Json(e).into_response())
}

/// The merge undone (409 `merge_refused` when the kept record changed since).
async fn api_undo(
    c: CanWrite<Moderate>,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let u = with_store(&state, move |s| Ok(merge::undo(s, &c.user, id)?)).await?;
    Ok(axum::Json(u).into_response())
}

/// The duplicates API routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/dedup", get(api_dedup))
        .route("/api/merges", get(api_merges).post(api_merge))
        .route("/api/merges/preview", get(api_preview))
        .route("/api/merges/{id}", get(api_merge_entry))
        .route("/api/merges/{id}/undo", post(api_undo))
}
