//! SQLite writes: one transaction, with every real change audited in it and the facet counts
//! of the directory kept by it (see the parent module).

use super::{accounts, last_deletion, now, parents};
use crate::rows::{self, Table};
use crate::{Change, StoreError, Transaction};
use rusqlite::{OptionalExtension, params};
use solidaria_core::Record;
use solidaria_core::record::RecordType;
use std::collections::{BTreeMap, BTreeSet};

/// A write transaction on the SQLite store.
pub(super) struct SqliteTransaction<'c> {
    pub(super) tx: rusqlite::Transaction<'c>,
    /// Whether any record was ever deleted (then new keys look up their last deletion); read
    /// once per transaction, since the table is usually empty and bulk imports insert millions.
    pub(super) any_deletion: Option<bool>,
}

const AUDIT_INSERT: &str = "INSERT INTO audit_log (at, who, action, record_type, record_key, before_seq, after) \
     VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)";

fn upsert_sql(t: &Table) -> String {
    let cols = t.columns.join(", ");
    let marks: Vec<String> = (2..=t.columns.len() + 2).map(|i| format!("?{i}")).collect();
    let sets: Vec<String> = t.columns.iter().chain(["seq"].iter()).map(|c| format!("{c} = excluded.{c}")).collect();
    format!(
        "INSERT INTO {} (id, {cols}, seq) VALUES (?1, {}) ON CONFLICT (id) DO UPDATE SET {}",
        t.name,
        marks.join(", "),
        sets.join(", ")
    )
}

/// The current version of a stored record: its audit row and document.
/// Actors counted per facet group (category, family, territory, claims) during one call.
type Groups = std::collections::HashMap<[String; 4], i64>;

struct Current {
    seq: i64,
    doc: String,
}

impl SqliteTransaction<'_> {
    /// An actor's facet values as stored: category, family, territory, claims ('' for none).
    fn facets_of(&self, id: &str) -> Result<Option<[String; 4]>, StoreError> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT COALESCE(category, ''), COALESCE(family, ''), COALESCE(territory, ''), COALESCE(claims, '') \
                 FROM actors WHERE id = ?1",
            )?
            .query_row([id], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))
            .optional()?)
    }

    /// Counts an actor in its facet group (in `groups`, written by [`Self::write_groups`]) and
    /// files its claims (see migration 4).
    fn count_facets(&self, id: &str, f: [String; 4], groups: &mut Groups) -> Result<(), StoreError> {
        let claims: Vec<String> = serde_json::from_str(&f[3]).unwrap_or_default();
        *groups.entry(f).or_insert(0) += 1;
        let mut stmt = self.tx.prepare_cached("INSERT OR IGNORE INTO actor_claims (actor, claim) VALUES (?1, ?2)")?;
        for c in claims {
            stmt.execute(params![id, c])?;
        }
        Ok(())
    }

    /// Adds the group counts of a call to the table: one statement per group met rather than per
    /// actor (a batch of a thousand actors falls in a few dozen groups).
    fn write_groups(&self, groups: Groups) -> Result<(), StoreError> {
        let mut up = self.tx.prepare_cached(
            "INSERT INTO actor_groups (category, family, territory, claims, n) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (category, family, territory, claims) DO UPDATE SET n = n + excluded.n",
        )?;
        for (f, n) in groups {
            up.execute(params![f[0], f[1], f[2], f[3], n])?;
        }
        Ok(())
    }

    /// Undoes [`Self::count_facets`] for an actor's previous values.
    fn forget_facets(&self, id: &str, f: &[String; 4]) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE actor_groups SET n = n - 1 WHERE category = ?1 AND family = ?2 AND territory = ?3 AND claims = ?4",
            )?
            .execute(params![f[0], f[1], f[2], f[3]])?;
        self.tx
            .prepare_cached(
                "DELETE FROM actor_groups WHERE category = ?1 AND family = ?2 AND territory = ?3 AND claims = ?4 AND n <= 0",
            )?
            .execute(params![f[0], f[1], f[2], f[3]])?;
        self.tx.prepare_cached("DELETE FROM actor_claims WHERE actor = ?1")?.execute([id])?;
        Ok(())
    }

    fn any_deletion(&mut self) -> Result<bool, StoreError> {
        if let Some(known) = self.any_deletion {
            return Ok(known);
        }
        let any: bool = self.tx.query_row("SELECT EXISTS (SELECT 1 FROM deletions)", [], |r| r.get(0))?;
        self.any_deletion = Some(any);
        Ok(any)
    }

    /// Appends an audit row and returns its `seq`.
    #[allow(clippy::too_many_arguments)]
    fn audit(
        &self,
        at: &str,
        who: &str,
        action: &str,
        t: RecordType,
        key: &str,
        before: Option<i64>,
        after: Option<&str>,
    ) -> Result<i64, StoreError> {
        self.tx.prepare_cached(AUDIT_INSERT)?.execute(params![who, action, t.as_str(), key, before, after, at])?;
        Ok(self.tx.last_insert_rowid())
    }

    fn current(&self, t: RecordType, key: &str) -> Result<Option<Current>, StoreError> {
        let sql = match t {
            RecordType::Actor => {
                "SELECT r.seq, l.after FROM actors r JOIN audit_log l ON l.seq = r.seq WHERE r.id = ?1"
            }
            RecordType::Relation => {
                "SELECT r.seq, l.after FROM relations r JOIN audit_log l ON l.seq = r.seq WHERE r.id = ?1"
            }
            RecordType::Territory => {
                "SELECT r.seq, l.after FROM territories r JOIN audit_log l ON l.seq = r.seq WHERE r.id = ?1"
            }
            RecordType::Case => "SELECT r.seq, l.after FROM cases r JOIN audit_log l ON l.seq = r.seq WHERE r.id = ?1",
            RecordType::Mechanism => {
                "SELECT r.seq, l.after FROM mechanisms r JOIN audit_log l ON l.seq = r.seq WHERE r.id = ?1"
            }
            RecordType::Strategy => {
                "SELECT r.seq, l.after FROM strategies r JOIN audit_log l ON l.seq = r.seq WHERE r.id = ?1"
            }
        };
        Ok(self
            .tx
            .prepare_cached(sql)?
            .query_row([key], |r| Ok(Current { seq: r.get(0)?, doc: r.get(1)? }))
            .optional()?)
    }
}

