//! Decidim, the participatory platform many territories deliberate in: a strategy's actions out
//! as proposals that Decidim's admin imports, and the proposals' results back from Decidim's
//! proposals export.
//!
//! **Out** (`proposals`): a JSON array, one object per action, with the keys Decidim's proposals
//! importer reads (`decidim-proposals`, `Import::ProposalCreator` and `ProposalsVerifier`): a
//! `title/LOCALE` and a `body/LOCALE` for each locale of the organization (both required), and
//! nothing else it would refuse. Solidaria writes the action's text in each locale given (it keeps
//! one language) and ends each body with a marker line, `Solidaria: STRATEGY#ACTION`, by which the
//! results are matched back.
//!
//! **Back** (`results`): Decidim's proposals export as JSON (`ProposalSerializer`): an array of
//! objects with `id`, `title` and `body` (objects by locale), `state` (`accepted`, `rejected`,
//! `evaluating`, `withdrawn`, or empty when not answered), `supports`, `endorsements.total_count`,
//! `comments`, `url`, `answer` (by locale). Proposals are matched to actions by the marker in
//! their body, else by a title equal to the action's.

use crate::FormatError;
use serde_json::{Map, Value, json};
use solidaria_core::strategy::Strategy;

/// The marker that ends each exported proposal's body.
pub fn marker(strategy: &str, action: &str) -> String {
    format!("Solidaria: {strategy}#{action}")
}

/// A strategy's actions as proposals for Decidim's admin import, in `locales` (at least one).
pub fn proposals(s: &Strategy, locales: &[&str], name_of: &dyn Fn(&str) -> String) -> Value {
    let items: Vec<Value> = s
        .actions
        .iter()
        .map(|a| {
            let mut body = Vec::new();
            body.push(format!("Building block: {}.", solidaria_core::ecosystem::block_words(a.block)));
            if let Some(l) = &a.lead {
                body.push(format!("Lead: {}.", name_of(l.as_str())));
            }
            if !a.partners.is_empty() {
                let names: Vec<String> = a.partners.iter().map(|p| name_of(p.as_str())).collect();
                body.push(format!("Partners: {}.", names.join(", ")));
            }
            for c in &a.commitments {
                body.push(format!("Commitment of {}: {}.", name_of(c.actor.as_str()), c.what));
            }
            for m in &a.milestones {
                body.push(format!("Milestone: {} (due {}).", m.title, m.due));
            }
            if let Some(n) = &a.note {
                body.push(n.clone());
            }
            body.push(marker(s.id.as_str(), a.id.as_str()));
            let body = body.join("\n");
            let mut o = Map::new();
            for l in locales {
                o.insert(format!("title/{l}"), json!(a.title));
                o.insert(format!("body/{l}"), json!(body));
            }
            Value::Object(o)
        })
        .collect();
    Value::Array(items)
}

/// One proposal's result, as Decidim exported it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProposalResult {
    /// The action it was matched to.
    pub action: String,
    /// Decidim's id of the proposal.
    pub id: Option<i64>,
    /// Its title (the first locale found).
    pub title: String,
    /// `accepted`, `rejected`, `evaluating`, `withdrawn` or `not_answered`.
    pub state: String,
    /// Supports (votes) it received.
    pub supports: i64,
    /// Endorsements.
    pub endorsements: i64,
    /// Comments.
    pub comments: i64,
    /// Its address on the Decidim site.
    pub url: Option<String>,
    /// The official answer, if any (the first locale found).
    pub answer: Option<String>,
}

impl ProposalResult {
    /// The result in one sentence.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "Decidim proposal \"{}\": {}, {} support(s), {} endorsement(s), {} comment(s)",
            self.title,
            self.state.replace('_', " "),
            self.supports,
            self.endorsements,
            self.comments
        );
        if let Some(a) = &self.answer {
            s.push_str(&format!("; answer: {a}"));
        }
        if let Some(u) = &self.url {
            s.push_str(&format!(" ({u})"));
        }
        s
    }
}

/// What reading an export found: the results matched to actions, and the proposals that match
/// none (their titles).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// Matched results, in the export's order.
    pub matched: Vec<ProposalResult>,
    /// Titles of proposals matching no action.
    pub unmatched: Vec<String>,
}

fn first_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(o) => o.values().find_map(|x| x.as_str().filter(|s| !s.is_empty()).map(String::from)),
        _ => None,
    }
}

fn texts(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Object(o)) => o.values().filter_map(|x| x.as_str().map(String::from)).collect(),
        _ => Vec::new(),
    }
}

fn count(v: Option<&Value>) -> i64 {
    v.and_then(Value::as_i64).unwrap_or(0)
}

/// Reads Decidim's proposals export (JSON) and matches each proposal to an action of `s`. A file
/// that is not a JSON array of objects is a located error; a proposal without a title is one too.
pub fn results(s: &Strategy, text: &str) -> Result<Results, FormatError> {
    let v: Value = serde_json::from_str(text).map_err(|e| FormatError::Structure {
        line: e.line() as u64,
        message: format!("expected Decidim's proposals export (a JSON array), found invalid JSON: {e}"),
    })?;
    let Value::Array(items) = v else {
        return Err(FormatError::Structure {
            line: 1,
            message: "expected Decidim's proposals export: a JSON array of proposals".into(),
        });
    };
    let mut out = Results::default();
    for (i, p) in items.iter().enumerate() {
        let Some(o) = p.as_object() else {
            return Err(FormatError::Structure { line: 1, message: format!("proposal {}: expected an object", i + 1) });
        };
        let Some(title) = first_text(o.get("title")) else {
            return Err(FormatError::Structure { line: 1, message: format!("proposal {}: expected a title", i + 1) });
        };
        let bodies = texts(o.get("body"));
        let titles = texts(o.get("title"));
        let by_marker = s.actions.iter().find(|a| {
            let m = marker(s.id.as_str(), a.id.as_str());
            bodies.iter().any(|b| b.contains(&m))
        });
        let action = by_marker.or_else(|| s.actions.iter().find(|a| titles.iter().any(|t| t.trim() == a.title.trim())));
        let Some(action) = action else {
            out.unmatched.push(title);
            continue;
        };
        let state = o.get("state").and_then(Value::as_str).filter(|x| !x.is_empty()).unwrap_or("not_answered");
        out.matched.push(ProposalResult {
            action: action.id.to_string(),
            id: o.get("id").and_then(Value::as_i64),
            title,
            state: state.to_string(),
            supports: count(o.get("supports").or_else(|| o.get("votes"))),
            endorsements: count(o.get("endorsements").and_then(|e| e.get("total_count"))),
            comments: count(o.get("comments")),
            url: o.get("url").and_then(Value::as_str).map(String::from),
            answer: first_text(o.get("answer")),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
