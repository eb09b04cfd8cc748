//! The HTML side of accounts and moderation: log in and out, the account page (own proposals
//! and API tokens), proposing an edit of an actor, the moderation queue with diffs, and user
//! management. Every form carries a CSRF token: the session's (synchronizer token) once signed
//! in, a double-submit cookie on the login form. Writes go through `writes::apply`/`decide`.

use crate::i18n::Messages;
use crate::writes::{Caller, Via, caller, require};
use crate::{AppState, WebError, auth, lang_of, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use solidaria_app::accounts;
use solidaria_app::moderate::{decide, proposal_json};
use solidaria_app::write::{Intent, Outcome, apply};
use solidaria_core::moderation::{self, Action, Decision, ProposalState, Role};
use solidaria_core::record::{Record, RecordType, parse_record};
use std::collections::BTreeMap;

type Params = Query<BTreeMap<String, String>>;
type FormResult<T> = Result<Form<T>, axum::extract::rejection::FormRejection>;

fn lang(q: &BTreeMap<String, String>, headers: &HeaderMap) -> &'static str {
    lang_of(q.get("lang").map(String::as_str), headers)
}

#[derive(Template)]
#[template(path = "notice.html")]
struct Notice<'a> {
    lang: &'a str,
    t: &'a Messages,
    heading: String,
    class: &'a str,
    message: String,
    problems: Vec<String>,
    link: String,
    link_text: String,
}

fn render(t: impl Template) -> String {
    t.render().unwrap_or_else(|e| format!("template error: {e}"))
}

/// An error as an HTML page (forms are read by people, not programs): anonymous callers are sent
/// to the login page, everything else is explained.
fn html_error(lang: &str, next: &str, e: WebError) -> Response {
    if let WebError::Unauthorized(_) = e {
        let to = format!("/login?lang={lang}&next={}", encode(next));
        return Redirect::to(&to).into_response();
    }
    if let WebError::Internal(cause) = &e {
        eprintln!("{{\"level\":\"error\",\"error\":{}}}", json!(cause));
    }
    let status = e.status();
    let t = crate::i18n::messages(lang);
    let problems = match &e {
        WebError::Invalid { problems, .. } => problems.clone(),
        _ => Vec::new(),
    };
    let page = Notice {
        lang,
        t,
        heading: t.error.clone(),
        class: "warning",
        message: e.to_string(),
        problems,
        link: next.to_string(),
        link_text: next.to_string(),
    };
    (status, Html(render(page))).into_response()
}

/// Percent-encodes a path or text for a query value.
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A local path to go back to after logging in: only absolute paths on this site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 500 => n.to_string(),
        _ => "/account".to_string(),
    }
}

/// The session's CSRF token must come back with every form.
fn check_csrf(c: &Caller, sent: &str) -> Result<(), WebError> {
    match &c.via {
        Via::Session { csrf, .. } if accounts::same_secret(csrf, sent) => Ok(()),
        Via::Session { .. } => {
            Err(WebError::Forbidden("the form's CSRF token is missing or wrong: reload the page".into()))
        }
        Via::Bearer => Err(WebError::Forbidden("forms need a session; the API takes bearer tokens".into())),
    }
}

fn csrf_of(c: &Caller) -> String {
    match &c.via {
        Via::Session { csrf, .. } => csrf.clone(),
        Via::Bearer => String::new(),
    }
}

fn with_cookie(mut r: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    csrf: String,
    next: String,
    failed: String,
}

