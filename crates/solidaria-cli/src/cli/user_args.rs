//! The arguments of `solidaria user`: accounts, roles, passwords, tokens and the actor an
//! account speaks for.

use clap::{Args, Subcommand};

/// Subcommands of `user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; its password (at least 12 characters) is read from standard input.
    Add(UserAddArgs),
    /// List accounts: name, role, when made, and "disabled" for a disabled one.
    List,
    /// Change an account's role.
    Role {
        /// User name.
        name: String,
        /// New role: contributor, moderator or admin.
        role: String,
    },
    /// Change an account's password (read from standard input) and end its sessions.
    Password {
        /// User name.
        name: String,
    },
    /// Disable an account: it can no longer log in, and its sessions and API tokens stop working
    /// at once (enable it again to bring its tokens back; revoke a token to end it for good).
    Disable {
        /// User name.
        name: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// User name.
        name: String,
    },
    /// Issue an API token to an account and print it (once: only its digest is kept).
    Token {
        /// User name.
        name: String,
        /// What the token is for.
        #[arg(long)]
        label: String,
        /// A token that only reads: every write made with it is refused (403, token_read_only).
        #[arg(long)]
        read_only: bool,
    },
    /// List API tokens (never their values).
    Tokens {
        /// Only this user's.
        name: Option<String>,
    },
    /// Revoke an API token by number.
    Revoke {
        /// Token number (see `user tokens`).
        id: i64,
    },
    /// Link an account to the actor it speaks for (it may then vote on its territory's
    /// strategies, in the actor's college), or unlink it with --none.
    Link {
        /// User name.
        name: String,
        /// The actor's id.
        #[arg(required_unless_present = "none")]
        actor: Option<String>,
        /// Unlink the account.
        #[arg(long, conflicts_with = "actor")]
        none: bool,
    },
    /// Show the account-event log: users added, roles changed, accounts disabled and enabled,
    /// tokens, proposals, logins.
    Events {
        /// Latest entries shown.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
}

/// Arguments of `user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// User name: 3 to 40 of a-z, 0-9, '.', '_', '-'.
    pub name: String,
    /// Role: contributor, moderator or admin.
    #[arg(long, default_value = "contributor")]
    pub role: String,
}
