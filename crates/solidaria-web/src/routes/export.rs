//! `GET /api/export`: the registry as JSON Lines, JSON or CSV, or its actors as JSON-LD or
//! Murmurations profiles, streamed as it is read (a million
//! actors never sit in memory): a blocking task writes through `solidaria_app::export` into a
//! bounded channel that the response body reads.

use crate::extract::{Base, Params};
use crate::{AppState, WebError};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use solidaria_app::Code;
use solidaria_app::export::{self, EXPORT_FORMATS, ExportFormat};
use solidaria_core::record::RecordType;
use solidaria_formats::Format;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

/// The export's route.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/export", get(api_export))
}

/// Query of an export.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `jsonl` (default), `json`, `csv`, `jsonld` or `murmurations`.
    pub format: Option<String>,
    /// One record type (default: all for JSON, actors for CSV).
    #[serde(rename = "type")]
    pub record_type: Option<String>,
}

/// The response body: chunks from the writing task, ending when it is done.
struct ChannelBody(mpsc::Receiver<Result<Bytes, std::io::Error>>);

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(|r| r.map(http_body::Frame::data)))
    }
}

/// Writes into the channel in chunks of 64 KiB; a client that went away ends the export.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 << 10 {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

async fn api_export(
    State(state): State<AppState>,
    Base(base): Base,
    Params(q): Params<ExportQuery>,
) -> Result<Response, WebError> {
    // An empty value is refused like any other outside the documented lists (the contract
    // lists no empty value; leave the parameter out for the default).
    let format = match q.format.as_deref() {
        None => ExportFormat::Records(Format::JsonLines),
        Some(f) => ExportFormat::parse(f).ok_or_else(|| {
            WebError::new(Code::FormatUnknown, format!("format: expected {EXPORT_FORMATS}, found {f:?}{}", if_empty(f)))
                .at("format")
        })?,
    };
    let named = match q.record_type.as_deref() {
        None => None,
        Some(t) => Some(
            RecordType::parse(t)
                .map_err(|e| WebError::new(Code::QueryInvalid, format!("type: {e}{}", if_empty(t))).at("type"))?,
        ),
    };
    let types = match (format, named) {
        (_, Some(t)) => vec![t],
        (ExportFormat::Records(f), None) => export::default_types(f),
        (ExportFormat::Publication(_), None) => vec![RecordType::Actor],
    };
    let (mime, ext) = match format {
        ExportFormat::Records(f) => {
            export::check_types(f, &types)?;
            match f {
                Format::JsonLines => ("application/x-ndjson", "jsonl"),
                Format::Json => ("application/json", "json"),
                Format::Csv => ("text/csv; charset=utf-8", "csv"),
            }
        }
        ExportFormat::Publication(p) => {
            export::check_publication_types(&types)?;
            (p.media_type(), p.extension())
        }
    };
    let (tx, rx) = mpsc::channel(8);
    let (db, pool) = (state.db.clone(), state.pool.clone());
    tokio::task::spawn_blocking(move || {
        let mut store = match pool.take(&db) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{}", serde_json::json!({"level": "error", "error": e.to_string()}));
                let _ = tx.blocking_send(Err(std::io::Error::other("the database could not be opened")));
                return;
            }
        };
        let mut out = ChannelWriter { tx: tx.clone(), buf: Vec::with_capacity(64 << 10) };
        let written = match format {
            ExportFormat::Records(f) => export::write(store.as_mut(), f, &types, &mut out),
            ExportFormat::Publication(p) => export::publish(store.as_mut(), p, &base, &mut out),
        };
        match written {
            Ok(()) => pool.give_back(store),
            Err(e) => {
                // The status is sent already: the body ends in an error and the client sees a
                // truncated transfer, never a complete-looking file.
                eprintln!(
                    "{}",
                    serde_json::json!({"level": "warn", "event": "export_stopped", "error": e.to_string()})
                );
                let _ = tx.blocking_send(Err(std::io::Error::other("export stopped")));
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"solidaria.{ext}\"")),
        ],
        Body::new(ChannelBody(rx)),
    )
        .into_response())
}

/// What to do about an empty parameter value: leave the parameter out for its default.
fn if_empty(value: &str) -> &'static str {
    if value.is_empty() { " (leave the parameter out for the default)" } else { "" }
}
