//! The CSV layout: one row per actor (or one row per relation), lossless.
//!
//! Actor columns are named after their JSON path: `id`, `name`, `category`, `legal_form.family`,
//! `legal_form.code`, `legal_form.label`, `territory`, `claims` and `roles` (values joined with
//! `;`; labels outside the known claims are kept in `claims`), `location.lat`, `location.lon`,
//! `location.precision`, `website`, `founded`, `description`, `address.street`, `address.locality`,
//! `address.region`, `address.postcode`, `address.country`, `activities` (joined with `;`),
//! `sources` (the JSON list of source references), `alternate_names` (joined with `;`, or a JSON
//! list when a name holds a `;`), `alternate_ids` (joined with `;`), then `sites` (the JSON list of
//! the actor's sites) when some actor of the file has sites, then one column `identifiers.S` per identifier
//! scheme S in use, then for each fact key K five columns: `facts.K` (the value), `facts.K@source`, `facts.K@date`, `facts.K@url` and
//! `facts.K@note`. Only the fixed columns `id` and `name` are required in a file read; any subset of
//! the others may appear, in any order. An empty cell is an unknown value. Fact values are written
//! by type: `true`/`false`, numbers, enum words, sets joined with `;`; a custom fact's cell holds its
//! JSON text, except that a text is written bare when it cannot be mistaken for other JSON.
//! Relation files have the columns `from`, `to`, `kind`, `since`, `until`, `source`, `date`, `url`,
//! `note`; a header with `from` and `to` marks a relation file. See `docs/formats.md`.
//!
//! Written files are opened in spreadsheets, which run a cell starting with `=`, `+`, `-`, `@`,
//! a tab or a carriage return as a formula (formula injection): the writers [`neutralise`] such a
//! cell by putting `'` before it (a number such as `-71.2` is left alone), and the reader takes
//! the `'` away again ([`unneutralised`]), so that a file written round-trips.

use crate::csv_quotes::{QuoteTracker, Unclosed};
use crate::{Entries, Entry, FormatError};
use serde_json::{Map, Value, json};
use solidaria_core::FieldError;
use solidaria_core::vocab::{self, FactType};
use std::borrow::Cow;
use std::io::Read;

/// Whether a spreadsheet could take a cell starting with this character for a formula.
fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// A cell as written for spreadsheets: one that starts (after any `'`) with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a `'` in front, so that it is shown as text, not run as a
/// formula; a plain number (`-71.2`, `+3`, `-1e5`) is left alone. [`unneutralised`] undoes it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let number = cell.len() > 1
        && cell.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && cell.parse::<f64>().is_ok();
    match cell.trim_start_matches('\'').chars().next() {
        Some(c) if formula_start(c) && !number => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// A cell as read: when it is `'` (one or more) followed by a character [`neutralise`] guards
/// against, one `'` is taken away; any other cell is kept as it is.
pub fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').chars().next().is_some_and(formula_start) => rest,
        _ => cell,
    }
}

/// The fixed actor columns, in file order.
pub const ACTOR_COLUMNS: &[&str] = &[
    "id",
    "name",
    "category",
    "legal_form.family",
    "legal_form.code",
    "legal_form.label",
    "territory",
    "claims",
    "roles",
    "location.lat",
    "location.lon",
    "location.precision",
    "website",
    "founded",
    "description",
    "address.street",
    "address.locality",
    "address.region",
    "address.postcode",
    "address.country",
    "activities",
    "sources",
    "alternate_names",
    "alternate_ids",
];

/// The column of an actor's sites (the JSON list of sites, see `solidaria_core::site`), written
/// after the fixed columns when some actor of the file has sites.
pub const SITES_COLUMN: &str = "sites";

/// The relation columns, in file order.
pub const RELATION_COLUMNS: &[&str] = &["from", "to", "kind", "since", "until", "source", "date", "url", "note"];

/// The provenance parts of a fact, as column suffixes after `@`, that every fact's columns have.
pub const PROVENANCE_PARTS: &[&str] = &["source", "date", "url", "note"];

/// Every provenance part read: [`PROVENANCE_PARTS`] and `assurance` (`self_declared` or
/// `verified`), which a file written by Solidaria has only for the keys where some actor has one.
pub const READ_PARTS: &[&str] = &["source", "date", "url", "note", "assurance"];

/// Separator of values in a list cell (claims, roles, set facts).
pub const LIST_SEPARATOR: char = ';';

