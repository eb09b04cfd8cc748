//! The arguments of `solidaria dedup`.

use clap::{Args, ValueEnum};

/// Arguments of `dedup`.
#[derive(Debug, Args)]
pub struct DedupArgs {
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
