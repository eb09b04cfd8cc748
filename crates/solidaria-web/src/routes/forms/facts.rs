//! Supplying the facts that would decide a verdict (`/actors/{id}/facts?profile=P`): the form
//! asks exactly the facts `solidaria_app::evidence::asked` lists, one input per fact typed by
//! the vocabulary, and the evidence for them; what is sent goes through
//! `solidaria_app::evidence::supply` (applied for moderators and admins, proposed for
//! contributors, like an edit). A form that cannot be used comes back with each problem at its
//! field and what was typed kept (422). Anonymous visitors see the facts and a link to sign in.

use super::as_page;
use crate::WebError;
use crate::extract::{Can, Lang, Params, Posted, Propose};
use crate::i18n::Messages;
use crate::pages::{encode, render};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use solidaria_app::evidence::{Asked, asked, supply};
use solidaria_app::write::Outcome;
use solidaria_core::FieldError;
use solidaria_core::screening::Verdict;
use solidaria_core::screening::evidence::join_sets;
use solidaria_core::supply::Supplied;
use solidaria_core::vocab::{FactSpec, FactType};

/// The route of the form.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/actors/{id}/facts", get(facts_form).post(facts_sent))
}

/// The query of the form's address: the profile whose verdict the facts would decide.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactsQuery {
    profile: Option<String>,
    #[allow(dead_code)]
    lang: Option<String>,
}

/// One choice of a yes/no, list or set input.
pub(super) struct Choice {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) chosen: bool,
}

/// One fact's input.
pub(super) struct FactInput {
    pub(super) key: &'static str,
    pub(super) meaning: &'static str,
    pub(super) expected: String,
    /// `bool`, `choice`, `set`, `number` or `text`.
    pub(super) kind: &'static str,
    pub(super) options: Vec<Choice>,
    pub(super) value: String,
    pub(super) step: &'static str,
    pub(super) min: &'static str,
    pub(super) max: &'static str,
    pub(super) error: String,
}

#[derive(Template)]
#[template(path = "facts.html")]
struct FactsPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    name: String,
    profile: String,
    version: String,
    verdict: String,
    class: &'static str,
    qualify: String,
    refute: String,
    facts: Vec<FactInput>,
    problems: Vec<String>,
    csrf: String,
    user: String,
    login: String,
    source: String,
    url: String,
    date: String,
    note: String,
    source_error: String,
    url_error: String,
    date_error: String,
    note_error: String,
}

