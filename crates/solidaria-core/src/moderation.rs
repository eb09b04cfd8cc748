//! Accounts, roles and the moderation of proposed changes: who may do what, how a proposal moves
//! between states, and what a proposal changes (a field-by-field diff). Pure rules; the store
//! keeps users, sessions and proposals, the web app enforces these rules on every write.

use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// What an account may do. Anonymous visitors have no role and only read public data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Proposes additions and edits, which wait for a moderator.
    Contributor,
    /// Decides on proposals and writes directly (imports included).
    Moderator,
    /// Everything a moderator does, plus managing users and API tokens.
    Admin,
}

impl Role {
    /// Every role, least powerful first.
    pub const ALL: [Role; 3] = [Role::Contributor, Role::Moderator, Role::Admin];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Contributor => "contributor",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Result<Role, ModerationError> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| ModerationError::UnknownRole(s.to_string()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Something a request wants to do that needs a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Propose an addition, edit or deletion for moderation.
    Propose,
    /// Write a record without moderation (API writes by moderators, imports).
    WriteDirectly,
    /// See the moderation queue and decide on proposals.
    Moderate,
    /// Add users, change roles, issue and revoke API tokens of others.
    ManageUsers,
}

/// The least role that may do `action` (roles are ordered: each may do what those below may).
pub fn least_role(action: Action) -> Role {
    match action {
        Action::Propose => Role::Contributor,
        Action::WriteDirectly | Action::Moderate => Role::Moderator,
        Action::ManageUsers => Role::Admin,
    }
}

/// Whether `role` (none for an anonymous visitor) may do `action`. Deny by default: an anonymous
/// visitor may do nothing, an account what its role reaches.
pub fn allows(role: Option<Role>, action: Action) -> bool {
    role.is_some_and(|r| r >= least_role(action))
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    /// Waiting for a moderator.
    Pending,
    /// Accepted and applied to the registry.
    Validated,
    /// Refused, with a message to the contributor.
    Rejected,
    /// Refused because the same thing is already in the registry or in another proposal.
    Duplicate,
}

impl ProposalState {
    /// Every state.
    pub const ALL: [ProposalState; 4] =
        [ProposalState::Pending, ProposalState::Validated, ProposalState::Rejected, ProposalState::Duplicate];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Pending => "pending",
            ProposalState::Validated => "validated",
            ProposalState::Rejected => "rejected",
            ProposalState::Duplicate => "duplicate",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Result<ProposalState, ModerationError> {
        ProposalState::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| ModerationError::UnknownState(s.to_string()))
    }
}

impl fmt::Display for ProposalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A moderator's decision on a pending proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Apply the proposed change.
    Validate,
    /// Refuse, telling the contributor why.
    Reject {
        /// The message to the contributor (required).
        message: String,
    },
    /// Refuse as a duplicate of a record or of another proposal.
    Duplicate {
        /// What it duplicates (a record id or `proposal:N`).
        of: String,
    },
}

impl Decision {
    /// Builds a decision from the form or API fields, checking that each carries what it needs.
    pub fn from_fields(
        state: &str,
        message: Option<&str>,
        duplicate_of: Option<&str>,
    ) -> Result<Self, ModerationError> {
        let non_empty = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        for text in [message, duplicate_of].into_iter().flatten() {
            if text.len() > crate::text::MESSAGE_MAX_LEN {
                return Err(ModerationError::MessageTooLong(crate::text::MESSAGE_MAX_LEN));
            }
            if let Some(expected) = crate::text::input_text_problem(text, false) {
                return Err(ModerationError::MessageText(expected));
            }
        }
        match ProposalState::parse(state)? {
            ProposalState::Pending => Err(ModerationError::NotADecision),
            ProposalState::Validated => Ok(Decision::Validate),
            ProposalState::Rejected => {
                Ok(Decision::Reject { message: non_empty(message).ok_or(ModerationError::MessageRequired)? })
            }
            ProposalState::Duplicate => {
                Ok(Decision::Duplicate { of: non_empty(duplicate_of).ok_or(ModerationError::DuplicateOfRequired)? })
            }
        }
    }

