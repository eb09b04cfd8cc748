//! The arguments of `solidaria register`.

use clap::{Args, Subcommand, ValueEnum};

/// Subcommands of `register`.
#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// Classify every row of a register file and count the verdicts.
    ///
    /// The register rules (which column holds what, which legal categories form which family,
    /// which activities are outside the SSE, and the ordered verdict rules) are data: the built-in
    /// rules apply the French ESS law to INSEE's SIRENE stock of legal units; `--rules FILE` reads
    /// your own. Rows with a wrong number of fields, invalid UTF-8 or an unknown code are counted
    /// and reported with their line, and do not stop the run unless `--strict` is given.
    #[command(
        after_help = "Examples:\n  solidaria register screen --profile fr-ess-2014 --input StockUniteLegale_utf8.csv\n  solidaria register screen --input StockUniteLegale_utf8.csv --format json --output verdicts.csv"
    )]
    Screen(RegisterScreenArgs),
}

/// Arguments of `register screen`.
#[derive(Debug, Args)]
pub struct RegisterScreenArgs {
    /// The screening profile whose register rules to apply (or the rules' own id).
    #[arg(long, default_value = "fr-ess-2014")]
    pub profile: String,

    /// Register rules of your own (TOML), instead of the built-in ones.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<String>,

    /// The register file (CSV with a header line, UTF-8).
    #[arg(long, value_name = "FILE")]
    pub input: String,

    /// Also write one line per row: id, verdict, family, NAF section and the reason.
    #[arg(long, value_name = "FILE")]
    pub output: Option<String>,

    /// Summary format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: RegisterFormat,

    /// Stop with an error at the first malformed rows instead of counting them.
    #[arg(long)]
    pub strict: bool,

    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,

    /// Also load the ESS rows into the registry (`--db`) as actors, all or nothing: id
    /// `fr-siren-SIREN`, name, legal category (code, family, label), France, the register's ESS
    /// flag as an `sse` claim and the activity as a fact citing the register.
    #[arg(long)]
    pub import: bool,
}

/// Summary format of `register screen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegisterFormat {
    /// A readable summary.
    Text,
    /// `{"rows", "counts": [{"verdict", "family", "section", "count"}], "flag_conflicts", "malformed", "elapsed_s"}`.
    Json,
}
