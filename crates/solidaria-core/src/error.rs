//! Field-level validation errors.
//!
//! A parser never stops at the first problem: it collects one [`FieldError`] per bad field so that a
//! user fixing a file sees every problem of a record at once. The shells add the file and line.

use serde_json::Value;
use std::fmt;

/// One problem with one field of a record: which field, what was expected, what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `facts.members.count` or `actors[2].role`.
    pub field: String,
    /// What a valid value looks like, in plain words.
    pub expected: String,
    /// What was found, shortened for display.
    pub found: String,
}

impl FieldError {
    /// Builds an error whose `found` part is a rendering of the offending JSON value.
    pub fn new(field: impl Into<String>, expected: impl Into<String>, found: &Value) -> Self {
        Self { field: field.into(), expected: expected.into(), found: describe(found) }
    }

    /// Builds an error with a free-text `found` part (e.g. "nothing" for a missing field).
    pub fn text(field: impl Into<String>, expected: impl Into<String>, found: impl Into<String>) -> Self {
        Self { field: field.into(), expected: expected.into(), found: found.into() }
    }

    /// Error for a required field that is absent.
    pub fn missing(field: impl Into<String>, expected: impl Into<String>) -> Self {
        Self::text(field, expected, "nothing (the field is missing)")
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: expected {}, found {}", self.field, self.expected, self.found)
    }
}

impl std::error::Error for FieldError {}

/// Longest rendering of a found value before it is cut, so that one huge field cannot flood a report.
const FOUND_MAX_CHARS: usize = 60;

/// Renders a JSON value for an error message: its JSON text, cut to a readable length.
pub fn describe(value: &Value) -> String {
    let text = match value {
        Value::Null => return "null".to_string(),
        Value::Array(a) if a.is_empty() => return "an empty list".to_string(),
        Value::Object(o) if o.is_empty() => return "an empty object".to_string(),
        other => other.to_string(),
    };
    shorten(&text)
}

/// Cuts a text to [`FOUND_MAX_CHARS`] characters, marking the cut.
pub fn shorten(text: &str) -> String {
    if text.chars().count() <= FOUND_MAX_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(FOUND_MAX_CHARS).collect();
        format!("{cut}… ({} characters)", text.chars().count())
    }
}

/// Joins a list of allowed values for an `expected` message: `one of "a", "b", "c"`.
pub fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    format!("one of {}", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_values_are_cut_and_counted() {
        let long = "x".repeat(500);
        let d = describe(&json!(long));
        assert!(d.len() < 100, "{d}");
        assert!(d.ends_with("(502 characters)"), "{d}");
    }

    #[test]
    fn display_follows_field_expected_found() {
        let e = FieldError::new("founded", "a year", &json!("soon"));
        assert_eq!(e.to_string(), "founded: expected a year, found \"soon\"");
    }
}
