//! Authenticated writes: who is calling, what they may do, and the API that creates, updates and
//! deletes records (directly for moderators and admins, as proposals for contributors) and
//! decides proposals. Every write goes through `solidaria_app::write::apply` or
//! `solidaria_app::moderate::decide`, so the HTML forms, the JSON API and the command line share
//! one path, one set of checks and one audit trail.

use crate::error::wanted;
use crate::state::{AppState, with_store};
use crate::{WebError, auth};
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Json, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use solidaria_app::accounts;
use solidaria_app::moderate::{decide, proposal_json};
use solidaria_app::write::{Intent, Outcome, apply};
use solidaria_app::{AppError, Code};
use solidaria_core::moderation::{self, Action, Decision, ProposalState};
use solidaria_core::record::{Record, RecordType, parse_record};
use solidaria_store::accounts::User;

/// How a caller proved who they are.
#[derive(Debug, Clone)]
pub(crate) enum Via {
    /// A session cookie, with the session's digest and its CSRF token.
    Session { digest: String, csrf: String },
    /// An API bearer token.
    Bearer,
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The account.
    pub user: User,
    /// How it authenticated.
    pub via: Via,
}

/// Who is calling: a bearer token (a wrong one is refused, never treated as anonymous), else a
/// session cookie (an unknown or expired one counts as anonymous), else nobody.
pub(crate) async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Option<Caller>, WebError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| WebError::new(Code::CredentialsInvalid, "Authorization: expected \"Bearer <token>\""))?;
        let digest = accounts::token_digest(token);
        let user = with_store(state, move |s| Ok(s.token_user(&digest)?)).await?;
        return match user {
            Some(user) => Ok(Some(Caller { user, via: Via::Bearer })),
            None => Err(WebError::new(Code::CredentialsInvalid, "unknown or revoked API token")),
        };
    }
    let Some(token) = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| auth::cookie(h, auth::SESSION_COOKIE))
    else {
        return Ok(None);
    };
    let digest = accounts::token_digest(token);
    let d = digest.clone();
    let found = with_store(state, move |s| Ok(s.session(&d)?)).await?;
    Ok(found.map(|(user, csrf)| Caller { user, via: Via::Session { digest, csrf } }))
}

/// The caller, if allowed to do `action`: 401 for nobody, 403 for a role that may not.
pub(crate) fn require(caller: Option<Caller>, action: Action) -> Result<Caller, WebError> {
    let Some(c) = caller else {
        return Err(WebError::new(
            Code::CredentialsMissing,
            "sign in (session cookie) or send an API token (Authorization: Bearer …) to write",
        ));
    };
    if moderation::allows(Some(c.user.role), action) {
        Ok(c)
    } else {
        Err(WebError::new(
            Code::RoleInsufficient,
            format!(
                "this needs the role {} or above; {} is a {} (an admin can change roles)",
                moderation::least_role(action),
                c.user.name,
                c.user.role
            ),
        ))
    }
}

/// The caller of an API write, if allowed: with a bearer token, or with a session cookie and the
/// session's CSRF token in an `X-CSRF-Token` header (so that a page on another site can never
/// write with a visitor's session, even where SameSite cookies are not enforced).
pub(crate) async fn api_writer(state: &AppState, headers: &HeaderMap, action: Action) -> Result<Caller, WebError> {
    let c = require(caller(state, headers).await?, action)?;
    if let Via::Session { csrf, .. } = &c.via {
        let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
        if !accounts::same_secret(csrf, sent) {
            return Err(WebError::new(
                Code::CsrfInvalid,
                "API writes with a session need its CSRF token in X-CSRF-Token (or use an API token)",
            ));
        }
    }
    Ok(c)
}

fn invalid(problems: Vec<solidaria_core::FieldError>) -> WebError {
    AppError::invalid_record(&problems).into()
}

fn outcome_response(o: Outcome, created: bool) -> Response {
    match o {
        Outcome::Applied { record_type, key, change } => {
            let status = if created { StatusCode::CREATED } else { StatusCode::OK };
            (status, axum::Json(json!({"status": "applied", "type": record_type, "id": key, "change": change})))
                .into_response()
        }
        Outcome::Proposed { id, changes } => (
            StatusCode::ACCEPTED,
            axum::Json(json!({
                "status": "pending",
                "proposal": {"id": id, "url": format!("/api/proposals/{id}")},
                "changes": changes,
            })),
        )
            .into_response(),
    }
}

/// Query of a write: the contributor's note to the moderator.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct WriteQuery {
    note: Option<String>,
}

/// Reads a record of type `t` from a body: `type` may be left out, `id` must match the path.
fn record_from(t: RecordType, path_id: Option<&str>, mut body: Value) -> Result<Record, WebError> {
    let Some(obj) = body.as_object_mut() else {
        return Err(WebError::new(
            wanted::RECORD_ADDRESS_MISMATCH,
            format!("body: expected a JSON object (a {t} record)"),
        ));
    };
    match obj.get("type").and_then(Value::as_str) {
        None => {
            obj.insert("type".into(), json!(t.as_str()));
        }
        Some(found) if found != t.as_str() => {
            return Err(WebError::new(
                wanted::RECORD_ADDRESS_MISMATCH,
                format!("type: expected {t:?} at this address, found {found:?}"),
            )
            .at("type"));
        }
        Some(_) => {}
    }
    // Relations have no `id` field: their key is made of their ends and kind, checked below.
    if let Some(id) = path_id.filter(|_| t != RecordType::Relation) {
        match obj.get("id").and_then(Value::as_str) {
            None => {
                obj.insert("id".into(), json!(id));
            }
            Some(found) if found != id => {
                return Err(WebError::new(
                    wanted::RECORD_ADDRESS_MISMATCH,
                    format!("id: expected {id:?} (the id in the address; ids do not change), found {found:?}"),
                )
                .at("id"));
            }
            Some(_) => {}
        }
    }
    let record = parse_record(&body).map_err(invalid)?;
    match path_id {
        Some(id) if record.key() != id => Err(WebError::new(
            wanted::RECORD_ADDRESS_MISMATCH,
            format!("the record's key is {:?}, not {id:?} as in the address (keys do not change)", record.key()),
        )),
        _ => Ok(record),
    }
}

