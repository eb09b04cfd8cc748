//! What the directory's search reads of an actor ([`SearchDoc`]) and how text becomes words
//! ([`words`]): folded (accents removed, lower case, `œ` spelled `oe`) and split at every
//! character that is not a letter or a digit, so `Coop-Énergie` is found by `coop energie`.

use crate::Actor;
use crate::dedup::normalize::fold;
use crate::record::Record;

/// Words of a query kept at most: longer queries only cost more and match less.
pub const QUERY_WORDS: usize = 16;

/// The words of a text, folded, in order.
pub fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The words an index files a text under: those of [`words`], and each word written with
/// hyphens or apostrophes also as one word (`co-operative` also as `cooperative`, `workers'`
/// unchanged), so that either spelling finds it.
pub fn index_words(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out: Vec<String> = Vec::new();
    for chunk in folded.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')) {
        let parts: Vec<&str> = chunk.split(['-', '\'']).filter(|w| !w.is_empty()).collect();
        out.extend(parts.iter().map(|p| p.to_string()));
        if parts.len() > 1 {
            out.push(parts.concat());
        }
    }
    out
}

/// The words of a query: those of [`words`], at most [`QUERY_WORDS`].
pub fn query_words(text: &str) -> Vec<String> {
    let mut w = words(text);
    w.truncate(QUERY_WORDS);
    w
}

/// An actor as the search sees it: its names, every other string of its record, the values
/// the directory counts (category, legal-form family, territory, claims) and its point.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    /// The actor's id.
    pub key: String,
    /// Its name (the order of results with equal relevance, and the field that weighs most).
    pub name: String,
    /// Other names it is known by: they weigh as its name.
    pub alternate_names: Vec<String>,
    /// Every other string of its record (id, description, legal form, address, facts with
    /// their sources and notes, identifiers), space-separated.
    pub text: String,
    /// Category wire name.
    pub category: Option<String>,
    /// Legal-form family wire name.
    pub family: Option<String>,
    /// Territory id.
    pub territory: Option<String>,
    /// Claims made.
    pub claims: Vec<String>,
    /// Latitude and longitude in degrees.
    pub point: Option<(f64, f64)>,
}

impl SearchDoc {
    /// What the search reads of an actor.
    pub fn of_actor(a: &Actor) -> SearchDoc {
        let doc = Record::Actor(a.clone()).to_json();
        let mut text = String::new();
        strings(&doc, &mut text);
        SearchDoc {
            key: a.id.to_string(),
            name: a.name.clone(),
            alternate_names: a.alternate_names.clone(),
            text,
            category: a.category.map(|c| c.to_string()),
            family: a.legal_form.family.map(|f| f.to_string()),
            territory: a.territory.as_ref().map(|t| t.to_string()),
            claims: a.claims.iter().map(|c| c.as_str().to_string()).collect(),
            point: a.location.as_ref().map(|l| (l.lat, l.lon)),
        }
    }
}

/// Every string of a JSON document, space-separated, in document order (keys and numbers left
/// out): the text a record is found by.
pub fn strings(v: &serde_json::Value, out: &mut String) {
    match v {
        serde_json::Value::String(s) => {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(s);
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}
