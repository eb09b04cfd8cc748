//! Social-innovation cases: their list and pages, and the API's list and case with its strength
//! assessment.

use crate::extract::{Lang, Params};
use crate::state::{AppState, with_store};
use crate::{WebError, pages};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use solidaria_app::Class;
use solidaria_app::innovation;
use solidaria_core::record::Record;

/// The cases' routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(cases_page))
        .route("/cases/{id}", get(case_page))
        .route("/api/cases", get(api_cases))
        .route("/api/cases/{id}", get(api_case))
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
async fn api_cases(State(state): State<AppState>, Params(q): Params<CaseQuery>) -> Result<Response, WebError> {
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

/// A case's page: its strength dimension by dimension, its story, its preconditions.
async fn case_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    match with_store(&state, move |s| Ok(innovation::case(s, &id)?)).await {
        Ok(c) => Ok(Html(pages::case(lang, &c)).into_response()),
        Err(WebError::App(e)) if e.class() == Class::NotFound => {
            Ok((StatusCode::NOT_FOUND, Html(pages::not_found(lang, "no such case"))).into_response())
        }
        Err(e) => Err(e),
    }
}

/// The cases with their strength class.
async fn cases_page(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, WebError> {
    let cases = with_store(&state, |s| Ok(solidaria_store::cases(s)?)).await?;
    Ok(Html(pages::cases(lang, &cases)).into_response())
}