async fn write(
    state: AppState,
    headers: HeaderMap,
    query: Result<Query<WriteQuery>, axum::extract::rejection::QueryRejection>,
    make: impl FnOnce() -> Result<Intent, WebError>,
) -> Result<Response, WebError> {
    let Query(q) = query.map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
    let c = api_writer(&state, &headers, Action::Propose).await?;
    let intent = make()?;
    let created = matches!(intent, Intent::Create(_));
    let outcome = with_store(&state, move |s| Ok(apply(s, &c.user, intent, q.note)?)).await?;
    Ok(outcome_response(outcome, created))
}

/// The API's write routes for one record type at `/api/{plural}`.
fn record_routes(t: RecordType, plural: &str) -> Router<AppState> {
    let create = move |State(state): State<AppState>,
                       headers: HeaderMap,
                       query,
                       body: Result<Json<Value>, JsonRejection>| async move {
        write(state, headers, query, || record_from(t, None, body?.0).map(Intent::Create)).await
    };
    let update = move |State(state): State<AppState>,
                       headers: HeaderMap,
                       Path(id): Path<String>,
                       query,
                       body: Result<Json<Value>, JsonRejection>| async move {
        write(state, headers, query, || record_from(t, Some(&id), body?.0).map(Intent::Update)).await
    };
    let delete = move |State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>, query| async move {
        write(state, headers, query, || Ok(Intent::Delete(t, id))).await
    };
    let one = move |State(state): State<AppState>, Path(id): Path<String>| async move {
        let r = with_store(&state, move |s| Ok(s.get(t, &id)?.ok_or(id))).await?;
        r.map(|r| axum::Json(r.to_json()).into_response())
            .map_err(|id| WebError::new(Code::RecordNotFound, format!("no {t} with id {id:?}")))
    };
    let mut router = Router::new().route(&format!("/api/{plural}/{{id}}"), axum::routing::put(update).delete(delete));
    // Actors and cases already have their own detail routes (with screenings, with strength).
    if matches!(t, RecordType::Actor | RecordType::Case) {
        router = router.route(&format!("/api/{plural}"), post(create));
    } else {
        router =
            router.route(&format!("/api/{plural}"), post(create)).route(&format!("/api/{plural}/{{id}}"), get(one));
    }
    router
}

/// Query of the proposal list.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ProposalQuery {
    state: Option<String>,
    limit: Option<u64>,
}

/// Proposals: moderators see all, contributors their own.
async fn api_proposals(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<ProposalQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, WebError> {
    let Query(q) = query.map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
    let c = require(caller(&state, &headers).await?, Action::Propose)?;
    let filter = q.state.as_deref().map(ProposalState::parse).transpose()?;
    let only = (!moderation::allows(Some(c.user.role), Action::Moderate)).then(|| c.user.name.clone());
    let items = with_store(&state, move |s| {
        let list = s.proposals(filter, only.as_deref(), q.limit.unwrap_or(100).min(1000))?;
        Ok(list.iter().map(|p| proposal_json(s, p)).collect::<Result<Vec<_>, _>>()?)
    })
    .await?;
    let total = items.len();
    Ok(axum::Json(json!({"items": items, "total": total, "facets": {}})).into_response())
}

async fn api_proposal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let c = require(caller(&state, &headers).await?, Action::Propose)?;
    let moderator = moderation::allows(Some(c.user.role), Action::Moderate);
    let v = with_store(&state, move |s| match s.proposal(id)? {
        Some(p) if moderator || p.proposer == c.user.name => Ok(proposal_json(s, &p)?),
        _ => Err(WebError::new(Code::ProposalNotFound, format!("no proposal {id} of yours"))),
    })
    .await?;
    Ok(axum::Json(v).into_response())
}

/// A moderator's decision, as sent to the API.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionBody {
    state: String,
    message: Option<String>,
    duplicate_of: Option<String>,
}

async fn api_decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Result<Json<DecisionBody>, JsonRejection>,
) -> Result<Response, WebError> {
    let c = api_writer(&state, &headers, Action::Moderate).await?;
    let Json(b) = body?;
    let decision = Decision::from_fields(&b.state, b.message.as_deref(), b.duplicate_of.as_deref())?;
    let v = with_store(&state, move |s| {
        decide(s, &c.user, id, decision)?;
        let p = solidaria_app::moderate::proposal(s, id)?;
        Ok(proposal_json(s, &p)?)
    })
    .await?;
    Ok(axum::Json(v).into_response())
}

/// Who the caller is (401 when nobody).
async fn api_me(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    let c = require(caller(&state, &headers).await?, Action::Propose)?;
    Ok(axum::Json(json!({"name": c.user.name, "role": c.user.role})).into_response())
}

/// Every authenticated API route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(record_routes(RecordType::Actor, "actors"))
        .merge(record_routes(RecordType::Relation, "relations"))
        .merge(record_routes(RecordType::Territory, "territories"))
        .merge(record_routes(RecordType::Case, "cases"))
        .route("/api/proposals", get(api_proposals))
        .route("/api/proposals/{id}", get(api_proposal))
        .route("/api/proposals/{id}/decision", post(api_decide))
        .route("/api/me", get(api_me))
}
