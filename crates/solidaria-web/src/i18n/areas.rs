//! The words of each area's pages that are not codes of the domain: the observatory's
//! dashboard, self-assessment, search as you type, a fund's managers' pages, co-construction
//! (each a table of every language file, missing keys refused).

use serde::Deserialize;

/// The words of the observatory's dashboard (`[dashboard]` in each language file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct DashboardNames {
    pub menu: String,
    pub title: String,
    pub intro: String,
    pub counted_all: String,
    pub counted_first: String,
    pub matching: String,
    pub filters: String,
    pub apply: String,
    pub clear: String,
    pub verdicts: String,
    pub verdicts_intro: String,
    pub profile: String,
    pub screened: String,
    pub qualifies: String,
    pub does_not_qualify: String,
    pub insufficient_evidence: String,
    pub families: String,
    pub categories: String,
    pub blocks: String,
    pub no_block: String,
    pub count: String,
    pub share: String,
    pub value: String,
    pub no_actors: String,
    pub as_data: String,
    pub directory_link: String,
    /// A legal form not recorded (the families themselves are `[families]`).
    pub no_family: String,
}

/// The words of the self-assessment (`[assessment]` in each language file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentNames {
    /// The page's heading and the link to it.
    pub title: String,
    /// What the questionnaire is for and what becomes of the answers.
    pub intro: String,
    /// Before the list of profiles the questions feed.
    pub profiles: String,
    /// Before the criteria one question feeds.
    pub feeds: String,
    /// Marks an indicative criterion.
    pub indicative: String,
    /// When nothing is left to ask.
    pub nothing: String,
    /// The label of an answer's source (optional).
    pub source: String,
    /// The label of an answer's link.
    pub url: String,
    /// The label of an answer's date.
    pub date: String,
    /// A fact the organization declared and no moderator verified.
    pub self_declared: String,
    /// A fact a moderator verified.
    pub verified: String,
    /// After a verdict, before the self-declared facts it rests on.
    pub rests_on: String,
    /// The heading of the answers in the moderation queue.
    pub answers: String,
    /// Validating the answers as the organization declared them.
    pub validate_declared: String,
    /// Validating them as verified, the evidence checked.
    pub validate_verified: String,
    purpose: String,
    membership: String,
    governance: String,
    control: String,
    surplus: String,
    assets: String,
    activity: String,
    pay: String,
    transparency: String,
    other: String,
}

impl AssessmentNames {
    /// A theme of the questionnaire in words (its id otherwise).
    pub fn theme<'a>(&'a self, id: &'a str) -> &'a str {
        match id {
            "purpose" => &self.purpose,
            "membership" => &self.membership,
            "governance" => &self.governance,
            "control" => &self.control,
            "surplus" => &self.surplus,
            "assets" => &self.assets,
            "activity" => &self.activity,
            "pay" => &self.pay,
            "transparency" => &self.transparency,
            "other" => &self.other,
            other => other,
        }
    }
}

/// The words of search as you type (`[live_search]` in each language file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchNames {
    /// Said when a search is refused or the server cannot be reached.
    pub failed: String,
}

/// The words of a fund's managers' pages (`[fm]` in each language file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ManagerNames {
    pub ledger: String,
    pub ledger_intro: String,
    pub positions: String,
    pub investee: String,
    pub postings: String,
    pub post_heading: String,
    pub tx_id: String,
    pub tx_date: String,
    pub tx_kind: String,
    pub tx_amount: String,
    pub tx_counterparty: String,
    pub tx_instrument: String,
    pub tx_of: String,
    pub tx_note: String,
    pub tx_submit: String,
    pub refused: String,
    pub posted_ok: String,
    pub posted_by: String,
    pub sf_heading: String,
    pub sf_funds: String,
    pub sf_mechanisms: String,
    pub sf_none: String,
    pub sf_reach: String,
    pub sf_investees: String,
    pub sf_offered: String,
    pub sf_elsewhere: String,
    /// The accessible name of a fund's chart of money received (`{fund}`).
    pub chart_name: String,
    pub chart_private: String,
    pub chart_public: String,
    pub chart_empty: String,
    /// Between a line's name and its amount in the chart's tooltips.
    pub chart_separator: String,
}

/// The words of co-construction pages (`[co]` in each language file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct CoNames {
    pub strategies: String,
    pub strategies_intro: String,
    pub none: String,
    pub stage: String,
    pub draft: String,
    pub open: String,
    pub adopted: String,
    pub not_adopted: String,
    pub period: String,
    pub rule: String,
    pub count: String,
    pub actions: String,
    pub lead: String,
    pub partners: String,
    pub commitments: String,
    pub milestones: String,
    pub due: String,
    pub done: String,
    pub late: String,
    pub upcoming: String,
    pub indicator: String,
    pub resources: String,
    pub models: String,
    pub voters: String,
    pub log: String,
    pub vote: String,
    pub you_speak_for: String,
    pub r#for: String,
    pub against: String,
    pub abstain: String,
    pub object: String,
    pub reason: String,
    pub cast: String,
    pub amend: String,
    pub amend_submit: String,
    pub open_round: String,
    pub close_round: String,
    pub edited: String,
    pub history: String,
    pub date: String,
    pub changes: String,
    pub saved: String,
}

impl CoNames {
    /// A stage or a milestone state in words (its code otherwise).
    pub fn word<'a>(&'a self, code: &'a str) -> &'a str {
        match code {
            "draft" => &self.draft,
            "open" => &self.open,
            "adopted" => &self.adopted,
            "not_adopted" => &self.not_adopted,
            "done" => &self.done,
            "late" => &self.late,
            "upcoming" => &self.upcoming,
            "for" => &self.r#for,
            "against" => &self.against,
            "abstain" => &self.abstain,
            "object" => &self.object,
            other => other,
        }
    }
}
