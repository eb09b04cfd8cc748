//! Extractors: what a handler takes from a request, each refusing with a [`WebError`] so that
//! handlers never map a rejection themselves.
//!
//! - [`Params`]: the query string as a type (`query_invalid` when it does not parse or names an
//!   unknown parameter); [`Fields`]: a url-encoded form, likewise; [`Body`]: a JSON body
//!   (`bad_body` or `too_large`, as axum decided).
//! - [`Lang`]: the page language, from `?lang=` or `Accept-Language`.
//! - [`Base`]: the address the instance is served at, for published documents.
//! - [`Caller`]: who is asking, from a bearer token or a session cookie. [`Can<A>`] is a caller
//!   allowed to do the action `A` ([`Propose`], [`WriteDirectly`], [`Moderate`],
//!   [`ManageUsers`]): 401 for nobody, 403 for a role that may not. [`CanWrite<A>`] adds what an
//!   API write needs: with a session, its CSRF token in `X-CSRF-Token`. [`Posted<A, T>`] is a form
//!   `T` sent by a caller allowed `A`, with the session's CSRF token in the form.
//!
//! A wrong or revoked bearer token, or one of a disabled account, is always a 401, never taken
//! for an anonymous visitor; so is a session of a disabled account, which ends when it is
//! disabled. A read-only token's writes are refused before any handler runs (`security`).

use crate::state::{AppState, with_store};
use crate::{WebError, auth};
use axum::extract::{Form, FromRequest, FromRequestParts, Json, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;
use solidaria_app::{Code, accounts};
use solidaria_core::moderation::{self, Action};
use solidaria_formats::unique_keys::UniqueKeys;
use solidaria_store::accounts::User;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::marker::PhantomData;
use std::ops::Deref;

/// A query string read as `T`; a malformed or unknown parameter is a `query_invalid` error.
pub(crate) struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        let Query(q) = Query::try_from_uri(&parts.uri).map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
        Ok(Params(q))
    }
}

/// The query parameters a page reads; the others are ignored.
pub(crate) trait PageFields {
    /// The parameter names the page understands.
    const FIELDS: &'static [&'static str];
}

/// A page's query string read as `T` after dropping the parameters the page does not know
/// (`utm_source`, `fbclid` and the like that links shared from newsletters and social networks
/// carry); a malformed known parameter is still a `query_invalid` error.
pub(crate) struct PageParams<T>(pub T);

impl<T: DeserializeOwned + PageFields, S: Send + Sync> FromRequestParts<S> for PageParams<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        let kept = known_params(parts.uri.query().unwrap_or(""), T::FIELDS);
        let uri: axum::http::Uri =
            format!("/?{kept}").parse().map_err(|_| WebError::new(Code::QueryInvalid, "unreadable query string"))?;
        let Query(q) = Query::try_from_uri(&uri).map_err(|e| WebError::new(Code::QueryInvalid, e.body_text()))?;
        Ok(PageParams(q))
    }
}

/// The pairs of a raw query string whose name is one of `fields`, joined again (names compared
/// after percent-decoding, values kept as they were sent).
pub(crate) fn known_params(query: &str, fields: &[&str]) -> String {
    query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            let decoded = percent_decode(name);
            fields.contains(&decoded.as_str())
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes `%XX` escapes and `+` in a parameter name (invalid escapes are kept as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                    }
                    Err(_) => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A url-encoded form read as `T`; a malformed one is a `query_invalid` error (its fields are
/// parameters like a query's).
pub(crate) struct Fields<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Fields<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let Form(f) = Form::from_request(req, state).await.map_err(|e| {
            // A body over the limit is 413 (axum reports it as a failure to buffer, 400).
            let text = e.body_text();
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE || text.contains("length limit exceeded") {
                WebError::Rejected { status: axum::http::StatusCode::PAYLOAD_TOO_LARGE, message: text }
            } else {
                WebError::new(Code::QueryInvalid, text)
            }
        })?;
        Ok(Fields(f))
    }
}

