//! The stable web addresses of what an instance publishes: each actor's page (which is also its
//! linked-data `@id`), its JSON-LD, its Murmurations profile, and the JSON-LD `@context`.
//!
//! Every address starts with the instance's [`BaseUrl`] (`https://directory.example.org`), given
//! by whoever publishes (`solidaria export --base-url`, `solidaria serve --base-url`): the
//! mapping functions never guess where they are served from.

use solidaria_core::text::{Id, WebUrl};
use std::fmt;

/// What a valid base address looks like, for error messages.
pub const BASE_URL_EXPECTED: &str =
    "an http:// or https:// address without spaces, query or fragment (e.g. https://directory.example.org)";

/// The address an instance is served at, without a trailing `/`: every published address is
/// built on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Parses a base address: an `http://` or `https://` address without query or fragment; a
    /// trailing `/` is dropped (`https://example.org/` and `https://example.org` are the same).
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let url = WebUrl::parse(s.trim()).map_err(|_| BASE_URL_EXPECTED)?;
        let text = url.as_str().trim_end_matches('/');
        if text.contains(['?', '#']) || text.ends_with(':') || text.ends_with("//") {
            return Err(BASE_URL_EXPECTED);
        }
        Ok(BaseUrl(text.to_string()))
    }

    /// The address as text, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The actor's page on this instance (`{base}/actors/{id}`): its stable address, used as its
    /// JSON-LD `@id` and as the Murmurations `primary_url` of an actor without a web site.
    pub fn actor_page(&self, id: &Id) -> String {
        format!("{}/actors/{}", self.0, id.as_str())
    }

    /// The actor's JSON-LD document (`{base}/api/actors/{id}.jsonld`).
    pub fn actor_jsonld(&self, id: &Id) -> String {
        format!("{}/api/actors/{}.jsonld", self.0, id.as_str())
    }

    /// The actor's Murmurations profile (`{base}/murmurations/{id}.json`), the address to
    /// register with a Murmurations index.
    pub fn murmurations_profile(&self, id: &Id) -> String {
        format!("{}/murmurations/{}.json", self.0, id.as_str())
    }

    /// The JSON-LD context every published document refers to (`{base}/context.jsonld`).
    pub fn context(&self) -> String {
        format!("{}/context.jsonld", self.0)
    }
}

impl Default for BaseUrl {
    /// `http://localhost:8080`, where `solidaria serve` listens by default.
    fn default() -> Self {
        BaseUrl("http://localhost:8080".into())
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// The JSON text of `value` made safe to place inside an HTML `<script>` element: `<`, `>` and
/// `&` are written as `\u003c`, `\u003e` and `\u0026` (the same JSON once parsed), so that no
/// text in the data (`</script>`, `<!--`) can end the element or open a comment.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // Line and paragraph separators are valid in JSON but ended strings in older
            // JavaScript parsers.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        let b = BaseUrl::parse("https://sse.example.org/dir/").unwrap();
        assert_eq!(b.as_str(), "https://sse.example.org/dir");
        let id = Id::parse("coop-1").unwrap();
        assert_eq!(b.actor_page(&id), "https://sse.example.org/dir/actors/coop-1");
        assert_eq!(b.murmurations_profile(&id), "https://sse.example.org/dir/murmurations/coop-1.json");
        assert_eq!(b.actor_jsonld(&id), "https://sse.example.org/dir/api/actors/coop-1.jsonld");
        assert_eq!(b.context(), "https://sse.example.org/dir/context.jsonld");
        for bad in ["ftp://x.org", "example.org", "https://x.org/?a=1", "https://x.org/#top", "https:///", ""] {
            assert!(BaseUrl::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(BaseUrl::default().as_str(), "http://localhost:8080");
    }

    #[test]
    fn script_text_cannot_break_out() {
        let v = json!({"name": "</script><script>alert(1)</script> <!-- & \u{2028}"});
        let text = script_safe_json(&v);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(!text.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
