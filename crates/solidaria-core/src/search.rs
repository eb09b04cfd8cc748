//! The directory's search engine, in memory: an [`Index`] of every actor's words, facet values
//! and place, and [`Query`] answered with the total, the facets of every match and a page
//! ranked by relevance ([`query`] says how), forgiving typos and searching an area of the map.
//! Pure: the application builds it from the store and keeps it current.

mod index;
mod query;
mod text;

pub use index::{FACETS, Index};
pub use query::{Area, Hits, ONE_TYPO, Query, TWO_TYPOS};
pub use text::{QUERY_WORDS, SearchDoc, index_words, query_words, strings, words};

#[cfg(test)]
mod tests;
