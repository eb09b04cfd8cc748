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
    /// The page, in name order (in index order when the facets are sampled).
    pub items: Vec<Actor>,
    /// Number of matches.
    pub total: u64,
    /// Counts per value of `category`, `legal_form_family`, `territory` and `claims` over all
    /// matches (`unknown` for an actor without the value; claims only where made).
    pub facets: BTreeMap<&'static str, BTreeMap<String, u64>>,
    /// Set when a text search matched more than [`EXACT_UP_TO`] actors: the facets then count
    /// the first that many matches only, and the page is in index order rather than by name
    /// (each match read costs about 12 µs: 24 ms measured for 2,000; a common word matches 230,000).
    /// `total` stays exact.
    pub sampled: Option<u64>,
}

/// Matches up to which a text search counts facets over all of them and sorts them by name.
pub const EXACT_UP_TO: u64 = 2_000;

impl SearchPage {
    /// Adds the counts of one group of matches sharing a category, family and territory.
    /// Counts one actor in the total and the facets (for a set narrowed outside the database).
    pub fn count_actor(&mut self, a: &Actor) {
        let claims = (!a.claims.is_empty()).then(|| serde_json::to_string(&a.claims).unwrap_or_default());
        self.add_group(
            a.category.map(|c| c.to_string()),
            a.legal_form.family.map(|f| f.to_string()),
            a.territory.as_ref().map(|t| t.to_string()),
            claims.as_deref(),
            1,
        );
    }

    pub(crate) fn add_group(
        &mut self,
        category: Option<String>,
        family: Option<String>,
        territory: Option<String>,
        claims: Option<&str>,
        n: u64,
    ) {
        self.total += n;
        let unknown = || "unknown".to_string();
        for (facet, value) in [("category", category), ("legal_form_family", family), ("territory", territory)] {
            *self.facets.entry(facet).or_default().entry(value.unwrap_or_else(unknown)).or_default() += n;
        }
        let claims: Vec<String> = claims.and_then(|c| serde_json::from_str(c).ok()).unwrap_or_default();
        for c in claims {
            *self.facets.entry("claims").or_default().entry(c).or_default() += n;
        }
    }
}

/// The word under which the full-text index files an actor's facet value, so that a search with
/// text and filters is one index query: `zz`, the facet's letter (`c`ategory, `f`amily,
/// `t`erritory, claim `k`), and the value's bytes in hex (so no two values share a word, and
/// nothing a user types as ordinary words collides with one).
pub fn facet_token(kind: char, value: &str) -> String {
    // Written digit by digit: an import files every actor under several facet words, and the
    // formatting machinery cost about 4 % of it (callgrind).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let lower = value.to_lowercase();
    let mut s = String::with_capacity(3 + kind.len_utf8() + 2 * lower.len());
    s.push_str("zz");
    s.push(kind);
    for b in lower.bytes() {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 0xf)] as char);
    }
    s
}

/// The words of a query: runs of letters and digits, lower-cased; at most 16 (longer queries
/// only cost more and match less).
pub fn terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(16).map(str::to_lowercase).collect()
}

/// The FTS5 query of a text: every word quoted, all required; the last one also as the start of
/// a word (`"word"*`), since it may still be being typed. Quoting makes FTS5 operators and column
/// filters in user text plain words. (A prefix costs a scan of every word it starts: measured,
/// 10 ms for a word in a quarter of a million records against 0.1 ms exact; see BENCHMARKS.md.)
pub fn fts5_query(text: &str) -> Option<String> {
    fts5_words(text)
}

fn fts5_words(text: &str) -> Option<String> {
    let t = terms(text);
    let last = t.len().checked_sub(1)?;
    Some(
        t.iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("\"{w}\"*") } else { format!("\"{w}\"") })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The FTS5 query of a search with text: its words, then each filter as facet words (a territory
/// as any of the territories nested in it). `None` when the text has no word.
pub fn fts5_search(q: &ActorSearch) -> Option<String> {
    let mut query = fts5_words(q.text.as_deref()?)?;
    if let Some(ts) = &q.territories {
        let any: Vec<String> = ts.iter().map(|t| format!("\"{}\"", facet_token('t', t))).collect();
        // An empty set of territories matches nothing: a word no record has.
        let any = if any.is_empty() { vec![format!("\"{}\"", facet_token('t', ""))] } else { any };
        query.push_str(&format!(" AND ({})", any.join(" OR ")));
    }
    for (kind, value) in [('c', &q.category), ('f', &q.family), ('k', &q.claim)] {
        if let Some(v) = value {
            query.push_str(&format!(" AND \"{}\"", facet_token(kind, v)));
        }
    }
    Some(query)
}

/// The `to_tsquery('simple', …)` text of a query: every word, all required, the last one also as a
/// prefix (`word:*`). Words are letters and digits only, so no tsquery operator can come from
/// user text.
pub fn tsquery(text: &str) -> Option<String> {
    let t = terms(text);
    let last = t.len().checked_sub(1)?;
    Some(
        t.iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("{w}:*") } else { w.clone() })
            .collect::<Vec<_>>()
            .join(" & "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_quoted_prefix_terms() {
        assert_eq!(terms("Coop-Énergie  de Montréal"), ["coop", "énergie", "de", "montréal"]);
        assert_eq!(fts5_query("co-op"), Some("\"co\" \"op\"*".into()));
        assert_eq!(fts5_query("name:x OR y* NEAR(\"a\")"), Some("\"name\" \"x\" \"or\" \"y\" \"near\" \"a\"*".into()));
        assert_eq!(tsquery("a & b | !c"), Some("a & b & c:*".into()));
        assert_eq!(tsquery("'); DROP TABLE actors;--"), Some("drop & table & actors:*".into()));
        assert_eq!(fts5_query(" *** "), None);
        assert_eq!(facet_token('t', "FR-IDF"), "zzt66722d696466");
        let q = ActorSearch {
            text: Some("habitat".into()),
            territories: Some(["FR".to_string(), "FR-IDF".to_string()].into()),
            claim: Some("sse".into()),
            ..Default::default()
        };
        assert_eq!(
            fts5_search(&q),
            Some("\"habitat\"* AND (\"zzt6672\" OR \"zzt66722d696466\") AND \"zzk737365\"".into())
        );
        assert_eq!(terms(&"w ".repeat(100)).len(), 16);
    }
}