fn login_page(
    state: &AppState,
    lang: &str,
    next: &str,
    failed: String,
    status: StatusCode,
) -> Result<Response, WebError> {
    let csrf = accounts::new_secret()?;
    let page =
        render(LoginPage { lang, t: crate::i18n::messages(lang), csrf: csrf.clone(), next: next.to_string(), failed });
    let cookie = auth::set_cookie(auth::LOGIN_CSRF_COOKIE, &csrf, 3600, state.options.secure_cookies);
    Ok(with_cookie((status, Html(page)).into_response(), &cookie))
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap, Query(q): Params) -> Result<Response, WebError> {
    let lang = lang(&q, &headers);
    login_page(&state, lang, &safe_next(q.get("next").map(String::as_str)), String::new(), StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    user: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

fn client_ip(ext: &Extensions) -> String {
    ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ext: Extensions,
    Query(q): Params,
    form: FormResult<LoginForm>,
) -> Result<Response, WebError> {
    let lang = lang(&q, &headers);
    let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
    let next = safe_next(f.next.as_deref());
    let cookie_csrf = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| auth::cookie(h, auth::LOGIN_CSRF_COOKIE))
        .unwrap_or("");
    if cookie_csrf.is_empty() || !accounts::same_secret(cookie_csrf, &f.csrf) {
        return Ok(html_error(lang, "/login", WebError::Forbidden("the login form expired: reload it".into())));
    }
    let (ip_key, user_key) = (format!("ip:{}", client_ip(&ext)), format!("user:{}", f.user));
    let now = std::time::Instant::now();
    if !state.limiter.allowed(&ip_key, now) || !state.limiter.allowed(&user_key, now) {
        eprintln!("{{\"level\":\"warn\",\"event\":\"login_rate_limited\",\"user\":{}}}", json!(f.user));
        return login_page(&state, lang, &next, WebError::TooManyRequests.to_string(), StatusCode::TOO_MANY_REQUESTS);
    }
    let (name, password) = (f.user.clone(), f.password);
    let user = with_store(&state, move |s| Ok(s.user(&name)?)).await?;
    // Verify against a decoy when the user is unknown: both paths cost one argon2 run.
    let phc = user.as_ref().map_or_else(|| accounts::decoy_hash().to_string(), |u| u.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || accounts::verify_password(&password, &phc))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let Some(user) = user.filter(|_| ok) else {
        state.limiter.failed(&ip_key, now);
        state.limiter.failed(&user_key, now);
        eprintln!("{{\"level\":\"warn\",\"event\":\"login_failed\",\"user\":{}}}", json!(f.user));
        let msg = crate::i18n::messages(lang).login_failed.clone();
        return login_page(&state, lang, &next, msg, StatusCode::UNAUTHORIZED);
    };
    state.limiter.succeeded(&user_key);
    let (token, csrf) = (accounts::new_secret()?, accounts::new_secret()?);
    let digest = accounts::token_digest(&token);
    let name = user.name.clone();
    with_store(&state, move |s| Ok(s.create_session(&digest, &name, &csrf, auth::SESSION_SECONDS)?)).await?;
    let secure = state.options.secure_cookies;
    let r = Redirect::to(&next).into_response();
    let r = with_cookie(r, &auth::set_cookie(auth::SESSION_COOKIE, &token, auth::SESSION_SECONDS, secure));
    Ok(with_cookie(r, &auth::set_cookie(auth::LOGIN_CSRF_COOKIE, "", 0, secure)))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, form: FormResult<CsrfForm>) -> Response {
    let run = async {
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::Propose)?;
        check_csrf(&c, &f.csrf)?;
        if let Via::Session { digest, .. } = c.via {
            with_store(&state, move |s| Ok(s.delete_session(&digest)?)).await?;
        }
        let r = Redirect::to("/").into_response();
        Ok::<_, WebError>(with_cookie(r, &auth::set_cookie(auth::SESSION_COOKIE, "", 0, state.options.secure_cookies)))
    };
    run.await.unwrap_or_else(|e| html_error(lang_of(None, &headers), "/account", e))
}

/// A row of the account page's proposal list.
struct MyProposal {
    id: i64,
    what: String,
    state: &'static str,
    message: String,
}

/// A row of the account page's token list.
struct TokenRow {
    id: i64,
    label: String,
    created_at: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    user: String,
    role: &'a str,
    csrf: String,
    moderator: bool,
    admin: bool,
    new_token: String,
    proposals: Vec<MyProposal>,
    tokens: Vec<TokenRow>,
}

