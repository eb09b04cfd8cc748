//! Co-construction use cases: a territory's strategies, their deliberation college by college,
//! and their follow-up.
//!
//! Who may do what (deny by default): contributors propose strategies and moderators write them
//! (through [`crate::write::apply`], like every record); moderators open and close rounds; an
//! account votes or proposes amendments only for the actor it is linked to, when that actor is in
//! the strategy's territory and its category has a college under the strategy's decision rule;
//! admins link accounts to actors. Every step is appended to the strategy's deliberation log with
//! who and when, inside the transaction that checked it (`solidaria_store::deliberation`).

use crate::error::{AppError, AppResult, Code};
use serde::Serialize;
use solidaria_core::Record;
use solidaria_core::deliberation::{
    self, Choice, DecisionRule, Event, EventKind, NewEvent, Outcome, Stage, Voter, check, current_round, tally,
};
use solidaria_core::moderation::{self, Action};
use solidaria_core::record::RecordType;
use solidaria_core::strategy::Strategy;
use solidaria_store::accounts::User;
use solidaria_store::{Store, Transaction};
use std::collections::BTreeMap;

/// Longest reason or amendment, in bytes.
pub const TEXT_MAX: usize = 4000;

/// A strategy in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its territory.
    pub territory: String,
    /// Its period's start.
    pub from: String,
    /// Its period's end.
    pub until: Option<String>,
    /// `draft`, `open`, `adopted` or `not_adopted`.
    pub stage: &'static str,
    /// How many actions.
    pub actions: usize,
}

/// A strategy by id, or `record_not_found`.
pub fn strategy(store: &mut dyn Store, id: &str) -> AppResult<Strategy> {
    match store.get(RecordType::Strategy, id)? {
        Some(Record::Strategy(s)) => Ok(s),
        _ => Err(AppError::no_record(RecordType::Strategy, id)),
    }
}

/// Every strategy, of one territory (nested ones included) or of all, by territory then id.
pub fn list(store: &mut dyn Store, territory: Option<&str>) -> AppResult<Vec<Summary>> {
    let within = territory.map(|t| crate::directory::territories_within(store, t)).transpose()?;
    let mut all = Vec::new();
    store.for_each(RecordType::Strategy, &mut |r| {
        if let Record::Strategy(s) = r
            && within.as_ref().is_none_or(|w| w.contains(s.territory.as_str()))
        {
            all.push(s);
        }
        Ok(())
    })?;
    let mut out = Vec::new();
    for s in all {
        let events = store.deliberation(s.id.as_str())?;
        out.push(Summary {
            id: s.id.to_string(),
            title: s.title.clone(),
            territory: s.territory.to_string(),
            from: s.from.to_string(),
            until: s.until.as_ref().map(|u| u.to_string()),
            stage: deliberation::stage(&events).as_str(),
            actions: s.actions.len(),
        });
    }
    out.sort_by(|a, b| a.territory.cmp(&b.territory).then(a.id.cmp(&b.id)));
    Ok(out)
}

fn rule_of(s: &Strategy) -> AppResult<&'static DecisionRule> {
    deliberation::find_rule(&s.rule)
        .ok_or_else(|| AppError::new(Code::Database, format!("strategy {} names an unknown rule {:?}", s.id, s.rule)))
}

/// The registered voters of a strategy: actors of its territory with a linked account, whose
/// category has a college under its rule (one per actor, however many accounts speak for it).
pub fn voters(store: &mut dyn Store, s: &Strategy) -> AppResult<Vec<Voter>> {
    let rule = rule_of(s)?;
    let actors = crate::directory::actors(store, Some(s.territory.as_str()), None, None)?;
    let linked: std::collections::BTreeSet<String> = store.account_actors()?.into_iter().map(|(_, a)| a).collect();
    Ok(actors
        .iter()
        .filter(|a| linked.contains(a.id.as_str()))
        .filter_map(|a| {
            rule.college_of(a.category).map(|c| Voter {
                actor: a.id.to_string(),
                name: a.name.clone(),
                college: c.id.clone(),
            })
        })
        .collect())
}

