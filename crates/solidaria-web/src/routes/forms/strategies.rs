//! Strategies on the web, for people: the list, each strategy's page (stage, the count college
//! by college, actions with milestones, commitments and indicators, the log), and the forms that
//! open and close rounds (moderators), vote and propose amendments (an account for the actor it
//! speaks for). Every form carries the session's CSRF token; the rules are the use cases'
//! (`solidaria_app::strategy`), as for the API.

use super::as_page;
use crate::WebError;
use crate::extract::{Caller, Lang, Moderate, Posted, Propose};
use crate::i18n::Messages;
use crate::pages::{encode, render};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use solidaria_app::strategy::{self, Summary, View};
use solidaria_core::deliberation::Choice;
use std::collections::BTreeMap;

/// The strategy pages and forms.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/strategies", get(list_page))
        .route("/strategies/{id}", get(strategy_page))
        .route("/strategies/{id}/open", post(open))
        .route("/strategies/{id}/close", post(close))
        .route("/strategies/{id}/vote", post(vote))
        .route("/strategies/{id}/amend", post(amend))
}

#[derive(Template)]
#[template(path = "strategies.html")]
struct ListPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    items: Vec<Summary>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    territory: Option<String>,
}

async fn list_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let q = ListQuery { territory: q.get("territory").cloned().filter(|t| !t.trim().is_empty()) };
    as_page(lang, "/strategies", async {
        let items = with_store(&state, move |s| Ok(strategy::list(s, q.territory.as_deref())?)).await?;
        Ok(Html(render(ListPage { lang, t: crate::i18n::messages(lang), items })).into_response())
    })
    .await
}

/// One line of an action on the page.
struct ActionRow {
    id: String,
    title: String,
    block: String,
    lead: Option<(String, String)>,
    partners: Vec<(String, String)>,
    commitments: Vec<(String, String, String)>,
    resources: Vec<(String, String)>,
    models: Vec<(String, String)>,
    milestones: Vec<(String, String, String)>,
    indicator: Option<String>,
}

#[derive(Template)]
#[template(path = "strategy.html")]
struct StrategyPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    title: String,
    territory: String,
    period: String,
    description: String,
    stage: &'static str,
    rule_title: String,
    rule_summary: String,
    rule_basis: String,
    edited: bool,
    explanation: Vec<String>,
    actions: Vec<ActionRow>,
    voters: Vec<(String, String, String)>,
    log: Vec<(String, String, String, String)>,
    flash: String,
    csrf: String,
    moderator: bool,
    speaks_for: Option<String>,
}

fn link_of(v: &View, id: &str) -> (String, String) {
    (format!("/actors/{}", encode(id)), v.names.get(id).cloned().unwrap_or_else(|| id.to_string()))
}

fn page(lang: &str, v: &View, caller: Option<&Caller>, speaks_for: Option<String>, saved: bool) -> String {
    let t = crate::i18n::messages(lang);
    let st = &v.strategy;
    let get = |k: &str| st.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let docs: Vec<&serde_json::Value> =
        st.get("actions").and_then(|a| a.as_array()).map(|a| a.iter().collect()).unwrap_or_default();
    let strs = |d: &serde_json::Value, k: &str| -> Vec<String> {
        d.get(k).and_then(|x| x.as_array()).into_iter().flatten().filter_map(|x| x.as_str().map(String::from)).collect()
    };
    let actions = v
        .actions
        .iter()
        .zip(docs)
        .map(|(a, d)| ActionRow {
            id: a.id.clone(),
            title: a.title.clone(),
            block: t.blocks.of(a.block).to_string(),
            lead: d.get("lead").and_then(|x| x.as_str()).map(|l| link_of(v, l)),
            partners: strs(d, "partners").iter().map(|p| link_of(v, p)).collect(),
            commitments: d
                .get("commitments")
                .and_then(|x| x.as_array())
                .into_iter()
                .flatten()
                .map(|c| {
                    let (href, name) = link_of(v, c.get("actor").and_then(|x| x.as_str()).unwrap_or(""));
                    (href, name, c.get("what").and_then(|x| x.as_str()).unwrap_or("").to_string())
                })
                .collect(),
            resources: strs(d, "funds")
                .into_iter()
                .map(|f| (format!("/funds/{}", encode(&f)), f))
                .chain(strs(d, "mechanisms").into_iter().map(|m| {
                    let name = v.names.get(&m).cloned().unwrap_or_else(|| m.clone());
                    (format!("/api/mechanisms/{}", encode(&m)), name)
                }))
                .collect(),
            models: strs(d, "models")
                .into_iter()
                .map(|c| (format!("/cases/{}", encode(&c)), v.names.get(&c).cloned().unwrap_or(c)))
                .collect(),
            milestones: a
                .milestones
                .iter()
                .map(|m| {
                    let state = serde_json::to_value(m.state)
                        .ok()
                        .and_then(|x| x.as_str().map(String::from))
                        .unwrap_or_default();
                    (m.milestone.title.clone(), m.milestone.due.to_string(), t.co.word(&state).to_string())
                })
                .collect(),
            indicator: a.indicator.as_ref().map(|i| i.summary.clone()),
        })
        .collect();
    let college = |id: &str| v.rule.college(id).map_or(id.to_string(), |c| c.name.get(lang).to_string());
    let log = v
        .events
        .iter()
        .map(|e| {
            let mut what = t.co.word(e.kind.as_str()).to_string();
            if let Some(c) = e.choice {
                what = t.co.word(c.as_str()).to_string();
            }
            let who = match (&e.actor, &e.college) {
                (Some(a), Some(c)) => {
                    format!("{} ({}) · {}", v.names.get(a).cloned().unwrap_or_else(|| a.clone()), college(c), e.who)
                }
                _ => e.who.clone(),
            };
            (e.at.clone(), who, what, e.text.clone().unwrap_or_default())
        })
        .collect();
    let p = StrategyPage {
        lang,
        t,
        id: get("id"),
        title: get("title"),
        territory: get("territory"),
        period: format!("{}–{}", get("from"), get("until")),
        description: get("description"),
        stage: v.stage.as_str(),
        rule_title: v.rule.title.clone(),
        rule_summary: v.rule.summary.clone(),
        rule_basis: v.rule.basis.clone(),
        edited: v.edited_since_opened,
        explanation: v.outcome.as_ref().map(|o| o.explanation.clone()).unwrap_or_default(),
        actions,
        voters: v
            .voters
            .iter()
            .map(|x| (format!("/actors/{}", encode(&x.actor)), x.name.clone(), college(&x.college)))
            .collect(),
        log,
        flash: if saved { t.co.saved.clone() } else { String::new() },
        csrf: caller.map(Caller::csrf).unwrap_or_default(),
        moderator: caller.is_some_and(|c| c.may(solidaria_core::moderation::Action::Moderate)),
        speaks_for,
    };
    render(p)
}

