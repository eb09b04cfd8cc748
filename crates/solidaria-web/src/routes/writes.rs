//! The API's authenticated routes (who is calling and what they may do is `extract`'s): creating,
//! updating and deleting records (directly for moderators and admins, as proposals for contributors) and
//! decides proposals. Every write goes through `solidaria_app::write::apply` or
//! `solidaria_app::moderate::decide`, so the HTML forms, the JSON API and the command line share
//! one path, one set of checks and one audit trail.

use crate::WebError;
use crate::extract::{Body, Can, CanWrite, Moderate, Params, Propose};
use crate::state::{AppState, with_store};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use solidaria_app::moderate::proposal_json;
use solidaria_app::write::{Intent, Outcome, apply};
use solidaria_app::{AppError, Code};
use solidaria_core::moderation::{Action, Decision, ProposalState};
use solidaria_core::record::{Record, RecordType, parse_input};

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
        return Err(WebError::new(Code::RecordAddressMismatch, format!("body: expected a JSON object (a {t} record)")));
    };
    from_address(obj, "type", t.as_str(), "at this address")?;
    // Relations have no `id` field: their key is made of their ends and kind, checked below.
    if let Some(id) = path_id.filter(|_| t != RecordType::Relation) {
        from_address(obj, "id", id, "(the id in the address; ids do not change)")?;
    }
    let record = parse_input(&body).map_err(invalid)?;
    match path_id {
        Some(id) if record.key() != id => Err(WebError::new(
            Code::RecordAddressMismatch,
            format!("the record's key is {:?}, not {id:?} as in the address (keys do not change)", record.key()),
        )),
        _ => Ok(record),
    }
}

/// A field the address decides (`type`, `id`): taken from the address when the body leaves it
/// out (or null); any other value than the address's is refused, whatever its JSON type (an
/// object or a number was once replaced in silence).
fn from_address(obj: &mut Map<String, Value>, key: &str, expected: &str, where_: &str) -> Result<(), WebError> {
    match obj.get(key).filter(|v| !v.is_null()) {
        None => {
            obj.insert(key.into(), json!(expected));
            Ok(())
        }
        Some(Value::String(found)) if found == expected => Ok(()),
        Some(found) => Err(WebError::new(
            Code::RecordAddressMismatch,
            format!("{key}: expected {expected:?} {where_}, found {found}"),
        )
        .at(key)),
    }
}

/// Applies or proposes what the request asks (or the reason it could not be read), as the caller.
async fn write(
    state: AppState,
    c: CanWrite<Propose>,
    q: WriteQuery,
    intent: Result<Intent, WebError>,
) -> Result<Response, WebError> {
    let intent = intent?;
    let created = matches!(intent, Intent::Create(_));
    let outcome = with_store(&state, move |s| Ok(apply(s, &c.user, intent, q.note)?)).await?;
    Ok(outcome_response(outcome, created))
}

/// The API's write routes for one record type at `/api/{plural}`.
fn record_routes(t: RecordType, plural: &str) -> Router<AppState> {
    let create = move |State(state), Params(q), c, Body(body): Body<Value>| async move {
        write(state, c, q, record_from(t, None, body).map(Intent::Create)).await
    };
    let update = move |State(state), Path(id): Path<String>, Params(q), c, Body(body): Body<Value>| async move {
        write(state, c, q, record_from(t, Some(&id), body).map(Intent::Update)).await
    };
    let delete = move |State(state), Path(id): Path<String>, Params(q), c| async move {
        write(state, c, q, Ok(Intent::Delete(t, id))).await
    };
    let one = move |State(state): State<AppState>, Path(id): Path<String>| async move {
        let r = with_store(&state, move |s| Ok(solidaria_app::directory::record(s, t, &id)?)).await?;
        Ok::<_, WebError>(axum::Json(r.to_json()).into_response())
    };
    // Territories are not deleted through the API (records refer to them): the address answers
    // 405 to DELETE, as to any method it does not take.
    let one_route =
        if t == RecordType::Territory { axum::routing::put(update) } else { axum::routing::put(update).delete(delete) };
    let mut router = Router::new().route(&format!("/api/{plural}/{{id}}"), one_route);
    // Actors, cases and strategies already have their own detail routes (with screenings, with
    // strength, with the deliberation and follow-up).
    if matches!(t, RecordType::Actor | RecordType::Case | RecordType::Strategy) {
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
    limit: Option<usize>,
    offset: Option<usize>,
}

/// Largest page of the proposal list.
const PROPOSALS_LIMIT: usize = 1000;

/// Proposals: moderators see all, contributors their own.
async fn api_proposals(
    State(state): State<AppState>,
    Params(q): Params<ProposalQuery>,
    c: Can<Propose>,
) -> Result<Response, WebError> {
    crate::routes::directory::api_limit(q.limit, PROPOSALS_LIMIT, "")?;
    let filter = q
        .state
        .as_deref()
        .map(|s| {
            ProposalState::parse(s).map_err(|_| {
                WebError::new(
                    Code::QueryInvalid,
                    format!("state: expected pending, validated, rejected or duplicate, found {s:?}"),
                )
                .at("state")
            })
        })
        .transpose()?;
    let only = (!c.may(Action::Moderate)).then(|| c.user.name.clone());
    let (offset, limit) = (q.offset.unwrap_or(0) as u64, q.limit.unwrap_or(100) as u64);
    let (items, total) = with_store(&state, move |s| {
        let (list, total) = solidaria_app::moderate::page(s, filter, only.as_deref(), offset, limit)?;
        Ok((list.iter().map(|p| proposal_json(s, p)).collect::<Result<Vec<_>, _>>()?, total))
    })
    .await?;
    Ok(axum::Json(json!({"items": items, "total": total, "facets": {}})).into_response())
}

/// One proposal with its diffs: any for moderators, their own for contributors.
async fn api_proposal(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    c: Can<Propose>,
) -> Result<Response, WebError> {
    let moderator = c.may(Action::Moderate);
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
    /// `verified` or `declared` (default): how a validation takes a self-assessment's answers.
    assurance: Option<String>,
}

/// A moderator's decision on a proposal; answers the proposal as decided.
async fn api_decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    c: CanWrite<Moderate>,
    Body(b): Body<DecisionBody>,
) -> Result<Response, WebError> {
    let decision = Decision::from_fields(&b.state, b.message.as_deref(), b.duplicate_of.as_deref())?;
    let verified = solidaria_app::moderate::verified_from(b.assurance.as_deref())?;
    let v = with_store(&state, move |s| {
        solidaria_app::moderate::decide_as(s, &c.user, id, decision, verified)?;
        let p = solidaria_app::moderate::proposal(s, id)?;
        Ok(proposal_json(s, &p)?)
    })
    .await?;
    Ok(axum::Json(v).into_response())
}

/// Who the caller is (401 when nobody), and whether its token is read-only.
async fn api_me(c: Can<Propose>) -> Result<Response, WebError> {
    Ok(axum::Json(json!({"name": c.user.name, "role": c.user.role, "read_only": c.read_only()})).into_response())
}

/// Every authenticated API route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(record_routes(RecordType::Actor, "actors"))
        .merge(record_routes(RecordType::Relation, "relations"))
        .merge(record_routes(RecordType::Territory, "territories"))
        .merge(record_routes(RecordType::Case, "cases"))
        .merge(record_routes(RecordType::Strategy, "strategies"))
        .route("/api/proposals", get(api_proposals))
        .route("/api/proposals/{id}", get(api_proposal))
        .route("/api/proposals/{id}/decision", post(api_decide))
        .route("/api/me", get(api_me))
}
