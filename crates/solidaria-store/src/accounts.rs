//! Accounts, sessions, API tokens, the moderation queue and the account-event log: the storage
//! half of issue #4's accounts and roles. The rules (who may do what, which decisions are
//! allowed) are `solidaria_core::moderation`'s; this module only keeps the state.
//!
//! Secrets are never stored or returned: passwords arrive already hashed (argon2id, PHC string),
//! session and API tokens as the SHA-256 of their value.

use crate::StoreError;
use serde::Serialize;
use solidaria_core::moderation::{ProposalState, Role};
use solidaria_core::record::RecordType;

/// An account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Unique name (checked by `moderation::check_user_name`).
    pub name: String,
    /// What the account may do.
    pub role: Role,
    /// The argon2id PHC string of the password (never shown).
    #[serde(skip)]
    pub password_hash: String,
    /// When the account was made, UTC ISO 8601.
    pub created_at: String,
    /// When the account was disabled, if it is: it cannot log in, and its sessions and API
    /// tokens do not authenticate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_at: Option<String>,
}

impl User {
    /// Whether the account is disabled.
    pub fn disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
}

/// The account an API token authenticates, and what the token may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHolder {
    /// The token's owner (never a disabled account).
    pub user: User,
    /// Whether the token may only read (its writes are refused).
    pub read_only: bool,
}

/// An API token's public description (its value is shown once, at creation, and never kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    /// Token number (for revoking).
    pub id: i64,
    /// Whose token.
    pub user: String,
    /// What it is for, as its owner wrote.
    pub label: String,
    /// When it was issued.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
    /// Whether it may only read.
    pub read_only: bool,
}

/// What a proposal asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalAction {
    /// Create or replace the record with `doc`.
    Upsert,
    /// Delete the record.
    Delete,
}

impl ProposalAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalAction::Upsert => "upsert",
            ProposalAction::Delete => "delete",
        }
    }
}

/// A proposal to be queued.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProposal {
    /// Who proposes (a user name).
    pub proposer: String,
    /// Type of the record concerned.
    pub record_type: RecordType,
    /// Its key.
    pub record_key: String,
    /// Create/replace or delete.
    pub action: ProposalAction,
    /// The proposed record as canonical JSON (none for a deletion).
    pub doc: Option<serde_json::Value>,
    /// The record as stored when proposed (none for a creation).
    pub base: Option<serde_json::Value>,
    /// The contributor's note to the moderator (sources, reasons).
    pub note: Option<String>,
}

/// A proposal in the queue, with its decision once made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    /// Number in the queue.
    pub id: i64,
    /// When it was made.
    pub at: String,
    /// Who made it.
    pub proposer: String,
    /// Type of the record concerned.
    pub record_type: RecordType,
    /// Its key.
    pub record_key: String,
    /// Create/replace or delete.
    pub action: ProposalAction,
    /// The proposed record (none for a deletion).
    pub doc: Option<serde_json::Value>,
    /// The record as stored when proposed (none for a creation).
    pub base: Option<serde_json::Value>,
    /// The contributor's note.
    pub note: Option<String>,
    /// Where it stands.
    pub state: ProposalState,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<String>,
    /// The rejection message or what it duplicates.
    pub message: Option<String>,
}

/// One row of the account-event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountEvent {
    /// Position in the log.
    pub seq: i64,
    /// When, UTC ISO 8601.
    pub at: String,
    /// Who did it.
    pub who: String,
    /// What: `user_add`, `role_change`, `password_change`, `user_disable`, `user_enable`,
    /// `token_create`, `token_revoke`, `proposal_create`, `proposal_decide`, `login`, `logout`.
    pub action: String,
    /// What it was done to (a user name, a token or proposal number).
    pub subject: String,
    /// Details (a role, a label, a state); never a secret.
    pub detail: Option<String>,
}

/// Storage of accounts and moderation, implemented by both backends. Every change also appends
/// an [`AccountEvent`] in the same transaction.
pub trait Accounts {
    /// Adds an account; [`StoreError::Conflict`] when the name is taken.
    fn add_user(&mut self, who: &str, name: &str, role: Role, password_hash: &str) -> Result<(), StoreError>;

