//! The account pages: logging in and out, the account page (own proposals and API tokens), new
//! and revoked tokens, and changing one's password.

use super::{CsrfForm, as_page, html_error, safe_next, with_cookie};
use crate::extract::{Caller, Can, Fields, Lang, PageFields, PageParams, Posted, Propose, Via};
use crate::i18n::Messages;
use crate::pages::{Pager, render};
use crate::state::{AppState, with_store};
use crate::{WebError, auth};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;
use solidaria_app::Code;
use solidaria_app::accounts;
use solidaria_core::moderation::{self, Action};
use std::collections::BTreeMap;

/// What a client over the login limit is told (login page and password change).
const TOO_MANY_LOGINS: &str = "too many failed logins: wait 15 minutes";

/// The account routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account))
        .route("/account/tokens", post(create_token))
        .route("/account/password", post(change_password))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
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

async fn login_form(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    login_page(&state, lang, &safe_next(q.get("next").map(String::as_str)), String::new(), StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    user: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// The client's address as the login limiter counts it: the TCP peer, or behind a trusted
/// reverse proxy the address it forwards (`auth::client_ip`).
fn client_ip(state: &AppState, ext: &Extensions, headers: &HeaderMap) -> String {
    let peer = ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    auth::client_ip(peer, headers, &state.options.trusted_proxies)
}

/// Logs in: the login form's CSRF cookie must match, the limiter must allow the client and the
/// user name, and the password must be right (the same answer for an unknown user); a disabled
/// account is then refused (403 `account_disabled`: only whoever knows its password learns it).
async fn login(
    State(state): State<AppState>,
    Lang(lang): Lang,
    headers: HeaderMap,
    ext: Extensions,
    Fields(f): Fields<LoginForm>,
) -> Result<Response, WebError> {
    let next = safe_next(f.next.as_deref());
    let cookie_csrf = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| auth::cookie(h, auth::LOGIN_CSRF_COOKIE))
        .unwrap_or("");
    if cookie_csrf.is_empty() || !accounts::same_secret(cookie_csrf, &f.csrf) {
        return Ok(html_error(lang, "/login", WebError::new(Code::CsrfInvalid, "the login form expired: reload it")));
    }
    let (ip_key, user_key) = (format!("ip:{}", client_ip(&state, &ext, &headers)), format!("user:{}", f.user));
    let now = std::time::Instant::now();
    if !state.limiter.allowed(&ip_key, now) || !state.limiter.allowed(&user_key, now) {
        eprintln!("{{\"level\":\"warn\",\"event\":\"login_rate_limited\",\"user\":{}}}", json!(f.user));
        return login_page(&state, lang, &next, TOO_MANY_LOGINS.to_string(), StatusCode::TOO_MANY_REQUESTS);
    }
    let (name, password) = (f.user.clone(), f.password);
    let user = with_store(&state, move |s| Ok(s.user(&name)?)).await?;
    // Verify against a decoy when the user is unknown: both paths cost one argon2 run.
    let phc = user.as_ref().map_or_else(|| accounts::decoy_hash().to_string(), |u| u.password_hash.clone());
    let ok = tokio::task::spawn_blocking(move || accounts::verify_password(&password, &phc))
        .await
        .map_err(WebError::system)?;
    let Some(user) = user.filter(|_| ok) else {
        state.limiter.failed(&ip_key, now);
        state.limiter.failed(&user_key, now);
        eprintln!("{{\"level\":\"warn\",\"event\":\"login_failed\",\"user\":{}}}", json!(f.user));
        let msg = crate::i18n::messages(lang).login_failed.clone();
        return login_page(&state, lang, &next, msg, StatusCode::UNAUTHORIZED);
    };
    state.limiter.succeeded(&user_key);
    if accounts::may_log_in(&user).is_err() {
        eprintln!("{{\"level\":\"warn\",\"event\":\"login_disabled\",\"user\":{}}}", json!(f.user));
        let msg = crate::i18n::messages(lang).accounts.login_disabled.clone();
        return login_page(&state, lang, &next, msg, StatusCode::FORBIDDEN);
    }
    let (token, csrf) = (accounts::new_secret()?, accounts::new_secret()?);
    let digest = accounts::token_digest(&token);
    let name = user.name.clone();
    with_store(&state, move |s| Ok(s.create_session(&digest, &name, &csrf, auth::SESSION_SECONDS)?)).await?;
    let secure = state.options.secure_cookies;
    let r = Redirect::to(&next).into_response();
    let r = with_cookie(r, &auth::set_cookie(auth::SESSION_COOKIE, &token, auth::SESSION_SECONDS, secure));
    Ok(with_cookie(r, &auth::set_cookie(auth::LOGIN_CSRF_COOKIE, "", 0, secure)))
}

/// Ends the caller's session.
async fn logout(
    State(state): State<AppState>,
    Lang(lang): Lang,
    posted: Result<Posted<Propose, CsrfForm>, WebError>,
) -> Response {
    as_page(lang, "/account", async {
        let Posted(c, _) = posted?;
        if let Via::Session { digest, .. } = &c.via {
            let digest = digest.clone();
            with_store(&state, move |s| Ok(s.delete_session(&digest)?)).await?;
        }
        let r = Redirect::to("/").into_response();
        Ok(with_cookie(r, &auth::set_cookie(auth::SESSION_COOKIE, "", 0, state.options.secure_cookies)))
    })
    .await
}

/// A row of the account page's proposal list.
struct MyProposal {
    id: i64,
    what: String,
    /// Where it stands, in the page's language.
    state: String,
    message: String,
}

/// A row of the account page's token list.
struct TokenRow {
    id: i64,
    label: String,
    created_at: String,
    revoked: bool,
    read_only: bool,
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
    /// The pages of the caller's proposals.
    pager: Pager,
    tokens: Vec<TokenRow>,
}

/// The caller's proposals on a page of the account page.
const MY_PROPOSALS_PAGE: usize = 20;

/// Query of the account page: a page of the caller's proposals.
#[derive(Debug, Deserialize, Default)]
struct AccountQuery {
    offset: Option<usize>,
    limit: Option<usize>,
}

impl PageFields for AccountQuery {
    const FIELDS: &'static [&'static str] = &["offset", "limit"];
}