fn require(user: &User, action: Action, what: &str) -> AppResult<()> {
    if moderation::allows(Some(user.role), action) {
        Ok(())
    } else {
        Err(AppError::new(Code::RoleInsufficient, format!("{what} needs the {} role", moderation::least_role(action))))
    }
}

fn append(
    store: &mut dyn Store,
    id: &str,
    build: &mut dyn FnMut(&[Event]) -> Result<NewEvent, String>,
) -> AppResult<Event> {
    append_all(store, id, &mut |log| build(log).map(|e| vec![e]))?
        .pop()
        .ok_or_else(|| AppError::new(Code::Database, "the event was not written"))
}

/// Appends the events `build` makes from the log, all or none.
fn append_all(
    store: &mut dyn Store,
    id: &str,
    build: &mut solidaria_store::deliberation::Build<'_>,
) -> AppResult<Vec<Event>> {
    strategy(store, id)?;
    store.deliberate(id, build)?.map_err(|why| AppError::new(Code::DeliberationRefused, why))
}

/// Opens a round of deliberation on the strategy's current text (moderators).
pub fn open(store: &mut dyn Store, user: &User, id: &str) -> AppResult<Event> {
    require(user, Action::Moderate, "opening a deliberation")?;
    let text = Record::Strategy(strategy(store, id)?).to_json_string();
    let new = NewEvent {
        who: user.name.clone(),
        kind: EventKind::Open,
        actor: None,
        college: None,
        choice: None,
        text: None,
        doc: Some(text),
    };
    append(store, id, &mut |log| check(log, &new).map(|()| new.clone()))
}

/// Closes the open round with its outcome, counted inside the closing transaction (moderators).
pub fn close(store: &mut dyn Store, user: &User, id: &str) -> AppResult<(Event, Outcome)> {
    require(user, Action::Moderate, "closing a deliberation")?;
    let s = strategy(store, id)?;
    let rule = rule_of(&s)?;
    let registered = voters(store, &s)?;
    let mut outcome = None;
    let event = append(store, id, &mut |log| {
        let o = tally(rule, &registered, log);
        let new = NewEvent {
            who: user.name.clone(),
            kind: EventKind::Close,
            actor: None,
            college: None,
            choice: None,
            text: o.explanation.first().cloned(),
            doc: Some(serde_json::to_string(&o).map_err(|e| e.to_string())?),
        };
        check(log, &new)?;
        outcome = Some(o);
        Ok(new)
    })?;
    let outcome = outcome.ok_or_else(|| AppError::new(Code::Database, "the closing outcome was not counted"))?;
    Ok((event, outcome))
}

/// The voter an account speaks for in a strategy, or `not_a_voter`.
fn voter_of(store: &mut dyn Store, user: &User, s: &Strategy) -> AppResult<Voter> {
    let actor = crate::accounts::linked_actor(store, &user.name)?;
    let Some(actor) = actor else {
        return Err(AppError::new(
            Code::NotAVoter,
            format!("account {} speaks for no actor: an admin links it to one (solidaria user link)", user.name),
        ));
    };
    voters(store, s)?.into_iter().find(|v| v.actor == actor).ok_or_else(|| {
        AppError::new(
            Code::NotAVoter,
            format!(
                "{actor}, the actor account {} speaks for, is not in {} or has no college under the rule {}",
                user.name, s.territory, s.rule
            ),
        )
    })
}

/// The name of the registered voter the account `user` speaks for in a strategy's view, if any
/// (the page offers it the vote and amendment forms).
pub fn speaks_for(store: &mut dyn Store, user: &str, v: &View) -> AppResult<Option<String>> {
    let linked = crate::accounts::linked_actor(store, user)?;
    Ok(linked.and_then(|a| v.voters.iter().find(|x| x.actor == a).map(|x| x.name.clone())))
}