    /// The state the proposal moves to.
    pub fn state(&self) -> ProposalState {
        match self {
            Decision::Validate => ProposalState::Validated,
            Decision::Reject { .. } => ProposalState::Rejected,
            Decision::Duplicate { .. } => ProposalState::Duplicate,
        }
    }

    /// The message kept with the decision (the rejection message, or what it duplicates).
    pub fn message(&self) -> Option<String> {
        match self {
            Decision::Validate => None,
            Decision::Reject { message } => Some(message.clone()),
            Decision::Duplicate { of } => Some(format!("duplicate of {of}")),
        }
    }
}

/// Checks that a proposal in state `current` may be decided: only pending proposals are, once.
pub fn check_decidable(current: ProposalState) -> Result<(), ModerationError> {
    if current == ProposalState::Pending { Ok(()) } else { Err(ModerationError::AlreadyDecided(current)) }
}

/// A broken moderation or account rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModerationError {
    /// Not one of contributor, moderator, admin.
    #[error("unknown role {0:?}: expected contributor, moderator or admin")]
    UnknownRole(String),
    /// Not one of the proposal states.
    #[error("unknown state {0:?}: expected pending, validated, rejected or duplicate")]
    UnknownState(String),
    /// `pending` is where proposals start, not a decision.
    #[error("a decision is validated, rejected or duplicate, not pending")]
    NotADecision,
    /// Rejections carry a message.
    #[error("a rejection needs a message to the contributor")]
    MessageRequired,
    /// Duplicates name what they duplicate.
    #[error("a duplicate needs the id of what it duplicates")]
    DuplicateOfRequired,
    /// A decision's message is longer than the limit.
    #[error("a decision's message is at most {0} bytes")]
    MessageTooLong(usize),
    /// A decision's message holds control characters or direction overrides.
    #[error("a decision's message must be {0}")]
    MessageText(&'static str),
    /// Decisions are final.
    #[error("this proposal was already decided ({0})")]
    AlreadyDecided(ProposalState),
    /// A user name outside the allowed shape.
    #[error("user name: expected 3 to 40 characters among a-z, 0-9, '.', '_' and '-', found {0:?}")]
    UserName(String),
    /// A password too short or too long.
    #[error("password: expected {min} to {max} characters, found {found}")]
    Password {
        /// Fewest characters accepted.
        min: usize,
        /// Most characters accepted.
        max: usize,
        /// Characters given.
        found: usize,
    },
}

/// Fewest characters of a password (NIST SP 800-63B asks for at least 8; we ask more of accounts
/// that can change public records).
pub const PASSWORD_MIN: usize = 12;
/// Most characters of a password (bounds the work of hashing hostile input).
pub const PASSWORD_MAX: usize = 256;

/// Checks a user name: 3 to 40 of `a-z 0-9 . _ -`, so it is safe in logs, URLs and audit rows.
pub fn check_user_name(name: &str) -> Result<(), ModerationError> {
    let ok = (3..=40).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if ok { Ok(()) } else { Err(ModerationError::UserName(name.chars().take(60).collect())) }
}

/// Checks a password's length (in characters).
pub fn check_password(password: &str) -> Result<(), ModerationError> {
    let found = password.chars().count();
    if (PASSWORD_MIN..=PASSWORD_MAX).contains(&found) {
        Ok(())
    } else {
        Err(ModerationError::Password { min: PASSWORD_MIN, max: PASSWORD_MAX, found })
    }
}

/// One field a proposal changes: its dotted path in the record's JSON and the values before and
/// after (none when the field is added or removed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Dotted path, e.g. `name` or `facts.governance.one_member_one_vote.value`.
    pub path: String,
    /// The value before (none when added).
    pub before: Option<Value>,
    /// The value after (none when removed).
    pub after: Option<Value>,
}

