//! The directory's search: a text query over every string of an actor's record, filters, facet
//! counts over all matches, and one page of results, computed in the database (SQLite FTS5,
//! PostgreSQL tsvector with GIN). This module holds the query types and the pure translation of
//! user text into each engine's query language; the backends run it.

use solidaria_core::Actor;
use std::collections::{BTreeMap, BTreeSet};

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct ActorSearch {
    /// Words that must all appear (each as a word or the start of one), in any string of the
    /// record; case and (on SQLite) accents are ignored.
    pub text: Option<String>,
    /// Territory ids to match exactly (a territory and those nested under it); `None` for all.
    pub territories: Option<BTreeSet<String>>,
    /// Category wire name, exactly.
    pub category: Option<String>,
    /// Legal-form family wire name, exactly.
    pub family: Option<String>,
    /// A claim the actor makes, exactly.
    pub claim: Option<String>,
    /// Page size.
    pub limit: u64,
    /// Matches skipped before the page.
    pub offset: u64,
}

/// One page of matches with the total and the facets of all matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchPage {
    /// The page: by relevance when there is text, else by name.
    pub items: Vec<Actor>,
    /// Number of matches.
    pub total: u64,
    /// Counts per value of `category`, `legal_form_family`, `territory` and `claims` over all
    /// matches (`unknown` for an actor without the value; claims only where made).
    pub facets: BTreeMap<&'static str, BTreeMap<String, u64>>,
}

impl SearchPage {
    /// Adds the counts of one group of matches sharing a category, family and territory.
    pub(crate) fn add_group(
        &mut self,
        category: Option<String>,
        family: Option<String>,
        territory: Option<String>,
        n: u64,
    ) {
        self.total += n;
        let unknown = || "unknown".to_string();
        for (facet, value) in [("category", category), ("legal_form_family", family), ("territory", territory)] {
            *self.facets.entry(facet).or_default().entry(value.unwrap_or_else(unknown)).or_default() += n;
        }
    }
}

/// The words of a query: runs of letters and digits, lower-cased; at most 16 (longer queries
/// only cost more and match less).
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(16).map(str::to_lowercase).collect()
}

/// The FTS5 query of a text: every word as a quoted prefix (`"word"*`), all required. Quoting
/// makes FTS5 operators and column filters in user text plain words.
pub fn fts5_query(text: &str) -> Option<String> {
    let t = terms(text);
    (!t.is_empty()).then(|| t.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "))
}

/// The `to_tsquery('simple', …)` text of a query: every word as a prefix (`word:*`), all required.
/// Words are letters and digits only, so no tsquery operator can come from user text.
pub fn tsquery(text: &str) -> Option<String> {
    let t = terms(text);
    (!t.is_empty()).then(|| t.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_quoted_prefix_terms() {
        assert_eq!(terms("Coop-Énergie  de Montréal"), ["coop", "énergie", "de", "montréal"]);
        assert_eq!(fts5_query("co-op"), Some("\"co\"* \"op\"*".into()));
        assert_eq!(
            fts5_query("name:x OR y* NEAR(\"a\")"),
            Some("\"name\"* \"x\"* \"or\"* \"y\"* \"near\"* \"a\"*".into())
        );
        assert_eq!(tsquery("a & b | !c"), Some("a:* & b:* & c:*".into()));
        assert_eq!(tsquery("'); DROP TABLE actors;--"), Some("drop:* & table:* & actors:*".into()));
        assert_eq!(fts5_query(" *** "), None);
        assert_eq!(terms(&"w ".repeat(100)).len(), 16);
    }
}
