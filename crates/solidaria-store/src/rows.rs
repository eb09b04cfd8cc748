//! How a record maps to a row: its table, key, filter columns and document. Pure; both backends
//! build their SQL from these static descriptions (never from user input).

use solidaria_core::Record;
use solidaria_core::record::RecordType;

/// The table of a record type and its filter columns (besides `id` and `doc`).
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Filter columns, in insert order.
    pub columns: &'static [&'static str],
}

/// The table of each record type.
pub fn table(t: RecordType) -> Table {
    match t {
        RecordType::Actor => {
            Table { name: "actors", columns: &["name", "sort_name", "category", "family", "territory"] }
        }
        RecordType::Relation => Table { name: "relations", columns: &["from_id", "kind", "to_id"] },
        RecordType::Territory => Table { name: "territories", columns: &["name", "parent"] },
        RecordType::Case => Table { name: "cases", columns: &["name", "territory"] },
    }
}

/// A record ready to write: key, filter column values (in [`Table::columns`] order) and document.
pub struct Row {
    /// The record's type.
    pub record_type: RecordType,
    /// Primary key.
    pub key: String,
    /// Filter column values.
    pub values: Vec<Option<String>>,
    /// The canonical JSON document, as text.
    pub doc: String,
}

/// Builds the row of a record.
pub fn row(record: &Record) -> Row {
    let s = |x: &dyn ToString| Some(x.to_string());
    let values = match record {
        Record::Actor(a) => vec![
            Some(a.name.clone()),
            Some(solidaria_core::text::sort_key(&a.name)),
            a.category.map(|c| c.to_string()),
            a.legal_form.family.map(|f| f.to_string()),
            a.territory.as_ref().map(|t| t.to_string()),
        ],
        Record::Relation(r) => vec![s(&r.from), s(&r.kind), s(&r.to)],
        Record::Territory(t) => vec![t.name.clone(), t.parent.as_ref().map(|p| p.to_string())],
        Record::Case(c) => vec![Some(c.name.clone()), c.territory.as_ref().map(|t| t.to_string())],
    };
    Row { record_type: record.record_type(), key: record.key(), values, doc: record.to_json_string() }
}
