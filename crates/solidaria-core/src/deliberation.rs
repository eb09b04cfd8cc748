//! Deciding a strategy together: decision rules kept as data, colleges of stakeholders, the
//! append-only log of a deliberation and the tally that explains its outcome.
//!
//! **Colleges.** The actors of a territory vote in colleges (SSE organizations, support networks,
//! public authorities, knowledge institutions, finance providers), one vote per actor within its
//! college, as members of a multi-stakeholder co-operative vote in categories. A rule maps actor
//! categories to colleges; an actor whose category has no college does not vote. An actor votes
//! through an account linked to it; the actors with a linked account are the college's
//! *registered* voters.
//!
//! **The log.** A deliberation is a sequence of events, never edited: `open` (a round begins on
//! the text of the strategy as it is then, kept in the event), `vote` (an actor's choice: for,
//! against, abstain or object, an objection with its reason; a later vote of the same actor in the
//! same round replaces the earlier one in the count, and both stay in the log), `amendment` (a
//! proposed change, in words, with who proposed it), `external` (results reported from a tool the
//! territory deliberates in, such as a Decidim proposal's state and supports; not votes) and
//! `close` (the outcome, kept in the event).
//! [`stage`] reads where a strategy stands from its log; [`check`] says whether an event may be
//! appended; [`tally`] counts the current round under a rule and explains it, college by college.
//!
//! **Rules** (`decision_rules/*.toml`, compiled in): a college *consents* when its votes for are
//! more than `majority` of its votes for, against and objecting (abstentions are not counted);
//! it *objects* when its objections reach `objection_share` of the votes it cast; it *has quorum*
//! when it cast at least `quorum_min` votes and at least `quorum_share` of its registered voters
//! voted. A strategy is adopted when every college that has registered voters has quorum,
//! consents and does not object (a college without registered voters is set aside, or blocks,
//! as the rule's `empty_college` says), and at least one college took part. A rule with
//! `by_college = false` counts every actor in one pool.

use crate::actor::Category;
use crate::closed_list;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The built-in decision rules: (file stem, TOML text), in file-name order.
pub const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/decision_rules.rs"));

/// A college's name in the three languages of the interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// English.
    pub en: String,
    /// French.
    pub fr: String,
    /// Spanish.
    pub es: String,
}

impl Names {
    /// The name in `lang` (`en`, `fr` or `es`; English otherwise).
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "fr" => &self.fr,
            "es" => &self.es,
            _ => &self.en,
        }
    }
}

/// A college of stakeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct College {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Names,
    /// The actor categories that vote in it (wire names).
    pub categories: Vec<String>,
}

/// What becomes of a college that has no registered voter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmptyCollege {
    /// It is set aside (the explanation says so).
    Ignored,
    /// Nothing can be adopted until it has voters.
    Blocks,
}

/// A decision rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionRule {
    /// Its id (the file's stem).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The rule in one sentence.
    pub summary: String,
    /// What it is modelled on, with citations.
    pub basis: String,
    /// Whether votes are counted college by college (`false`: one pool).
    pub by_college: bool,
    /// The share of votes for (among for, against and objecting) that a college must exceed.
    pub majority: f64,
    /// The share of a college's votes cast that, objecting, makes it object (above zero).
    pub objection_share: f64,
    /// Fewest votes a college must cast to count.
    pub quorum_min: u32,
    /// Smallest share of a college's registered voters who must vote.
    pub quorum_share: f64,
    /// What becomes of a college without registered voters.
    pub empty_college: EmptyCollege,
    /// The colleges.
    pub colleges: Vec<College>,
}

impl DecisionRule {
    /// The college an actor of `category` votes in, if any.
    pub fn college_of(&self, category: Option<Category>) -> Option<&College> {
        let c = category?;
        self.colleges.iter().find(|col| col.categories.iter().any(|x| x == c.as_str()))
    }

    /// A college by id.
    pub fn college(&self, id: &str) -> Option<&College> {
        self.colleges.iter().find(|c| c.id == id)
    }
}

