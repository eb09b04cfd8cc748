//! JSON inputs of a mapping: an array of objects (at the top level or under a dotted path) and
//! GeoJSON FeatureCollections, flattened into rows of dotted column names.
//!
//! Nested objects give dotted names (`address.locality`); a list of scalars gives several values
//! in one column; a list of objects gives, for each of their fields, one column holding the
//! values of all of them (`urls.url`). Each record keeps the line where it starts in the file.

use super::{Row, Rows};
use crate::FormatError;
use crate::jsonl::{MAX_ARRAY_FILE_BYTES, split_array_at};
use serde_json::Value;
use std::io::Read;

fn structure(line: u64, message: impl Into<String>) -> FormatError {
    FormatError::Structure { line, message: message.into() }
}

pub(crate) fn read_all<R: Read>(reader: R) -> Result<Vec<u8>, FormatError> {
    let mut data = Vec::new();
    reader.take(MAX_ARRAY_FILE_BYTES + 1).read_to_end(&mut data)?;
    if data.len() as u64 > MAX_ARRAY_FILE_BYTES {
        return Err(structure(1, format!("a JSON file of at most {MAX_ARRAY_FILE_BYTES} bytes")));
    }
    if data.starts_with(b"\xEF\xBB\xBF") {
        data.drain(..3);
    }
    Ok(data)
}

pub(crate) fn parse(data: &[u8]) -> Result<Value, FormatError> {
    crate::unique_keys::from_slice(data).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.find(" at line ").map_or(msg.as_str(), |i| &msg[..i]).to_string();
        structure(e.line() as u64, format!("expected a JSON document: {msg}"))
    })
}

/// The lines where the elements of the array under `key` start: the first `"key": [` in the
/// text whose elements are as many as the parsed array's; otherwise every element gets the line
/// of the array's start (or 1).
pub(crate) fn element_lines(data: &[u8], key: Option<&str>, count: usize) -> Vec<u64> {
    let found = match key {
        None => split_array_at(data, 0, 1).ok(),
        Some(key) => {
            let needle = format!("\"{key}\"");
            let mut from = 0;
            let mut result = None;
            while let Some(pos) = find(&data[from..], needle.as_bytes()).map(|p| p + from) {
                let mut i = pos + needle.len();
                while i < data.len() && data[i].is_ascii_whitespace() {
                    i += 1;
                }
                if data.get(i) == Some(&b':') {
                    let line = 1 + data[..=i].iter().filter(|b| **b == b'\n').count() as u64;
                    if let Ok(split) = split_array_at(data, i + 1, line)
                        && split.0.len() == count
                    {
                        result = Some(split);
                        break;
                    }
                }
                from = pos + 1;
            }
            result
        }
    };
    match found {
        Some((elements, _, _)) => elements.into_iter().map(|(line, _)| line).collect(),
        None => vec![1; count],
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Rows from a JSON array of objects at `records` (a dotted path; the top level when absent).
pub(crate) fn json_rows<'a, R: Read + Send + 'a>(reader: R, records: Option<&str>) -> Result<Rows<'a>, FormatError> {
    let data = read_all(reader)?;
    let doc = parse(&data)?;
    let mut at = &doc;
    if let Some(path) = records {
        for part in path.split('.') {
            at = at.get(part).ok_or_else(|| {
                structure(1, format!("expected the records as a list under \"{path}\"; the document has no \"{part}\""))
            })?;
        }
    }
    if records.is_none() && at.is_object() {
        // One record (a single Murmurations profile, say).
        let mut row = Row::new();
        flatten("", at, &mut row);
        return Ok(Box::new(std::iter::once(Ok((1, row)))));
    }
    let Value::Array(items) = at else {
        let where_ = records.map_or("at the top level".to_string(), |p| format!("under \"{p}\""));
        return Err(structure(1, format!("expected a list of records {where_}")));
    };
    let last = records.and_then(|p| p.rsplit('.').next());
    let lines = element_lines(&data, last, items.len());
    let rows: Vec<Result<(u64, Row), FormatError>> = items
        .iter()
        .zip(lines)
        .map(|(item, line)| match item {
            Value::Object(_) => {
                let mut row = Row::new();
                flatten("", item, &mut row);
                Ok((line, row))
            }
            other => Err(structure(line, format!("expected each record to be a JSON object, found {}", kind(other)))),
        })
        .collect();
    Ok(Box::new(rows.into_iter()))
}

/// Rows from a GeoJSON FeatureCollection: the properties of each feature by name, plus
/// `geometry.type`, and `geometry.lon` / `geometry.lat` for a Point.
pub(crate) fn geojson_rows<'a, R: Read + Send + 'a>(reader: R) -> Result<Rows<'a>, FormatError> {
    let data = read_all(reader)?;
    let doc = parse(&data)?;
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(structure(1, "expected a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\")"));
    }
    let Some(Value::Array(features)) = doc.get("features") else {
        return Err(structure(1, "expected a list of features under \"features\""));
    };
    let lines = element_lines(&data, Some("features"), features.len());
    let rows: Vec<Result<(u64, Row), FormatError>> = features
        .iter()
        .zip(lines)
        .map(|(f, line)| {
            let mut row = Row::new();
            if let Some(props) = f.get("properties").filter(|p| p.is_object()) {
                flatten("", props, &mut row);
            }
            if let Some(g) = f.get("geometry").filter(|g| g.is_object()) {
                if let Some(t) = g.get("type").and_then(Value::as_str) {
                    row.insert("geometry.type".into(), vec![t.to_string()]);
                }
                if g.get("type").and_then(Value::as_str) == Some("Point")
                    && let Some([lon, lat, ..]) = g.get("coordinates").and_then(Value::as_array).map(Vec::as_slice)
                {
                    row.insert("geometry.lon".into(), vec![scalar(lon)]);
                    row.insert("geometry.lat".into(), vec![scalar(lat)]);
                }
            }
            if let Some(id) = f.get("id").filter(|v| !v.is_null()) {
                row.insert("id".into(), vec![scalar(id)]);
            }
            Ok((line, row))
        })
        .collect();
    Ok(Box::new(rows.into_iter()))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        other => other.to_string(),
    }
}

/// Flattens a JSON value into dotted columns; empty texts and nulls are left out.
fn flatten(prefix: &str, v: &Value, row: &mut Row) {
    match v {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&key, v, row);
            }
        }
        Value::Array(items) => {
            for item in items {
                flatten(prefix, item, row);
            }
        }
        scalar_value => {
            let s = scalar(scalar_value);
            if !s.is_empty() {
                row.entry(prefix.to_string()).or_default().push(s);
            }
        }
    }
}