impl Transaction for SqliteTransaction<'_> {
    fn upsert(&mut self, who: &str, rows: &[rows::Row]) -> Result<Vec<Change>, StoreError> {
        let mut sql: BTreeMap<RecordType, String> = BTreeMap::new();
        let mut changes = Vec::with_capacity(rows.len());
        let mut groups = Groups::new();
        // One timestamp per call: the rows of a batch are written at the same moment.
        let at = now(&self.tx)?;
        for row in rows {
            let doc = &row.doc;
            let before = self.current(row.record_type, &row.key)?;
            if before.as_ref().is_some_and(|b| &b.doc == doc) {
                changes.push(Change::Unchanged);
                continue;
            }
            let action = if before.is_some() { "update" } else { "insert" };
            // A new key links back to its last deletion, if any, so its history stays one chain.
            let before_seq = match &before {
                Some(b) => Some(b.seq),
                None if self.any_deletion()? => last_deletion(&self.tx, row.record_type, &row.key)?,
                None => None,
            };
            let old_facets = match (&before, row.record_type) {
                (Some(_), RecordType::Actor) => self.facets_of(&row.key)?,
                _ => None,
            };
            let seq = self.audit(&at, who, action, row.record_type, &row.key, before_seq, Some(doc))?;
            let stmt_sql = sql.entry(row.record_type).or_insert_with(|| upsert_sql(&rows::table(row.record_type)));
            let mut args: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(row.values.len() + 2);
            args.push(&row.key);
            args.extend(row.values.iter().map(|v| v as &dyn rusqlite::ToSql));
            args.push(&seq);
            self.tx.prepare_cached(stmt_sql)?.execute(args.as_slice())?;
            if row.record_type == RecordType::Actor {
                if let (Some(b), Some(old)) = (&before, &old_facets) {
                    self.tx.prepare_cached("DELETE FROM actors_fts WHERE rowid = ?1")?.execute([b.seq])?;
                    // The counts so far are written first, so that taking one away finds it
                    // (the same actor may have been counted earlier in this call).
                    self.write_groups(std::mem::take(&mut groups))?;
                    self.forget_facets(&row.key, old)?;
                }
                self.tx
                    .prepare_cached("INSERT INTO actors_fts (rowid, text) VALUES (?1, ?2)")?
                    .execute(params![seq, row.search.as_deref().unwrap_or_default()])?;
                let value = |i: usize| row.values.get(i).cloned().flatten().unwrap_or_default();
                self.count_facets(&row.key, [value(2), value(3), value(4), value(5)], &mut groups)?;
            }
            changes.push(if before.is_some() { Change::Updated } else { Change::Inserted });
        }
        self.write_groups(groups)?;
        Ok(changes)
    }

    fn delete(&mut self, who: &str, t: RecordType, key: &str) -> Result<bool, StoreError> {
        if t == RecordType::Actor {
            let ids: Vec<String> = {
                let mut stmt = self.tx.prepare_cached("SELECT id FROM relations WHERE from_id = ?1 OR to_id = ?1")?;
                stmt.query_map([key], |r| r.get(0))?.collect::<Result<_, _>>()?
            };
            for id in ids {
                self.delete(who, RecordType::Relation, &id)?;
            }
        }
        let Some(before) = self.current(t, key)? else { return Ok(false) };
        if t == RecordType::Actor
            && let Some(old) = self.facets_of(key)?
        {
            self.forget_facets(key, &old)?;
        }
        let sql = format!("DELETE FROM {} WHERE id = ?1", rows::table(t).name);
        self.tx.prepare_cached(&sql)?.execute([key])?;
        if t == RecordType::Actor {
            self.tx.prepare_cached("DELETE FROM actors_fts WHERE rowid = ?1")?.execute([before.seq])?;
        }
        let at = now(&self.tx)?;
        let seq = self.audit(&at, who, "delete", t, key, Some(before.seq), None)?;
        self.tx
            .prepare_cached(
                "INSERT INTO deletions (record_type, record_key, seq) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (record_type, record_key) DO UPDATE SET seq = excluded.seq",
            )?
            .execute(params![t.as_str(), key, seq])?;
        self.any_deletion = Some(true);
        Ok(true)
    }

    fn get(&mut self, t: RecordType, key: &str) -> Result<Option<Record>, StoreError> {
        match self.current(t, key)? {
            Some(c) => Ok(Some(crate::parse_doc(t, key, &c.doc)?)),
            None => Ok(None),
        }
    }

    fn relations_of(&mut self, actor: &str) -> Result<Vec<Record>, StoreError> {
        let sql = format!(
            "{} WHERE r.from_id = ?1 OR r.to_id = ?1 ORDER BY r.id",
            super::select_current(RecordType::Relation)
        );
        super::select_docs(&self.tx, &sql, [actor], RecordType::Relation)
    }

    fn record_merge(&mut self, who: &str, merge: &crate::merges::NewMerge) -> Result<i64, StoreError> {
        super::merges::record(&self.tx, who, merge)
    }

    fn mark_merge_undone(&mut self, id: i64, who: &str) -> Result<bool, StoreError> {
        super::merges::mark_undone(&self.tx, id, who)
    }

    fn records_naming(&mut self, t: RecordType, id: &str) -> Result<Vec<Record>, StoreError> {
        super::records_naming(&self.tx, t, id)
    }

    fn fund_docs(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT id, doc FROM ledger_funds ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn replace_fund(&mut self, who: &str, id: &str, doc: &str) -> Result<bool, StoreError> {
        let at = now(&self.tx)?;
        let n = self
            .tx
            .prepare_cached("UPDATE ledger_funds SET doc = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1")?
            .execute(params![id, doc, who, at])?;
        Ok(n == 1)
    }

    fn account_actors(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        super::deliberation::account_actors(&self.tx)
    }

    fn set_account_actor(&mut self, who: &str, user: &str, actor: Option<&str>) -> Result<bool, StoreError> {
        super::deliberation::set_account_actor(&self.tx, who, user, actor)
    }

    fn merged_into(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        super::merges::merged_into(&self.tx, id)
    }

    fn missing(&mut self, t: RecordType, ids: &[String]) -> Result<BTreeSet<String>, StoreError> {
        let sql = format!("SELECT 1 FROM {} WHERE id = ?1", rows::table(t).name);
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let mut out = BTreeSet::new();
        for id in ids {
            if !stmt.exists([id])? {
                out.insert(id.clone());
            }
        }
        Ok(out)
    }

    fn territory_parents(&mut self) -> Result<BTreeMap<String, String>, StoreError> {
        parents(&self.tx)
    }

    fn deliberation(&mut self, strategy: &str) -> Result<Vec<solidaria_core::deliberation::Event>, StoreError> {
        super::deliberation::events(&self.tx, strategy)
    }

    fn decide_proposal(
        &mut self,
        id: i64,
        by: &str,
        state: solidaria_core::moderation::ProposalState,
        message: Option<&str>,
    ) -> Result<bool, StoreError> {
        accounts::decide(&self.tx, id, by, state, message)
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.commit()?;
        Ok(())
    }
}
