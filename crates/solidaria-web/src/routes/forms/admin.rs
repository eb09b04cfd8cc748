//! Pages that act on the registry or its accounts at large: user management (admins) and imports
//! (moderators and admins).

use super::{CsrfForm, as_page};
use crate::WebError;
use crate::extract::{Caller, Can, Lang, ManageUsers, Posted, WriteDirectly};
use crate::i18n::Messages;
use crate::pages::render;
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use solidaria_app::Code;
use solidaria_app::accounts;
use solidaria_core::moderation::Role;

/// The user and import routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users_page).post(add_user))
        .route("/admin/users/{name}/role", post(change_role))
        .route("/admin/users/{name}/disable", post(disable_user))
        .route("/admin/users/{name}/enable", post(enable_user))
        .route("/import", get(import_form).post(import_submit).layer(DefaultBodyLimit::max(IMPORT_LIMIT)))
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    csrf: String,
    /// Name, role, and whether the account is disabled.
    users: Vec<(String, &'static str, bool)>,
    roles: Vec<&'static str>,
}

/// The users with their roles, a role form for each, and the form adding one.
async fn users_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    c: Result<Can<ManageUsers>, WebError>,
) -> Response {
    as_page(lang, "/admin/users", async {
        let c = c?;
        let users = with_store(&state, |s| Ok(s.users()?)).await?;
        let page = UsersPage {
            lang,
            t: crate::i18n::messages(lang),
            csrf: c.csrf(),
            users: users.into_iter().map(|u| (u.name.clone(), u.role.as_str(), u.disabled())).collect(),
            roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        };
        Ok(Html(render(page)).into_response())
    })
    .await
}

#[derive(Deserialize)]
struct NewUserForm {
    csrf: String,
    name: String,
    role: String,
    password: String,
}

/// Adds an account with a role and a first password.
async fn add_user(
    State(state): State<AppState>,
    Lang(lang): Lang,
    posted: Result<Posted<ManageUsers, NewUserForm>, WebError>,
) -> Response {
    as_page(lang, "/admin/users", async {
        let Posted(c, f) = posted?;
        let role = Role::parse(&f.role)?;
        let who = c.user.name.clone();
        with_store(&state, move |s| Ok(accounts::add_user(s, &who, &f.name, role, &f.password)?)).await?;
        Ok(Redirect::to(&format!("/admin/users?lang={lang}")).into_response())
    })
    .await
}

#[derive(Deserialize)]
struct RoleForm {
    csrf: String,
    role: String,
}

/// Gives a user another role (an admin may not take the admin role from themselves).
async fn change_role(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(name): Path<String>,
    posted: Result<Posted<ManageUsers, RoleForm>, WebError>,
) -> Response {
    as_page(lang, "/admin/users", async {
        let Posted(c, f) = posted?;
        let role = Role::parse(&f.role)?;
        if name == c.user.name && role != Role::Admin {
            return Err(WebError::new(Code::SelfDemotion, "an admin may not demote themselves (ask another admin)"));
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
        Ok(Redirect::to("/admin/users").into_response())
    })
    .await
}

/// Disables an account: it can no longer log in, its sessions and API tokens stop working.
async fn disable_user(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(name): Path<String>,
    posted: Result<Posted<ManageUsers, CsrfForm>, WebError>,
) -> Response {
    set_disabled(state, lang, name, posted, true).await
}

/// Enables a disabled account again.
async fn enable_user(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(name): Path<String>,
    posted: Result<Posted<ManageUsers, CsrfForm>, WebError>,
) -> Response {
    set_disabled(state, lang, name, posted, false).await
}

async fn set_disabled(
    state: AppState,
    lang: &'static str,
    name: String,
    posted: Result<Posted<ManageUsers, CsrfForm>, WebError>,
    disabled: bool,
) -> Response {
    as_page(lang, "/admin/users", async {
        let Posted(c, _) = posted?;
        let who = c.user.name.clone();
        with_store(&state, move |s| Ok(accounts::set_disabled(s, &who, &name, disabled)?)).await?;
        Ok(Redirect::to(&format!("/admin/users?lang={lang}")).into_response())
    })
    .await
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

/// The import page before anything is checked.
fn import_page(lang: &'static str, c: &Caller) -> ImportPage<'static> {
    ImportPage {
        lang,
        t: crate::i18n::messages(lang),
        csrf: c.csrf(),
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

async fn import_form(Lang(lang): Lang, c: Result<Can<WriteDirectly>, WebError>) -> Response {
    as_page(lang, "/import", async {
        let c = c?;
        Ok(Html(render(import_page(lang, &c))).into_response())
    })
    .await
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
    Lang(lang): Lang,
    posted: Result<Posted<WriteDirectly, ImportForm>, WebError>,
) -> Response {
    as_page(lang, "/import", async {
        let Posted(c, f) = posted?;
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
        Ok((status, Html(render(page))).into_response())
    })
    .await
}

crate::extract::csrf_field!(NewUserForm, RoleForm, ImportForm);
