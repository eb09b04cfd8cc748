//! Social finance on the web: the funds and each fund's public page and API (aggregates only:
//! positions by organization stay with the fund's managers).

use crate::extract::Lang;
use crate::state::{AppState, with_store};
use crate::{WebError, pages};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use solidaria_app::error::Code;
use solidaria_app::finance;

/// The finance routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/funds", get(funds_page))
        .route("/funds/{id}", get(fund_page))
        .route("/api/funds", get(api_funds))
        .route("/api/funds/{id}", get(api_fund))
}

/// A fund's public figures as JSON: the report without the positions by organization.
fn public_report(f: &solidaria_core::finance::fund::Fund, r: &solidaria_core::finance::report::Report) -> Value {
    let mut v = r.to_json(f);
    if let Some(o) = v.as_object_mut() {
        o.remove("outstanding_by_investee");
    }
    v["definition"] = f.to_json();
    v
}

async fn api_funds(State(state): State<AppState>) -> Result<Response, WebError> {
    let items = with_store(&state, |s| {
        let funds = finance::funds(s)?;
        Ok(funds.iter().map(|f| f.to_json()).collect::<Vec<Value>>())
    })
    .await?;
    let total = items.len();
    Ok(axum::Json(json!({"items": items, "total": total})).into_response())
}

async fn api_fund(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let v = with_store(&state, move |s| {
        let (f, r) = finance::fund_report(s, &id, None)?;
        Ok(public_report(&f, &r))
    })
    .await?;
    Ok(axum::Json(v).into_response())
}

async fn funds_page(State(state): State<AppState>, Lang(lang): Lang) -> Result<Response, WebError> {
    let summaries = with_store(&state, |s| Ok(finance::summaries(s)?)).await?;
    let rows = summaries
        .into_iter()
        .map(|(f, r)| {
            let leverage = r.leverage.map_or("—".to_string(), |l| format!("{l}:1"));
            (f.id.to_string(), f.name, f.manager.to_string(), leverage)
        })
        .collect();
    Ok(Html(pages::funds(lang, rows)).into_response())
}

async fn fund_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let found = with_store(&state, move |s| {
        let p = finance::portfolio(s, &id, None)?;
        let chart = solidaria_app::report::received_chart(&p.fund.name, p.fund.currency, &p.received);
        Ok((p.fund, p.report, chart))
    })
    .await;
    match found {
        Ok((f, r, chart)) => Ok(Html(pages::fund(lang, &f, &r, chart)).into_response()),
        Err(WebError::App(e)) if e.code == Code::FundNotFound => Ok(pages::not_found(lang, &e.message)),
        Err(e) => Err(e),
    }
}
