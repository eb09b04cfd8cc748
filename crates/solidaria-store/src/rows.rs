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
        RecordType::Mechanism => Table { name: "mechanisms", columns: &["name", "kind", "provider", "territory"] },
        RecordType::Strategy => Table { name: "strategies", columns: &["title", "territory"] },
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
    /// For an actor, the text the full-text index files it under ([`actor_search_text`]). Made
    /// here, on the import's parsing thread, rather than by the writer, which is the bottleneck.
    pub search: Option<String>,
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
        Record::Mechanism(m) => {
            vec![Some(m.name.clone()), s(&m.kind), s(&m.provider), m.territory.as_ref().map(|t| t.to_string())]
        }
        Record::Strategy(x) => vec![Some(x.title.clone()), s(&x.territory)],
    };
    let search = match record {
        Record::Actor(a) => Some(actor_search_text(&record.to_json(), a)),
        _ => None,
    };
    Row { record_type: record.record_type(), key: record.key(), values, doc: record.to_json_string(), search }
}

/// The text an actor is found by: [`search_text`] of its document, then the facet words of its
/// category, family, territory and claims (`search::facet_token`), as the SQLite migration's
/// backfill writes them.
pub fn actor_search_text(doc: &serde_json::Value, a: &solidaria_core::Actor) -> String {
    use crate::search::facet_token;
    let mut text = search_text(doc);
    let facets = [
        a.category.map(|c| facet_token('c', c.as_str())),
        a.legal_form.family.map(|f| facet_token('f', f.as_str())),
        a.territory.as_ref().map(|t| facet_token('t', &t.to_string())),
    ];
    let claims = a.claims.iter().map(|c| facet_token('k', c.as_str()));
    for word in facets.into_iter().flatten().chain(claims) {
        text.push(' ');
        text.push_str(&word);
    }
    text
}

/// The text a record is found by in full-text search: every string in its JSON document (name,
/// description, legal form, claims, fact values, sources and notes), space-separated, in document
/// order. The same as SQLite's `json_tree` over the document keeps (the migration's backfill).
pub fn search_text(doc: &serde_json::Value) -> String {
    let mut out = String::new();
    solidaria_core::search::strings(doc, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_keeps_every_string_and_no_number_or_key() {
        let doc = serde_json::json!({"type":"actor","id":"a1","name":"Coop","facts":{"members.count":{"value":12,"source":"AGM 2024"}},"claims":["sse"]});
        assert_eq!(search_text(&doc), "actor a1 Coop AGM 2024 sse");
        let Record::Actor(a) = solidaria_core::record::parse_record(&doc).unwrap() else { panic!() };
        // The facet words follow: claim "sse" is zzk + hex("sse").
        assert_eq!(actor_search_text(&doc, &a), "actor a1 Coop AGM 2024 sse zzk737365");
    }
}
