//! A strategy's follow-up: its stage, the count of the open round (or the outcome of the last),
//! milestones with where they stand, and each indicator measured at the period's start, at
//! adoption and now.

use super::{rule_of, strategy, voters};
use crate::diagnose::{self, Loaded};
use crate::error::AppResult;
use serde::Serialize;
use solidaria_core::Record;
use solidaria_core::actor::{BuildingBlock, Category};
use solidaria_core::deliberation::{self, DecisionRule, Event, EventKind, Outcome, Stage, Voter, tally};
use solidaria_core::record::RecordType;
use solidaria_core::screening::{Verdict, builtin, screen};
use solidaria_core::strategy::{Indicator, Measure, Milestone, MilestoneState, Strategy, first_day};
use solidaria_store::Store;
use std::collections::BTreeMap;
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
        // One reading of the territory for the three days measured.
        let start_day = first_day(&s.from);
        let adopted = match &stage {
            Stage::Adopted { at, .. } => Some(at[..10].to_string()),
            _ => None,
        };
        let mut days = vec![start_day.as_str(), today];
        days.extend(adopted.as_deref());
        let mut loaded = diagnose::load_at_days(store, &t, &days)?.into_iter();
        let (start, now) = (loaded.next(), loaded.next());
        (start, loaded.next(), now)
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

pub(super) fn names_of(store: &mut dyn Store, s: &Strategy) -> AppResult<BTreeMap<String, String>> {
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
