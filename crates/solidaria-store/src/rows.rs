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
            Table { name: "actors", columns: &["name", "sort_name", "category", "family", "territory", "claims"] }
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
            (!a.claims.is_empty()).then(|| serde_json::to_string(&a.claims).unwrap_or_default()),
        ],
        Record::Relation(r) => vec![s(&r.from), s(&r.kind), s(&r.to)],
        Record::Territory(t) => vec![t.name.clone(), t.parent.as_ref().map(|p| p.to_string())],
        Record::Case(c) => vec![Some(c.name.clone()), c.territory.as_ref().map(|t| t.to_string())],
    };
    Row { record_type: record.record_type(), key: record.key(), values, doc: record.to_json_string() }
}

/// The text an actor's row is found by: [`search_text`] of its document, then the facet words of
/// its category, family, territory and claims (`search::facet_token`), as the SQLite migration's
/// backfill writes them.
pub fn actor_search_text(row: &Row) -> String {
    let mut text = search_text(&row.doc);
    let value = |i: usize| row.values.get(i).cloned().flatten();
    for (kind, v) in [('c', value(2)), ('f', value(3)), ('t', value(4))] {
        if let Some(v) = v {
            text.push(' ');
            text.push_str(&crate::search::facet_token(kind, &v));
        }
    }
    let claims: Vec<String> = value(5).and_then(|c| serde_json::from_str(&c).ok()).unwrap_or_default();
    for c in claims {
        text.push(' ');
        text.push_str(&crate::search::facet_token('k', &c));
    }
    text
}

/// The text a record is found by in full-text search: every string in its JSON document (name,
/// description, legal form, claims, fact values, sources and notes), space-separated, in document
/// order. The same as SQLite's `json_tree` over the document keeps (the migration's backfill).
pub fn search_text(doc: &str) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(s);
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(doc) {
        walk(&v, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_keeps_every_string_and_no_number_or_key() {
        let doc = r#"{"type":"actor","id":"a1","name":"Coop","facts":{"members.count":{"value":12,"source":"AGM 2024"}},"claims":["sse"]}"#;
        assert_eq!(search_text(doc), "actor a1 Coop AGM 2024 sse");
        assert_eq!(search_text("not json"), "");
    }
}