/// What one column of an actor file holds.
#[derive(Debug, Clone)]
enum Column {
    Fixed(&'static str),
    FactValue(String),
    FactPart(String, &'static str),
    /// `identifiers.SCHEME`.
    Identifier(String),
    /// A `type` column: must say `actor` (or `relation`).
    Type,
}

fn classify_actor_column(name: &str) -> Result<Column, String> {
    if name == "type" {
        return Ok(Column::Type);
    }
    if let Some(c) = ACTOR_COLUMNS.iter().find(|c| **c == name) {
        return Ok(Column::Fixed(c));
    }
    if name == SITES_COLUMN {
        return Ok(Column::Fixed(SITES_COLUMN));
    }
    if let Some(scheme) = name.strip_prefix("identifiers.") {
        return solidaria_core::origin::parse_scheme(scheme)
            .map(Column::Identifier)
            .map_err(|e| format!("column \"{name}\": expected identifiers.SCHEME with {e}"));
    }
    if let Some(rest) = name.strip_prefix("facts.") {
        let (key, part) = match rest.split_once('@') {
            Some((k, p)) => (k, Some(p)),
            None => (rest, None),
        };
        if !vocab::is_valid_key(key) {
            return Err(format!("column \"{name}\": expected facts.KEY with {}", vocab::KEY_EXPECTED));
        }
        if vocab::spec(key).is_none() && !vocab::is_custom(key) && !solidaria_core::statute::is_law_only(key) {
            let (expected, found) = vocab::unknown_key(key, "facts.");
            return Err(format!("column \"{name}\": expected {expected}, found {found}"));
        }
        return match part {
            None => Ok(Column::FactValue(key.to_string())),
            Some(p) => {
                READ_PARTS.iter().find(|x| **x == p).map(|x| Column::FactPart(key.to_string(), x)).ok_or_else(|| {
                    format!("column \"{name}\": expected a suffix @source, @date, @url, @note or @assurance")
                })
            }
        };
    }
    Err(format!(
        "column \"{name}\": expected one of {}, type, identifiers.SCHEME or facts.KEY[@source|@date|@url|@note|@assurance]",
        ACTOR_COLUMNS.join(", ")
    ))
}

/// Reads a CSV file of actors or relations (chosen from the header).
pub fn read_csv<'a, R: Read + Send + 'a>(reader: R) -> Result<Entries<'a>, FormatError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(QuoteTracker::new(crate::line_endings::CrlfAsLf::new(reader), b','));
    let mut header = csv::StringRecord::new();
    let header_ok = rdr
        .read_record(&mut header)
        .map_err(|e| FormatError::Structure { line: 1, message: format!("expected a CSV header row: {e}") })?;
    if !header_ok {
        return Ok(Box::new(std::iter::empty()));
    }
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| if i == 0 { h.trim_start_matches('\u{feff}').to_string() } else { h.to_string() })
        .collect();
    let is_relation = names.iter().any(|n| n == "from") && names.iter().any(|n| n == "to");
    let mut seen = std::collections::HashSet::new();
    for n in &names {
        if !seen.insert(n.as_str()) {
            return Err(FormatError::Structure { line: 1, message: format!("column \"{n}\" appears twice") });
        }
    }
    if is_relation {
        let bad: Vec<String> = names
            .iter()
            .filter(|n| !RELATION_COLUMNS.contains(&n.as_str()) && n.as_str() != "type")
            .map(|n| format!("column \"{n}\": expected one of {}", RELATION_COLUMNS.join(", ")))
            .collect();
        if !bad.is_empty() {
            return Err(FormatError::Structure { line: 1, message: bad.join("; ") });
        }
        let rows = rows(rdr, names.len());
        return Ok(Box::new(rows.map(move |row| {
            row.map(|(line, cells)| match cells {
                Ok(c) => Entry::parsed(line, &relation_json(&names, &c)),
                Err(errors) => Entry::unreadable(line, errors),
            })
        })));
    }
    let mut columns = Vec::with_capacity(names.len());
    let mut problems = Vec::new();
    for n in &names {
        match classify_actor_column(n) {
            Ok(c) => columns.push(c),
            Err(e) => problems.push(e),
        }
    }
    for required in ["id", "name"] {
        if !names.iter().any(|n| n == required) {
            problems.push(format!("column \"{required}\" is required, found no such column"));
        }
    }
    if !problems.is_empty() {
        if let Some(hint) = crate::csv_quotes::delimiter_hint(&names, ',') {
            problems.push(format!("{hint} (save it with ',' between columns, or import it with a mapping whose [input] has delimiter = \";\")"));
        }
        return Err(FormatError::Structure { line: 1, message: problems.join("; ") });
    }
    let rows = rows(rdr, names.len());
    Ok(Box::new(rows.map(move |row| {
        row.map(|(line, cells)| match cells {
            Ok(c) => actor_entry(line, &columns, &c),
            Err(errors) => Entry::unreadable(line, errors),
        })
    })))
}

