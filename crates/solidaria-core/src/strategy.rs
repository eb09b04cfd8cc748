//! Strategies: what a territory's actors agree to do about the gaps of their ecosystem.
//!
//! A strategy (`"type": "strategy"`) belongs to a territory and a period. Each of its actions
//! answers a gap of the diagnostic (a building block) or one of its suggested partnerships, names
//! a lead actor and partners, the resources it relies on (a fund of the ledger or a financial
//! mechanism, or none yet), milestones, the commitments of actors and the indicator it should move
//! (a building block's score, the number of SSE organizations linked to the block, or the share of
//! the territory's SSE organizations that qualify under a screening profile). Innovation cases
//! that fit the territory can be attached as models.
//!
//! Whether a strategy is a draft, open for deliberation, adopted or not adopted is not written in
//! the record: it follows from the deliberation log (`crate::deliberation`), which nobody edits.

use crate::actor::BuildingBlock;
use crate::case::list;
use crate::closed_list;
use crate::error::{FieldError, one_of};
use crate::reader::Reader;
use crate::territory::{TERRITORY_EXPECTED, TerritoryId};
use crate::text::{DATE_EXPECTED, ID_EXPECTED, Id, PartialDate};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// The fields of a strategy record.
pub const STRATEGY_FIELDS: &[&str] =
    &["type", "id", "territory", "title", "from", "until", "rule", "description", "actions", "source", "note"];

/// The decision rule a strategy is decided under when its record names none.
pub const DEFAULT_RULE: &str = "consent-by-college";

/// Most actions in one strategy.
pub const MAX_ACTIONS: usize = 200;

closed_list! {
    /// What an action answers in the diagnostic.
    Answers {
        /// A gap: its building block scores weak or has no server.
        Gap = "gap",
        /// A suggested partnership (its pair of actors is given in `suggestion`).
        Suggestion = "suggestion",
    }
}

closed_list! {
    /// What an indicator measures, read from the territory's diagnostic or screenings.
    Measure {
        /// A building block's score (0–100).
        BlockScore = "block_score",
        /// How many of the territory's SSE organizations are linked to an actor serving the block.
        LinkedOrganizations = "linked_organizations",
        /// The share (0–1) of the territory's SSE organizations that qualify under a profile.
        VerdictShare = "verdict_share",
    }
}

/// The indicator an action should move, with the value it aims at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// What is measured.
    pub measure: Measure,
    /// The block, for `block_score` and `linked_organizations`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<BuildingBlock>,
    /// The screening profile, for `verdict_share`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The value aimed at by the end of the period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
}

/// A dated step of an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    /// What is to be done.
    pub title: String,
    /// When it is due.
    pub due: PartialDate,
    /// When it was done, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<PartialDate>,
}

/// Where a milestone stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneState {
    /// Done (on or before its due date, or late).
    Done,
    /// Past its due date and not done.
    Late,
    /// Not yet due.
    Upcoming,
}

impl Milestone {
    /// Where the milestone stands on `today` (`YYYY-MM-DD`): a due date written as a year or a
    /// month is due at the end of that year or month.
    pub fn state(&self, today: &str) -> MilestoneState {
        if self.done.is_some() {
            MilestoneState::Done
        } else if last_day(&self.due).as_str() < today {
            MilestoneState::Late
        } else {
            MilestoneState::Upcoming
        }
    }
}

/// What an actor commits to do for an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commitment {
    /// The actor committing.
    pub actor: Id,
    /// What it commits to, in its words.
    pub what: String,
}

/// A suggested partnership an action takes up: the SSE organization and the actor serving the
/// weak block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// The SSE organization.
    pub from: Id,
    /// The actor serving the block.
    pub to: Id,
}

/// One action of a strategy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyAction {
    /// Its id, unique within the strategy.
    pub id: Id,
    /// What will be done.
    pub title: String,
    /// The building block it strengthens.
    pub block: BuildingBlock,
    /// Whether it answers a gap or a suggested partnership.
    pub answers: Answers,
    /// The partnership it takes up, when it answers a suggestion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Pair>,
    /// The actor leading it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead: Option<Id>,
    /// Its partners.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Id>,
    /// Funds of the ledger it draws on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub funds: Vec<Id>,
    /// Financial mechanisms it relies on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mechanisms: Vec<Id>,
    /// The indicator it should move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<Indicator>,
    /// Its dated steps.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// What actors committed to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<Commitment>,
    /// Innovation cases taken as models.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<Id>,
    /// A note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl StrategyAction {
    /// Every actor the action names (lead, partners, the suggestion's pair, committed actors),
    /// with the field that names it.
    pub fn actors(&self) -> Vec<(String, &Id)> {
        let mut out = Vec::new();
        if let Some(l) = &self.lead {
            out.push(("lead".to_string(), l));
        }
        out.extend(self.partners.iter().enumerate().map(|(i, p)| (format!("partners[{i}]"), p)));
        if let Some(p) = &self.suggestion {
            out.push(("suggestion.from".to_string(), &p.from));
            out.push(("suggestion.to".to_string(), &p.to));
        }
        out.extend(self.commitments.iter().enumerate().map(|(i, c)| (format!("commitments[{i}].actor"), &c.actor)));
        out
    }
}