/// The problems of one field, in words.
pub(super) fn errors_at(problems: &[FieldError], field: &str) -> String {
    problems.iter().filter(|p| p.field == field).map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// One input for a fact of the vocabulary, with what was typed (nothing chosen when nothing was).
pub(super) fn input(t: &Messages, spec: &'static FactSpec, sent: &Supplied, problems: &[FieldError]) -> FactInput {
    let given = sent.given(spec.key);
    let choices = |values: &[&str], label: &dyn Fn(&str) -> String| {
        values
            .iter()
            .map(|v| Choice { value: v.to_string(), label: label(v), chosen: given.contains(v) })
            .collect::<Vec<_>>()
    };
    let (kind, options, step, min, max) = match spec.ty {
        FactType::Bool => {
            let yes_no = |v: &str| if v == "true" { t.yes.clone() } else { t.no.clone() };
            ("bool", choices(&["true", "false"], &yes_no), "", "", "")
        }
        FactType::Enum(values) => ("choice", choices(values, &|v| v.replace('_', " ")), "", "", ""),
        FactType::Set(values) => ("set", choices(values, &|v| v.replace('_', " ")), "", "", ""),
        FactType::Count => ("number", Vec::new(), "1", "0", ""),
        FactType::Share | FactType::Rate => ("number", Vec::new(), "any", "0", "1"),
        FactType::Ratio => ("number", Vec::new(), "any", "1", ""),
        FactType::Number => ("number", Vec::new(), "any", "0", ""),
        FactType::ActorRef => ("text", Vec::new(), "", "", ""),
    };
    FactInput {
        key: spec.key,
        meaning: spec.meaning,
        expected: spec.ty.expected(),
        kind,
        options,
        value: given.first().map(|v| v.to_string()).unwrap_or_default(),
        step,
        min,
        max,
        error: errors_at(problems, spec.key),
    }
}

/// The form's page: the facts asked with what was sent and the problems found (none at first);
/// without a caller (`csrf` empty) the facts and a link to sign in.
fn page(lang: &str, a: &Asked, who: Option<(&str, String)>, sent: &Supplied, problems: &[FieldError]) -> String {
    let t = crate::i18n::messages(lang);
    let id = a.actor.id.to_string();
    let (qualify, refute) = a
        .evidence
        .as_ref()
        .map(|e| (join_sets(&e.to_qualify, " | "), join_sets(&e.to_refute, " | ")))
        .unwrap_or_default();
    let back = format!("/actors/{}/facts?profile={}&lang={lang}", encode(&id), encode(&a.profile.id));
    let (user, csrf) = who.map(|(u, c)| (u.to_string(), c)).unwrap_or_default();
    render(FactsPage {
        lang,
        t,
        name: a.actor.name.clone(),
        profile: a.profile.id.clone(),
        version: a.profile.version.clone(),
        verdict: a.verdict.as_str().replace('_', " "),
        class: match a.verdict {
            Verdict::Qualifies => "pass",
            Verdict::DoesNotQualify => "fail",
            Verdict::InsufficientEvidence => "unknown",
        },
        qualify,
        refute,
        facts: a.facts.iter().map(|s| input(t, s, sent, problems)).collect(),
        problems: problems.iter().map(ToString::to_string).collect(),
        csrf,
        user,
        login: format!("/login?lang={lang}&next={}", encode(&back)),
        source: sent.source.clone(),
        url: sent.url.clone(),
        date: sent.date.clone(),
        note: sent.note.clone(),
        source_error: errors_at(problems, "source"),
        url_error: errors_at(problems, "url"),
        date_error: errors_at(problems, "date"),
        note_error: errors_at(problems, "note"),
        id,
    })
}

/// The actor's page, when the address names no profile (as after switching language).
fn to_actor(id: &str, lang: &str) -> Response {
    Redirect::to(&format!("/actors/{}?lang={lang}", encode(id))).into_response()
}

/// The form supplying the facts that would decide the actor's verdict under the profile.
async fn facts_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    q: Result<Params<FactsQuery>, WebError>,
    c: Result<Can<Propose>, WebError>,
) -> Response {
    let back = format!("/actors/{id}");
    as_page(lang, &back, async {
        let Params(q) = q?;
        let Some(profile) = q.profile else {
            return Ok(to_actor(&id, lang));
        };
        let who = c.ok().map(|c| (c.user.name.clone(), c.csrf()));
        let a = with_store(&state, move |s| Ok(asked(s, &id, &profile)?)).await?;
        let who = who.as_ref().map(|(u, csrf)| (u.as_str(), csrf.clone()));
        Ok(Html(page(lang, &a, who, &Supplied::default(), &[])).into_response())
    })
    .await
}

/// The form as sent: every field in order (a set's boxes share their name).
#[derive(Deserialize)]
#[serde(transparent)]
struct FactsForm(Vec<(String, String)>);

impl crate::extract::CsrfField for FactsForm {
    fn csrf(&self) -> &str {
        self.0.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str())
    }
}

/// Applies or proposes the facts sent, then shows the actor; a form that cannot be used comes
/// back with its problems (422).
async fn facts_sent(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    q: Result<Params<FactsQuery>, WebError>,
    posted: Result<Posted<Propose, FactsForm>, WebError>,
) -> Response {
    let back = format!("/actors/{id}");
    as_page(lang, &back, async {
        let Params(q) = q?;
        let Some(profile) = q.profile else {
            return Ok(to_actor(&id, lang));
        };
        let Posted(c, f) = posted?;
        let sent = Supplied::from_fields(f.0.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let key = id.clone();
        let (user, csrf) = (c.user.clone(), c.csrf());
        with_store(&state, move |s| match supply(s, &user, &key, &profile, &sent)? {
            Ok(outcome) => {
                let saved = match outcome {
                    Outcome::Applied { .. } => "applied".to_string(),
                    Outcome::Proposed { id, .. } => format!("proposal-{id}"),
                };
                Ok(Redirect::to(&format!("/actors/{}?lang={lang}&saved={saved}", encode(&key))).into_response())
            }
            Err(problems) => {
                let a = asked(s, &key, &profile)?;
                let html = page(lang, &a, Some((&user.name, csrf)), &sent, &problems);
                Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
            }
        })
        .await
    })
    .await
}