/// The changes from `before` to `after` (either may be absent: a creation or a deletion), field by
/// field, descending into objects; arrays and scalars are compared whole. Sorted by path.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk("", before, after, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn walk(path: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<FieldChange>) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            for (k, bv) in b {
                walk(&join(k), Some(bv), a.get(k), out);
            }
            for (k, av) in a.iter().filter(|(k, _)| !b.contains_key(*k)) {
                walk(&join(k), None, Some(av), out);
            }
        }
        (None, Some(Value::Object(a))) if !a.is_empty() => {
            for (k, av) in a {
                walk(&join(k), None, Some(av), out);
            }
        }
        (Some(Value::Object(b)), None) if !b.is_empty() => {
            for (k, bv) in b {
                walk(&join(k), Some(bv), None, out);
            }
        }
        (b, a) if b != a => out.push(FieldChange { path: path.to_string(), before: b.cloned(), after: a.cloned() }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn anonymous_may_do_nothing_and_only_admins_manage_users() {
        for a in [Action::Propose, Action::WriteDirectly, Action::Moderate, Action::ManageUsers] {
            assert!(!allows(None, a), "{a:?}");
        }
        assert!(allows(Some(Role::Contributor), Action::Propose));
        assert!(!allows(Some(Role::Contributor), Action::WriteDirectly));
        assert!(!allows(Some(Role::Contributor), Action::Moderate));
        assert!(allows(Some(Role::Moderator), Action::Moderate));
        assert!(!allows(Some(Role::Moderator), Action::ManageUsers));
        assert!(allows(Some(Role::Admin), Action::ManageUsers));
        assert!(allows(Some(Role::Admin), Action::WriteDirectly));
    }

    #[test]
    fn decisions_carry_what_they_need_and_are_final() {
        assert_eq!(Decision::from_fields("validated", None, None), Ok(Decision::Validate));
        assert_eq!(Decision::from_fields("rejected", Some("  "), None), Err(ModerationError::MessageRequired));
        assert_eq!(
            Decision::from_fields("rejected", Some("no source"), None).map(|d| d.state()),
            Ok(ProposalState::Rejected)
        );
        assert_eq!(Decision::from_fields("duplicate", None, None), Err(ModerationError::DuplicateOfRequired));
        assert_eq!(Decision::from_fields("pending", None, None), Err(ModerationError::NotADecision));
        assert!(matches!(Decision::from_fields("approved", None, None), Err(ModerationError::UnknownState(_))));
        assert_eq!(check_decidable(ProposalState::Pending), Ok(()));
        assert_eq!(
            check_decidable(ProposalState::Rejected),
            Err(ModerationError::AlreadyDecided(ProposalState::Rejected))
        );
    }

    #[test]
    fn user_names_and_passwords_are_bounded() {
        assert!(check_user_name("ana.moderator").is_ok());
        for bad in ["ab", "Ana", "a b", "<script>", "ana;drop", &"x".repeat(41)] {
            assert!(check_user_name(bad).is_err(), "{bad}");
        }
        assert!(check_password("short").is_err());
        assert!(check_password("correct horse battery").is_ok());
        assert!(check_password(&"é".repeat(257)).is_err());
        assert_eq!(Role::parse("admin"), Ok(Role::Admin));
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn diff_descends_into_objects_and_reports_additions_and_removals() {
        let before = json!({"id": "a", "name": "Old", "facts": {"k": {"value": 1, "source": "s"}}, "claims": ["x"]});
        let after = json!({"id": "a", "name": "New", "facts": {"k": {"value": 2, "source": "s"}, "n": {"value": true}}, "claims": ["x", "y"]});
        let d = diff(Some(&before), Some(&after));
        let paths: Vec<&str> = d.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["claims", "facts.k.value", "facts.n.value", "name"]);
        assert_eq!(d[3].before, Some(json!("Old")));
        assert_eq!(d[3].after, Some(json!("New")));
        assert_eq!(d[2].before, None);
        let created = diff(None, Some(&json!({"id": "b", "name": "B"})));
        assert_eq!(created.len(), 2);
        assert!(created.iter().all(|c| c.before.is_none()));
        let deleted = diff(Some(&before), None);
        assert!(deleted.iter().all(|c| c.after.is_none()));
        assert!(diff(Some(&before), Some(&before)).is_empty());
    }
}
