//! Accounts and moderation on SQLite (schema in `migrations/sqlite/0003_accounts.sql`).

use super::{SqliteStore, now};
use crate::StoreError;
use crate::accounts::{
    AccountEvent, Accounts, NewProposal, Proposal, TokenHolder, TokenInfo, User, parse_proposal_enums, parse_role,
};
use rusqlite::{Connection, OptionalExtension, params};
use solidaria_core::moderation::{ProposalState, Role};

/// Appends an account event (inside the caller's transaction).
pub(super) fn event(
    conn: &Connection,
    who: &str,
    action: &str,
    subject: &str,
    detail: Option<&str>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO account_events (at, who, action, subject, detail) \
         VALUES (strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?1, ?2, ?3, ?4)",
    )?
    .execute(params![who, action, subject, detail])?;
    Ok(())
}

/// The columns of a user, in the order [`user_row`] reads them (`u` is the users table).
const USER_COLUMNS: &str = "u.name, u.role, u.password_hash, u.created_at, u.disabled_at";

type UserRow = (String, String, String, String, Option<String>);

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_user((name, role, password_hash, created_at, disabled_at): UserRow) -> Result<User, StoreError> {
    let role = parse_role(&name, &role)?;
    Ok(User { name, role, password_hash, created_at, disabled_at })
}

const PROPOSAL_COLUMNS: &str =
    "id, at, proposer, record_type, record_key, action, doc, base, note, state, decided_by, decided_at, message";

type ProposalRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn proposal_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ProposalRow> {
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
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
    ))
}

fn to_proposal(row: ProposalRow) -> Result<Proposal, StoreError> {
    let (id, at, proposer, t, record_key, a, doc, base, note, s, decided_by, decided_at, message) = row;
    let (record_type, action, state) = parse_proposal_enums(id, &t, &a, &s)?;
    let json = |text: Option<String>| -> Result<Option<serde_json::Value>, StoreError> {
        text.map(|t| {
            serde_json::from_str(&t).map_err(|e| StoreError::Corrupt {
                record_type,
                key: format!("proposal {id}"),
                problems: e.to_string(),
            })
        })
        .transpose()
    };
    Ok(Proposal {
        id,
        at,
        proposer,
        record_type,
        record_key,
        action,
        doc: json(doc)?,
        base: json(base)?,
        note,
        state,
        decided_by,
        decided_at,
        message,
    })
}

