//! Deliberations on PostgreSQL (schema in `migrations/postgres/0007_strategies.sql`). An event
//! locks its strategy's row (`SELECT … FOR UPDATE`) before reading the log, so concurrent writers
//! of one strategy run one after the other and each sees the events the previous one wrote.

use super::PgStore;
use crate::StoreError;
use crate::deliberation::{Build, Deliberations, parse_event_enums};
use postgres::GenericClient;
use solidaria_core::deliberation::Event;

const EVENT_COLUMNS: &str = "seq, strategy, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), \
     who, kind, actor, college, choice, text, doc";

fn to_event(r: &postgres::Row) -> Result<Event, StoreError> {
    let seq: i64 = r.get(0);
    let kind: String = r.get(4);
    let choice: Option<String> = r.get(7);
    let (kind, choice) = parse_event_enums(seq, &kind, choice.as_deref())?;
    Ok(Event {
        seq,
        strategy: r.get(1),
        at: r.get(2),
        who: r.get(3),
        kind,
        actor: r.get(5),
        college: r.get(6),
        choice,
        text: r.get(8),
        doc: r.get(9),
    })
}

pub(super) fn events(c: &mut impl GenericClient, strategy: &str) -> Result<Vec<Event>, StoreError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM deliberation_events WHERE strategy = $1 ORDER BY seq");
    c.query(&sql, &[&strategy])?.iter().map(to_event).collect()
}

impl Deliberations for PgStore {
    fn deliberate(&mut self, strategy: &str, build: &mut Build<'_>) -> Result<Result<Vec<Event>, String>, StoreError> {
        let mut tx = self.client.transaction()?;
        if tx.query_opt("SELECT 1 FROM strategies WHERE id = $1 FOR UPDATE", &[&strategy])?.is_none() {
            return Ok(Err(format!("no strategy with id {strategy:?}")));
        }
        let log = events(&mut tx, strategy)?;
        let new = match build(&log) {
            Ok(n) => n,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let sql = format!(
            "INSERT INTO deliberation_events (strategy, who, kind, actor, college, choice, text, doc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {EVENT_COLUMNS}"
        );
        let mut out = Vec::with_capacity(new.len());
        for n in new {
            let row = tx.query_one(
                &sql,
                &[
                    &strategy,
                    &n.who,
                    &n.kind.as_str(),
                    &n.actor,
                    &n.college,
                    &n.choice.map(|c| c.as_str()),
                    &n.text,
                    &n.doc,
                ],
            )?;
            out.push(to_event(&row)?);
        }
        tx.commit()?;
        Ok(Ok(out))
    }

    fn deliberation(&mut self, strategy: &str) -> Result<Vec<Event>, StoreError> {
        events(&mut self.client, strategy)
    }

    fn set_account_actor(&mut self, who: &str, user: &str, actor: Option<&str>) -> Result<bool, StoreError> {
        let mut tx = self.client.transaction()?;
        if !set_account_actor(&mut tx, who, user, actor)? {
            return Ok(false);
        }
        tx.commit()?;
        Ok(true)
    }

    fn account_actors(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        account_actors(&mut self.client)
    }
}

/// Links an account to an actor (or unlinks it), logged as an account event by `who`, inside
/// the caller's transaction; `false` when there is no such account.
pub(super) fn set_account_actor(
    c: &mut impl GenericClient,
    who: &str,
    user: &str,
    actor: Option<&str>,
) -> Result<bool, StoreError> {
    let n = c.execute("UPDATE users SET actor = $2 WHERE name = $1", &[&user, &actor])?;
    if n == 0 {
        return Ok(false);
    }
    c.execute(
        "INSERT INTO account_events (who, action, subject, detail) VALUES ($1, 'actor_link', $2, $3)",
        &[&who, &user, &actor.unwrap_or("(none)")],
    )?;
    Ok(true)
}

/// Every account linked to an actor, as (account, actor), by account name.
pub(super) fn account_actors(c: &mut impl GenericClient) -> Result<Vec<(String, String)>, StoreError> {
    let rows = c.query("SELECT name, actor FROM users WHERE actor IS NOT NULL ORDER BY name", &[])?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}
