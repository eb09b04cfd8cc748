//! Co-construction use cases: a territory's strategies, their deliberation college by college,
//! and their follow-up.
//!
//! Who may do what (deny by default): contributors propose strategies and moderators write them
//! (through [`crate::write::apply`], like every record); moderators open and close rounds; an
//! account votes or proposes amendments only for the actor it is linked to, when that actor is in
//! the strategy's territory and its category has a college under the strategy's decision rule;
//! admins link accounts to actors. Every step is appended to the strategy's deliberation log with
//! who and when, inside the transaction that checked it (`solidaria_store::deliberation`).

use crate::diagnose::{self, Loaded};
use crate::error::{AppError, AppResult, Code};
use serde::Serialize;
use solidaria_core::Record;
use solidaria_core::actor::BuildingBlock;
use solidaria_core::actor::Category;
use solidaria_core::deliberation::{
    self, Choice, DecisionRule, Event, EventKind, NewEvent, Outcome, Stage, Voter, check, current_round, tally,
};
use solidaria_core::moderation::{self, Action};
use solidaria_core::record::RecordType;
use solidaria_core::screening::{Verdict, builtin, screen};
use solidaria_core::strategy::{Indicator, Measure, Milestone, MilestoneState, Strategy, first_day};
use solidaria_store::Store;
use solidaria_store::accounts::User;
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
    let actor = store.account_actors()?.into_iter().find(|(u, _)| u == &user.name).map(|(_, a)| a);
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

fn bounded(text: Option<String>, field: &str) -> AppResult<Option<String>> {
    let text = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if let Some(t) = &text {
        if t.len() > TEXT_MAX {
            return Err(AppError::new(Code::QueryInvalid, format!("{field}: at most {TEXT_MAX} bytes")).at(field));
        }
        if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(
                AppError::new(Code::QueryInvalid, format!("{field}: control characters are not text")).at(field)
            );
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

/// Refuses to change a strategy's text while a round is open on it.
pub fn ensure_editable(store: &mut dyn Store, id: &str) -> AppResult<()> {
    let events = store.deliberation(id)?;
    match deliberation::stage(&events) {
        Stage::Open { round, .. } => Err(AppError::new(
            Code::StrategyInDeliberation,
            format!(
                "round {round} of the deliberation on {id} is open: the text under vote does not change until it closes"
            ),
        )),
        _ => Ok(()),
    }
}

/// A milestone with where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    /// The milestone.
    #[serde(flatten)]
    pub milestone: Milestone,
    /// Done, late or upcoming, today.
    pub state: MilestoneState,
}

/// Where an indicator stood and stands.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    /// The indicator.
    #[serde(flatten)]
    pub indicator: Indicator,
    /// Its value at the start of the strategy's period.
    pub at_start: f64,
    /// Its value on the day of adoption, if the strategy is adopted.
    pub at_adoption: Option<f64>,
    /// Its value now.
    pub now: f64,
    /// In words.
    pub summary: String,
}

/// One action's follow-up.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its block.
    pub block: BuildingBlock,
    /// Its milestones with their state.
    pub milestones: Vec<MilestoneView>,
    /// Its indicator, measured.
    pub indicator: Option<IndicatorView>,
}

/// Everything the strategy page and its API show.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// The strategy record.
    pub strategy: serde_json::Value,
    /// Where it stands.
    pub stage: Stage,
    /// Its decision rule.
    pub rule: &'static DecisionRule,
    /// Its log, oldest first.
    pub events: Vec<Event>,
    /// The count of the current round if one is open; else the outcome the last round closed
    /// with; none before any round.
    pub outcome: Option<Outcome>,
    /// The registered voters.
    pub voters: Vec<Voter>,
    /// Whether the record was changed after the text put to the last round.
    pub edited_since_opened: bool,
    /// The follow-up of each action.
    pub actions: Vec<ActionView>,
    /// Names of the actors, funds, mechanisms and cases it names, by id.
    pub names: BTreeMap<String, String>,
    /// Milestones done, late and upcoming, in all.
    pub milestones: BTreeMap<&'static str, usize>,
}

fn measure(loaded: &Loaded, ind: &Indicator) -> f64 {
    match ind.measure {
        Measure::BlockScore => ind
            .block
            .and_then(|b| loaded.diagnostic.building_blocks.iter().find(|x| x.id == b))
            .map_or(0.0, |b| f64::from(b.score)),
        Measure::LinkedOrganizations => ind.block.map_or(0.0, |b| loaded.linked_organizations(b) as f64),
        Measure::VerdictShare => {
            let Some(p) = ind.profile.as_deref().and_then(builtin::find) else { return 0.0 };
            let sse: Vec<_> = loaded.actors.iter().filter(|a| a.category == Some(Category::SseOrganization)).collect();
            if sse.is_empty() {
                return 0.0;
            }
            let q = sse.iter().filter(|a| screen(p, **a).verdict == Verdict::Qualifies).count();
            q as f64 / sse.len() as f64
        }
    }
}

