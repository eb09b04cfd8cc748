//! The API's description: the OpenAPI document and the readable reference made from it.

use crate::state::AppState;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

/// The documentation's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi)).route("/api/docs", get(api_docs))
}

/// The OpenAPI 3.1 description of the API, kept as data next to the code it describes (a test
/// checks that every route it lists answers).
pub const OPENAPI: &str = include_str!("../../api/openapi.json");

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// A readable reference of the API, generated from the OpenAPI document.
async fn api_docs() -> Response {
    use solidaria_app::report::escape;
    let doc: Value = serde_json::from_str(OPENAPI).unwrap_or(Value::Null);
    let mut s = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Solidaria API</title>\
         <style>body{font:16px/1.5 sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{background:#eee;padding:0 .2rem}</style></head>\
         <body><h1>Solidaria API</h1><p>Machine-readable: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1). \
         Errors are JSON: <code>{\"error\": {\"code\", \"message\"}}</code>.</p>",
    );
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in ops.as_object().into_iter().flatten() {
            s.push_str(&format!(
                "<h2><code>{} {}</code></h2><p>{}</p>",
                escape(&method.to_uppercase()),
                escape(path),
                escape(op["summary"].as_str().unwrap_or(""))
            ));
            if let Some(d) = op["description"].as_str() {
                s.push_str(&format!("<p>{}</p>", escape(d)));
            }
            let params: Vec<String> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    format!(
                        "<li><code>{}</code> ({})</li>",
                        escape(p["name"].as_str().unwrap_or("")),
                        escape(p["in"].as_str().unwrap_or(""))
                    )
                })
                .collect();
            if !params.is_empty() {
                s.push_str(&format!("<ul>{}</ul>", params.join("")));
            }
        }
    }
    s.push_str("</body></html>");
    Html(s).into_response()
}
