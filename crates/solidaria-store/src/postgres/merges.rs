//! Merges on PostgreSQL (schema in `migrations/postgres/0008_merges.sql`).

use super::PgStore;
use crate::StoreError;
use crate::merges::{MergeEntry, Merges, NewMerge};
use postgres::GenericClient;

const COLUMNS: &str = "id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), who, keep_id, absorbed_id, doc, \
     to_char(undone_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), undone_by";

fn entry(r: &postgres::Row) -> MergeEntry {
    MergeEntry {
        id: r.get(0),
        at: r.get(1),
        who: r.get(2),
        keep: r.get(3),
        absorbed: r.get(4),
        doc: r.get(5),
        undone_at: r.get(6),
        undone_by: r.get(7),
    }
}

/// Records a merge in the transaction; returns its number.
pub(super) fn record(c: &mut impl GenericClient, who: &str, m: &NewMerge) -> Result<i64, StoreError> {
    let row = c.query_one(
        "INSERT INTO merges (who, keep_id, absorbed_id, doc) VALUES ($1, $2, $3, $4) RETURNING id",
        &[&who, &m.keep, &m.absorbed, &m.doc],
    )?;
    Ok(row.get(0))
}

/// Marks a merge undone; `false` when there is no such merge or it was undone already.
pub(super) fn mark_undone(c: &mut impl GenericClient, id: i64, who: &str) -> Result<bool, StoreError> {
    let n = c.execute(
        "UPDATE merges SET undone_at = now(), undone_by = $2 WHERE id = $1 AND undone_at IS NULL",
        &[&id, &who],
    )?;
    Ok(n == 1)
}

pub(super) fn merged_into(c: &mut impl GenericClient, id: &str) -> Result<Option<String>, StoreError> {
    Ok(c.query_opt(
        "SELECT keep_id FROM merges WHERE absorbed_id = $1 AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
        &[&id],
    )?
    .map(|r| r.get(0)))
}

impl Merges for PgStore {
    fn merge_entry(&mut self, id: i64) -> Result<Option<MergeEntry>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM merges WHERE id = $1");
        Ok(self.client.query_opt(&sql, &[&id])?.as_ref().map(entry))
    }

    fn merges(&mut self, limit: u64) -> Result<Vec<MergeEntry>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM merges ORDER BY id DESC LIMIT $1");
        let limit = limit.min(i64::MAX as u64) as i64;
        Ok(self.client.query(&sql, &[&limit])?.iter().map(entry).collect())
    }

    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        merged_into(&mut self.client, id)
    }
}