/// Why a built-in rule file is invalid (a test checks that none is).
fn parse_rule(stem: &str, text: &str) -> Result<DecisionRule, String> {
    let rule: DecisionRule = toml::from_str(text).map_err(|e| format!("decision_rules/{stem}.toml: {e}"))?;
    let bad = |what: String| Err(format!("decision_rules/{stem}.toml: {what}"));
    if rule.id != stem {
        return bad(format!("id {:?} differs from the file name", rule.id));
    }
    if !(0.0..1.0).contains(&rule.majority) {
        return bad("majority must be at least 0 and below 1".into());
    }
    if !(rule.objection_share > 0.0 && rule.objection_share <= 1.0) {
        return bad("objection_share must be above 0 and at most 1".into());
    }
    if !(0.0..=1.0).contains(&rule.quorum_share) {
        return bad("quorum_share must be between 0 and 1".into());
    }
    if rule.colleges.is_empty() {
        return bad("at least one college".into());
    }
    let mut seen = BTreeMap::new();
    for c in &rule.colleges {
        for cat in &c.categories {
            if Category::parse(cat).is_err() {
                return bad(format!("college {}: unknown category {cat:?}", c.id));
            }
            if let Some(other) = seen.insert(cat.clone(), c.id.clone()) {
                return bad(format!("category {cat} is in colleges {other} and {}", c.id));
            }
        }
    }
    Ok(rule)
}

/// Every built-in decision rule, parsed once.
pub fn rules() -> &'static [DecisionRule] {
    static RULES: OnceLock<Vec<DecisionRule>> = OnceLock::new();
    RULES.get_or_init(|| FILES.iter().filter_map(|(stem, text)| parse_rule(stem, text).ok()).collect())
}

/// A built-in rule by id.
pub fn find_rule(id: &str) -> Option<&'static DecisionRule> {
    rules().iter().find(|r| r.id == id)
}

/// The ids of the built-in rules.
pub fn rule_ids() -> Vec<&'static str> {
    rules().iter().map(|r| r.id.as_str()).collect()
}

closed_list! {
    /// What an event of a deliberation is.
    EventKind {
        /// A round of deliberation opens on the strategy's current text.
        Open = "open",
        /// An actor votes.
        Vote = "vote",
        /// An amendment is proposed, in words.
        Amendment = "amendment",
        /// Results of a deliberation held in another tool (a Decidim proposal's state and
        /// supports), kept as reported; they do not count as votes.
        External = "external",
        /// The round closes with its outcome.
        Close = "close",
    }
}

closed_list! {
    /// An actor's choice in a vote.
    Choice {
        /// Consents.
        For = "for",
        /// Is against.
        Against = "against",
        /// Abstains (not counted in the majority, counted in the quorum).
        Abstain = "abstain",
        /// Objects, with a reason: enough objections make the college object.
        Object = "object",
    }
}

/// One event of a deliberation, as kept in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Its position in the log (all strategies share one sequence).
    pub seq: i64,
    /// The strategy.
    pub strategy: String,
    /// When, UTC ISO 8601.
    pub at: String,
    /// The account that did it.
    pub who: String,
    /// What it is.
    pub kind: EventKind,
    /// The actor voting or proposing (through its linked account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The actor's college when it voted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub college: Option<String>,
    /// The choice of a vote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<Choice>,
    /// A reason, an amendment's words, a note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// For `open`, the strategy's text put to the vote; for `close`, the outcome (JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// An event to append (its position and time are given by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// The account doing it.
    pub who: String,
    /// What it is.
    pub kind: EventKind,
    /// The actor voting or proposing.
    pub actor: Option<String>,
    /// The actor's college.
    pub college: Option<String>,
    /// The choice of a vote.
    pub choice: Option<Choice>,
    /// A reason or an amendment's words.
    pub text: Option<String>,
    /// The strategy's text (`open`) or the outcome (`close`).
    pub doc: Option<String>,
}

/// Where a strategy stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// Not yet opened for deliberation (or never since it was written).
    Draft,
    /// A round is open.
    Open {
        /// The round's number, from 1.
        round: u32,
        /// When it opened.
        since: String,
    },
    /// Adopted at the close of a round.
    Adopted {
        /// The round that adopted it.
        round: u32,
        /// When.
        at: String,
    },
    /// The last round closed without adopting it; it may be amended and opened again.
    NotAdopted {
        /// The round.
        round: u32,
        /// When it closed.
        at: String,
    },
}

impl Stage {
    /// The stage's wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Open { .. } => "open",
            Stage::Adopted { .. } => "adopted",
            Stage::NotAdopted { .. } => "not_adopted",
        }
    }
}

/// Where a strategy stands after its log.
pub fn stage(events: &[Event]) -> Stage {
    let mut stage = Stage::Draft;
    let mut round = 0;
    for e in events {
        match e.kind {
            EventKind::Open => {
                round += 1;
                stage = Stage::Open { round, since: e.at.clone() };
            }
            EventKind::Close => {
                let adopted = e.doc.as_deref().and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok());
                let adopted = adopted.and_then(|v| v.get("adopted").and_then(serde_json::Value::as_bool));
                stage = if adopted == Some(true) {
                    Stage::Adopted { round, at: e.at.clone() }
                } else {
                    Stage::NotAdopted { round, at: e.at.clone() }
                };
            }
            EventKind::Vote | EventKind::Amendment | EventKind::External => {}
        }
    }
    stage
}

