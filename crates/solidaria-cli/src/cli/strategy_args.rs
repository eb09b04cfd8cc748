//! The arguments of `solidaria strategy`: strategies, their deliberation and the bridges to
//! Decidim and Loomio.

use clap::{Subcommand, ValueEnum};

/// Subcommands of `strategy`.
#[derive(Debug, Subcommand)]
pub enum StrategyCommand {
    /// List strategies (of a territory and the territories in it) with their stage.
    List {
        /// Only this territory's (an ISO 3166 code or one of your regions).
        #[arg(long)]
        territory: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a strategy: its stage, the count of the open round (or the outcome of the last one)
    /// college by college, its actions with milestones (done, late, upcoming), commitments and
    /// indicators (at the period's start, at adoption, now), and its deliberation log.
    Show {
        /// Strategy id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Open a round of deliberation on the strategy's current text (as a moderator account).
    Open {
        /// Strategy id.
        id: String,
        /// The moderator account acting.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Close the open round: the votes are counted under the strategy's rule and the outcome,
    /// explained college by college, is kept in the log (as a moderator account).
    Close {
        /// Strategy id.
        id: String,
        /// The moderator account acting.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Vote for the actor an account speaks for: for, against, abstain or object (an objection
    /// needs --reason). A later vote of the same actor replaces its earlier one in the count.
    Vote {
        /// Strategy id.
        id: String,
        /// The account voting (linked to an actor with `solidaria user link`).
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
        /// for, against, abstain or object.
        #[arg(long)]
        choice: String,
        /// Why (required for an objection).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Propose an amendment, in words, for the actor an account speaks for.
    Amend {
        /// Strategy id.
        id: String,
        /// The account proposing.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
        /// The amendment.
        #[arg(long)]
        text: String,
    },
    /// Put a strategy to the tool the territory deliberates in: its actions as proposals for
    /// Decidim's admin import (JSON, one title and body per locale), or the body of Loomio's
    /// create-poll call (a proposal poll: agree, abstain, disagree, block).
    #[command(
        after_help = "Examples:\n  solidaria strategy export on-draft-2026 --to decidim --locales en,fr > proposals.json\n  solidaria strategy export on-draft-2026 --to loomio --closing-at 2026-12-20T12:00:00Z > poll.json"
    )]
    Export {
        /// Strategy id.
        id: String,
        /// decidim or loomio.
        #[arg(long, value_enum)]
        to: BridgeArg,
        /// Decidim: the organization's locales (each gets the action's text).
        #[arg(long, default_value = "en,fr,es")]
        locales: String,
        /// Loomio: when the poll closes (ISO 8601).
        #[arg(long)]
        closing_at: Option<String>,
    },
    /// Bring back what the territory decided elsewhere (as a moderator account): Loomio's poll
    /// export (CSV) counts as votes of the registered actors whose account or actor name is the
    /// Loomio voter's name (the others are listed, not counted); Decidim's proposals export (JSON)
    /// is kept in the log, proposal by proposal (state, supports, endorsements, comments), not
    /// counted as votes. All or nothing.
    ImportResults {
        /// Strategy id.
        id: String,
        /// decidim or loomio.
        #[arg(long, value_enum)]
        from: BridgeArg,
        /// The export file.
        file: String,
        /// The moderator account acting.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// List the decision rules and their colleges.
    Rules,
}

/// The deliberation tools a strategy goes out to and comes back from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BridgeArg {
    /// Decidim (proposals).
    Decidim,
    /// Loomio (a proposal poll).
    Loomio,
}
