//! Proposing an edit of an actor, and the moderation queue with its diffs and decisions.

use super::{FormResult, Params, check_csrf, csrf_of, encode, html_error, lang, render};
use crate::WebError;
use crate::i18n::Messages;
use crate::routes::writes::{caller, require};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use solidaria_app::moderate::{decide, proposal_json};
use solidaria_app::write::{Intent, Outcome, apply};
use solidaria_app::{AppError, Code};
use solidaria_core::moderation::{Action, Decision, ProposalState};
use solidaria_core::record::{Record, RecordType, parse_record};

/// The edit and moderation routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/actors/{id}/edit", get(edit_form).post(edit))
        .route("/moderation", get(moderation_queue))
        .route("/moderation/{id}", post(moderate))
}

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    name: String,
    description: String,
    website: String,
    user: String,
    role: &'a str,
    csrf: String,
}

async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
) -> Response {
    let lang = lang(&q, &headers);
    let back = format!("/actors/{id}/edit");
    let run = async {
        let c = require(caller(&state, &headers).await?, Action::Propose)?;
        let a = with_store(&state, move |s| match s.get(RecordType::Actor, &id)? {
            Some(Record::Actor(a)) => Ok(a),
            _ => Err(WebError::new(Code::RecordNotFound, format!("no actor with id {id:?}"))),
        })
        .await?;
        let page = EditPage {
            lang,
            t: crate::i18n::messages(lang),
            id: a.id.to_string(),
            name: a.name.clone(),
            description: a.description.clone().unwrap_or_default(),
            website: a.website.as_ref().map(|w| w.to_string()).unwrap_or_default(),
            user: c.user.name.clone(),
            role: c.user.role.as_str(),
            csrf: csrf_of(&c),
        };
        Ok::<_, WebError>(Html(render(page)).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, &back, e))
}

#[derive(Deserialize)]
struct EditForm {
    csrf: String,
    name: String,
    description: String,
    website: String,
    note: Option<String>,
}

/// The actor with the form's fields applied, validated like any record.
fn edited(current: Value, f: &EditForm) -> Result<Record, WebError> {
    let mut doc = current;
    let set = |doc: &mut Value, key: &str, v: &str| {
        let v = v.trim();
        if v.is_empty() {
            if let Some(o) = doc.as_object_mut() {
                o.remove(key);
            }
        } else {
            doc[key] = json!(v);
        }
    };
    doc["name"] = json!(f.name.trim());
    set(&mut doc, "description", &f.description);
    set(&mut doc, "website", &f.website);
    parse_record(&doc).map_err(|problems| {
        AppError { message: "the edit is not valid".into(), ..AppError::invalid_record(&problems) }.into()
    })
}

async fn edit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Params,
    form: FormResult<EditForm>,
) -> Response {
    let lang = lang(&q, &headers);
    let back = format!("/actors/{id}/edit");
    let run = async {
        let Form(f) = form.map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::Propose)?;
        check_csrf(&c, &f.csrf)?;
        let key = id.clone();
        let outcome = with_store(&state, move |s| {
            let current = s
                .get(RecordType::Actor, &key)?
                .ok_or_else(|| WebError::new(Code::RecordNotFound, format!("no actor {key:?}")))?;
            let record = edited(current.to_json(), &f)?;
            Ok(apply(s, &c.user, Intent::Update(record), f.note.clone())?)
        })
        .await?;
        let saved = match outcome {
            Outcome::Applied { .. } => "applied".to_string(),
            Outcome::Proposed { id, .. } => format!("proposal-{id}"),
        };
        Ok::<_, WebError>(Redirect::to(&format!("/actors/{}?lang={lang}&saved={saved}", encode(&id))).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, &back, e))
}

/// A proposal as shown in the queue.
struct QueueItem {
    id: i64,
    action: &'static str,
    record_type: String,
    record_key: String,
    link: String,
    proposed_by: String,
    note: String,
    changes: Vec<(String, String, String)>,
    since: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    csrf: String,
    items: Vec<QueueItem>,
}

fn shown(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

fn rows(v: &Value) -> Vec<(String, String, String)> {
    v.as_array().into_iter().flatten().map(|c| (shown(&c["path"]), shown(&c["before"]), shown(&c["after"]))).collect()
}

async fn moderation_queue(State(state): State<AppState>, headers: HeaderMap, Query(q): Params) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let c = require(caller(&state, &headers).await?, Action::Moderate)?;
        let items = with_store(&state, move |s| {
            let list = s.proposals(Some(ProposalState::Pending), None, 200)?;
            list.iter().map(|p| Ok((p.clone(), proposal_json(s, p)?))).collect::<Result<Vec<_>, WebError>>()
        })
        .await?;
        let t = crate::i18n::messages(lang);
        let items = items
            .into_iter()
            .map(|(p, v)| QueueItem {
                id: p.id,
                action: p.action.as_str(),
                record_type: p.record_type.to_string(),
                link: match p.record_type {
                    RecordType::Actor => format!("/actors/{}", encode(&p.record_key)),
                    RecordType::Case => format!("/cases/{}", encode(&p.record_key)),
                    _ => format!("/api/{}s/{}", p.record_type, encode(&p.record_key)),
                },
                record_key: p.record_key,
                proposed_by: format!("{} {} · {}", t.proposed_by, p.proposer, p.at),
                note: p.note.unwrap_or_default(),
                changes: rows(&v["changes"]),
                since: rows(&v["changes_from_current"]),
            })
            .collect();
        let page = ModerationPage { lang, t, csrf: csrf_of(&c), items };
        Ok::<_, WebError>(Html(render(page)).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/moderation", e))
}

#[derive(Deserialize)]
struct DecisionForm {
    csrf: String,
    state: String,
    message: Option<String>,
    duplicate_of: Option<String>,
}

async fn moderate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Params,
    form: FormResult<DecisionForm>,
) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let Form(f) = form.map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::Moderate)?;
        check_csrf(&c, &f.csrf)?;
        let decision = Decision::from_fields(&f.state, f.message.as_deref(), f.duplicate_of.as_deref())?;
        with_store(&state, move |s| Ok(decide(s, &c.user, id, decision)?)).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/moderation?lang={lang}")).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/moderation", e))
}
