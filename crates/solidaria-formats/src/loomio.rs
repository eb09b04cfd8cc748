//! Loomio, where many groups decide by proposal: a strategy put to a Loomio proposal poll, and the
//! votes read back from Loomio's poll export.
//!
//! **Out** (`poll`): the body of Loomio's API call that creates a poll (`POST /api/b1/polls`, see
//! <https://www.loomio.com/help/api2>): `title`, `details` (Markdown, `details_format: "md"`),
//! `poll_type: "proposal"` and the proposal options Loomio defines for it (`config/poll_types.yml`):
//! `agree`, `abstain`, `disagree` and `block`, which are Solidaria's for, abstain, against and
//! object.
//!
//! **Back** (`votes`): the CSV Loomio exports for a poll (`PollExporter#to_csv`): a `poll` section
//! (a header row and a row: id, title, …), a `poll_options` section (id, name, …, voter_count),
//! then a `votes` section whose header holds `voter_name`, `reason` and one column per option,
//! each vote marking its option with a score. Columns are found by their names, so exports of
//! other Loomio versions (with or without `member_title`, `delegate`) read the same.

use crate::FormatError;
use serde_json::{Value, json};
use solidaria_core::deliberation::Choice;
use solidaria_core::strategy::Strategy;

/// A strategy as the body of Loomio's create-poll call; `closing_at` is an ISO 8601 time.
pub fn poll(s: &Strategy, closing_at: Option<&str>, name_of: &dyn Fn(&str) -> String) -> Value {
    let mut details = Vec::new();
    if let Some(d) = &s.description {
        details.push(d.clone());
        details.push(String::new());
    }
    for a in &s.actions {
        let lead = a.lead.as_ref().map(|l| format!(" (lead: {})", name_of(l.as_str()))).unwrap_or_default();
        details.push(format!("- **{}** — {}{lead}", a.title, solidaria_core::ecosystem::block_words(a.block)));
    }
    details.push(String::new());
    details.push(format!(
        "Territory {}, {}–{}. Solidaria: {}",
        s.territory,
        s.from,
        s.until.as_ref().map(|u| u.to_string()).unwrap_or_default(),
        s.id
    ));
    let mut body = json!({
        "title": s.title,
        "poll_type": "proposal",
        "details": details.join("\n"),
        "details_format": "md",
        "options": ["agree", "abstain", "disagree", "block"],
    });
    if let Some(c) = closing_at {
        body["closing_at"] = json!(c);
    }
    body
}

/// The choice a Loomio proposal option stands for.
pub fn choice_of(option: &str) -> Option<Choice> {
    match option.trim().to_ascii_lowercase().as_str() {
        "agree" | "consent" | "looks_good" | "accept" => Some(Choice::For),
        "disagree" | "objection" | "decline" | "concerned" => Some(Choice::Against),
        "abstain" | "not_sure" => Some(Choice::Abstain),
        "block" | "veto" | "object" => Some(Choice::Object),
        _ => None,
    }
}

/// One vote of a Loomio export.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoomioVote {
    /// The CSV line it is on.
    pub line: u64,
    /// The voter's name in Loomio.
    pub voter_name: String,
    /// The option chosen.
    pub option: String,
    /// What it stands for.
    pub choice: Choice,
    /// The reason given.
    pub reason: Option<String>,
}

/// A Loomio poll as exported.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoomioPoll {
    /// Loomio's id of the poll.
    pub id: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its votes.
    pub votes: Vec<LoomioVote>,
}

fn structure(line: u64, message: impl Into<String>) -> FormatError {
    FormatError::Structure { line, message: message.into() }
}

/// Reads Loomio's poll export (CSV). Each problem names its line: a missing section, a votes
/// header without `voter_name`, a vote choosing no option or an option that is not a proposal
/// option.
pub fn votes(text: &str) -> Result<LoomioPoll, FormatError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| structure(e.position().map_or(0, |p| p.line()), format!("expected CSV: {e}")))?;
        let line = r.position().map_or(0, |p| p.line());
        rows.push((line, r.iter().map(String::from).collect()));
    }
    let section = |name: &str| rows.iter().position(|(_, r)| r.len() == 1 && r[0].trim() == name);
    let (mut id, mut title) = (None, None);
    if let Some(p) = section("poll")
        && let (Some((_, header)), Some((_, values))) = (rows.get(p + 1), rows.get(p + 2))
    {
        let get = |k: &str| header.iter().position(|h| h == k).and_then(|i| values.get(i)).cloned();
        id = get("id");
        title = get("title");
    }
    let Some(v) = section("votes") else {
        return Err(structure(
            rows.last().map_or(1, |r| r.0),
            "expected a \"votes\" section: is this Loomio's poll export (CSV)?",
        ));
    };
    let Some((header_line, header)) = rows.get(v + 1) else {
        return Err(structure(rows[v].0, "expected the votes' header after \"votes\""));
    };
    let col = |k: &str| header.iter().position(|h| h == k);
    let Some(name_col) = col("voter_name") else {
        return Err(structure(
            *header_line,
            format!("expected a voter_name column in the votes' header, found {}", header.join(",")),
        ));
    };
    let reason_col = col("reason");
    let last_fixed =
        ["reason_format", "reason", "updated_at", "created_at"].iter().find_map(|k| col(k)).unwrap_or(name_col);
    let option_cols: Vec<(usize, String)> =
        header.iter().enumerate().skip(last_fixed + 1).map(|(i, h)| (i, h.clone())).collect();
    if option_cols.is_empty() {
        return Err(structure(*header_line, "expected one column per option after the votes' fixed columns"));
    }
    let mut votes = Vec::new();
    for (line, row) in rows.iter().skip(v + 2) {
        let chosen: Vec<&String> = option_cols
            .iter()
            .filter(|(i, _)| row.get(*i).is_some_and(|x| !x.trim().is_empty() && x.trim() != "0"))
            .map(|(_, name)| name)
            .collect();
        let voter = row.get(name_col).cloned().unwrap_or_default();
        let option = match chosen.as_slice() {
            [one] => (*one).clone(),
            [] => return Err(structure(*line, format!("vote of {voter:?}: expected one option chosen, found none"))),
            _ => {
                return Err(structure(
                    *line,
                    format!("vote of {voter:?}: expected one option of a proposal poll, found several"),
                ));
            }
        };
        let Some(choice) = choice_of(&option) else {
            return Err(structure(
                *line,
                format!(
                    "vote of {voter:?}: expected a proposal option (agree, abstain, disagree, block), found {option:?}"
                ),
            ));
        };
        let reason = reason_col.and_then(|i| row.get(i)).map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        votes.push(LoomioVote { line: *line, voter_name: voter, option, choice, reason });
    }
    Ok(LoomioPoll { id, title, votes })
}

#[cfg(test)]
mod tests;