fn bounded(text: Option<String>, field: &str) -> AppResult<Option<String>> {
    let text = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if let Some(t) = &text {
        if t.len() > TEXT_MAX {
            return Err(AppError::new(Code::QueryInvalid, format!("{field}: at most {TEXT_MAX} bytes")).at(field));
        }
        if let Some(expected) = solidaria_core::text::input_text_problem(t, false) {
            return Err(AppError::new(Code::QueryInvalid, format!("{field}: expected {expected}")).at(field));
        }
    }
    Ok(text)
}

/// Casts (or changes) the vote of the actor the account speaks for.
pub fn vote(store: &mut dyn Store, user: &User, id: &str, choice: Choice, reason: Option<String>) -> AppResult<Event> {
    let s = strategy(store, id)?;
    let v = voter_of(store, user, &s)?;
    let new = NewEvent {
        who: user.name.clone(),
        kind: EventKind::Vote,
        actor: Some(v.actor),
        college: Some(v.college),
        choice: Some(choice),
        text: bounded(reason, "reason")?,
        doc: None,
    };
    append(store, id, &mut |log| check(log, &new).map(|()| new.clone()))
}

/// Records an amendment proposed, in words, by the actor the account speaks for.
pub fn amend(store: &mut dyn Store, user: &User, id: &str, text: String) -> AppResult<Event> {
    let s = strategy(store, id)?;
    let v = voter_of(store, user, &s)?;
    let new = NewEvent {
        who: user.name.clone(),
        kind: EventKind::Amendment,
        actor: Some(v.actor),
        college: Some(v.college),
        choice: None,
        text: bounded(Some(text), "text")?,
        doc: None,
    };
    append(store, id, &mut |log| check(log, &new).map(|()| new.clone()))
}

/// Links an account to the actor it speaks for, or unlinks it (admins).
pub fn link(store: &mut dyn Store, admin: &User, user: &str, actor: Option<&str>) -> AppResult<()> {
    require(admin, Action::ManageUsers, "linking accounts to actors")?;
    if let Some(a) = actor {
        crate::directory::actor_record(store, a)?;
    }
    if store.set_account_actor(&admin.name, user, actor)? {
        Ok(())
    } else {
        Err(AppError::new(Code::UserNotFound, format!("no account named {user:?}")))
    }
}

/// Refuses to change a strategy's text while a round is open on it, inside a write transaction
/// after the write (which holds the strategy's row, so that a round cannot open between the
/// check and the commit): every path that changes or deletes a strategy (the API and forms, a
/// moderator's validation, an import) asks here.
pub(crate) fn ensure_editable_in(tx: &mut dyn Transaction, id: &str) -> AppResult<()> {
    let events = tx.deliberation(id)?;
    editable(id, &events).map_err(|why| AppError::new(Code::StrategyInDeliberation, why))
}

/// Why the strategy `id` with this deliberation log may not change now, if a round is open.
pub(crate) fn editable(id: &str, events: &[Event]) -> Result<(), String> {
    match deliberation::stage(events) {
        Stage::Open { round, .. } => Err(format!(
            "round {round} of the deliberation on {id} is open: the text under vote does not change until it closes"
        )),
        _ => Ok(()),
    }
}

/// The votes of the current round, the last of each actor, by college then actor.
pub fn ballots(events: &[Event]) -> Vec<&Event> {
    let mut last: BTreeMap<(&str, &str), &Event> = BTreeMap::new();
    for e in current_round(events).iter().filter(|e| e.kind == EventKind::Vote) {
        if let (Some(c), Some(a)) = (&e.college, &e.actor) {
            last.insert((c.as_str(), a.as_str()), e);
        }
    }
    last.into_values().collect()
}

mod bridges;
mod follow_up;

pub use bridges::{Imported, export_decidim, export_loomio, import_decidim, import_loomio};
pub use follow_up::{ActionView, IndicatorView, MilestoneView, View, view};

#[cfg(test)]
mod tests;