impl Accounts for SqliteStore {
    fn add_user(&mut self, who: &str, name: &str, role: Role, password_hash: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let at = now(&tx)?;
        let added = tx.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO NOTHING",
            params![name, role.as_str(), password_hash, at],
        )?;
        if added == 0 {
            return Err(StoreError::Conflict(format!("user {name:?}")));
        }
        event(&tx, who, "user_add", name, Some(role.as_str()))?;
        tx.commit()?;
        Ok(())
    }

    fn set_role(&mut self, who: &str, name: &str, role: Role) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("UPDATE users SET role = ?2 WHERE name = ?1", params![name, role.as_str()])?;
        if n > 0 {
            event(&tx, who, "role_change", name, Some(role.as_str()))?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    fn set_password(&mut self, who: &str, name: &str, password_hash: &str) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("UPDATE users SET password_hash = ?2 WHERE name = ?1", params![name, password_hash])?;
        if n > 0 {
            tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
            event(&tx, who, "password_change", name, None)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    fn set_disabled(&mut self, who: &str, name: &str, disabled: bool) -> Result<bool, StoreError> {
        // Immediate: it reads, then writes what it read (a deferred one could not upgrade).
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let exists = tx.query_row("SELECT 1 FROM users WHERE name = ?1", [name], |_| Ok(())).optional()?.is_some();
        if !exists {
            return Ok(false);
        }
        let changed = if disabled {
            let n = tx.execute(
                "UPDATE users SET disabled_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') \
                 WHERE name = ?1 AND disabled_at IS NULL",
                [name],
            )?;
            tx.execute("DELETE FROM sessions WHERE user_name = ?1", [name])?;
            n
        } else {
            tx.execute("UPDATE users SET disabled_at = NULL WHERE name = ?1 AND disabled_at IS NOT NULL", [name])?
        };
        if changed > 0 {
            event(&tx, who, if disabled { "user_disable" } else { "user_enable" }, name, None)?;
        }
        tx.commit()?;
        Ok(true)
    }

    fn user(&mut self, name: &str) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?1");
        self.conn.prepare_cached(&sql)?.query_row([name], user_row).optional()?.map(to_user).transpose()
    }

    fn users(&mut self) -> Result<Vec<User>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"))?;
        let rows = stmt.query_map([], user_row)?.collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(to_user).collect()
    }

    fn create_session(&mut self, token_hash: &str, user: &str, csrf: &str, ttl_seconds: i64) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sessions (token_hash, user_name, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, \
             strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now', ?4 || ' seconds'))",
            params![token_hash, user, csrf, format!("{ttl_seconds:+}")],
        )?;
        event(&tx, user, "login", user, None)?;
        tx.commit()?;
        Ok(())
    }

    fn session(&mut self, token_hash: &str) -> Result<Option<(User, String)>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf FROM sessions s JOIN users u ON u.name = s.user_name \
             WHERE s.token_hash = ?1 AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ','now') \
             AND u.disabled_at IS NULL"
        );
        let found = self
            .conn
            .prepare_cached(&sql)?
            .query_row([token_hash], |r| Ok((user_row(r)?, r.get::<_, String>(5)?)))
            .optional()?;
        found.map(|(u, csrf)| Ok((to_user(u)?, csrf))).transpose()
    }

    fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let user: Option<String> = tx
            .query_row("SELECT user_name FROM sessions WHERE token_hash = ?1", [token_hash], |r| r.get(0))
            .optional()?;
        tx.execute(
            "DELETE FROM sessions WHERE token_hash = ?1 OR expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ','now')",
            [token_hash],
        )?;
        if let Some(u) = user {
            event(&tx, &u, "logout", &u, None)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn create_token(
        &mut self,
        who: &str,
        token_hash: &str,
        user: &str,
        label: &str,
        read_only: bool,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let at = now(&tx)?;
        tx.execute(
            "INSERT INTO api_tokens (token_hash, user_name, label, created_at, read_only) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, user, label, at, read_only],
        )?;
        let id = tx.last_insert_rowid();
        let detail = format!("{user}: {label}{}", if read_only { " (read-only)" } else { "" });
        event(&tx, who, "token_create", &id.to_string(), Some(&detail))?;
        tx.commit()?;
        Ok(id)
    }

    fn token_user(&mut self, token_hash: &str) -> Result<Option<TokenHolder>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, t.read_only FROM api_tokens t JOIN users u ON u.name = t.user_name \
             WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
        );
        let found = self
            .conn
            .prepare_cached(&sql)?
            .query_row([token_hash], |r| Ok((user_row(r)?, r.get::<_, bool>(5)?)))
            .optional()?;
        found.map(|(u, read_only)| Ok(TokenHolder { user: to_user(u)?, read_only })).transpose()
    }

    fn tokens(&mut self, user: Option<&str>) -> Result<Vec<TokenInfo>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, user_name, label, created_at, revoked_at, read_only FROM api_tokens \
             WHERE ?1 IS NULL OR user_name = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([user], |r| {
            Ok(TokenInfo {
                id: r.get(0)?,
                user: r.get(1)?,
                label: r.get(2)?,
                created_at: r.get(3)?,
                revoked_at: r.get(4)?,
                read_only: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn revoke_token(&mut self, who: &str, id: i64) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?1 AND revoked_at IS NULL",
            [id],
        )?;
        if n > 0 {
            event(&tx, who, "token_revoke", &id.to_string(), None)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    fn propose(&mut self, p: &NewProposal) -> Result<i64, StoreError> {
        let tx = self.conn.transaction()?;
        let at = now(&tx)?;
        let text = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
        tx.execute(
            "INSERT INTO proposals (at, proposer, record_type, record_key, action, doc, base, note, state) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
            params![
                at,
                p.proposer,
                p.record_type.as_str(),
                p.record_key,
                p.action.as_str(),
                text(&p.doc),
                text(&p.base),
                p.note
            ],
        )?;
        let id = tx.last_insert_rowid();
        let detail = format!("{} {} {}", p.action.as_str(), p.record_type, p.record_key);
        event(&tx, &p.proposer, "proposal_create", &id.to_string(), Some(&detail))?;
        tx.commit()?;
        Ok(id)
    }

    fn proposals(
        &mut self,
        state: Option<ProposalState>,
        proposer: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<Proposal>, StoreError> {
        let sql = format!(
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR proposer = ?2) \
             ORDER BY id DESC LIMIT ?3 OFFSET ?4"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = limit.min(i64::MAX as u64) as i64;
        let offset = offset.min(i64::MAX as u64) as i64;
        let rows = stmt
            .query_map(params![state.map(|s| s.as_str()), proposer, limit, offset], proposal_row)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(to_proposal).collect()
    }

    fn count_proposals(&mut self, state: Option<ProposalState>, proposer: Option<&str>) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM proposals WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR proposer = ?2)",
            )?
            .query_row(params![state.map(|s| s.as_str()), proposer], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    fn proposal(&mut self, id: i64) -> Result<Option<Proposal>, StoreError> {
        let sql = format!("SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = ?1");
        self.conn.prepare_cached(&sql)?.query_row([id], proposal_row).optional()?.map(to_proposal).transpose()
    }

    fn account_events(&mut self, limit: u64) -> Result<Vec<AccountEvent>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, at, who, action, subject, detail FROM account_events ORDER BY seq DESC LIMIT ?1")?;
        let limit = limit.min(i64::MAX as u64) as i64;
        let rows = stmt.query_map([limit], |r| {
            Ok(AccountEvent {
                seq: r.get(0)?,
                at: r.get(1)?,
                who: r.get(2)?,
                action: r.get(3)?,
                subject: r.get(4)?,
                detail: r.get(5)?,
            })
        })?;
        let mut out: Vec<AccountEvent> = rows.collect::<Result<_, _>>()?;
        out.reverse();
        Ok(out)
    }
}

/// Records a decision inside a write transaction (see `Transaction::decide_proposal`).
pub(super) fn decide(
    conn: &Connection,
    id: i64,
    by: &str,
    state: ProposalState,
    message: Option<&str>,
) -> Result<bool, StoreError> {
    let n = conn.execute(
        "UPDATE proposals SET state = ?2, decided_by = ?3, decided_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'), message = ?4 \
         WHERE id = ?1 AND state = 'pending'",
        params![id, state.as_str(), by, message],
    )?;
    if n > 0 {
        event(conn, by, "proposal_decide", &id.to_string(), Some(state.as_str()))?;
    }
    Ok(n > 0)
}
