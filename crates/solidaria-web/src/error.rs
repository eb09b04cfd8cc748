//! [`WebError`]: how a failure is answered over HTTP (JSON with a stable code; the form handlers
//! turn it into a page instead).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use solidaria_app::{AppError, Class};
use solidaria_store::StoreError;

/// A failure answered as JSON with a stable code (and, for pages, as a short HTML page).
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Nothing at this address.
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// The request names no valid credentials (no session, no bearer token, or a wrong one).
    #[error("{0}")]
    Unauthorized(String),
    /// The caller's role does not allow this, or the form's CSRF token is wrong.
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the current state (a key taken, a proposal already decided).
    #[error("{0}")]
    Conflict(String),
    /// The record is well-formed but invalid: each problem names its field.
    #[error("{message}")]
    Invalid {
        /// A summary.
        message: String,
        /// `field: expected …, found …` for each problem.
        problems: Vec<String>,
    },
    /// The body was refused before reading (too large, not JSON, wrong content type); the status
    /// is the one axum's extractor chose (413, 400, 415, 422).
    #[error("{message}")]
    Rejected {
        /// The HTTP status.
        status: StatusCode,
        /// What was wrong.
        message: String,
    },
    /// Too many failed logins from this client or for this user.
    #[error("too many failed logins: wait 15 minutes")]
    TooManyRequests,
    /// The database failed; the cause is logged, never shown.
    #[error("internal error")]
    Internal(String),
    /// A use case's failure, answered with the status of its class, the class as `code` and
    /// the fine-grained code as `reason` (an internal one's message is logged, never shown).
    #[error("{}", if .0.class() == Class::Internal { "internal error" } else { .0.message.as_str() })]
    App(AppError),
}

impl WebError {
    /// Whether the failure is the system's (its cause logged, never shown).
    pub fn is_internal(&self) -> bool {
        match self {
            WebError::Internal(_) => true,
            WebError::App(e) => e.class() == Class::Internal,
            _ => false,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> StatusCode {
        self.code().0
    }

    fn code(&self) -> (StatusCode, &'static str) {
        match self {
            WebError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            WebError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            WebError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            WebError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            WebError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            WebError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_record"),
            WebError::Rejected { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => (*status, "too_large"),
            WebError::Rejected { status, .. } => (*status, "bad_body"),
            WebError::TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            WebError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
            WebError::App(e) => (status_of(e.class()), e.class().as_str()),
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
        match e {
            StoreError::Conflict(what) => WebError::Conflict(format!("{what} already exists")),
            e => WebError::Internal(e.to_string()),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for WebError {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        WebError::Rejected { status: r.status(), message: r.body_text() }
    }
}

impl From<solidaria_core::moderation::ModerationError> for WebError {
    fn from(e: solidaria_core::moderation::ModerationError) -> Self {
        match e {
            solidaria_core::moderation::ModerationError::AlreadyDecided(_) => WebError::Conflict(e.to_string()),
            e => WebError::BadRequest(e.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, code) = self.code();
        if let WebError::Internal(cause) = &self {
            eprintln!("{{\"level\":\"error\",\"error\":{}}}", json!(cause));
        }
        let mut error = json!({"code": code, "message": self.to_string()});
        if let WebError::Invalid { problems, .. } = &self {
            error["problems"] = json!(problems);
        }
        if let WebError::App(e) = &self {
            if e.class() == Class::Internal {
                eprintln!(
                    "{{\"level\":\"error\",\"reason\":{},\"error\":{}}}",
                    json!(e.code.as_str()),
                    json!(e.message)
                );
            }
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
