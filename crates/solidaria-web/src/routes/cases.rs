//! Social-innovation cases: their list and pages, and the API's list and case with its strength
//! assessment.

use crate::extract::{Lang, PageFields, PageParams, Params};
use crate::routes::territories;
use crate::state::{AppState, with_store};
use crate::{WebError, pages};
use axum::Router;
use axum::extract::{Path, State};
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
        Err(WebError::App(e)) if e.class() == Class::NotFound => Ok(pages::not_found(lang, "no such case")),
        Err(e) => Err(e),
    }
}

/// Query of the cases page.
#[derive(Debug, Deserialize, Default)]
struct CasesPageQuery {
    q: Option<String>,
    territory: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

impl PageFields for CasesPageQuery {
    const FIELDS: &'static [&'static str] = &["q", "territory", "limit", "offset"];
}

/// The cases found (text, territory by code or name) with their strength class, a page at a
/// time.
async fn cases_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    PageParams(mut q): PageParams<CasesPageQuery>,
) -> Result<Response, WebError> {
    let text = q.q.clone().filter(|s| !s.trim().is_empty());
    let typed = text.clone().unwrap_or_default();
    let choose =
        |code: &str| format!("/cases?lang={lang}&q={}&territory={}", pages::encode(&typed), pages::encode(code));
    if let Some(page) = territories::resolve_param(&state, lang, &mut q.territory, choose).await? {
        return Ok(page);
    }
    let territory = q.territory.clone().filter(|s| !s.trim().is_empty());
    let (t1, t2) = (text.clone(), territory.clone());
    let found = with_store(&state, move |s| Ok(innovation::find(s, t1.as_deref(), t2.as_deref())?)).await?;
    let (offset, limit) = (q.offset.unwrap_or(0), q.limit.unwrap_or(pages::DEFAULT_PAGE).clamp(1, 500));
    let page =
        pages::cases(lang, text.as_deref().unwrap_or(""), territory.as_deref().unwrap_or(""), &found, (offset, limit));
    Ok(Html(page).into_response())
}