type Row = (u64, Result<csv::StringRecord, Vec<FieldError>>);

/// The data rows after the header, each with its line; per-row problems (bad UTF-8, wrong number
/// of columns, a quote never closed) become record errors, other failures stop the file.
fn rows<R: Read>(
    mut rdr: csv::Reader<QuoteTracker<R>>,
    width: usize,
) -> impl Iterator<Item = Result<Row, FormatError>> {
    let mut record = csv::StringRecord::new();
    std::iter::from_fn(move || {
        loop {
            match rdr.read_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {
                    if record.iter().all(str::is_empty) && record.len() <= 1 {
                        continue;
                    }
                    let line = record.position().map_or(0, |p| p.line());
                    if let Some(open) = swallowed_to_the_end(&rdr) {
                        let (expected, found) = open.expected_found();
                        return Some(Ok((line, Err(vec![FieldError::text("record", expected, found)]))));
                    }
                    if record.iter().any(|f| f.starts_with('\'')) {
                        let cells: csv::StringRecord = record.iter().map(unneutralised).collect();
                        return Some(Ok((line, Ok(cells))));
                    }
                    return Some(Ok((line, Ok(record.clone()))));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    if let Some(open) = swallowed_to_the_end(&rdr) {
                        let (expected, found) = open.expected_found();
                        return Some(Ok((line, Err(vec![FieldError::text("record", expected, found)]))));
                    }
                    let problem = match e.kind() {
                        csv::ErrorKind::Utf8 { err, .. } => FieldError::text(
                            "record",
                            "UTF-8 text",
                            format!("invalid UTF-8 in column {}", err.field() + 1),
                        ),
                        csv::ErrorKind::UnequalLengths { len, .. } => FieldError::text(
                            "record",
                            format!("{width} columns like the header"),
                            format!("{len} columns"),
                        ),
                        _ => return Some(Err(e.into())),
                    };
                    return Some(Ok((line, Err(vec![problem]))));
                }
            }
        }
    })
}

/// The quote left open by the record just read, when that record ran to the end of the file.
pub(crate) fn swallowed_to_the_end<R: Read>(rdr: &csv::Reader<QuoteTracker<R>>) -> Option<Unclosed> {
    let tracker = rdr.get_ref();
    tracker.unclosed().filter(|_| rdr.position().byte() >= tracker.bytes())
}