fn indicator_words(ind: &Indicator) -> String {
    let block = ind.block.map(solidaria_core::ecosystem::block_words).unwrap_or_default();
    match ind.measure {
        Measure::BlockScore => format!("{block} score"),
        Measure::LinkedOrganizations => format!("SSE organizations linked to {block}"),
        Measure::VerdictShare => {
            format!("share of SSE organizations qualifying under {}", ind.profile.as_deref().unwrap_or("?"))
        }
    }
}

fn number(measure: Measure, x: f64) -> String {
    match measure {
        Measure::VerdictShare => format!("{:.0} %", x * 100.0),
        _ => format!("{x:.0}"),
    }
}

/// A strategy with its stage, log, count, voters and follow-up on `today` (`YYYY-MM-DD`).
pub fn view(store: &mut dyn Store, id: &str, today: &str) -> AppResult<View> {
    let s = strategy(store, id)?;
    let rule = rule_of(&s)?;
    let events = store.deliberation(id)?;
    let stage = deliberation::stage(&events);
    let registered = voters(store, &s)?;
    let outcome = match &stage {
        Stage::Draft => None,
        Stage::Open { .. } => Some(tally(rule, &registered, &events)),
        Stage::Adopted { .. } | Stage::NotAdopted { .. } => events
            .iter()
            .rev()
            .find(|e| e.kind == EventKind::Close)
            .and_then(|e| e.doc.as_deref())
            .and_then(|d| serde_json::from_str::<Outcome>(d).ok()),
    };
    let doc = Record::Strategy(s.clone()).to_json_string();
    let edited_since_opened = deliberation::opened_text(&events).is_some_and(|t| t != doc);
    let t = s.territory.to_string();
    let needs_measure = s.actions.iter().any(|a| a.indicator.is_some());
    let (start, adoption, now) = if needs_measure {
        let start = diagnose::load_as_of(store, &t, Some(&first_day(&s.from)))?;
        let adoption = match &stage {
            Stage::Adopted { at, .. } => Some(diagnose::load_as_of(store, &t, Some(&at[..10]))?),
            _ => None,
        };
        (Some(start), adoption, Some(diagnose::load_as_of(store, &t, Some(today))?))
    } else {
        (None, None, None)
    };
    let mut milestones: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut actions = Vec::new();
    for a in &s.actions {
        let ms: Vec<MilestoneView> = a
            .milestones
            .iter()
            .map(|m| {
                let state = m.state(today);
                *milestones
                    .entry(match state {
                        MilestoneState::Done => "done",
                        MilestoneState::Late => "late",
                        MilestoneState::Upcoming => "upcoming",
                    })
                    .or_default() += 1;
                MilestoneView { milestone: m.clone(), state }
            })
            .collect();
        let indicator = match (&a.indicator, &start, &now) {
            (Some(ind), Some(start), Some(now)) => {
                let (s0, n) = (measure(start, ind), measure(now, ind));
                let ad = adoption.as_ref().map(|l| measure(l, ind));
                let mut summary = format!(
                    "{}: {} at the start of the period ({}), {} now",
                    indicator_words(ind),
                    number(ind.measure, s0),
                    s.from,
                    number(ind.measure, n)
                );
                if let Some(x) = ad {
                    summary.push_str(&format!(" ({} at adoption)", number(ind.measure, x)));
                }
                if let Some(target) = ind.target {
                    summary.push_str(&format!(
                        "; target {}{}",
                        number(ind.measure, target),
                        if n >= target { ", reached" } else { "" }
                    ));
                }
                Some(IndicatorView { indicator: ind.clone(), at_start: s0, at_adoption: ad, now: n, summary })
            }
            _ => None,
        };
        actions.push(ActionView {
            id: a.id.to_string(),
            title: a.title.clone(),
            block: a.block,
            milestones: ms,
            indicator,
        });
    }
    let names = names_of(store, &s)?;
    Ok(View {
        strategy: Record::Strategy(s).to_json(),
        stage,
        rule,
        events,
        outcome,
        voters: registered,
        edited_since_opened,
        actions,
        names,
        milestones,
    })
}

fn names_of(store: &mut dyn Store, s: &Strategy) -> AppResult<BTreeMap<String, String>> {
    let mut names = BTreeMap::new();
    for a in &s.actions {
        for (_, id) in a.actors() {
            if let Some(Record::Actor(x)) = store.get(RecordType::Actor, id.as_str())? {
                names.insert(id.to_string(), x.name);
            }
        }
        for m in &a.mechanisms {
            if let Some(Record::Mechanism(x)) = store.get(RecordType::Mechanism, m.as_str())? {
                names.insert(m.to_string(), x.name);
            }
        }
        for c in &a.models {
            if let Some(Record::Case(x)) = store.get(RecordType::Case, c.as_str())? {
                names.insert(c.to_string(), x.name);
            }
        }
    }
    Ok(names)
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

#[cfg(test)]
mod tests;

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
    let s = strategy(store, id)?;
    let names = names_of(store, &s)?;
    Ok(solidaria_formats::loomio::poll(&s, closing_at, &|x| names.get(x).cloned().unwrap_or_else(|| x.to_string())))
}

fn unreadable(file: &str, e: solidaria_formats::FormatError) -> AppError {
    AppError::new(Code::InputUnreadable, format!("{file}: {e}")).at(file)
}

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
