//! Social finance on the web: the funds and each fund's public page and API (aggregates only:
//! positions by organization stay with the fund's managers).

use crate::extract::Lang;
use crate::i18n::{fill, messages};
use crate::state::{AppState, with_store};
use crate::{WebError, pages};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use solidaria_app::error::Code;
use solidaria_app::finance;
use solidaria_app::report::{ReceivedWords, received_chart};
use solidaria_core::Record;
use solidaria_core::record::RecordType;

/// The finance routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/funds", get(funds_page))
        .route("/funds/{id}", get(fund_page))
        .route("/api/funds", get(api_funds))
        .route("/api/funds/{id}", get(api_fund))
        .route("/api/funds/{id}/ledger", get(api_ledger))
        .route("/api/funds/{id}/transactions", axum::routing::post(api_post))
        .route("/api/actors/{id}/finance", get(api_actor_finance))
}

/// The funds and financial mechanisms an organization may use, ranked, each condition with its
/// reason and the facts that would decide the undecided ones.
async fn api_actor_finance(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let v = with_store(&state, move |s| {
        let funds = solidaria_app::matching::for_actor(s, &id)?;
        let mechanisms = solidaria_app::matching::mechanisms_for_actor(s, &id)?;
        Ok(json!({"funds": funds, "mechanisms": mechanisms}))
    })
    .await?;
    Ok(axum::Json(v).into_response())
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

/// A fund's ledger for its managers: the report with positions by investee, and every posting
/// with who posted it and the evidence kept with it.
async fn api_ledger(
    State(state): State<AppState>,
    Path(id): Path<String>,
    c: crate::extract::Can<crate::extract::Propose>,
) -> Result<Response, WebError> {
    let v = with_store(&state, move |s| {
        let (p, postings) = finance::ledger(s, &c.user, &id)?;
        let items: Vec<Value> = postings
            .iter()
            .map(|x| {
                json!({"seq": x.seq, "transaction": serde_json::from_str::<Value>(&x.doc).unwrap_or(Value::Null),
                       "evidence": x.evidence.as_deref().and_then(|e| serde_json::from_str::<Value>(e).ok()),
                       "who": x.who, "at": x.at})
            })
            .collect();
        Ok(json!({"report": p.report.to_json(&p.fund), "postings": items}))
    })
    .await?;
    Ok(axum::Json(v).into_response())
}

/// Posts transactions (one object, or an array) to a fund the caller manages, all or nothing;
/// refused postings name their invariant (422).
async fn api_post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    c: crate::extract::CanWrite<crate::extract::Propose>,
    crate::extract::Body(body): crate::extract::Body<Value>,
) -> Result<Response, WebError> {
    let items = match body {
        Value::Array(a) => a,
        v @ Value::Object(_) => vec![v],
        _ => {
            return Err(WebError::new(
                Code::RecordAddressMismatch,
                "expected a transaction object or an array of them",
            ));
        }
    };
    let mut records = Vec::with_capacity(items.len());
    for (i, mut v) in items.into_iter().enumerate() {
        let Some(fields) = v.as_object_mut() else {
            return Err(WebError::new(
                Code::RecordAddressMismatch,
                format!("transaction {}: expected a JSON object (a transaction record)", i + 1),
            ));
        };
        match fields.get("fund").and_then(Value::as_str) {
            None => {
                fields.insert("fund".into(), json!(id));
            }
            Some(f) if f == id => {}
            Some(f) => {
                return Err(WebError::new(
                    Code::RecordAddressMismatch,
                    format!("transaction {}: names fund {f:?}, posted to /api/funds/{id}", i + 1),
                ));
            }
        }
        records.push((i as u64 + 1, v));
    }
    let user = c.user.clone();
    let key = id.clone();
    let r = with_store(&state, move |s| {
        finance::managed(s, &user, &key)?;
        Ok(finance::post_as(s, &user, &records)?)
    })
    .await?;
    let status =
        if r.committed { axum::http::StatusCode::CREATED } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    Ok((
        status,
        axum::Json(
            json!({"committed": r.committed, "posted": r.posted, "unchanged": r.unchanged, "problems": r.problems}),
        ),
    )
        .into_response())
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
    let t = messages(lang);
    let found = with_store(&state, move |s| {
        let p = finance::portfolio(s, &id, None)?;
        let name = fill(&t.fm.chart_name, &[("fund", &p.fund.name)]);
        let words = ReceivedWords {
            title: &p.fund.name,
            name: &name,
            private: &t.fm.chart_private,
            public: &t.fm.chart_public,
            empty: &t.fm.chart_empty,
            separator: &t.fm.chart_separator,
            money: t.money_style(),
        };
        let chart = received_chart(&words, p.fund.currency, &p.received);
        let manager = match s.get(RecordType::Actor, p.fund.manager.as_str())? {
            Some(Record::Actor(a)) => a.name,
            _ => p.fund.manager.to_string(),
        };
        Ok((p.fund, p.report, chart, manager))
    })
    .await;
    match found {
        Ok((f, r, chart, manager)) => Ok(Html(pages::fund(lang, &f, &r, chart, manager)).into_response()),
        Err(WebError::App(e)) if e.code == Code::FundNotFound => Ok(pages::not_found(lang, &e.message)),
        Err(e) => Err(e),
    }
}
