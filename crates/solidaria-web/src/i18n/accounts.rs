//! The words of account controls: accounts disabled and enabled, read-only API tokens
//! (`[accounts]` in each language file).

use serde::Deserialize;

/// The words of account controls (`[accounts]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountNames {
    /// The login page's answer to the right password of a disabled account.
    pub login_disabled: String,
    /// A token that only reads (the account page's checkbox and token list).
    pub read_only: String,
    /// What a read-only token may do, beside the checkbox.
    pub read_only_help: String,
    /// A token in use.
    pub active: String,
    /// A revoked token.
    pub revoked: String,
    /// The state of an account (the users page's column).
    pub state: String,
    /// A disabled account.
    pub disabled: String,
    /// The button disabling an account.
    pub disable: String,
    /// The button enabling an account again.
    pub enable: String,
    /// What disabling does, above the users table.
    pub disable_help: String,
}