/// The account page of `c` with the page of its proposals `q` asks for (the first when `None`),
/// showing `new_token` once when one was just made.
async fn account_page(
    state: &AppState,
    lang: &str,
    c: &Caller,
    q: Option<AccountQuery>,
    new_token: String,
) -> Result<Response, WebError> {
    let name = c.user.name.clone();
    let q = q.unwrap_or_default();
    let (offset, limit) = (q.offset.unwrap_or(0), q.limit.unwrap_or(MY_PROPOSALS_PAGE).clamp(1, 200));
    let (proposals, total, tokens) = with_store(state, move |s| {
        let (list, total) = solidaria_app::moderate::page(s, None, Some(&name), offset as u64, limit as u64)?;
        Ok((list, total, solidaria_app::accounts::tokens(s, Some(&name))?))
    })
    .await?;
    let base = Pager::base(&format!("/account?lang={lang}"), limit, MY_PROPOSALS_PAGE);
    let pager = Pager::new(&base, offset, limit, proposals.len(), usize::try_from(total).unwrap_or(usize::MAX));
    let t = crate::i18n::messages(lang);
    let page = AccountPage {
        lang,
        t,
        user: c.user.name.clone(),
        role: c.user.role.as_str(),
        csrf: c.csrf(),
        moderator: c.may(Action::Moderate),
        admin: c.may(Action::ManageUsers),
        new_token,
        proposals: proposals
            .into_iter()
            .map(|p| MyProposal {
                id: p.id,
                // What it asks, in the words of the moderation queue, and of which record.
                what: format!("{} {}", t.proposal_kinds.of(&p), p.record_key),
                state: t.proposal_states.of(p.state).to_string(),
                message: p.message.unwrap_or_default(),
            })
            .collect(),
        pager,
        tokens: tokens
            .into_iter()
            .map(|k| TokenRow {
                id: k.id,
                label: k.label,
                created_at: k.created_at,
                revoked: k.revoked_at.is_some(),
                read_only: k.read_only,
            })
            .collect(),
    };
    Ok(Html(render(page)).into_response())
}

async fn account(
    State(state): State<AppState>,
    Lang(lang): Lang,
    PageParams(q): PageParams<AccountQuery>,
    c: Result<Can<Propose>, WebError>,
) -> Response {
    as_page(lang, "/account", async {
        let c = c?;
        account_page(&state, lang, &c, Some(q), String::new()).await
    })
    .await
}

#[derive(Deserialize)]
struct TokenForm {
    csrf: String,
    label: String,
    /// Present (a checked box) for a read-only token.
    read_only: Option<String>,
}

/// Makes an API token for the caller and shows it once.
async fn create_token(
    State(state): State<AppState>,
    Lang(lang): Lang,
    posted: Result<Posted<Propose, TokenForm>, WebError>,
) -> Response {
    as_page(lang, "/account", async {
        let Posted(c, f) = posted?;
        let name = c.user.name.clone();
        let read_only = f.read_only.is_some();
        let (_, token) =
            with_store(&state, move |s| Ok(accounts::issue_token(s, &name, &name, &f.label, read_only)?)).await?;
        account_page(&state, lang, &c, None, token).await
    })
    .await
}

/// Revokes one of the caller's tokens (any token, for an admin).
async fn revoke_token(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<i64>,
    posted: Result<Posted<Propose, CsrfForm>, WebError>,
) -> Response {
    as_page(lang, "/account", async {
        let Posted(c, _) = posted?;
        let admin = c.may(Action::ManageUsers);
        let name = c.user.name.clone();
        with_store(&state, move |s| {
            let owner = (!admin).then_some(name.as_str());
            Ok(solidaria_app::accounts::revoke_token(s, &name, id, owner)?)
        })
        .await?;
        Ok(Redirect::to("/account").into_response())
    })
    .await
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
    Lang(lang): Lang,
    posted: Result<Posted<Propose, PasswordForm>, WebError>,
) -> Response {
    as_page(lang, "/account", async {
        let Posted(c, f) = posted?;
        let key = format!("user:{}", c.user.name);
        let now = std::time::Instant::now();
        if !state.limiter.allowed(&key, now) {
            return Err(WebError::new(Code::TooManyLogins, TOO_MANY_LOGINS));
        }
        moderation::check_password(&f.new)?;
        let (phc, current, new) = (c.user.password_hash.clone(), f.current, f.new);
        let hashed = tokio::task::spawn_blocking(move || {
            if accounts::verify_password(&current, &phc) { accounts::hash_password(&new).map(Some) } else { Ok(None) }
        })
        .await
        .map_err(WebError::system)??;
        let Some(hashed) = hashed else {
            state.limiter.failed(&key, now);
            return Err(
                WebError::new(Code::PasswordWrong, crate::i18n::messages(lang).login_failed.clone()).at("current")
            );
        };
        let name = c.user.name.clone();
        with_store(&state, move |s| Ok(s.set_password(&name, &name, &hashed)?)).await?;
        let r = Redirect::to(&format!("/login?lang={lang}")).into_response();
        Ok(with_cookie(r, &auth::set_cookie(auth::SESSION_COOKIE, "", 0, state.options.secure_cookies)))
    })
    .await
}

crate::extract::csrf_field!(TokenForm, PasswordForm);
