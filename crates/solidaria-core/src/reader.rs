//! Reading untrusted JSON objects field by field, collecting every problem.
//!
//! Internal helper of the record parsers: each accessor records a [`FieldError`] (with the full
//! dotted path) instead of failing, and returns `None` so parsing goes on to the next field.

use crate::error::{FieldError, describe};
use crate::text::TEXT_MAX_LEN;
use serde_json::{Map, Value};

/// Where an object sits in a record (`facts.members.count`), kept as its parent's path and its
/// own name and written out only when a problem is reported: reading a sound record, the
/// common case, builds no path at all.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    parent: &'a str,
    name: &'a str,
}

impl<'a> At<'a> {
    /// A path given whole (empty for the record itself).
    pub(crate) fn of(path: &'a str) -> Self {
        At { parent: "", name: path }
    }

    /// The field `name` of the object at `parent`.
    pub(crate) fn child(parent: &'a str, name: &'a str) -> Self {
        At { parent, name }
    }

    fn is_root(&self) -> bool {
        self.parent.is_empty() && self.name.is_empty()
    }
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.parent.is_empty(), self.name.is_empty()) {
            (true, _) => f.write_str(self.name),
            (false, true) => f.write_str(self.parent),
            (false, false) => write!(f, "{}.{}", self.parent, self.name),
        }
    }
}

/// The value of `key` in a JSON object. Objects of records are small (a few to twenty keys), where
/// comparing keys in turn costs less than hashing the key asked for.
pub(crate) fn field<'m>(map: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    if map.len() <= 16 { map.iter().find_map(|(k, v)| (k == key).then_some(v)) } else { map.get(key) }
}

/// A JSON object as read: a parsed map, or its members in document order (what a reader that
/// skips building the map's key index hands over; see [`crate::record::screened`]). A member
/// list holds each key once (the last value given, as a map keeps it).
#[derive(Clone, Copy)]
pub(crate) enum Obj<'a> {
    /// A `serde_json` object.
    Map(&'a Map<String, Value>),
    /// The members of an object, keys distinct.
    Members(&'a [(String, Value)]),
}

impl<'a> Obj<'a> {
    /// The value of `key`, if given.
    pub(crate) fn get(self, key: &str) -> Option<&'a Value> {
        match self {
            Obj::Map(m) => field(m, key),
            Obj::Members(m) => m.iter().find_map(|(k, v)| (k == key).then_some(v)),
        }
    }

    /// The keys, in order.
    pub(crate) fn keys(self) -> impl Iterator<Item = &'a String> {
        let (map, members) = match self {
            Obj::Map(m) => (Some(m), None),
            Obj::Members(m) => (None, Some(m)),
        };
        map.into_iter().flat_map(|m| m.keys()).chain(members.into_iter().flat_map(|m| m.iter().map(|(k, _)| k)))
    }

    /// The object as a JSON value (built only to report it or keep it verbatim).
    pub(crate) fn to_value(self) -> Value {
        match self {
            Obj::Map(m) => Value::Object(m.clone()),
            Obj::Members(m) => Value::Object(m.iter().cloned().collect()),
        }
    }
}

/// A view of one JSON object with the path that leads to it and the shared error list.
pub(crate) struct Reader<'a> {
    map: Obj<'a>,
    at: At<'a>,
    pub(crate) errors: &'a mut Vec<FieldError>,
}

impl<'a> Reader<'a> {
    /// Reads `value` as an object at `path` (empty for the record itself); `None` (with an error)
    /// when it is not an object.
    pub(crate) fn object(value: &'a Value, path: &'a str, errors: &'a mut Vec<FieldError>) -> Option<Self> {
        Self::object_at(value, At::of(path), errors)
    }

