//! A strategy out to the tools territories deliberate in (Decidim proposals, a Loomio poll) and
//! their results back into the deliberation log (formats in `solidaria_formats::{decidim,
//! loomio}`).

use super::follow_up::names_of;
use super::{append_all, bounded, require, strategy, voters};
use crate::error::{AppError, AppResult, Code};
use serde::Serialize;
use solidaria_core::deliberation::{Choice, EventKind, NewEvent, check};
use solidaria_core::moderation::Action;
use solidaria_store::Store;
use solidaria_store::accounts::User;
use std::collections::BTreeMap;

/// What importing another tool's results did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Imported {
    /// Events appended to the log.
    pub appended: usize,
    /// What was read but not kept, each with why (a voter matching no registered actor, a
    /// proposal matching no action).
    pub left: Vec<String>,
}

/// A strategy's actions as proposals for Decidim's admin import, in the organization's
/// `locales` (see `solidaria_formats::decidim`).
pub fn export_decidim(store: &mut dyn Store, id: &str, locales: &[&str]) -> AppResult<serde_json::Value> {
    if locales.is_empty()
        || locales.iter().any(|l| {
            l.is_empty() || l.len() > 10 || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
    {
        return Err(AppError::new(Code::QueryInvalid, "locales: expected codes such as en,fr,es").at("locales"));
    }
    let s = strategy(store, id)?;
    let names = names_of(store, &s)?;
    Ok(solidaria_formats::decidim::proposals(&s, locales, &|x| names.get(x).cloned().unwrap_or_else(|| x.to_string())))
}

/// A strategy as the body of Loomio's create-poll call (see `solidaria_formats::loomio`).
pub fn export_loomio(store: &mut dyn Store, id: &str, closing_at: Option<&str>) -> AppResult<serde_json::Value> {
    if let Some(c) = closing_at.filter(|c| !solidaria_core::text::is_date_time(c)) {
        let expected = solidaria_core::text::DATE_TIME_EXPECTED;
        return Err(
            AppError::new(Code::QueryInvalid, format!("closing_at: expected {expected}, found {c:?}")).at("closing_at")
        );
    }
    let s = strategy(store, id)?;
    let names = names_of(store, &s)?;
    Ok(solidaria_formats::loomio::poll(&s, closing_at, &|x| names.get(x).cloned().unwrap_or_else(|| x.to_string())))
}

use crate::import::unreadable;

/// Appends `new` (each checked against the log), all or none; how many were appended.
fn append_checked(store: &mut dyn Store, id: &str, new: &[NewEvent]) -> AppResult<usize> {
    if new.is_empty() {
        return Ok(0);
    }
    let events = append_all(store, id, &mut |log| {
        new.iter().try_for_each(|n| check(log, n))?;
        Ok(new.to_vec())
    })?;
    Ok(events.len())
}

/// Records the results of Decidim's proposals export in the log (moderators): one `external`
/// event per proposal matched to an action, all in one transaction.
pub fn import_decidim(store: &mut dyn Store, user: &User, id: &str, file: &str, text: &str) -> AppResult<Imported> {
    require(user, Action::Moderate, "importing results")?;
    let s = strategy(store, id)?;
    let r = solidaria_formats::decidim::results(&s, text).map_err(|e| unreadable(file, e))?;
    let new: Vec<NewEvent> = r
        .matched
        .iter()
        .map(|p| NewEvent {
            who: user.name.clone(),
            kind: EventKind::External,
            actor: None,
            college: None,
            choice: None,
            text: Some(format!("action {}: {}", p.action, p.summary())),
            doc: serde_json::to_string(p).ok(),
        })
        .collect();
    let appended = append_checked(store, id, &new)?;
    let left = r.unmatched.into_iter().map(|t| format!("proposal \"{t}\" matches no action of {id}")).collect();
    Ok(Imported { appended, left })
}

/// Counts the votes of Loomio's poll export in the open round (moderators): each voter whose
/// Loomio name is the name of an account linked to a registered voter, or the name of a
/// registered actor (case and surrounding spaces ignored), votes for that actor; the others are
/// listed and not counted. All the votes are appended in one transaction, or none.
pub fn import_loomio(store: &mut dyn Store, user: &User, id: &str, file: &str, text: &str) -> AppResult<Imported> {
    require(user, Action::Moderate, "importing results")?;
    let s = strategy(store, id)?;
    let poll = solidaria_formats::loomio::votes(text).map_err(|e| unreadable(file, e))?;
    let registered = voters(store, &s)?;
    let accounts: BTreeMap<String, String> = store.account_actors()?.into_iter().collect();
    let norm = |x: &str| x.trim().to_lowercase();
    let mut new = Vec::new();
    let mut left = Vec::new();
    let tag = format!("Loomio poll {}", poll.id.as_deref().unwrap_or("?"));
    for v in &poll.votes {
        let by_account = accounts.get(v.voter_name.trim()).and_then(|a| registered.iter().find(|r| &r.actor == a));
        let voter = by_account.or_else(|| registered.iter().find(|r| norm(&r.name) == norm(&v.voter_name)));
        let Some(voter) = voter else {
            left.push(format!("{file}:{}: {:?} is no registered voter of {} (link an account of that name, or name the actor as in Solidaria)", v.line, v.voter_name, s.territory));
            continue;
        };
        let reason = match (&v.reason, v.choice) {
            (Some(r), _) => format!("[{tag}, {}] {r}", v.voter_name),
            (None, Choice::Object) => format!("[{tag}, {}] {} (no reason given in Loomio)", v.voter_name, v.option),
            (None, _) => format!("[{tag}, {}]", v.voter_name),
        };
        new.push(NewEvent {
            who: user.name.clone(),
            kind: EventKind::Vote,
            actor: Some(voter.actor.clone()),
            college: Some(voter.college.clone()),
            choice: Some(v.choice),
            text: Some(bounded(Some(reason), "reason")?.unwrap_or_default()),
            doc: None,
        });
    }
    let appended = append_checked(store, id, &new)?;
    Ok(Imported { appended, left })
}
