//! [`WebError`]: how a failure is answered over HTTP: JSON with the coarse `code` of its class,
//! the fine `reason`, and the field involved (the form handlers turn it into a page instead).

use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use solidaria_app::{AppError, Class, Code};
use solidaria_core::moderation::ModerationError;
use solidaria_store::StoreError;

/// A failure answered as JSON with a stable code (and, for pages, as a short HTML page).
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// A failure with its [`Code`], answered with the status of its class, the class as `code`
    /// and the code as `reason` (an internal one's message is logged, never shown).
    #[error("{}", if .0.class() == Class::Internal { "internal error" } else { .0.message.as_str() })]
    App(AppError),
    /// The body was refused before reading (too large, not JSON, wrong content type); the status
    /// is the one axum's extractor chose (413, 400, 415, 422), the code `too_large` or `bad_body`.
    #[error("{message}")]
    Rejected {
        /// The HTTP status.
        status: StatusCode,
        /// What was wrong.
        message: String,
    },
}

impl WebError {
    /// A failure with a code and a message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        WebError::App(AppError::new(code, message))
    }

    /// A failure of the system (a task that could not run, a closed semaphore): its cause is
    /// logged, never shown.
    pub fn system(cause: impl std::fmt::Display) -> Self {
        WebError::new(Code::System, cause.to_string())
    }

    /// The same failure naming the field or parameter involved.
    pub fn at(self, field: impl Into<String>) -> Self {
        match self {
            WebError::App(e) => WebError::App(e.at(field)),
            rejected => rejected,
        }
    }

    /// Whether the failure is the system's (its cause logged, never shown).
    pub fn is_internal(&self) -> bool {
        matches!(self, WebError::App(e) if e.class() == Class::Internal)
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::App(e) => status_of(e.class()),
            WebError::Rejected { status, .. } => *status,
        }
    }

    /// The coarse code (the JSON API's `code`).
    fn code(&self) -> &'static str {
        match self {
            WebError::App(e) => e.class().as_str(),
            WebError::Rejected { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            WebError::Rejected { .. } => "bad_body",
        }
    }

    /// Each problem of an invalid record, located (none for other failures).
    pub fn problems(&self) -> &[String] {
        match self {
            WebError::App(e) => &e.problems,
            WebError::Rejected { .. } => &[],
        }
    }

    /// Logs an internal failure's cause as one JSON line on standard error (others are the
    /// caller's, answered and not logged).
    pub(crate) fn log_if_internal(&self) {
        if let WebError::App(e) = self
            && e.class() == Class::Internal
        {
            eprintln!("{{\"level\":\"error\",\"reason\":{},\"error\":{}}}", json!(e.code.as_str()), json!(e.message));
        }
    }
}

/// The HTTP status of a class of failure.
pub fn status_of(class: Class) -> StatusCode {
    match class {
        Class::BadRequest => StatusCode::BAD_REQUEST,
        Class::NotFound => StatusCode::NOT_FOUND,
        Class::Conflict => StatusCode::CONFLICT,
        Class::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        Class::Unauthorized => StatusCode::UNAUTHORIZED,
        Class::Forbidden => StatusCode::FORBIDDEN,
        Class::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Class::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        WebError::App(e)
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::App(e.into())
    }
}

impl From<ModerationError> for WebError {
    fn from(e: ModerationError) -> Self {
        WebError::App(e.into())
    }
}

impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        WebError::Rejected { status: r.status(), message: r.body_text() }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log_if_internal();
        let status = self.status();
        let mut error = json!({"code": self.code(), "message": self.to_string()});
        if let WebError::App(e) = &self {
            error["reason"] = json!(e.code.as_str());
            if let Some(f) = &e.field {
                error["field"] = json!(f);
            }
            if !e.problems.is_empty() {
                error["problems"] = json!(e.problems);
            }
        }
        let mut response = (status, axum::Json(json!({ "error": error }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
