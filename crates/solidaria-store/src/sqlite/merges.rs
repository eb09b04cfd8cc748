//! Merges on SQLite (schema in `migrations/sqlite/0008_merges.sql`).

use super::{SqliteStore, now};
use crate::StoreError;
use crate::merges::{MergeEntry, Merges, NewMerge};
use rusqlite::{Connection, OptionalExtension, params};

const COLUMNS: &str = "id, at, who, keep_id, absorbed_id, doc, undone_at, undone_by";

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<(MergeEntry, String)> {
    let doc: String = r.get(5)?;
    Ok((
        MergeEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            who: r.get(2)?,
            keep: r.get(3)?,
            absorbed: r.get(4)?,
            doc: serde_json::Value::Null,
            undone_at: r.get(6)?,
            undone_by: r.get(7)?,
        },
        doc,
    ))
}

fn parsed((mut e, doc): (MergeEntry, String)) -> Result<MergeEntry, StoreError> {
    e.doc = serde_json::from_str(&doc).map_err(|err| StoreError::Corrupt {
        record_type: solidaria_core::record::RecordType::Actor,
        key: format!("merge {}", e.id),
        problems: err.to_string(),
    })?;
    Ok(e)
}

/// Records a merge in the transaction `conn` holds; returns its number.
pub(super) fn record(conn: &Connection, who: &str, m: &NewMerge) -> Result<i64, StoreError> {
    let at = now(conn)?;
    conn.prepare_cached("INSERT INTO merges (at, who, keep_id, absorbed_id, doc) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![at, who, m.keep, m.absorbed, m.doc.to_string()])?;
    Ok(conn.last_insert_rowid())
}

/// Marks a merge undone; `false` when there is no such merge or it was undone already.
pub(super) fn mark_undone(conn: &Connection, id: i64, who: &str) -> Result<bool, StoreError> {
    let at = now(conn)?;
    let n = conn
        .prepare_cached("UPDATE merges SET undone_at = ?2, undone_by = ?3 WHERE id = ?1 AND undone_at IS NULL")?
        .execute(params![id, at, who])?;
    Ok(n == 1)
}

pub(super) fn merged_into(conn: &Connection, id: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT keep_id FROM merges WHERE absorbed_id = ?1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

impl Merges for SqliteStore {
    fn merge_entry(&mut self, id: i64) -> Result<Option<MergeEntry>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM merges WHERE id = ?1");
        self.conn.prepare_cached(&sql)?.query_row([id], entry).optional()?.map(parsed).transpose()
    }

    fn merges(&mut self, limit: u64) -> Result<Vec<MergeEntry>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM merges ORDER BY id DESC LIMIT ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([limit.min(i64::MAX as u64) as i64], entry)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(parsed(r?)?);
        }
        Ok(out)
    }

    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        merged_into(&self.conn, id)
    }
}