/// A JSON body read as `T`; an object with a repeated key, or one refused before or while reading is [`WebError::Rejected`] with
/// the status axum chose.
pub(crate) struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        // Read as a value first, so that an object with a repeated key is refused (serde_json
        // would keep the last one), then as `T`.
        let Json(UniqueKeys(value)) = Json::<UniqueKeys>::from_request(req, state).await?;
        let v = T::deserialize(value).map_err(|e| WebError::Rejected {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("Failed to deserialize the JSON body into the target type: {e}"),
        })?;
        Ok(Body(v))
    }
}

/// The page language: `?lang=`, else `Accept-Language`, else English.
pub(crate) struct Lang(pub &'static str);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let query: Option<Query<BTreeMap<String, String>>> = Query::try_from_uri(&parts.uri).ok();
        let asked = query.as_ref().and_then(|q| q.get("lang")).map(String::as_str);
        let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        Ok(Lang(crate::i18n::choose(asked, accept)))
    }
}

/// Where this instance is served, for the stable addresses of published documents: the
/// configured `base_url`, else `http://` and the request's `Host` (else `http://localhost:8080`).
pub(crate) struct Base(pub solidaria_formats::BaseUrl);

impl FromRequestParts<AppState> for Base {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        if let Some(base) = &state.options.base_url {
            return Ok(Base(base.clone()));
        }
        let host = parts.headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let base = host
            .filter(|h| !h.contains(['/', '\\', '@']))
            .and_then(|h| solidaria_formats::BaseUrl::parse(&format!("http://{h}")).ok())
            .unwrap_or_default();
        Ok(Base(base))
    }
}

/// How a caller proved who they are.
#[derive(Debug, Clone)]
pub(crate) enum Via {
    /// A session cookie, with the session's digest and its CSRF token.
    Session { digest: String, csrf: String },
    /// An API bearer token, which may be read-only.
    Bearer { read_only: bool },
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The account.
    pub user: User,
    /// How it authenticated.
    pub via: Via,
}

impl Caller {
    /// Who is calling: a bearer token (a wrong one is refused, never treated as anonymous), else
    /// a session cookie (an unknown or expired one counts as anonymous), else nobody.
    pub(crate) async fn of(state: &AppState, headers: &HeaderMap) -> Result<Option<Caller>, WebError> {
        if let Some(value) = headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| WebError::new(Code::CredentialsInvalid, "Authorization: expected \"Bearer <token>\""))?;
            let digest = accounts::token_digest(token);
            let holder = with_store(state, move |s| Ok(s.token_user(&digest)?)).await?;
            return match holder {
                Some(h) => Ok(Some(Caller { user: h.user, via: Via::Bearer { read_only: h.read_only } })),
                None => Err(WebError::new(
                    Code::CredentialsInvalid,
                    "unknown or revoked API token, or its account is disabled",
                )),
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
    fn allowed(caller: Option<Caller>, action: Action) -> Result<Caller, WebError> {
        let Some(c) = caller else {
            return Err(WebError::new(
                Code::CredentialsMissing,
                "sign in (session cookie) or send an API token (Authorization: Bearer …) to write",
            ));
        };
        if c.may(action) {
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

    /// Whether the caller authenticated with a read-only API token.
    pub(crate) fn read_only(&self) -> bool {
        matches!(self.via, Via::Bearer { read_only: true })
    }

    /// Whether the caller's role allows `action`.
    pub(crate) fn may(&self, action: Action) -> bool {
        moderation::allows(Some(self.user.role), action)
    }

    /// The session's CSRF token, for the forms of a page (none for a bearer token).
    pub(crate) fn csrf(&self) -> String {
        match &self.via {
            Via::Session { csrf, .. } => csrf.clone(),
            Via::Bearer { .. } => String::new(),
        }
    }

    /// Checks the CSRF token a form sent back against the session's.
    fn check_form_csrf(&self, sent: &str) -> Result<(), WebError> {
        match &self.via {
            Via::Session { csrf, .. } if accounts::same_secret(csrf, sent) => Ok(()),
            Via::Session { .. } => {
                Err(WebError::new(Code::CsrfInvalid, "the form's CSRF token is missing or wrong: reload the page"))
            }
            Via::Bearer { .. } => {
                Err(WebError::new(Code::CsrfInvalid, "forms need a session; the API takes bearer tokens"))
            }
        }
    }
}

/// An action a route needs, as a type: the parameter of [`Can`], [`CanWrite`] and [`Posted`].
pub(crate) trait Needs: Send + Sync + 'static {
    /// The action.
    const ACTION: Action;
}

macro_rules! needs {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        impl Needs for $name {
            const ACTION: Action = Action::$name;
        }
    )+};
}