async fn account_page(state: &AppState, lang: &str, c: Caller, new_token: String) -> Result<Response, WebError> {
    let name = c.user.name.clone();
    let (proposals, tokens) =
        with_store(state, move |s| Ok((s.proposals(None, Some(&name), 100)?, s.tokens(Some(&name))?))).await?;
    let page = AccountPage {
        lang,
        t: crate::i18n::messages(lang),
        user: c.user.name.clone(),
        role: c.user.role.as_str(),
        csrf: csrf_of(&c),
        moderator: moderation::allows(Some(c.user.role), Action::Moderate),
        admin: moderation::allows(Some(c.user.role), Action::ManageUsers),
        new_token,
        proposals: proposals
            .into_iter()
            .map(|p| MyProposal {
                id: p.id,
                what: format!("{} {} {}", p.action.as_str(), p.record_type, p.record_key),
                state: p.state.as_str(),
                message: p.message.unwrap_or_default(),
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|k| TokenRow { id: k.id, label: k.label, created_at: k.created_at, revoked: k.revoked_at.is_some() })
            .collect(),
    };
    Ok(Html(render(page)).into_response())
}

async fn account(State(state): State<AppState>, headers: HeaderMap, Query(q): Params) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let c = require(caller(&state, &headers).await?, Action::Propose)?;
        account_page(&state, lang, c, String::new()).await
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/account", e))
}

#[derive(Deserialize)]
struct TokenForm {
    csrf: String,
    label: String,
}

async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
    form: FormResult<TokenForm>,
) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::Propose)?;
        check_csrf(&c, &f.csrf)?;
        let label = f.label.trim().to_string();
        if label.is_empty() || label.chars().count() > 100 {
            return Err(WebError::BadRequest("label: expected 1 to 100 characters".into()));
        }
        let token = accounts::new_secret()?;
        let digest = accounts::token_digest(&token);
        let name = c.user.name.clone();
        with_store(&state, move |s| Ok(s.create_token(&name, &digest, &name, &label)?)).await?;
        account_page(&state, lang, c, token).await
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/account", e))
}

async fn revoke_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormResult<CsrfForm>,
) -> Response {
    let run = async {
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::Propose)?;
        check_csrf(&c, &f.csrf)?;
        let admin = moderation::allows(Some(c.user.role), Action::ManageUsers);
        let name = c.user.name.clone();
        with_store(&state, move |s| {
            let owned = s.tokens(None)?.iter().any(|k| k.id == id && (admin || k.user == name));
            if !owned || !s.revoke_token(&name, id)? {
                return Err(WebError::NotFound(format!("no active token {id} of yours")));
            }
            Ok(())
        })
        .await?;
        Ok::<_, WebError>(Redirect::to("/account").into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang_of(None, &headers), "/account", e))
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
}

