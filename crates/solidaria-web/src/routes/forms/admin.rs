//! Pages that act on the registry or its accounts at large: user management (admins) and imports
//! (moderators and admins).

use super::{FormResult, Params, check_csrf, csrf_of, html_error, lang, render};
use crate::WebError;
use crate::error::wanted;
use crate::i18n::Messages;
use crate::routes::lang_of;
use crate::routes::writes::{Caller, caller, require};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use solidaria_app::Code;
use solidaria_app::accounts;
use solidaria_core::moderation::{self, Action, Role};

/// The user and import routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users_page).post(add_user))
        .route("/admin/users/{name}/role", post(change_role))
        .route("/import", get(import_form).post(import_submit).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    csrf: String,
    users: Vec<(String, &'static str)>,
    roles: Vec<&'static str>,
}

async fn users_page(State(state): State<AppState>, headers: HeaderMap, Query(q): Params) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let c = require(caller(&state, &headers).await?, Action::ManageUsers)?;
        let users = with_store(&state, |s| Ok(s.users()?)).await?;
        let page = UsersPage {
            lang,
            t: crate::i18n::messages(lang),
            csrf: csrf_of(&c),
            users: users.into_iter().map(|u| (u.name, u.role.as_str())).collect(),
            roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        };
        Ok::<_, WebError>(Html(render(page)).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/admin/users", e))
}

#[derive(Deserialize)]
struct NewUserForm {
    csrf: String,
    name: String,
    role: String,
    password: String,
}

async fn add_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
    form: FormResult<NewUserForm>,
) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let Form(f) = form.map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::ManageUsers)?;
        check_csrf(&c, &f.csrf)?;
        moderation::check_user_name(&f.name)?;
        moderation::check_password(&f.password)?;
        let role = Role::parse(&f.role)?;
        let password = f.password;
        let phc = tokio::task::spawn_blocking(move || accounts::hash_password(&password))
            .await
            .map_err(WebError::system)??;
        let (who, name) = (c.user.name.clone(), f.name);
        with_store(&state, move |s| Ok(s.add_user(&who, &name, role, &phc)?)).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/admin/users?lang={lang}")).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/admin/users", e))
}

#[derive(Deserialize)]
struct RoleForm {
    csrf: String,
    role: String,
}

async fn change_role(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    form: FormResult<RoleForm>,
) -> Response {
    let run = async {
        let Form(f) = form.map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::ManageUsers)?;
        check_csrf(&c, &f.csrf)?;
        let role = Role::parse(&f.role)?;
        if name == c.user.name && role != Role::Admin {
            return Err(WebError::new(wanted::SELF_DEMOTION, "an admin may not demote themselves (ask another admin)"));
        }
        let who = c.user.name.clone();
        with_store(&state, move |s| {
            if s.set_role(&who, &name, role)? {
                Ok(())
            } else {
                Err(WebError::new(Code::UserNotFound, format!("no user {name:?}")))
            }
        })
        .await?;
        Ok::<_, WebError>(Redirect::to("/admin/users").into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang_of(None, &headers), "/admin/users", e))
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    csrf: String,
    name: String,
    format: String,
    text: String,
    checked: bool,
    written: bool,
    records: u64,
    counts: Vec<(String, u64, u64, u64)>,
    problems: Vec<String>,
    problem_count: u64,
}

/// Largest import sent through the page (records pasted or read from a file).
const IMPORT_LIMIT: usize = 16 << 20;

fn import_page(lang: &'static str, c: &Caller) -> ImportPage<'static> {
    ImportPage {
        lang,
        t: crate::i18n::messages(lang),
        csrf: csrf_of(c),
        name: "records.jsonl".into(),
        format: String::new(),
        text: String::new(),
        checked: false,
        written: false,
        records: 0,
        counts: Vec::new(),
        problems: Vec::new(),
        problem_count: 0,
    }
}

async fn import_form(State(state): State<AppState>, headers: HeaderMap, Query(q): Params) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let c = require(caller(&state, &headers).await?, Action::WriteDirectly)?;
        Ok::<_, WebError>(Html(render(import_page(lang, &c))).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/import", e))
}

#[derive(Deserialize)]
struct ImportForm {
    csrf: String,
    action: String,
    name: Option<String>,
    format: Option<String>,
    records: String,
}

/// Checks (never writes) or writes an import, all or nothing, and shows the report: counts per
/// record type or every problem as `file:line: field: expected …, found …`.
async fn import_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
    form: FormResult<ImportForm>,
) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let Form(f) = form.map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::WriteDirectly)?;
        check_csrf(&c, &f.csrf)?;
        let write = match f.action.as_str() {
            "check" => false,
            "write" => true,
            other => {
                return Err(WebError::new(
                    Code::QueryInvalid,
                    format!("action: expected check or write, found {other:?}"),
                )
                .at("action"));
            }
        };
        let name: String = f
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or("records.jsonl")
            .chars()
            .filter(|ch| !ch.is_control())
            .take(200)
            .collect();
        let format_name = f.format.clone().unwrap_or_default();
        let format = match format_name.as_str() {
            "" => None,
            other => Some(solidaria_formats::Format::parse(other).ok_or_else(|| {
                WebError::new(Code::FormatUnknown, format!("format: expected jsonl, json or csv, found {other:?}"))
                    .at("format")
            })?),
        };
        let who = format!("{} (import {name})", c.user.name);
        let (text, source_name) = (f.records, name.clone());
        let bytes = text.clone().into_bytes();
        let report = with_store(&state, move |s| {
            let source = solidaria_app::import::source(&source_name, std::io::Cursor::new(bytes), format)
                .map_err(|e| WebError::new(Code::InputUnreadable, e.to_string()))?;
            let run = if write { solidaria_app::import::import } else { solidaria_app::import::check };
            Ok(run(s, &who, vec![source], &mut |_| {})?)
        })
        .await?;
        let mut page = import_page(lang, &c);
        page.checked = true;
        page.written = report.committed;
        page.records = report.records;
        page.problem_count = report.problem_count();
        page.problems = report.problems.iter().map(|p| p.to_string()).collect();
        page.counts = report.counts.by_type.iter().map(|(t, (i, u, n))| (t.to_string(), *i, *u, *n)).collect();
        page.name = name;
        page.format = format_name;
        page.text = if report.committed { String::new() } else { text };
        let status = if page.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        Ok::<_, WebError>((status, Html(render(page))).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/import", e))
}
