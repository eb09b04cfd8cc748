//! Proposing an edit of an actor, and the moderation queue with its diffs and decisions.

use super::as_page;
use crate::WebError;
use crate::extract::{Can, Lang, Moderate, PageFields, PageParams, Posted, Propose};
use crate::i18n::Messages;
use crate::pages::{Pager, encode, render};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use solidaria_app::AppError;
use solidaria_app::moderate::{decide_as, proposal_json, verified_from};
use solidaria_app::write::{Intent, Outcome, apply};
use solidaria_core::moderation::{Decision, ProposalState};
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

/// The form proposing an edit of an actor's name, description and website.
async fn edit_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    c: Result<Can<Propose>, WebError>,
) -> Response {
    let back = format!("/actors/{id}/edit");
    as_page(lang, &back, async {
        let c = c?;
        let a = with_store(&state, move |s| Ok(solidaria_app::directory::actor_record(s, &id)?)).await?;
        let page = EditPage {
            lang,
            t: crate::i18n::messages(lang),
            id: a.id.to_string(),
            name: a.name.clone(),
            description: a.description.clone().unwrap_or_default(),
            website: a.website.as_ref().map(|w| w.to_string()).unwrap_or_default(),
            user: c.user.name.clone(),
            role: c.user.role.as_str(),
            csrf: c.csrf(),
        };
        Ok(Html(render(page)).into_response())
    })
    .await
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

/// Applies the edit (moderators, admins) or proposes it (contributors), then shows the actor.
async fn edit(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    posted: Result<Posted<Propose, EditForm>, WebError>,
) -> Response {
    let back = format!("/actors/{id}/edit");
    as_page(lang, &back, async {
        let Posted(c, f) = posted?;
        let key = id.clone();
        let outcome = with_store(&state, move |s| {
            let current = solidaria_app::directory::actor_record(s, &key)?;
            let record = edited(Record::Actor(current).to_json(), &f)?;
            Ok(apply(s, &c.user, Intent::Update(record), f.note.clone())?)
        })
        .await?;
        let saved = match outcome {
            Outcome::Applied { .. } => "applied".to_string(),
            Outcome::Proposed { id, .. } => format!("proposal-{id}"),
        };
        Ok(Redirect::to(&format!("/actors/{}?lang={lang}&saved={saved}", encode(&id))).into_response())
    })
    .await
}

/// A proposal as shown in the queue.
struct QueueItem {
    id: i64,
    /// What the proposal asks, in the page's language ("Delete an actor").
    kind: String,
    record_key: String,
    link: String,
    proposed_by: String,
    note: String,
    changes: Vec<(String, String, String)>,
    since: Vec<(String, String, String)>,
    /// A self-assessment's answers: key, value, evidence.
    answers: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    csrf: String,
    items: Vec<QueueItem>,
    pager: Pager,
}

/// Proposals on a page of the moderation queue (each shows its diffs and a form).
const QUEUE_PAGE: usize = 20;

/// Query of the moderation queue: a page of it.
#[derive(Debug, Deserialize, Default)]
struct QueueQuery {
    offset: Option<usize>,
    limit: Option<usize>,
}

impl PageFields for QueueQuery {
    const FIELDS: &'static [&'static str] = &["offset", "limit"];
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

/// A self-assessment's answers as rows: the key, the value, the evidence given (source, date, link).
fn answers(v: &Value) -> Vec<(String, String, String)> {
    v.as_object()
        .into_iter()
        .flatten()
        .map(|(k, f)| {
            let evidence =
                ["source", "date", "url"].iter().filter_map(|p| f.get(*p).map(shown)).collect::<Vec<_>>().join(" · ");
            (k.clone(), shown(&f["value"]), evidence)
        })
        .collect()
}

/// The pending proposals, newest first, a page at a time, each with its diffs and the decision
/// form.
async fn moderation_queue(
    State(state): State<AppState>,
    Lang(lang): Lang,
    PageParams(q): PageParams<QueueQuery>,
    c: Result<Can<Moderate>, WebError>,
) -> Response {
    as_page(lang, "/moderation", async {
        let c = c?;
        let (offset, limit) = (q.offset.unwrap_or(0), q.limit.unwrap_or(QUEUE_PAGE).clamp(1, 200));
        let (items, total) = with_store(&state, move |s| {
            let pending = Some(ProposalState::Pending);
            let (list, total) = solidaria_app::moderate::page(s, pending, None, offset as u64, limit as u64)?;
            let items =
                list.iter().map(|p| Ok((p.clone(), proposal_json(s, p)?))).collect::<Result<Vec<_>, WebError>>()?;
            Ok((items, total))
        })
        .await?;
        let base = Pager::base(&format!("/moderation?lang={lang}"), limit, QUEUE_PAGE);
        let pager = Pager::new(&base, offset, limit, items.len(), usize::try_from(total).unwrap_or(usize::MAX));
        let t = crate::i18n::messages(lang);
        let items = items
            .into_iter()
            .map(|(p, v)| QueueItem {
                id: p.id,
                kind: t.proposal_kinds.of(&p),
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
                answers: answers(&v["self_declared"]),
            })
            .collect();
        Ok(Html(render(ModerationPage { lang, t, csrf: c.csrf(), items, pager })).into_response())
    })
    .await
}

#[derive(Deserialize)]
struct DecisionForm {
    csrf: String,
    state: String,
    message: Option<String>,
    duplicate_of: Option<String>,
    /// `declared` or `verified`: how a validation takes a self-assessment's answers.
    assurance: Option<String>,
}

/// A moderator's decision on a proposal, then back to the queue.
async fn moderate(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<i64>,
    posted: Result<Posted<Moderate, DecisionForm>, WebError>,
) -> Response {
    as_page(lang, "/moderation", async {
        let Posted(c, f) = posted?;
        let decision = Decision::from_fields(&f.state, f.message.as_deref(), f.duplicate_of.as_deref())?;
        let verified = verified_from(f.assurance.as_deref())?;
        with_store(&state, move |s| Ok(decide_as(s, &c.user, id, decision, verified)?)).await?;
        Ok(Redirect::to(&format!("/moderation?lang={lang}")).into_response())
    })
    .await
}

crate::extract::csrf_field!(EditForm, DecisionForm);