/// The events of the current (or last) round: those after the last `open`.
pub fn current_round(events: &[Event]) -> &[Event] {
    let start = events.iter().rposition(|e| e.kind == EventKind::Open).map_or(events.len(), |i| i + 1);
    &events[start..]
}

/// The text put to the vote in the current (or last) round.
pub fn opened_text(events: &[Event]) -> Option<&str> {
    events.iter().rev().find(|e| e.kind == EventKind::Open).and_then(|e| e.doc.as_deref())
}

/// Whether `new` may be appended to a strategy's log `events`; the refusal in words.
pub fn check(events: &[Event], new: &NewEvent) -> Result<(), String> {
    let st = stage(events);
    match (new.kind, &st) {
        (EventKind::Open, Stage::Draft | Stage::NotAdopted { .. }) => {
            if new.doc.is_none() {
                Err("a round opens on the strategy's text".into())
            } else {
                Ok(())
            }
        }
        (EventKind::Open, Stage::Open { round, .. }) => Err(format!("round {round} is already open")),
        (EventKind::Open, Stage::Adopted { .. }) => {
            Err("the strategy is adopted; an adopted text is not reopened: write its revision as a new strategy".into())
        }
        (EventKind::Vote, Stage::Open { .. }) => {
            if new.actor.is_none() || new.college.is_none() {
                return Err("a vote is cast for an actor of a college".into());
            }
            match new.choice {
                None => Err("a vote needs a choice: for, against, abstain or object".into()),
                Some(Choice::Object) if new.text.as_deref().is_none_or(|t| t.trim().is_empty()) => {
                    Err("an objection needs its reason".into())
                }
                Some(_) => Ok(()),
            }
        }
        (EventKind::Amendment, Stage::Draft | Stage::Open { .. } | Stage::NotAdopted { .. }) => {
            if new.text.as_deref().is_none_or(|t| t.trim().is_empty()) {
                Err("an amendment needs its words".into())
            } else {
                Ok(())
            }
        }
        (EventKind::Close, Stage::Open { .. }) => {
            if new.doc.is_none() {
                Err("a round closes with its outcome".into())
            } else {
                Ok(())
            }
        }
        (EventKind::Vote | EventKind::Close, _) => {
            Err(format!("no round is open (the strategy is {}): votes and closing need an open round", st.as_str()))
        }
        (EventKind::Amendment, Stage::Adopted { .. }) => {
            Err("the strategy is adopted: propose changes to a new strategy".into())
        }
        (EventKind::External, _) => {
            if new.text.as_deref().is_none_or(|t| t.trim().is_empty()) || new.doc.is_none() {
                Err("reported results need their summary and the data they come from".into())
            } else {
                Ok(())
            }
        }
    }
}

/// An actor who may vote: it has a linked account and its category has a college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Voter {
    /// The actor.
    pub actor: String,
    /// Its name.
    pub name: String,
    /// Its college.
    pub college: String,
}

/// One college's count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollegeTally {
    /// The college's id (`all` when votes are pooled).
    pub college: String,
    /// Registered voters (actors with a linked account, plus any that voted).
    pub registered: usize,
    /// Votes cast (the last vote of each actor).
    pub cast: usize,
    /// For.
    pub for_votes: usize,
    /// Against.
    pub against: usize,
    /// Abstentions.
    pub abstain: usize,
    /// Objections.
    pub object: usize,
    /// Votes needed for quorum.
    pub quorum: usize,
    /// Whether it has quorum.
    pub has_quorum: bool,
    /// Whether its majority consents.
    pub consents: bool,
    /// Whether it objects.
    pub objects: bool,
    /// Whether it was counted (a college without registered voters may be set aside).
    pub counted: bool,
    /// The count in words.
    pub explanation: String,
}

/// The outcome of a round under a rule (kept as JSON in the closing event, and read back).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The rule.
    pub rule: String,
    /// Whether the strategy is adopted (if the round closed now).
    pub adopted: bool,
    /// Each college's count.
    pub colleges: Vec<CollegeTally>,
    /// The outcome in one sentence, then why.
    pub explanation: Vec<String>,
}

/// A college's English name as it reads mid-sentence: "finance providers", but "SSE
/// organizations" (an acronym keeps its capitals).
fn college_words(rule: &DecisionRule, id: &str) -> String {
    let Some(c) = rule.college(id) else { return id.replace('_', " ") };
    let name = &c.name.en;
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(name.chars().skip(1)).collect()
        }
        _ => name.clone(),
    }
}

