//! The arguments of `solidaria dedup`.

use clap::{Args, Subcommand, ValueEnum};

/// Arguments of `dedup`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DedupArgs {
    /// Merge a pair, undo a merge, or list the merges; without one, list the candidate pairs.
    #[command(subcommand)]
    pub command: Option<DedupCommand>,

    /// Lowest score of a pair listed, from 0 to 1 (0.5: as likely as not to be one organization;
    /// 0.99 and above: a shared register number, or the same name at the same postcode).
    #[arg(long, default_value_t = 0.5, value_name = "SCORE")]
    pub threshold: f64,

    /// An identifier scheme not to use as evidence (repeatable), e.g. a directory's own ids
    /// (`--ignore-scheme coops_uk`).
    #[arg(long = "ignore-scheme", value_name = "SCHEME")]
    pub ignore_scheme: Vec<String>,

    /// Only pairs whose actors come from different datasets (by their sources); by default
    /// duplicates inside one dataset are listed too.
    #[arg(long)]
    pub across_sources_only: bool,

    /// Pair each actor with at most one actor of each other dataset, its best: for linking
    /// sources that each list an organization once (two editions of a directory).
    #[arg(long)]
    pub one_to_one: bool,

    /// Output: a readable table, JSON Lines (one pair per line), or CSV (one row per pair).
    #[arg(long, value_enum, default_value = "text")]
    pub format: DedupFormat,
}

/// Output formats of `dedup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DedupFormat {
    /// A readable table, each pair with its reasons.
    Text,
    /// JSON Lines: one pair per line with both actors, their identifiers and source rows, the
    /// score and the reasons.
    Json,
    /// CSV, one row per pair.
    Csv,
}

/// What to do with candidate pairs.
#[derive(Debug, Subcommand)]
pub enum DedupCommand {
    /// Merge ABSORB into KEEP (as a moderator account): KEEP keeps its id and name and takes
    /// ABSORB's values with their provenance (identifiers, sources, facts; where both have a
    /// different value, the better-evidenced fact, else KEEP's, each conflict listed); ABSORB's
    /// relations point to KEEP; ABSORB's id and name become KEEP's alternates; ABSORB is deleted.
    /// Audited, and undone with `dedup undo`.
    #[command(
        after_help = "Examples:\n  solidaria dedup merge leeds-bread lbc-2022 --as mo --dry-run\n  solidaria dedup merge leeds-bread lbc-2022 --as mo"
    )]
    Merge {
        /// The actor kept.
        keep: String,
        /// The actor merged into it (deleted).
        absorb: String,
        /// The moderator account acting.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
        /// Show what the merge would make (conflicts side by side, relations) and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the merge as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Undo a merge: both actors and their relations as they were before it. Refused when the
    /// kept actor changed since the merge.
    Undo {
        /// The merge's number (printed by `dedup merge`, listed by `dedup merges`).
        merge: i64,
        /// The moderator account acting.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// The latest merges, newest first, with who made them and whether they were undone.
    Merges {
        /// How many.
        #[arg(long, default_value_t = 50)]
        limit: u64,
        /// JSON Lines, one merge per line (with its before-images and conflicts).
        #[arg(long)]
        json: bool,
    },
}