async fn strategy_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let back = format!("/strategies/{}", encode(&id));
    as_page(lang, &back, async {
        let caller = Caller::of(&state, &headers).await.ok().flatten();
        let user = caller.as_ref().map(|c| c.user.name.clone());
        let (v, speaks_for) = with_store(&state, move |s| {
            let v = strategy::view(s, &id, &solidaria_app::clock::today())?;
            let speaks = match user {
                Some(u) => strategy::speaks_for(s, &u, &v)?,
                None => None,
            };
            Ok((v, speaks))
        })
        .await?;
        let saved = q.get("saved").is_some_and(|s| s == "1");
        Ok(Html(page(lang, &v, caller.as_ref(), speaks_for, saved)).into_response())
    })
    .await
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

#[derive(Deserialize)]
struct VoteForm {
    csrf: String,
    choice: Option<String>,
    reason: Option<String>,
}

#[derive(Deserialize)]
struct AmendForm {
    csrf: String,
    text: String,
}

crate::extract::csrf_field!(CsrfOnly, VoteForm, AmendForm);

fn back(lang: &str, id: &str) -> Response {
    Redirect::to(&format!("/strategies/{}?lang={lang}&saved=1", encode(id))).into_response()
}

/// Runs one deliberation step for the poster and goes back to the strategy's page (or shows why
/// not, as a page).
async fn step<A: crate::extract::Needs, F: crate::extract::CsrfField + Send + 'static>(
    state: AppState,
    lang: &'static str,
    id: String,
    posted: Result<Posted<A, F>, WebError>,
    act: impl FnOnce(&mut dyn solidaria_store::Store, &solidaria_store::accounts::User, &str, F) -> Result<(), WebError>
    + Send
    + 'static,
) -> Response {
    let here = format!("/strategies/{}", encode(&id));
    as_page(lang, &here, async {
        let Posted(c, f) = posted?;
        let key = id.clone();
        let user = c.user.clone();
        with_store(&state, move |s| act(s, &user, &key, f)).await?;
        Ok(back(lang, &id))
    })
    .await
}

async fn open(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    posted: Result<Posted<Moderate, CsrfOnly>, WebError>,
) -> Response {
    step(state, lang, id, posted, |s, u, id, _| Ok(strategy::open(s, u, id).map(|_| ())?)).await
}

async fn close(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    posted: Result<Posted<Moderate, CsrfOnly>, WebError>,
) -> Response {
    step(state, lang, id, posted, |s, u, id, _| Ok(strategy::close(s, u, id).map(|_| ())?)).await
}

async fn vote(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    posted: Result<Posted<Propose, VoteForm>, WebError>,
) -> Response {
    step(state, lang, id, posted, |s, u, id, f: VoteForm| {
        let choice = f.choice.as_deref().and_then(|x| Choice::parse(x).ok()).ok_or_else(|| {
            WebError::new(solidaria_app::Code::QueryInvalid, "choice: expected for, against, abstain or object")
        })?;
        Ok(strategy::vote(s, u, id, choice, f.reason).map(|_| ())?)
    })
    .await
}

async fn amend(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    posted: Result<Posted<Propose, AmendForm>, WebError>,
) -> Response {
    step(state, lang, id, posted, |s, u, id, f: AmendForm| Ok(strategy::amend(s, u, id, f.text).map(|_| ())?)).await
}