/// Counts the current round of `events` under `rule`, with the registered voters of the
/// territory. Only the last vote of each actor counts.
pub fn tally(rule: &DecisionRule, registered: &[Voter], events: &[Event]) -> Outcome {
    let round = current_round(events);
    let mut last: BTreeMap<&str, (&str, Choice)> = BTreeMap::new();
    for e in round.iter().filter(|e| e.kind == EventKind::Vote) {
        if let (Some(a), Some(c), Some(ch)) = (&e.actor, &e.college, e.choice) {
            last.insert(a.as_str(), (c.as_str(), ch));
        }
    }
    let pool = |college: &str| if rule.by_college { college.to_string() } else { "all".to_string() };
    let mut groups: BTreeMap<String, (std::collections::BTreeSet<&str>, Vec<Choice>)> = BTreeMap::new();
    if rule.by_college {
        for c in &rule.colleges {
            groups.entry(c.id.clone()).or_default();
        }
    } else {
        groups.entry("all".into()).or_default();
    }
    for v in registered {
        groups.entry(pool(&v.college)).or_default().0.insert(v.actor.as_str());
    }
    for (actor, (college, choice)) in &last {
        let g = groups.entry(pool(college)).or_default();
        g.0.insert(actor);
        g.1.push(*choice);
    }
    let order: Vec<String> =
        if rule.by_college { rule.colleges.iter().map(|c| c.id.clone()).collect() } else { vec!["all".into()] };
    let mut colleges = Vec::new();
    for id in order {
        let (members, votes) = groups.remove(&id).unwrap_or_default();
        let count = |c: Choice| votes.iter().filter(|&&v| v == c).count();
        let (f, a, ab, o) = (count(Choice::For), count(Choice::Against), count(Choice::Abstain), count(Choice::Object));
        let registered = members.len();
        let cast = votes.len();
        let quorum = (rule.quorum_min as usize).max((rule.quorum_share * registered as f64).ceil() as usize);
        let has_quorum = registered > 0 && cast >= quorum;
        let decisive = f + a + o;
        let consents = decisive > 0 && f as f64 > rule.majority * decisive as f64;
        let objects = o > 0 && o as f64 >= rule.objection_share * cast as f64;
        let counted = registered > 0 || rule.empty_college == EmptyCollege::Blocks;
        let name = if rule.by_college { college_words(rule, &id) } else { "all actors".to_string() };
        let explanation = if registered == 0 {
            match rule.empty_college {
                EmptyCollege::Ignored => format!("{name}: no registered voter, set aside"),
                EmptyCollege::Blocks => format!("{name}: no registered voter, and the rule needs every college"),
            }
        } else if !has_quorum {
            format!("{name}: no quorum ({cast} of {registered} registered voted; {quorum} needed)")
        } else {
            let mut s = format!("{name}: {f} of {cast} for");
            if a > 0 {
                s.push_str(&format!(", {a} against"));
            }
            if ab > 0 {
                s.push_str(&format!(", {ab} abstaining"));
            }
            if o > 0 {
                s.push_str(&format!(", {o} objecting"));
            }
            s.push_str(match (consents, objects) {
                (_, true) => " — objects",
                (true, false) => " — consents",
                (false, false) => " — no majority",
            });
            s
        };
        colleges.push(CollegeTally {
            college: id,
            registered,
            cast,
            for_votes: f,
            against: a,
            abstain: ab,
            object: o,
            quorum,
            has_quorum,
            consents,
            objects,
            counted,
            explanation,
        });
    }
    let counted: Vec<&CollegeTally> = colleges.iter().filter(|c| c.counted).collect();
    let adopted = !counted.is_empty() && counted.iter().all(|c| c.has_quorum && c.consents && !c.objects);
    let mut explanation = Vec::new();
    explanation.push(if adopted {
        format!("adopted under the rule \"{}\"", rule.title)
    } else {
        let blocking: Vec<String> = counted
            .iter()
            .filter(|c| !(c.has_quorum && c.consents && !c.objects))
            .map(|c| if rule.by_college { college_words(rule, &c.college) } else { "all actors".into() })
            .collect();
        if counted.is_empty() {
            format!("not adopted under the rule \"{}\": no college has a registered voter", rule.title)
        } else {
            format!("not adopted under the rule \"{}\": {} not in favour", rule.title, blocking.join(", "))
        }
    });
    explanation.extend(colleges.iter().map(|c| c.explanation.clone()));
    Outcome { rule: rule.id.clone(), adopted, colleges, explanation }
}

#[cfg(test)]
mod tests;