    /// Changes a role; `false` when there is no such user.
    fn set_role(&mut self, who: &str, name: &str, role: Role) -> Result<bool, StoreError>;

    /// Changes a password and ends the user's sessions; `false` when there is no such user.
    fn set_password(&mut self, who: &str, name: &str, password_hash: &str) -> Result<bool, StoreError>;

    /// Disables an account (deleting its sessions: they end at once) or enables it again;
    /// `false` when there is no such user. A change of state is logged (`user_disable`,
    /// `user_enable`); asking for the state the account is in changes nothing.
    fn set_disabled(&mut self, who: &str, name: &str, disabled: bool) -> Result<bool, StoreError>;

    /// One account.
    fn user(&mut self, name: &str) -> Result<Option<User>, StoreError>;

    /// Every account, by name.
    fn users(&mut self) -> Result<Vec<User>, StoreError>;

    /// Opens a session lasting `ttl_seconds`, logging the login.
    fn create_session(&mut self, token_hash: &str, user: &str, csrf: &str, ttl_seconds: i64) -> Result<(), StoreError>;

    /// The user and CSRF token of an unexpired session of an account that is not disabled.
    fn session(&mut self, token_hash: &str) -> Result<Option<(User, String)>, StoreError>;

    /// Ends a session (and every expired one), logging the logout.
    fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError>;

    /// Issues an API token to `user`, read-only or not; returns its number.
    fn create_token(
        &mut self,
        who: &str,
        token_hash: &str,
        user: &str,
        label: &str,
        read_only: bool,
    ) -> Result<i64, StoreError>;

    /// The owner of an unrevoked API token, unless the account is disabled.
    fn token_user(&mut self, token_hash: &str) -> Result<Option<TokenHolder>, StoreError>;

    /// API tokens, of one user or of all.
    fn tokens(&mut self, user: Option<&str>) -> Result<Vec<TokenInfo>, StoreError>;

    /// Revokes a token; `false` when there is no such unrevoked token.
    fn revoke_token(&mut self, who: &str, id: i64) -> Result<bool, StoreError>;

    /// Queues a proposal; returns its number.
    fn propose(&mut self, p: &NewProposal) -> Result<i64, StoreError>;

    /// Proposals, newest first, filtered by state and proposer: at most `limit` of them, after
    /// the first `offset` (a page of the list [`count_proposals`](Self::count_proposals) counts).
    fn proposals(
        &mut self,
        state: Option<ProposalState>,
        proposer: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<Proposal>, StoreError>;

    /// How many proposals the same filter as [`proposals`](Self::proposals) finds.
    fn count_proposals(&mut self, state: Option<ProposalState>, proposer: Option<&str>) -> Result<u64, StoreError>;

    /// One proposal.
    fn proposal(&mut self, id: i64) -> Result<Option<Proposal>, StoreError>;

    /// The account-event log, newest last.
    fn account_events(&mut self, limit: u64) -> Result<Vec<AccountEvent>, StoreError>;
}

/// A proposal's row values: (state, action) parsed back, with corruption reported.
pub(crate) fn parse_proposal_enums(
    id: i64,
    record_type: &str,
    action: &str,
    state: &str,
) -> Result<(RecordType, ProposalAction, ProposalState), StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt {
        record_type: RecordType::Actor,
        key: format!("proposal {id}"),
        problems: what.to_string(),
    };
    let t = RecordType::parse(record_type).map_err(|e| corrupt(&e))?;
    let a = match action {
        "upsert" => ProposalAction::Upsert,
        "delete" => ProposalAction::Delete,
        _ => return Err(corrupt("unknown action")),
    };
    let s = ProposalState::parse(state).map_err(|e| corrupt(&e.to_string()))?;
    Ok((t, a, s))
}

/// A role read back from the database (the schema's CHECK keeps it valid).
pub(crate) fn parse_role(name: &str, role: &str) -> Result<Role, StoreError> {
    Role::parse(role).map_err(|e| StoreError::Corrupt {
        record_type: RecordType::Actor,
        key: format!("user {name}"),
        problems: e.to_string(),
    })
}