/// Builds the JSON object of an actor from its row, typing fact cells by the vocabulary, then
/// validates it like any JSON record.
fn actor_entry(line: u64, columns: &[Column], cells: &csv::StringRecord) -> Entry {
    let mut obj = Map::new();
    obj.insert("type".into(), json!("actor"));
    let mut facts: Map<String, Value> = Map::new();
    let mut errors = Vec::new();
    let mut provenance: Vec<(String, &'static str, String)> = Vec::new();
    for (column, cell) in columns.iter().zip(cells.iter()) {
        if cell.is_empty() {
            continue;
        }
        match column {
            Column::Type => {
                if cell != "actor" {
                    errors.push(FieldError::new("type", "\"actor\" in an actor file", &json!(cell)));
                }
            }
            Column::Fixed(name) => match *name {
                "claims" | "roles" | "activities" | "alternate_ids" => {
                    obj.insert((*name).into(), split_list(cell));
                }
                "alternate_names" => {
                    // A JSON list when a name holds the separator, else names joined with `;`.
                    let list = match serde_json::from_str::<Value>(cell) {
                        Ok(v @ Value::Array(_)) if cell.starts_with('[') => v,
                        _ => split_list(cell),
                    };
                    obj.insert("alternate_names".into(), list);
                }
                "founded" => {
                    obj.insert("founded".into(), cell.parse::<i64>().map_or_else(|_| json!(cell), |n| json!(n)));
                }
                "location.lat" | "location.lon" => {
                    let loc = obj.entry("location").or_insert_with(|| json!({}));
                    loc[&name[9..]] = number_or_text(cell);
                }
                "location.precision" => {
                    let loc = obj.entry("location").or_insert_with(|| json!({}));
                    loc["precision"] = json!(cell);
                }
                "sources" => match serde_json::from_str::<Value>(cell) {
                    Ok(v) => {
                        obj.insert("sources".into(), v);
                    }
                    Err(e) => {
                        errors.push(FieldError::text("sources", "a JSON list of sources", format!("{cell:?} ({e})")))
                    }
                },
                "sites" => match serde_json::from_str::<Value>(cell) {
                    Ok(v) => {
                        obj.insert("sites".into(), v);
                    }
                    Err(e) => errors.push(FieldError::text("sites", "a JSON list of sites", format!("{cell:?} ({e})"))),
                },
                n if n.starts_with("address.") => {
                    let address = obj.entry("address").or_insert_with(|| json!({}));
                    address[&n[8..]] = json!(cell);
                }
                n if n.starts_with("legal_form.") => {
                    let lf = obj.entry("legal_form").or_insert_with(|| json!({}));
                    lf[&n[11..]] = json!(cell);
                }
                n => {
                    obj.insert(n.into(), json!(cell));
                }
            },
            Column::FactValue(key) => {
                let value = typed_cell(key, cell);
                // A custom value is always wrapped so that an object cell is never mistaken for
                // the provenance form.
                let value = if vocab::spec(key).is_none() { json!({ "value": value }) } else { value };
                facts.insert(key.clone(), value);
            }
            Column::FactPart(key, part) => provenance.push((key.clone(), part, cell.to_string())),
            Column::Identifier(scheme) => {
                let ids = obj.entry("identifiers").or_insert_with(|| json!({}));
                ids[scheme] = json!(cell);
            }
        }
    }
    // Group provenance parts by key (columns may come in any order), then wrap each value once.
    provenance.sort_by(|a, b| a.0.cmp(&b.0));
    for group in provenance.chunk_by(|a, b| a.0 == b.0) {
        let key = &group[0].0;
        match facts.get_mut(key) {
            Some(value) => {
                let mut wrapped = match value.take() {
                    Value::Object(o) if vocab::spec(key).is_none() => o,
                    bare => Map::from_iter([("value".to_string(), bare)]),
                };
                for (_, part, cell) in group {
                    wrapped.insert((*part).into(), json!(cell));
                }
                *value = Value::Object(wrapped);
            }
            None => errors.push(FieldError::text(
                format!("facts.{key}"),
                format!("a value in column facts.{key} when facts.{key}@{} is given", group[0].1),
                "an empty value",
            )),
        }
    }
    if !facts.is_empty() {
        obj.insert("facts".into(), Value::Object(facts));
    }
    let mut entry = Entry::parsed(line, &Value::Object(obj.clone()));
    if !errors.is_empty() {
        entry.identity = solidaria_core::record::identity(&Value::Object(obj));
        entry.result = match entry.result {
            Ok(_) => Err(errors),
            Err(mut more) => {
                errors.append(&mut more);
                Err(errors)
            }
        };
    }
    entry
}

/// The `alternate_names` cell: the names joined with `;`, or their JSON list when one holds a
/// `;` or would be read as a JSON list.
fn alternate_names_cell(names: &[String]) -> String {
    if names.iter().any(|n| n.contains(LIST_SEPARATOR)) || names.first().is_some_and(|n| n.starts_with('[')) {
        serde_json::to_string(names).unwrap_or_default()
    } else {
        names.join(&LIST_SEPARATOR.to_string())
    }
}

fn split_list(cell: &str) -> Value {
    Value::Array(cell.split(LIST_SEPARATOR).map(str::trim).filter(|s| !s.is_empty()).map(|s| json!(s)).collect())
}

fn number_or_text(cell: &str) -> Value {
    match cell.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => json!(x),
        _ => json!(cell),
    }
}

/// Turns a fact cell into JSON by the key's vocabulary type; a cell that does not fit the type is
/// passed on as text so that validation reports it with the expected type.
fn typed_cell(key: &str, cell: &str) -> Value {
    match vocab::spec(key).map(|s| s.ty) {
        Some(FactType::Bool) => match cell.trim().to_ascii_lowercase().as_str() {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(cell),
        },
        Some(FactType::Count) => cell.trim().parse::<u64>().map_or_else(|_| json!(cell), |n| json!(n)),
        Some(FactType::Share | FactType::Rate | FactType::Ratio | FactType::Number) => number_or_text(cell),
        Some(FactType::Set(_)) => split_list(cell),
        Some(FactType::Enum(_) | FactType::ActorRef) => json!(cell),
        None => serde_json::from_str(cell).unwrap_or_else(|_| json!(cell)),
    }
}

fn relation_json(names: &[String], cells: &csv::StringRecord) -> Value {
    let mut obj = Map::new();
    obj.insert("type".into(), json!("relation"));
    for (name, cell) in names.iter().zip(cells.iter()) {
        if !cell.is_empty() && name != "type" {
            obj.insert(name.clone(), json!(cell));
        }
    }
    Value::Object(obj)
}

mod write;
pub use write::{ActorCsvWriter, CsvColumns, RelationCsvWriter, fact_keys};

#[cfg(test)]
mod tests;