/// A territory's strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    /// Its id.
    pub id: Id,
    /// The territory it is for.
    pub territory: TerritoryId,
    /// Its title.
    pub title: String,
    /// When its period begins.
    pub from: PartialDate,
    /// When its period ends.
    pub until: Option<PartialDate>,
    /// The decision rule it is decided under (an id of `crate::deliberation`'s rules).
    pub rule: String,
    /// What it is about.
    pub description: Option<String>,
    /// Its actions.
    pub actions: Vec<StrategyAction>,
    /// Where it comes from (a meeting, a document).
    pub source: Option<String>,
    /// A note.
    pub note: Option<String>,
}

impl Strategy {
    /// Parses a strategy record, collecting every problem.
    pub(crate) fn parse(r: &mut Reader<'_>) -> Option<Self> {
        r.deny_unknown(STRATEGY_FIELDS);
        let id = r.req_parse("id", ID_EXPECTED, Id::parse);
        let territory = r.req_parse("territory", TERRITORY_EXPECTED, |s| {
            TerritoryId::parse(s).map_err(|_| TERRITORY_EXPECTED.to_string())
        });
        let title = r.req_text("title");
        let from = r.req_parse("from", DATE_EXPECTED, PartialDate::parse);
        let until = r.opt_parse("until", PartialDate::parse);
        if let (Some(f), Some(u)) = (&from, &until)
            && last_day(u) < first_day(f)
        {
            r.errors.push(FieldError::text("until", format!("a date not before from ({f})"), format!("\"{u}\"")));
        }
        let rule = r
            .opt_parse("rule", |s| {
                if crate::deliberation::find_rule(s).is_some() {
                    Ok(s.to_string())
                } else {
                    Err(format!("one of the decision rules {}", crate::deliberation::rule_ids().join(", ")))
                }
            })
            .unwrap_or_else(|| DEFAULT_RULE.to_string());
        let description = r.opt_text("description");
        let actions = list(r, "actions", parse_action);
        if actions.len() > MAX_ACTIONS {
            r.errors.push(FieldError::text(
                "actions",
                format!("at most {MAX_ACTIONS} actions"),
                format!("{}", actions.len()),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, a) in actions.iter().enumerate() {
            if !seen.insert(a.id.as_str()) {
                r.errors.push(FieldError::text(
                    format!("actions[{i}].id"),
                    "an id not used by another action of this strategy",
                    format!("\"{}\", used before", a.id),
                ));
            }
        }
        let source = r.opt_text("source");
        let note = r.opt_text("note");
        Some(Strategy {
            id: id?,
            territory: territory?,
            title: title?,
            from: from?,
            until,
            rule,
            description,
            actions,
            source,
            note,
        })
    }

    /// One action by id.
    pub fn action(&self, id: &str) -> Option<&StrategyAction> {
        self.actions.iter().find(|a| a.id.as_str() == id)
    }
}

fn ids(r: &mut Reader<'_>, key: &str) -> Vec<Id> {
    let Some(value) = r.get(key) else { return Vec::new() };
    let Some(items) = value.as_array() else {
        r.error(key, "a list of ids", value);
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_str().map(Id::parse) {
            Some(Ok(id)) => out.push(id),
            _ => r.error(&format!("{key}[{i}]"), ID_EXPECTED, item),
        }
    }
    out
}

fn parse_action(v: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<StrategyAction> {
    let mut r = Reader::object(v, path, errors)?;
    r.deny_unknown(&[
        "id",
        "title",
        "block",
        "answers",
        "suggestion",
        "lead",
        "partners",
        "funds",
        "mechanisms",
        "indicator",
        "milestones",
        "commitments",
        "models",
        "note",
    ]);
    let id = r.req_parse("id", ID_EXPECTED, Id::parse);
    let title = r.req_text("title");
    let block = r.req_parse("block", &one_of(BuildingBlock::NAMES), BuildingBlock::parse);
    let answers = r.opt_parse("answers", Answers::parse).unwrap_or(Answers::Gap);
    let suggestion = match r.get("suggestion") {
        None => None,
        Some(s) => {
            let p = r.path("suggestion");
            let mut q = Reader::object(s, &p, r.errors)?;
            q.deny_unknown(&["from", "to"]);
            let from = q.req_parse("from", ID_EXPECTED, Id::parse);
            let to = q.req_parse("to", ID_EXPECTED, Id::parse);
            Some(Pair { from: from?, to: to? })
        }
    };
    match (answers, &suggestion) {
        (Answers::Suggestion, None) => {
            let field = r.path("suggestion");
            r.errors
                .push(FieldError::missing(field, "the suggested pair {\"from\": …, \"to\": …} this action takes up"));
        }
        (Answers::Gap, Some(_)) => {
            let field = r.path("answers");
            r.errors.push(FieldError::text(field, "\"suggestion\" when a suggested pair is given", "\"gap\""));
        }
        _ => {}
    }
    let lead = r.opt_parse("lead", Id::parse);
    let partners = ids(&mut r, "partners");
    let funds = ids(&mut r, "funds");
    let mechanisms = ids(&mut r, "mechanisms");
    let indicator = match r.get("indicator") {
        None => None,
        Some(v) => {
            let p = r.path("indicator");
            parse_indicator(v, &p, r.errors)
        }
    };
    let milestones = list(&mut r, "milestones", |item, path, errors| {
        let mut m = Reader::object(item, path, errors)?;
        m.deny_unknown(&["title", "due", "done"]);
        let title = m.req_text("title");
        let due = m.req_parse("due", DATE_EXPECTED, PartialDate::parse);
        let done = m.opt_parse("done", PartialDate::parse);
        Some(Milestone { title: title?, due: due?, done })
    });
    let commitments = list(&mut r, "commitments", |item, path, errors| {
        let mut c = Reader::object(item, path, errors)?;
        c.deny_unknown(&["actor", "what"]);
        let actor = c.req_parse("actor", ID_EXPECTED, Id::parse);
        let what = c.req_text("what");
        Some(Commitment { actor: actor?, what: what? })
    });
    let models = ids(&mut r, "models");
    let note = r.opt_text("note");
    Some(StrategyAction {
        id: id?,
        title: title?,
        block: block?,
        answers,
        suggestion,
        lead,
        partners,
        funds,
        mechanisms,
        indicator,
        milestones,
        commitments,
        models,
        note,
    })
}

fn parse_indicator(v: &Value, path: &str, errors: &mut Vec<FieldError>) -> Option<Indicator> {
    let mut r = Reader::object(v, path, errors)?;
    r.deny_unknown(&["measure", "block", "profile", "target"]);
    let measure = r.req_parse("measure", &one_of(Measure::NAMES), Measure::parse)?;
    let block = r.opt_parse("block", BuildingBlock::parse);
    let profile = r.opt_parse("profile", |s: &str| {
        if crate::screening::builtin::find(s).is_some() {
            Ok(s.to_string())
        } else {
            Err("the id of a built-in screening profile (solidaria profiles)".to_string())
        }
    });
    let target = match measure {
        Measure::BlockScore => r.opt_number("target", 0.0, 100.0),
        Measure::LinkedOrganizations => r.opt_number("target", 0.0, 1e9),
        Measure::VerdictShare => r.opt_number("target", 0.0, 1.0),
    };
    match measure {
        Measure::BlockScore | Measure::LinkedOrganizations if block.is_none() => {
            if r.get("block").is_none() {
                let field = r.path("block");
                r.errors.push(FieldError::missing(field, format!("the building block whose {measure} is measured")));
            }
            None
        }
        Measure::VerdictShare if profile.is_none() => {
            if r.get("profile").is_none() {
                let field = r.path("profile");
                r.errors.push(FieldError::missing(
                    field,
                    "the screening profile whose share of qualifying organizations is measured",
                ));
            }
            None
        }
        _ => Some(Indicator { measure, block, profile, target }),
    }
}

/// The first day of a partial date, `YYYY-MM-DD` (a year begins on 1 January, a month on its 1st).
pub fn first_day(d: &PartialDate) -> String {
    let s = d.as_str();
    match s.len() {
        4 => format!("{s}-01-01"),
        7 => format!("{s}-01"),
        _ => s.to_string(),
    }
}

/// The last day of a partial date, `YYYY-MM-DD` (a year ends on 31 December, a month on its last
/// day).
pub fn last_day(d: &PartialDate) -> String {
    let s = d.as_str();
    match s.len() {
        4 => format!("{s}-12-31"),
        7 => {
            let (y, m) = (s[..4].parse::<u32>().unwrap_or(0), s[5..7].parse::<u32>().unwrap_or(1));
            let days = match m {
                4 | 6 | 9 | 11 => 30,
                2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
                2 => 28,
                _ => 31,
            };
            format!("{s}-{days:02}")
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests;