    /// Reads `value` as an object at `at`; `None` (with an error) when it is not an object.
    pub(crate) fn object_at(value: &'a Value, at: At<'a>, errors: &'a mut Vec<FieldError>) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Self { map: Obj::Map(map), at, errors }),
            other => {
                let field = if at.is_root() { "record".to_string() } else { at.to_string() };
                errors.push(FieldError::new(field, "a JSON object", other));
                None
            }
        }
    }

    /// Reads an object however it was read (a map or its members) at `at`.
    pub(crate) fn over(map: Obj<'a>, at: At<'a>, errors: &'a mut Vec<FieldError>) -> Self {
        Self { map, at, errors }
    }

    /// The full dotted path of a field of this object.
    pub(crate) fn path(&self, key: &str) -> String {
        if self.at.is_root() { key.to_string() } else { format!("{}.{key}", self.at) }
    }

    /// Records an error on a field of this object.
    pub(crate) fn error(&mut self, key: &str, expected: impl Into<String>, found: &Value) {
        let field = self.path(key);
        self.errors.push(FieldError::new(field, expected, found));
    }

    /// The raw value of a field; JSON `null` counts as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// Refuses fields outside `allowed`, naming the allowed ones.
    pub(crate) fn deny_unknown(&mut self, allowed: &[&str]) {
        let unknown: Vec<String> = self.map.keys().filter(|k| !allowed.contains(&k.as_str())).cloned().collect();
        for key in unknown {
            let field = self.path(&key);
            self.errors.push(FieldError::text(
                field,
                format!("no such field here; known fields are {}", allowed.join(", ")),
                "an unknown field",
            ));
        }
    }

    /// A required, non-empty text field.
    pub(crate) fn req_text(&mut self, key: &str) -> Option<String> {
        if self.get(key).is_none() {
            let field = self.path(key);
            self.errors.push(FieldError::missing(field, "a non-empty text"));
            return None;
        }
        self.opt_text(key)
    }

    /// An optional, non-empty text field of at most [`TEXT_MAX_LEN`] bytes.
    pub(crate) fn opt_text(&mut self, key: &str) -> Option<String> {
        let value = self.get(key)?;
        match value.as_str() {
            Some(s) if !s.trim().is_empty() && s.len() <= TEXT_MAX_LEN => Some(s.to_string()),
            _ => {
                self.error(key, format!("a non-empty text of at most {TEXT_MAX_LEN} bytes"), value);
                None
            }
        }
    }

    /// An optional text field parsed by `parse`, whose error is the expected-value wording.
    pub(crate) fn opt_parse<T, E: Into<String>>(
        &mut self,
        key: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        let value = self.get(key)?;
        let Some(s) = value.as_str() else {
            let expected = expected_of(&parse);
            self.error(key, expected, value);
            return None;
        };
        match parse(s) {
            Ok(v) => Some(v),
            Err(expected) => {
                self.error(key, expected, value);
                None
            }
        }
    }

    /// A required text field parsed by `parse`.
    pub(crate) fn req_parse<T, E: Into<String>>(
        &mut self,
        key: &str,
        expected: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Option<T> {
        if self.get(key).is_none() {
            let field = self.path(key);
            self.errors.push(FieldError::missing(field, expected));
            return None;
        }
        self.opt_parse(key, parse)
    }

    /// An optional list of texts, each parsed by `parse`; duplicates collapse, order is sorted.
    pub(crate) fn opt_list<T: Ord, E: Into<String>>(
        &mut self,
        key: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> Vec<T> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let Some(items) = value.as_array() else {
            self.error(key, "a list", value);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let parsed = item.as_str().ok_or_else(|| expected_of(&parse));
            match parsed.and_then(|s| parse(s).map_err(Into::into)) {
                Ok(v) => out.push(v),
                Err(expected) => {
                    let field = format!("{}[{i}]", self.path(key));
                    self.errors.push(FieldError::text(field, expected, describe(item)));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// An optional whole number within `min..=max`.
    pub(crate) fn opt_int(&mut self, key: &str, min: i64, max: i64) -> Option<i64> {
        let value = self.get(key)?;
        match value.as_i64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.error(key, format!("a whole number from {min} to {max}"), value);
                None
            }
        }
    }

    /// An optional number within `min..=max`.
    pub(crate) fn opt_number(&mut self, key: &str, min: f64, max: f64) -> Option<f64> {
        let value = self.get(key)?;
        match value.as_f64() {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.error(key, format!("a number from {min} to {max}"), value);
                None
            }
        }
    }
}

/// The expected-value wording of a text parser, obtained by asking it to parse the empty text,
/// which every parser used here refuses.
fn expected_of<T, E: Into<String>>(parse: &impl Fn(&str) -> Result<T, E>) -> String {
    match parse("") {
        Err(e) => e.into(),
        Ok(_) => "a text".to_string(),
    }
}
