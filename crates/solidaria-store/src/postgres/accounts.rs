//! Accounts and moderation on PostgreSQL (schema in `migrations/postgres/0003_accounts.sql`).

use super::PgStore;
use crate::StoreError;
use crate::accounts::{
    AccountEvent, Accounts, NewProposal, Proposal, TokenHolder, TokenInfo, User, parse_proposal_enums, parse_role,
};
use postgres::GenericClient;
use solidaria_core::moderation::{ProposalState, Role};

/// A timestamp column as UTC ISO 8601 with milliseconds (the SQLite backend's format).
macro_rules! iso {
    ($col:literal) => {
        concat!("to_char(", $col, " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
    };
}

/// Appends an account event (inside the caller's transaction).
pub(super) fn event(
    c: &mut impl GenericClient,
    who: &str,
    action: &str,
    subject: &str,
    detail: Option<&str>,
) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO account_events (who, action, subject, detail) VALUES ($1, $2, $3, $4)",
        &[&who, &action, &subject, &detail],
    )?;
    Ok(())
}

const USER_COLUMNS: &str =
    concat!("u.name, u.role, u.password_hash, ", iso!("u.created_at"), ", ", iso!("u.disabled_at"));

fn to_user(r: &postgres::Row) -> Result<User, StoreError> {
    let name: String = r.get(0);
    let role = parse_role(&name, r.get(1))?;
    Ok(User { name, role, password_hash: r.get(2), created_at: r.get(3), disabled_at: r.get(4) })
}

const PROPOSAL_COLUMNS: &str = concat!(
    "id, ",
    iso!("at"),
    ", proposer, record_type, record_key, action, doc, base, note, state, decided_by, ",
    iso!("decided_at"),
    ", message"
);

fn to_proposal(r: &postgres::Row) -> Result<Proposal, StoreError> {
    let id: i64 = r.get(0);
    let (record_type, action, state) = parse_proposal_enums(id, r.get(3), r.get(5), r.get(9))?;
    Ok(Proposal {
        id,
        at: r.get(1),
        proposer: r.get(2),
        record_type,
        record_key: r.get(4),
        action,
        doc: r.get(6),
        base: r.get(7),
        note: r.get(8),
        state,
        decided_by: r.get(10),
        decided_at: r.get(11),
        message: r.get(12),
    })
}

impl Accounts for PgStore {
    fn add_user(&mut self, who: &str, name: &str, role: Role, password_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.client.transaction()?;
        let added = tx.execute(
            "INSERT INTO users (name, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
            &[&name, &role.as_str(), &password_hash],
        )?;
        if added == 0 {
            return Err(StoreError::Conflict(format!("user {name:?}")));
        }
        event(&mut tx, who, "user_add", name, Some(role.as_str()))?;
        tx.commit()?;
        Ok(())
    }

    fn set_role(&mut self, who: &str, name: &str, role: Role) -> Result<bool, StoreError> {
        let mut tx = self.client.transaction()?;
        let n = tx.execute("UPDATE users SET role = $2 WHERE name = $1", &[&name, &role.as_str()])?;
        if n > 0 {
            event(&mut tx, who, "role_change", name, Some(role.as_str()))?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    fn set_password(&mut self, who: &str, name: &str, password_hash: &str) -> Result<bool, StoreError> {
        let mut tx = self.client.transaction()?;
        let n = tx.execute("UPDATE users SET password_hash = $2 WHERE name = $1", &[&name, &password_hash])?;
        if n > 0 {
            tx.execute("DELETE FROM sessions WHERE user_name = $1", &[&name])?;
            event(&mut tx, who, "password_change", name, None)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    fn set_disabled(&mut self, who: &str, name: &str, disabled: bool) -> Result<bool, StoreError> {
        let mut tx = self.client.transaction()?;
        // The user's row is locked, so two admins changing it at once are applied one after the other.
        if tx.query_opt("SELECT 1 FROM users WHERE name = $1 FOR UPDATE", &[&name])?.is_none() {
            return Ok(false);
        }
        let changed = if disabled {
            let n =
                tx.execute("UPDATE users SET disabled_at = now() WHERE name = $1 AND disabled_at IS NULL", &[&name])?;
            tx.execute("DELETE FROM sessions WHERE user_name = $1", &[&name])?;
            n
        } else {
            tx.execute("UPDATE users SET disabled_at = NULL WHERE name = $1 AND disabled_at IS NOT NULL", &[&name])?
        };
        if changed > 0 {
            event(&mut tx, who, if disabled { "user_disable" } else { "user_enable" }, name, None)?;
        }
        tx.commit()?;
        Ok(true)
    }

    fn user(&mut self, name: &str) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1");
        self.client.query_opt(&sql, &[&name])?.as_ref().map(to_user).transpose()
    }

    fn users(&mut self) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name");
        self.client.query(&sql, &[])?.iter().map(to_user).collect()
    }

    fn create_session(&mut self, token_hash: &str, user: &str, csrf: &str, ttl_seconds: i64) -> Result<(), StoreError> {
        let mut tx = self.client.transaction()?;
        tx.execute(
            "INSERT INTO sessions (token_hash, user_name, csrf, expires_at) \
             VALUES ($1, $2, $3, now() + make_interval(secs => $4::bigint))",
            &[&token_hash, &user, &csrf, &ttl_seconds],
        )?;
        event(&mut tx, user, "login", user, None)?;
        tx.commit()?;
        Ok(())
    }

    fn session(&mut self, token_hash: &str) -> Result<Option<(User, String)>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf FROM sessions s JOIN users u ON u.name = s.user_name \
             WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL"
        );
        match self.client.query_opt(&sql, &[&token_hash])? {
            None => Ok(None),
            Some(r) => Ok(Some((to_user(&r)?, r.get(5)))),
        }
    }

    fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.client.transaction()?;
        let user: Option<String> =
            tx.query_opt("SELECT user_name FROM sessions WHERE token_hash = $1", &[&token_hash])?.map(|r| r.get(0));
        tx.execute("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= now()", &[&token_hash])?;
        if let Some(u) = user {
            event(&mut tx, &u, "logout", &u, None)?;
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
        let mut tx = self.client.transaction()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO api_tokens (token_hash, user_name, label, read_only) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&token_hash, &user, &label, &read_only],
            )?
            .get(0);
        let detail = format!("{user}: {label}{}", if read_only { " (read-only)" } else { "" });
        event(&mut tx, who, "token_create", &id.to_string(), Some(&detail))?;
        tx.commit()?;
        Ok(id)
    }

    fn token_user(&mut self, token_hash: &str) -> Result<Option<TokenHolder>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, t.read_only FROM api_tokens t JOIN users u ON u.name = t.user_name \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
        );
        match self.client.query_opt(&sql, &[&token_hash])? {
            None => Ok(None),
            Some(r) => Ok(Some(TokenHolder { user: to_user(&r)?, read_only: r.get(5) })),
        }
    }

    fn tokens(&mut self, user: Option<&str>) -> Result<Vec<TokenInfo>, StoreError> {
        let sql = concat!(
            "SELECT id, user_name, label, ",
            iso!("created_at"),
            ", ",
            iso!("revoked_at"),
            ", read_only FROM api_tokens WHERE $1::text IS NULL OR user_name = $1 ORDER BY id"
        );
        Ok(self
            .client
            .query(sql, &[&user])?
            .iter()
            .map(|r| TokenInfo {
                id: r.get(0),
                user: r.get(1),
                label: r.get(2),
                created_at: r.get(3),
                revoked_at: r.get(4),
                read_only: r.get(5),
            })
            .collect())
    }

    fn revoke_token(&mut self, who: &str, id: i64) -> Result<bool, StoreError> {
        let mut tx = self.client.transaction()?;
        let n = tx.execute("UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL", &[&id])?;
        if n > 0 {
            event(&mut tx, who, "token_revoke", &id.to_string(), None)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    fn propose(&mut self, p: &NewProposal) -> Result<i64, StoreError> {
        let mut tx = self.client.transaction()?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO proposals (proposer, record_type, record_key, action, doc, base, note, state) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING id",
                &[&p.proposer, &p.record_type.as_str(), &p.record_key, &p.action.as_str(), &p.doc, &p.base, &p.note],
            )?
            .get(0);
        let detail = format!("{} {} {}", p.action.as_str(), p.record_type, p.record_key);
        event(&mut tx, &p.proposer, "proposal_create", &id.to_string(), Some(&detail))?;
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
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE ($1::text IS NULL OR state = $1) \
             AND ($2::text IS NULL OR proposer = $2) ORDER BY id DESC LIMIT $3 OFFSET $4"
        );
        let limit = limit.min(i64::MAX as u64) as i64;
        let offset = offset.min(i64::MAX as u64) as i64;
        self.client
            .query(&sql, &[&state.map(|s| s.as_str()), &proposer, &limit, &offset])?
            .iter()
            .map(to_proposal)
            .collect()
    }

    fn count_proposals(&mut self, state: Option<ProposalState>, proposer: Option<&str>) -> Result<u64, StoreError> {
        let n: i64 = self
            .client
            .query_one(
                "SELECT count(*) FROM proposals WHERE ($1::text IS NULL OR state = $1) \
                 AND ($2::text IS NULL OR proposer = $2)",
                &[&state.map(|s| s.as_str()), &proposer],
            )?
            .get(0);
        Ok(n.max(0) as u64)
    }

    fn proposal(&mut self, id: i64) -> Result<Option<Proposal>, StoreError> {
        let sql = format!("SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = $1");
        self.client.query_opt(&sql, &[&id])?.as_ref().map(to_proposal).transpose()
    }

    fn account_events(&mut self, limit: u64) -> Result<Vec<AccountEvent>, StoreError> {
        let limit = limit.min(i64::MAX as u64) as i64;
        let sql = concat!(
            "SELECT seq, ",
            iso!("at"),
            ", who, action, subject, detail FROM account_events ORDER BY seq DESC LIMIT $1"
        );
        let mut out: Vec<AccountEvent> = self
            .client
            .query(sql, &[&limit])?
            .iter()
            .map(|r| AccountEvent {
                seq: r.get(0),
                at: r.get(1),
                who: r.get(2),
                action: r.get(3),
                subject: r.get(4),
                detail: r.get(5),
            })
            .collect();
        out.reverse();
        Ok(out)
    }
}

/// Records a decision inside a write transaction (see `Transaction::decide_proposal`).
pub(super) fn decide(
    c: &mut impl GenericClient,
    id: i64,
    by: &str,
    state: ProposalState,
    message: Option<&str>,
) -> Result<bool, StoreError> {
    let n = c.execute(
        "UPDATE proposals SET state = $2, decided_by = $3, decided_at = now(), message = $4 \
         WHERE id = $1 AND state = 'pending'",
        &[&id, &state.as_str(), &by, &message],
    )?;
    if n > 0 {
        event(c, by, "proposal_decide", &id.to_string(), Some(state.as_str()))?;
    }
    Ok(n > 0)
}
