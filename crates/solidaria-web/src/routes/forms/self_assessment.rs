//! Self-assessment (`/actors/{id}/self-assessment`): the organization's own account (linked to
//! the actor by an admin) answers the questionnaire of its country's profiles, each answer with
//! its evidence (source, link, date); what is sent goes through
//! `solidaria_app::self_assessment::submit` and becomes one proposal in the moderation queue, its
//! facts self-declared. Any other account gets 403 (`not_the_actors_account`), an anonymous
//! visitor the login page. A form that cannot be used comes back with each problem at its field
//! and what was typed kept (422).

use super::as_page;
use super::facts::{FactInput, errors_at, input};
use crate::WebError;
use crate::extract::{Can, Lang, Posted, Propose};
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
use solidaria_app::self_assessment::{Assessment, assessment, submit};
use solidaria_core::FieldError;
use solidaria_core::questionnaire::evidence_field;
use solidaria_core::supply::Supplied;
use std::collections::BTreeMap;

/// The route of the page.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/actors/{id}/self-assessment", get(form_page).post(sent))
}

/// One question: its wording, the criteria it feeds, its input and its evidence.
struct QuestionView {
    text: &'static str,
    feeds: String,
    input: FactInput,
    source: String,
    url: String,
    date: String,
    evidence_error: String,
}

/// The questions of one theme.
struct ThemeView {
    name: String,
    questions: Vec<QuestionView>,
}

#[derive(Template)]
#[template(path = "self_assessment.html")]
struct AssessmentPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    id: String,
    name: String,
    profiles: String,
    themes: Vec<ThemeView>,
    problems: Vec<String>,
    csrf: String,
    user: String,
}

/// The page: the questions with what was sent and the problems found (none at first).
fn page(
    lang: &str,
    a: &Assessment,
    user: &str,
    csrf: String,
    fields: &[(String, String)],
    problems: &[FieldError],
) -> String {
    let t = crate::i18n::messages(lang);
    let sent = Supplied::from_fields(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let typed: BTreeMap<&str, &str> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let themes = a
        .questionnaire
        .themes
        .iter()
        .map(|theme| ThemeView {
            name: t.assessment.theme(theme.id).to_string(),
            questions: theme
                .questions
                .iter()
                .map(|q| {
                    let key = q.spec.key;
                    let part = |p: &str| typed.get(evidence_field(key, p).as_str()).map_or("", |v| v).to_string();
                    let evidence_error = ["source", "url", "date"]
                        .iter()
                        .map(|p| errors_at(problems, &evidence_field(key, p)))
                        .filter(|e| !e.is_empty())
                        .collect::<Vec<_>>()
                        .join("; ");
                    QuestionView {
                        text: q.text,
                        feeds: q
                            .feeds
                            .iter()
                            .map(|f| {
                                let kind =
                                    if f.mandatory { String::new() } else { format!(" ({})", t.assessment.indicative) };
                                format!("{}/{}{kind}", f.profile, f.criterion)
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                        input: input(t, q.spec, &sent, problems),
                        source: part("source"),
                        url: part("url"),
                        date: part("date"),
                        evidence_error,
                    }
                })
                .collect(),
        })
        .collect();
    render(AssessmentPage {
        lang,
        t,
        id: a.actor.id.to_string(),
        name: a.actor.name.clone(),
        profiles: a.questionnaire.profiles.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", "),
        themes,
        problems: problems.iter().map(ToString::to_string).collect(),
        csrf,
        user: user.to_string(),
    })
}

/// The questionnaire, for the account linked to the actor.
async fn form_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    c: Result<Can<Propose>, WebError>,
) -> Response {
    let back = format!("/actors/{id}/self-assessment");
    as_page(lang, &back, async {
        let c = c?;
        let (user, csrf) = (c.user.clone(), c.csrf());
        let a = with_store(&state, move |s| Ok(assessment(s, &user, &id, lang)?)).await?;
        Ok(Html(page(lang, &a, &c.user.name, csrf, &[], &[])).into_response())
    })
    .await
}

/// The form as sent: every field in order (a set's boxes share their name).
#[derive(Deserialize)]
#[serde(transparent)]
struct AnswersForm(Vec<(String, String)>);

impl crate::extract::CsrfField for AnswersForm {
    fn csrf(&self) -> &str {
        self.0.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str())
    }
}

/// Proposes the answers, then shows the actor with the proposal's number; a form that cannot be
/// used comes back with its problems (422).
async fn sent(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    posted: Result<Posted<Propose, AnswersForm>, WebError>,
) -> Response {
    let back = format!("/actors/{id}/self-assessment");
    as_page(lang, &back, async {
        let Posted(c, f) = posted?;
        let (user, csrf) = (c.user.clone(), c.csrf());
        let fields: Vec<(String, String)> = f.0.into_iter().filter(|(k, _)| k != "csrf").collect();
        with_store(&state, move |s| match submit(s, &user, &id, &fields)? {
            Ok(n) => {
                Ok(Redirect::to(&format!("/actors/{}?lang={lang}&saved=proposal-{n}", encode(&id))).into_response())
            }
            Err(problems) => {
                let a = assessment(s, &user, &id, lang)?;
                let html = page(lang, &a, &user.name, csrf, &fields, &problems);
                Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
            }
        })
        .await
    })
    .await
}
