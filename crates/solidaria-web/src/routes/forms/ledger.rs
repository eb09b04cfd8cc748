//! A fund's ledger for its managers (accounts linked to the fund's manager actor) and admins:
//! positions by investee, every posting with who posted it, and the posting form, whose refusal
//! names the invariant with the figures (the use case's words). Deny by default: anyone else gets
//! `fund_private` (403); anonymous visitors are sent to the login page.

use super::as_page;
use crate::WebError;
use crate::extract::{Can, Lang, Posted, Propose};
use crate::i18n::Messages;
use crate::pages::{encode, render};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use solidaria_app::finance;
use solidaria_core::finance::transaction::Kind;
use std::collections::BTreeMap;

/// The ledger routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/funds/{id}/ledger", get(ledger_page).post(post_form))
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    name: String,
    currency: String,
    leverage: String,
    headroom: String,
    cash: String,
    /// Each kind's code and its words in the page's language.
    kinds: Vec<(&'static str, &'a str)>,
    positions: Vec<(String, String, String, String)>,
    postings: Vec<(i64, String, String, String, String, String, String)>,
    problems: Vec<String>,
    flash: String,
    csrf: String,
    /// The form's values (kept when a posting is refused): id, date, kind, amount, counterparty,
    /// instrument, of, note.
    form: (String, String, String, String, String, String, String, String),
}

/// The posting form.
#[derive(Deserialize, Default, Clone)]
struct TxForm {
    csrf: String,
    id: String,
    date: String,
    kind: String,
    amount: String,
    counterparty: Option<String>,
    instrument: Option<String>,
    of: Option<String>,
    note: Option<String>,
}

crate::extract::csrf_field!(TxForm);

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

async fn render_ledger(
    state: &AppState,
    lang: &'static str,
    c: &crate::extract::Caller,
    id: String,
    problems: Vec<String>,
    form: TxForm,
    flash: bool,
) -> Result<String, WebError> {
    let user = c.user.clone();
    let (p, postings) = with_store(state, move |s| Ok(finance::ledger(s, &user, &id)?)).await?;
    let t = crate::i18n::messages(lang);
    let cur = p.fund.currency;
    let positions = p
        .positions
        .iter()
        .map(|(who, pos)| {
            let name = p.investees.get(who).map_or_else(|| who.clone(), |a| a.name.clone());
            (encode(who), name, t.money(cur, pos.invested), t.money(cur, pos.outstanding))
        })
        .collect();
    let postings = postings
        .iter()
        .rev()
        .take(500)
        .map(|x| {
            let v: Value = serde_json::from_str(&x.doc).unwrap_or(Value::Null);
            let g = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            // The canonical text of an amount, in the page's language (as stored if unreadable).
            let amount = g("amount");
            let amount = solidaria_core::finance::money::parse_minor(&amount, cur.decimals())
                .map_or(amount, |m| t.money(cur, i128::from(m)));
            let kind = g("kind");
            let kind = t.transaction_kinds.get(&kind).map_or(kind.clone(), str::to_string);
            (x.seq, g("date"), kind, amount, g("counterparty"), g("id"), x.who.clone())
        })
        .collect();
    let page = LedgerPage {
        lang,
        t,
        id: p.fund.id.to_string(),
        name: p.fund.name.clone(),
        currency: cur.code().to_string(),
        leverage: p.report.leverage.clone().map_or("—".to_string(), |l| format!("{l}:1")),
        headroom: t.money(cur, p.report.headroom),
        cash: t.money(cur, p.report.cash),
        kinds: Kind::NAMES.iter().map(|k| (*k, t.transaction_kinds.get(k).unwrap_or(k))).collect(),
        positions,
        postings,
        problems,
        flash: if flash { t.fm.posted_ok.clone() } else { String::new() },
        csrf: c.csrf(),
        form: (
            form.id,
            form.date,
            form.kind,
            form.amount,
            opt(&form.counterparty),
            opt(&form.instrument),
            opt(&form.of),
            opt(&form.note),
        ),
    };
    Ok(render(page))
}

async fn ledger_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
    c: Result<Can<Propose>, WebError>,
) -> Response {
    let back = format!("/funds/{}/ledger", encode(&id));
    as_page(lang, &back, async {
        let c = c?;
        let saved = q.get("saved").is_some_and(|s| s == "1");
        Ok(Html(render_ledger(&state, lang, &c, id, Vec::new(), TxForm::default(), saved).await?).into_response())
    })
    .await
}

async fn post_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    posted: Result<Posted<Propose, TxForm>, WebError>,
) -> Response {
    let back = format!("/funds/{}/ledger", encode(&id));
    as_page(lang, &back, async {
        let Posted(c, f) = posted?;
        let mut v = json!({"type": "transaction", "id": f.id.trim(), "fund": id, "date": f.date.trim(),
                           "kind": f.kind.trim(), "amount": f.amount.trim()});
        for (k, x) in
            [("counterparty", &f.counterparty), ("instrument", &f.instrument), ("of", &f.of), ("note", &f.note)]
        {
            if let Some(x) = x.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                v[k] = json!(x);
            }
        }
        let user = c.user.clone();
        let report = with_store(&state, move |s| Ok(finance::post_as(s, &user, &[(1, v)])?)).await?;
        if report.committed {
            return Ok(Redirect::to(&format!("/funds/{}/ledger?lang={lang}&saved=1", encode(&id))).into_response());
        }
        // "1: " is the line of the one record the form makes: the problem alone is clearer.
        let problems = report.problems.iter().map(|p| p.strip_prefix("1: ").unwrap_or(p).to_string()).collect();
        let page = render_ledger(&state, lang, &c, id, problems, f, false).await?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response())
    })
    .await
}