needs! {
    /// Proposing changes: every account.
    Propose;
    /// Writing without moderation: moderators and admins.
    WriteDirectly;
    /// Deciding proposals: moderators and admins.
    Moderate;
    /// Managing accounts: admins.
    ManageUsers;
}

/// A caller allowed to do `A` (it dereferences to the [`Caller`]).
pub(crate) struct Can<A>(Caller, PhantomData<A>);

impl<A> Deref for Can<A> {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl<A: Needs> FromRequestParts<AppState> for Can<A> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let caller = Caller::of(state, &parts.headers).await?;
        Ok(Can(Caller::allowed(caller, A::ACTION)?, PhantomData))
    }
}

/// The caller of an API write, allowed to do `A`: with a bearer token, or with a session cookie
/// and the session's CSRF token in an `X-CSRF-Token` header (so that a page on another site can
/// never write with a visitor's session, even where SameSite cookies are not enforced).
pub(crate) struct CanWrite<A>(Caller, PhantomData<A>);

impl<A> Deref for CanWrite<A> {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.0
    }
}

impl<A: Needs> FromRequestParts<AppState> for CanWrite<A> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let Can(c, _) = Can::<A>::from_request_parts(parts, state).await?;
        if let Via::Session { csrf, .. } = &c.via {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !accounts::same_secret(csrf, sent) {
                return Err(WebError::new(
                    Code::CsrfInvalid,
                    "API writes with a session need its CSRF token in X-CSRF-Token (or use an API token)",
                ));
            }
        }
        Ok(CanWrite(c, PhantomData))
    }
}

/// A form that carries the session's CSRF token in a field.
pub(crate) trait CsrfField {
    /// The token the form sent back.
    fn csrf(&self) -> &str;
}

/// Implements [`CsrfField`] for forms whose token is in their `csrf` field.
macro_rules! csrf_field {
    ($($form:ty),+) => {$(
        impl $crate::extract::CsrfField for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        }
    )+};
}
pub(crate) use csrf_field;

/// A form `T` sent by a caller allowed to do `A` with the session's CSRF token: checked in that
/// order (a malformed form, then nobody or a role that may not, then a wrong token).
pub(crate) struct Posted<A, T>(pub Can<A>, pub T);

impl<A: Needs, T: CsrfField + DeserializeOwned + Send> FromRequest<AppState> for Posted<A, T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let headers = req.headers().clone();
        let Fields(form) = Fields::<T>::from_request(req, state).await?;
        let c = Caller::allowed(Caller::of(state, &headers).await?, A::ACTION)?;
        c.check_form_csrf(form.csrf())?;
        Ok(Posted(Can(c, PhantomData), form))
    }
}

#[cfg(test)]
mod tests {
    use super::known_params;

    #[test]
    fn pages_keep_only_the_parameters_they_know() {
        let fields = &["q", "territory", "lang"];
        assert_eq!(known_params("q=coop&utm_source=x&fbclid=abc&lang=fr", fields), "q=coop&lang=fr");
        assert_eq!(known_params("%71=coop&territory=CA-QC", fields), "%71=coop&territory=CA-QC", "names are decoded");
        assert_eq!(known_params("utm_source=newsletter", fields), "");
        assert_eq!(known_params("", fields), "");
    }
}
