//! `solidaria user …`: accounts, roles, passwords and API tokens, from the command line (the way
//! the first admin is made).

use crate::cli::{UserAddArgs, UserCommand};
use crate::{create_store, open_store, term, who};
use anyhow::{Context, Result, bail};
use solidaria_app::accounts;
use solidaria_app::{AppError, Code};
use solidaria_core::moderation::{Role, check_user_name};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// Reads a password: the first line of standard input (a prompt is shown on a terminal).
fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (at least 12 characters; it will be echoed, pipe it in to avoid that): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).context("reading the password from standard input")?;
    // The rules are checked by the use case (solidaria_app::accounts).
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Runs one `user` subcommand.
pub fn run(db: &str, command: &UserCommand) -> Result<ExitCode> {
    // Adding the first user may create the database; the other subcommands need one.
    let mut store = match command {
        UserCommand::Add(_) => create_store(db)?,
        _ => open_store(db)?,
    };
    let who = who();
    let mut out = std::io::stdout().lock();
    match command {
        UserCommand::Add(UserAddArgs { name, role }) => {
            // Checked before the password is asked for, so a typo is not found after typing it.
            check_user_name(name)?;
            let role = Role::parse(role)?;
            accounts::add_user(store.as_mut(), &who, name, role, &read_password()?)?;
            writeln!(out, "added {name} ({role})")?;
        }
        UserCommand::List => {
            for u in store.users()? {
                let state = u.disabled_at.map(|at| format!("\tdisabled {at}")).unwrap_or_default();
                writeln!(out, "{}\t{}\t{}{state}", u.name, u.role, u.created_at)?;
            }
        }
        UserCommand::Role { name, role } => {
            let role = Role::parse(role)?;
            if !store.set_role(&who, name, role)? {
                bail!("no user {name:?} (see `solidaria user list`)");
            }
            writeln!(out, "{name} is now {role}")?;
        }
        UserCommand::Password { name } => {
            if !accounts::set_password(store.as_mut(), &who, name, &read_password()?)? {
                bail!("no user {name:?} (see `solidaria user list`)");
            }
            writeln!(out, "password of {name} changed; its sessions are ended")?;
        }
        UserCommand::Disable { name } | UserCommand::Enable { name } => {
            let disable = matches!(command, UserCommand::Disable { .. });
            accounts::set_disabled(store.as_mut(), &who, name, disable).map_err(|e| match e.code {
                Code::UserNotFound => {
                    AppError { message: format!("no user {name:?} (see `solidaria user list`)"), ..e }
                }
                _ => e,
            })?;
            if disable {
                writeln!(out, "{name} is disabled; its sessions are ended and its API tokens refused")?;
            } else {
                writeln!(out, "{name} is enabled")?;
            }
        }
        UserCommand::Token { name, label, read_only } => {
            let issued = accounts::issue_token(store.as_mut(), &who, name, label, *read_only);
            let (id, token) = issued.map_err(|e| match e.code {
                Code::UserNotFound => {
                    AppError { message: format!("no user {name:?} (see `solidaria user list`)"), ..e }
                }
                _ => e,
            })?;
            let kind = if *read_only { "read-only token" } else { "token" };
            eprintln!("{kind} {id} for {name}; copy it now, it is not kept and will not be shown again:");
            writeln!(out, "{token}")?;
        }
        UserCommand::Tokens { name } => {
            for t in accounts::tokens(store.as_mut(), name.as_deref())? {
                let mut state = t.revoked_at.map_or("active".to_string(), |r| format!("revoked {r}"));
                if t.read_only {
                    state.push_str(", read-only");
                }
                writeln!(out, "{}\t{}\t{}\t{}\t{state}", t.id, t.user, term::safe(&t.label), t.created_at)?;
            }
        }
        UserCommand::Revoke { id } => {
            accounts::revoke_token(store.as_mut(), &who, *id, None)
                .map_err(|e| AppError { message: format!("{} (see `solidaria user tokens`)", e.message), ..e })?;
            writeln!(out, "token {id} revoked")?;
        }
        UserCommand::Link { name, actor, none: _ } => {
            let admin = solidaria_store::accounts::User {
                name: who.clone(),
                role: Role::Admin,
                password_hash: String::new(),
                created_at: String::new(),
                disabled_at: None,
            };
            solidaria_app::strategy::link(store.as_mut(), &admin, name, actor.as_deref())?;
            match actor {
                Some(a) => writeln!(out, "{name} now speaks for {a}")?,
                None => writeln!(out, "{name} speaks for no actor")?,
            }
        }
        UserCommand::Events { limit } => {
            for e in store.account_events(*limit)? {
                let detail = e.detail.map(|d| term::safe(&d)).unwrap_or_default();
                writeln!(out, "{}\t{}\t{}\t{}\t{}\t{detail}", e.seq, e.at, e.who, e.action, e.subject)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
