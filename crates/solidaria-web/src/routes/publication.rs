//! What the instance publishes for other systems: the JSON-LD `@context` (`/context.jsonld`)
//! and each actor's Murmurations profile at its stable address (`/murmurations/{id}.json`).
//! Each actor's JSON-LD is served by the directory (`/api/actors/{id}.jsonld`, and `/actors/{id}`
//! to a client that asks for `application/ld+json`) and embedded in its page.

use crate::WebError;
use crate::extract::Base;
use crate::state::{AppState, with_store};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;
use solidaria_app::export::{self, Publication};
use solidaria_core::record::RecordType;

/// The publication's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/context.jsonld", get(context)).route("/murmurations/{file}", get(murmurations_profile))
}

/// A JSON-LD answer.
pub(crate) fn jsonld(doc: &Value) -> Response {
    ([(header::CONTENT_TYPE, "application/ld+json")], doc.to_string()).into_response()
}

async fn context() -> Response {
    let mut r = jsonld(&solidaria_formats::linked_data::context());
    // Every published document refers to it: let clients keep it a day.
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("public, max-age=86400"));
    r
}

/// `/murmurations/{id}.json`: the actor's profile; any other file name is not found.
async fn murmurations_profile(
    State(state): State<AppState>,
    Base(base): Base,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let Some(id) = file.strip_suffix(".json").map(str::to_string) else {
        return Err(WebError::from(solidaria_app::AppError::no_record(RecordType::Actor, &file)));
    };
    let profile =
        with_store(&state, move |s| Ok(export::publish_actor(s, &id, Publication::Murmurations, &base)?)).await?;
    Ok(axum::Json(profile).into_response())
}
