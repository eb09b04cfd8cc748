//! The storage half of merging duplicate actors: one row per merge with what it needs to be
//! undone (the before-images of the records it changed, the merged record, the keys it created:
//! a document the use case `solidaria_app::merge` writes and reads; this crate does not look
//! inside it), and who undid it when. The records themselves are written through
//! [`crate::Transaction`], in the same transaction as the merge's row, and audited like any write.

use crate::StoreError;
use serde::Serialize;
use serde_json::Value;

/// A merge to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMerge {
    /// The id of the actor kept.
    pub keep: String,
    /// The id of the actor merged into it (deleted).
    pub absorbed: String,
    /// What undoing it needs (the use case's document).
    pub doc: Value,
}

/// A merge as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeEntry {
    /// Its number.
    pub id: i64,
    /// When, UTC ISO 8601.
    pub at: String,
    /// Who merged.
    pub who: String,
    /// The id of the actor kept.
    pub keep: String,
    /// The id of the actor merged into it.
    pub absorbed: String,
    /// The use case's document.
    pub doc: Value,
    /// When it was undone, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undone_at: Option<String>,
    /// Who undid it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undone_by: Option<String>,
}

/// Reading the merges, implemented by both backends (writing them is [`crate::Transaction`]'s).
pub trait Merges {
    /// One merge by number.
    fn merge_entry(&mut self, id: i64) -> Result<Option<MergeEntry>, StoreError>;

    /// The latest merges, newest first.
    fn merges(&mut self, limit: u64) -> Result<Vec<MergeEntry>, StoreError>;

    /// The actor that the latest merge not undone absorbed `id` into, if any (one step: the
    /// caller follows a chain).
    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError>;
}
