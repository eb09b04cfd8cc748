//! The API of accounts, for admins: the accounts with their roles and whether they are disabled
//! (`/api/users`), and an account disabled or enabled again (`/api/users/{name}/disable`,
//! `/enable`). The use case is `solidaria_app::accounts::set_disabled`; writes need an API token
//! or the session's CSRF token.

use crate::WebError;
use crate::extract::{Can, CanWrite, ManageUsers};
use crate::state::{AppState, with_store};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use solidaria_app::accounts;

/// Every account: name, role, when made, and when disabled if it is.
async fn api_users(_c: Can<ManageUsers>, State(state): State<AppState>) -> Result<Response, WebError> {
    let users = with_store(&state, |s| Ok(s.users()?)).await?;
    Ok(axum::Json(json!({"total": users.len(), "items": users})).into_response())
}

/// Disables or enables the account `name` as the calling admin.
async fn set_disabled(
    c: &CanWrite<ManageUsers>,
    state: &AppState,
    name: String,
    disabled: bool,
) -> Result<Response, WebError> {
    let who = c.user.name.clone();
    let user = with_store(state, move |s| {
        accounts::set_disabled(s, &who, &name, disabled)?;
        Ok(s.user(&name)?)
    })
    .await?;
    Ok(axum::Json(json!(user)).into_response())
}

/// Disables an account: it can no longer log in, and its sessions and API tokens stop working.
async fn api_disable(
    c: CanWrite<ManageUsers>,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    set_disabled(&c, &state, name, true).await
}

/// Enables a disabled account again (its unrevoked tokens work again).
async fn api_enable(
    c: CanWrite<ManageUsers>,
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    set_disabled(&c, &state, name, false).await
}

/// The account routes of the API.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/users", get(api_users))
        .route("/api/users/{name}/disable", post(api_disable))
        .route("/api/users/{name}/enable", post(api_enable))
}