/// Changes the caller's own password: the current one is checked (and counted by the login
/// limiter), every session of the account ends, and the user logs in again.
async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Params,
    form: FormResult<PasswordForm>,
) -> Response {
    let lang = lang(&q, &headers);
    let run = async {
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::Propose)?;
        check_csrf(&c, &f.csrf)?;
        let key = format!("user:{}", c.user.name);
        let now = std::time::Instant::now();
        if !state.limiter.allowed(&key, now) {
            return Err(WebError::TooManyRequests);
        }
        moderation::check_password(&f.new)?;
        let (phc, current, new) = (c.user.password_hash.clone(), f.current, f.new);
        let hashed = tokio::task::spawn_blocking(move || {
            if accounts::verify_password(&current, &phc) { accounts::hash_password(&new).map(Some) } else { Ok(None) }
        })
        .await
        .map_err(|e| WebError::Internal(e.to_string()))??;
        let Some(hashed) = hashed else {
            state.limiter.failed(&key, now);
            return Err(WebError::Forbidden(crate::i18n::messages(lang).login_failed.clone()));
        };
        let name = c.user.name.clone();
        with_store(&state, move |s| Ok(s.set_password(&name, &name, &hashed)?)).await?;
        let r = Redirect::to(&format!("/login?lang={lang}")).into_response();
        Ok::<_, WebError>(with_cookie(r, &auth::set_cookie(auth::SESSION_COOKIE, "", 0, state.options.secure_cookies)))
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/account", e))
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
            _ => Err(WebError::NotFound(format!("no actor with id {id:?}"))),
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
    parse_record(&doc).map_err(|problems| WebError::Invalid {
        message: "the edit is not valid".into(),
        problems: problems.iter().map(|p| p.to_string()).collect(),
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
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::Propose)?;
        check_csrf(&c, &f.csrf)?;
        let key = id.clone();
        let outcome = with_store(&state, move |s| {
            let current =
                s.get(RecordType::Actor, &key)?.ok_or_else(|| WebError::NotFound(format!("no actor {key:?}")))?;
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
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::Moderate)?;
        check_csrf(&c, &f.csrf)?;
        let decision = Decision::from_fields(&f.state, f.message.as_deref(), f.duplicate_of.as_deref())?;
        with_store(&state, move |s| Ok(decide(s, &c.user, id, decision)?)).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/moderation?lang={lang}")).into_response())
    };
    run.await.unwrap_or_else(|e| html_error(lang, "/moderation", e))
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
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::ManageUsers)?;
        check_csrf(&c, &f.csrf)?;
        moderation::check_user_name(&f.name)?;
        moderation::check_password(&f.password)?;
        let role = Role::parse(&f.role)?;
        let password = f.password;
        let phc = tokio::task::spawn_blocking(move || accounts::hash_password(&password))
            .await
            .map_err(|e| WebError::Internal(e.to_string()))??;
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
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::ManageUsers)?;
        check_csrf(&c, &f.csrf)?;
        let role = Role::parse(&f.role)?;
        if name == c.user.name && role != Role::Admin {
            return Err(WebError::Conflict("an admin may not demote themselves (ask another admin)".into()));
        }
        let who = c.user.name.clone();
        with_store(&state, move |s| {
            if s.set_role(&who, &name, role)? { Ok(()) } else { Err(WebError::NotFound(format!("no user {name:?}"))) }
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
pub(crate) const IMPORT_LIMIT: usize = 16 << 20;

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
        let Form(f) = form.map_err(|e| WebError::BadRequest(e.body_text()))?;
        let c = require(caller(&state, &headers).await?, Action::WriteDirectly)?;
        check_csrf(&c, &f.csrf)?;
        let write = match f.action.as_str() {
            "check" => false,
            "write" => true,
            other => return Err(WebError::BadRequest(format!("action: expected check or write, found {other:?}"))),
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
                WebError::BadRequest(format!("format: expected jsonl, json or csv, found {other:?}"))
            })?),
        };
        let who = format!("{} (import {name})", c.user.name);
        let (text, source_name) = (f.records, name.clone());
        let bytes = text.clone().into_bytes();
        let report = with_store(&state, move |s| {
            let source = solidaria_app::import::source(&source_name, std::io::Cursor::new(bytes), format)
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
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

/// The flash message of an actor page after an edit (`?saved=`).
pub(crate) fn flash(t: &Messages, saved: Option<&str>) -> String {
    match saved {
        Some("applied") => t.applied.clone(),
        Some(s) if s.starts_with("proposal-") => format!("{} (#{})", t.proposal_sent, &s["proposal-".len()..]),
        _ => String::new(),
    }
}

/// Every form route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account))
        .route("/account/tokens", post(create_token))
        .route("/account/password", post(change_password))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/actors/{id}/edit", get(edit_form).post(edit))
        .route("/moderation", get(moderation_queue))
        .route("/moderation/{id}", post(moderate))
        .route("/admin/users", get(users_page).post(add_user))
        .route(
            "/import",
            get(import_form).post(import_submit).layer(axum::extract::DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route("/admin/users/{name}/role", post(change_role))
}
