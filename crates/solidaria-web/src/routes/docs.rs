//! The API's description: the OpenAPI document and the readable reference made from it.

use crate::extract::Lang;
use crate::i18n::{Messages, messages};
use crate::pages::render;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::LazyLock;

/// The documentation's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi)).route("/api/docs", get(api_docs))
}

/// The OpenAPI 3.1 description of the API, kept as data next to the code it describes (a test
/// checks that every route it lists answers; `scripts/contract.sh` checks the answers against it).
pub const OPENAPI: &str = include_str!("../../api/openapi.json");

/// The document as served: [`OPENAPI`] with the ISO 3166 codes the app embeds listed in the
/// `IsoCode` schema (an `enum` of some 5,000 codes, made from the same table that decides which
/// territories exist rather than copied into the file).
static SERVED: LazyLock<String> = LazyLock::new(|| {
    let mut doc: Value = serde_json::from_str(OPENAPI).unwrap_or(Value::Null);
    if let Some(iso) = doc.pointer_mut("/components/schemas/IsoCode").and_then(Value::as_object_mut) {
        iso.insert("enum".into(), json!(solidaria_core::territory::iso_codes()));
    }
    serde_json::to_string(&doc).unwrap_or_else(|_| OPENAPI.to_string())
});

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], SERVED.as_str()).into_response()
}

/// One operation of the API, as listed.
struct Operation {
    method: String,
    path: String,
    summary: String,
    description: String,
    /// Each parameter's name and where it goes (in the page's language).
    parameters: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocs<'a> {
    lang: &'a str,
    t: &'a Messages,
    operations: Vec<Operation>,
}

/// Where a parameter goes, in words of the page's language.
fn place<'a>(t: &'a Messages, place: &'a str) -> &'a str {
    match place {
        "query" => &t.param_query,
        "path" => &t.param_path,
        "header" => &t.param_header,
        other => other,
    }
}

/// The operations of the OpenAPI document, in its order.
fn operations(t: &Messages, doc: &Value) -> Vec<Operation> {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut list = Vec::new();
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            list.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(&op["summary"]),
                description: text(&op["description"]),
                parameters: op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| (text(&p["name"]), place(t, p["in"].as_str().unwrap_or("")).to_string()))
                    .collect(),
            });
        }
    }
    list
}

/// A readable reference of the API, generated from the OpenAPI document, in the page's language
/// (the operations' own descriptions are in English).
async fn api_docs(Lang(lang): Lang) -> Response {
    let doc: Value = serde_json::from_str(OPENAPI).unwrap_or(Value::Null);
    let t = messages(lang);
    Html(render(ApiDocs { lang, t, operations: operations(t, &doc) })).into_response()
}
