//! Co-construction in the JSON API: strategies with their stage, count and follow-up, the
//! deliberation's writes (open and close by moderators, votes and amendments by the actor an
//! account speaks for), and a territory's ecosystem over time. Writes need an API token, or a
//! session with its CSRF token in `X-CSRF-Token`, as every API write.

use crate::WebError;
use crate::extract::{Body, CanWrite, Moderate, Params, Propose};
use crate::i18n::Messages;
use crate::pages::render;
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use solidaria_app::strategy;
use solidaria_app::{AppError, Code};
use solidaria_core::actor::BuildingBlock;
use solidaria_core::deliberation::Choice;
use std::collections::BTreeMap;

/// The co-construction API routes and the history page.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/strategies", get(api_list))
        .route("/api/strategies/{id}", get(api_view))
        .route("/api/strategies/{id}/open", post(api_open))
        .route("/api/strategies/{id}/close", post(api_close))
        .route("/api/strategies/{id}/votes", post(api_vote))
        .route("/api/strategies/{id}/amendments", post(api_amend))
        .route("/api/strategies/{id}/decidim-proposals", get(api_decidim))
        .route("/api/strategies/{id}/loomio-poll", get(api_loomio))
        .route("/api/territories/{id}/history", get(api_history))
        .route("/territories/{id}/history", get(history_page))
}

/// Query of the strategy list (unknown or repeated parameters are refused, as everywhere in the
/// API).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    territory: Option<String>,
}

/// Query of the Decidim export.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DecidimQuery {
    locales: Option<String>,
}

/// Query of the Loomio export.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LoomioQuery {
    closing_at: Option<String>,
}

/// Query of a territory's history.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct HistoryQuery {
    since: Option<String>,
}

async fn api_list(State(state): State<AppState>, Params(q): Params<ListQuery>) -> Result<Response, WebError> {
    let territory = q.territory.filter(|t| !t.is_empty());
    let items = with_store(&state, move |s| Ok(strategy::list(s, territory.as_deref())?)).await?;
    let total = items.len();
    Ok(axum::Json(json!({"items": items, "total": total})).into_response())
}

async fn api_view(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let v = with_store(&state, move |s| Ok(strategy::view(s, &id, &solidaria_app::clock::today())?)).await?;
    Ok(axum::Json(v).into_response())
}

/// The strategy's actions as proposals for Decidim's admin import (`?locales=en,fr`).
async fn api_decidim(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(q): Params<DecidimQuery>,
) -> Result<Response, WebError> {
    let locales = q.locales.unwrap_or_else(|| "en,fr,es".into());
    let v = with_store(&state, move |s| {
        let list: Vec<&str> = locales.split(',').collect();
        Ok(strategy::export_decidim(s, &id, &list)?)
    })
    .await?;
    Ok(axum::Json(v).into_response())
}

/// The strategy as the body of Loomio's create-poll call (`?closing_at=` ISO 8601).
async fn api_loomio(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(q): Params<LoomioQuery>,
) -> Result<Response, WebError> {
    let v = with_store(&state, move |s| Ok(strategy::export_loomio(s, &id, q.closing_at.as_deref())?)).await?;
    Ok(axum::Json(v).into_response())
}

async fn api_open(
    State(state): State<AppState>,
    Path(id): Path<String>,
    c: CanWrite<Moderate>,
) -> Result<Response, WebError> {
    let e = with_store(&state, move |s| Ok(strategy::open(s, &c.user, &id)?)).await?;
    Ok((StatusCode::CREATED, axum::Json(e)).into_response())
}

async fn api_close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    c: CanWrite<Moderate>,
) -> Result<Response, WebError> {
    let (e, o) = with_store(&state, move |s| Ok(strategy::close(s, &c.user, &id)?)).await?;
    Ok((StatusCode::CREATED, axum::Json(json!({"event": e, "outcome": o}))).into_response())
}

/// A vote: `{"choice": "for"|"against"|"abstain"|"object", "reason": "…"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteBody {
    choice: String,
    reason: Option<String>,
}

/// An amendment: `{"text": "…"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AmendBody {
    text: String,
}

async fn api_vote(
    State(state): State<AppState>,
    Path(id): Path<String>,
    c: CanWrite<Propose>,
    Body(b): Body<VoteBody>,
) -> Result<Response, WebError> {
    let choice = Choice::parse(&b.choice)
        .map_err(|e| WebError::from(AppError::new(Code::QueryInvalid, format!("choice: expected {e}")).at("choice")))?;
    let e = with_store(&state, move |s| Ok(strategy::vote(s, &c.user, &id, choice, b.reason)?)).await?;
    Ok((StatusCode::CREATED, axum::Json(e)).into_response())
}

async fn api_amend(
    State(state): State<AppState>,
    Path(id): Path<String>,
    c: CanWrite<Propose>,
    Body(b): Body<AmendBody>,
) -> Result<Response, WebError> {
    let e = with_store(&state, move |s| Ok(strategy::amend(s, &c.user, &id, b.text)?)).await?;
    Ok((StatusCode::CREATED, axum::Json(e)).into_response())
}

/// The year of `since=` (none when absent; the page takes an empty one for absent, the API
/// refuses it).
fn since_of(since: Option<&str>) -> Result<Option<i64>, WebError> {
    since
        .map(|s| {
            s.parse::<i64>().ok().filter(|y| (1000..=9999).contains(y)).ok_or_else(|| {
                WebError::from(
                    AppError::new(Code::QueryInvalid, format!("since: expected a year, found {s:?}")).at("since"),
                )
            })
        })
        .transpose()
}

async fn api_history(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(q): Params<HistoryQuery>,
) -> Result<Response, WebError> {
    let since = since_of(q.since.as_deref())?;
    let h = with_store(&state, move |s| {
        Ok(solidaria_app::diagnose::history(s, &id, since, &solidaria_app::clock::today())?)
    })
    .await?;
    Ok(axum::Json(h).into_response())
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    territory: String,
    chart: String,
    blocks: Vec<String>,
    rows: Vec<(String, Vec<u32>, usize, usize, String)>,
    note: String,
}

async fn history_page(
    State(state): State<AppState>,
    crate::extract::Lang(lang): crate::extract::Lang,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let since = since_of(q.get("since").map(String::as_str).filter(|s| !s.is_empty()))?;
    let t = crate::i18n::messages(lang);
    let h = with_store(&state, move |s| {
        Ok(solidaria_app::diagnose::history(s, &id, since, &solidaria_app::clock::today())?)
    })
    .await?;
    let labels: Vec<&str> = BuildingBlock::ALL.iter().map(|b| t.blocks.of(*b)).collect();
    let chart = solidaria_app::report::history_chart(&format!("{}: {}", t.co.history, h.territory), &h, &labels);
    let rows = h
        .points
        .iter()
        .map(|p| {
            let scores = BuildingBlock::ALL.iter().map(|b| p.score(*b).unwrap_or(0)).collect();
            (p.date.clone(), scores, p.actors, p.links, p.changes.join("; "))
        })
        .collect();
    let page = HistoryPage {
        lang,
        t,
        territory: h.territory.clone(),
        chart,
        blocks: labels.iter().map(|s| s.to_string()).collect(),
        rows,
        note: h.note.clone(),
    };
    Ok(Html(render(page)).into_response())
}
