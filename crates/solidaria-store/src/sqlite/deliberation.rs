//! Deliberations on SQLite (schema in `migrations/sqlite/0007_strategies.sql`). An event is
//! appended in one `BEGIN IMMEDIATE` transaction: SQLite has one writer at a time, so the log read
//! at its start stays current until it commits.

use super::{SqliteStore, now};
use crate::StoreError;
use crate::deliberation::{Build, Deliberations, parse_event_enums};
use rusqlite::{Connection, OptionalExtension, params};
use solidaria_core::deliberation::Event;

const EVENT_COLUMNS: &str = "seq, strategy, at, who, kind, actor, college, choice, text, doc";

type EventRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn to_event(r: EventRow) -> Result<Event, StoreError> {
    let (seq, strategy, at, who, kind, actor, college, choice, text, doc) = r;
    let (kind, choice) = parse_event_enums(seq, &kind, choice.as_deref())?;
    Ok(Event { seq, strategy, at, who, kind, actor, college, choice, text, doc })
}

pub(super) fn events(conn: &Connection, strategy: &str) -> Result<Vec<Event>, StoreError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM deliberation_events WHERE strategy = ?1 ORDER BY seq");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([strategy], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        out.push(to_event(row?)?);
    }
    Ok(out)
}

impl Deliberations for SqliteStore {
    fn deliberate(&mut self, strategy: &str, build: &mut Build<'_>) -> Result<Result<Vec<Event>, String>, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists = tx.query_row("SELECT 1 FROM strategies WHERE id = ?1", [strategy], |_| Ok(())).optional()?;
        if exists.is_none() {
            return Ok(Err(format!("no strategy with id {strategy:?}")));
        }
        let log = events(&tx, strategy)?;
        let new = match build(&log) {
            Ok(n) => n,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let at = now(&tx)?;
        let mut out = Vec::with_capacity(new.len());
        for n in new {
            tx.prepare_cached(
                "INSERT INTO deliberation_events (strategy, at, who, kind, actor, college, choice, text, doc) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                strategy,
                at,
                n.who,
                n.kind.as_str(),
                n.actor,
                n.college,
                n.choice.map(|c| c.as_str()),
                n.text,
                n.doc
            ])?;
            out.push(Event {
                seq: tx.last_insert_rowid(),
                strategy: strategy.to_string(),
                at: at.clone(),
                who: n.who,
                kind: n.kind,
                actor: n.actor,
                college: n.college,
                choice: n.choice,
                text: n.text,
                doc: n.doc,
            });
        }
        tx.commit()?;
        Ok(Ok(out))
    }

    fn deliberation(&mut self, strategy: &str) -> Result<Vec<Event>, StoreError> {
        events(&self.conn, strategy)
    }

    fn set_account_actor(&mut self, who: &str, user: &str, actor: Option<&str>) -> Result<bool, StoreError> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if !set_account_actor(&tx, who, user, actor)? {
            return Ok(false);
        }
        tx.commit()?;
        Ok(true)
    }

    fn account_actors(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        account_actors(&self.conn)
    }
}

/// Links an account to an actor (or unlinks it), logged as an account event by `who`, on a
/// connection inside a transaction; `false` when there is no such account.
pub(super) fn set_account_actor(
    conn: &Connection,
    who: &str,
    user: &str,
    actor: Option<&str>,
) -> Result<bool, StoreError> {
    let n = conn.execute("UPDATE users SET actor = ?2 WHERE name = ?1", params![user, actor])?;
    if n == 0 {
        return Ok(false);
    }
    let at = now(conn)?;
    conn.execute(
        "INSERT INTO account_events (at, who, action, subject, detail) VALUES (?1, ?2, 'actor_link', ?3, ?4)",
        params![at, who, user, actor.unwrap_or("(none)")],
    )?;
    Ok(true)
}

/// Every account linked to an actor, as (account, actor), by account name.
pub(super) fn account_actors(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT name, actor FROM users WHERE actor IS NOT NULL ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
