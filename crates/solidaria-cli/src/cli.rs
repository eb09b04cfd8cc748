//! Command-line arguments (clap). `--help` is written to teach: every option says what it does
//! and what values it takes.

use clap::{Parser, Subcommand};

mod args;
mod dedup_args;
mod finance_args;
mod register_args;
mod strategy_args;
mod user_args;

pub use args::*;
pub use dedup_args::*;
pub use finance_args::*;
pub use register_args::*;
pub use strategy_args::*;
pub use user_args::*;

/// Solidaria: a registry of social and solidarity economy (SSE) actors whose facts carry their
/// evidence.
///
/// The registry keeps actors (cooperatives, mutuals, associations, foundations, social
/// enterprises, networks, universities, public bodies, funders), the relations between them,
/// territories and social-innovation cases. Every fact can carry its source, date, link and note.
///
/// Start with `solidaria demo` to load a demo ecosystem (Quebec, the rest of Canada, India,
/// Mexico, South Africa and international SSE networks), then `solidaria actors list`.
#[derive(Debug, Parser)]
#[command(name = "solidaria", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Database: a SQLite file path (created on first use) or a postgres://user@host:port/db URL.
    #[arg(long, global = true, env = "SOLIDARIA_DB", default_value = "solidaria.db", value_name = "URL")]
    pub db: String,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import records from JSON Lines, JSON or CSV files, or another directory's export, all or nothing.
    ///
    /// Every record of every file is validated first; if any has a problem, nothing is written and
    /// each problem is listed as FILE:LINE: FIELD: expected …, found …. Records are upserted by id:
    /// an existing record is replaced, and every change is written to the audit log.
    /// The format is taken from the extension (.jsonl, .json, .csv) or the first character.
    #[command(
        after_help = "Examples:\n  solidaria import actors.jsonl relations.csv\n  cat records.jsonl | solidaria import - --format jsonl\n  solidaria import --from essglobal-csv 2022-Q2_standard_essglobal.csv\n  solidaria import --from essglobal-csv --edition 2023-Q1 standard.Q1-2023.csv\n  solidaria import --mapping my-network.toml members.csv"
    )]
    Import(ImportArgs),

    /// List the built-in import mappings, or print one as TOML to start your own from.
    #[command(after_help = "Examples:\n  solidaria mappings\n  solidaria mappings gogocarto > my-map.toml")]
    Mappings {
        /// The mapping to print.
        name: Option<String>,
    },

    /// Write records to standard output.
    #[command(
        after_help = "Examples:\n  solidaria export --format jsonl > registry.jsonl\n  solidaria export --format csv --type actor > actors.csv\n  solidaria export --format csv --type relation > relations.csv"
    )]
    Export(ExportArgs),

    /// Co-construction: a territory's strategies (actions answering the diagnostic's gaps), decided
    /// college by college under a decision rule, and followed up (milestones, commitments,
    /// indicators). Strategies are records: import or write them like actors.
    #[command(
        after_help = "Examples:\n  solidaria strategy list --territory CA\n  solidaria strategy show qc-ess-strategy-2025\n  solidaria strategy open on-draft-2026 --as moderator\n  solidaria strategy vote on-draft-2026 --as solarshare --choice for\n  solidaria strategy close on-draft-2026 --as moderator"
    )]
    Strategy {
        /// What to do.
        #[command(subcommand)]
        command: StrategyCommand,
    },

    /// Social finance: funds, their ledgers and reports, investment readiness, matching.
    Finance {
        /// What to do.
        #[command(subcommand)]
        command: FinanceCommand,
    },

    /// List or show actors.
    Actors {
        /// What to do with actors.
        #[command(subcommand)]
        command: ActorsCommand,
    },

    /// Serve the web directory and the JSON API until Ctrl-C. Visitors read; contributors propose
    /// edits that moderators validate; writes need a session (web) or an API token (API).
    #[command(
        after_help = "Examples:\n  solidaria serve --demo\n  solidaria serve --addr 0.0.0.0:8080 --db postgres://solidaria@localhost/solidaria"
    )]
    Serve(ServeArgs),

    /// List, search or show social-innovation cases (create and edit them by importing records).
    Cases {
        /// What to do with cases.
        #[command(subcommand)]
        command: CasesCommand,
    },

    /// Show the audit log: who changed what, when, with the record before and after.
    Audit(AuditArgs),

    /// Manage accounts of the web app: add users (the first admin), change roles and passwords,
    /// disable and enable accounts, issue (read-only or not) and revoke API tokens, read the
    /// account-event log.
    ///
    /// Roles: contributor (proposes edits, which wait for moderation), moderator (decides on
    /// proposals, writes directly), admin (also manages users and tokens). Passwords are read from
    /// standard input, never from the command line, and stored as argon2id hashes.
    #[command(
        after_help = "Examples:\n  echo 'a long passphrase here' | solidaria user add ana --role admin\n  solidaria user token ana --label harvester\n  solidaria user list"
    )]
    User {
        /// What to do with accounts.
        #[command(subcommand)]
        command: UserCommand,
    },

    /// Load the bundled demo ecosystem into the database (upsert; safe to run twice).
    Demo,

    /// Copy the SQLite database to a backup file, consistent while the app serves and writes.
    ///
    /// The copy is SQLite's online backup of one moment (writers go on meanwhile), checked (schema
    /// version, SQLite's integrity check) and written beside FILE, then renamed to it: FILE is
    /// never a partial copy. For PostgreSQL use pg_dump (README, Backups).
    #[command(
        after_help = "Examples:\n  solidaria backup --output solidaria-2025-06-01.db\n  solidaria --db /srv/solidaria.db backup --output /backups/solidaria.db --force"
    )]
    Backup(BackupArgs),

    /// Replace the SQLite database with a backup made by `solidaria backup`.
    ///
    /// The file must be a Solidaria database at a schema version this program knows and pass
    /// SQLite's integrity check; it is copied into the database through SQLite (a running server
    /// sees the restored state) and brought up to the current schema. An existing database is
    /// replaced only with --force.
    #[command(
        after_help = "Examples:\n  solidaria restore solidaria-2025-06-01.db\n  solidaria --db /srv/solidaria.db restore /backups/solidaria.db --force"
    )]
    Restore(RestoreArgs),

    /// List the fact vocabulary v1: every known fact key, its type and meaning.
    Vocabulary(VocabularyArgs),

    /// List the screening profiles (UN, ILO, ICA, OECD, EU and national SSE laws), show one with
    /// its criteria and citations, or check a profile file of your own.
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  solidaria profiles\n  solidaria profiles show qc-2013\n  solidaria profiles validate my-network.toml"
    )]
    Profiles {
        /// What to do with profiles (default: list them).
        #[command(subcommand)]
        command: Option<ProfilesCommand>,
        /// Options of the listing.
        #[command(flatten)]
        list: ProfilesListArgs,
    },

    /// Screen actors against profiles, criterion by criterion, each outcome explained and cited.
    ///
    /// Each criterion gives pass, fail, unknown (a fact it needs is missing) or not_applicable.
    /// The verdict is qualifies (every applicable mandatory criterion passes), does_not_qualify
    /// (one fails) or insufficient_evidence (none fails, some are unknown); indicative criteria
    /// never change it. Claims such as "sse" or "social_enterprise" that a failing verdict
    /// contradicts are flagged. Nothing is ever guessed: a missing fact is unknown.
    #[command(
        after_help = "Examples:\n  solidaria screen --profile un-2023 --all\n  solidaria screen --profile all --actor desjardins --save\n  solidaria screen --profile qc-2013 --profile ica-1995 members.jsonl\n  solidaria screen --profile all --all --format json --save > verdicts.jsonl\n  solidaria screen --profile-file my-network.toml --all"
    )]
    Screen(ScreenArgs),

    /// Social-innovation cases: how strong each is, and which ones fit a territory.
    Innovation {
        /// What to do.
        #[command(subcommand)]
        command: InnovationCommand,
    },

    /// Whether a case fits a territory: its preconditions against the territory's context, the
    /// fit, the similarity of the two contexts and the adaptations needed.
    ///
    /// The fit is does_not_fit when an essential precondition fails, partial when only supportive
    /// ones fail, unknown when none fails but an essential one cannot be tested, fits otherwise. A
    /// territory's context facts come from its own record or, failing that, from the territories it
    /// is nested in (CA-QC falls back on CA).
    #[command(after_help = "Example:\n  solidaria transfer --case tiess-knowledge-transfer --territory CA-ON")]
    Transfer(TransferArgs),

    /// Diagnose the SSE ecosystem of a territory: the seven building blocks scored with reasons,
    /// the network of actors and its brokers, the gaps and the partnerships that would close them.
    ///
    /// The territory includes everything nested under it (CA includes CA-QC and your regions in
    /// it). Scores, broker rule and suggestion ranking are documented in docs/ecosystem.md.
    #[command(
        after_help = "Examples:\n  solidaria diagnose --territory CA-QC\n  solidaria diagnose --territory CA-QC --compare CA-ON\n  solidaria diagnose --territory CA-QC --as-of 2013\n  solidaria diagnose --territory CA-QC --history --since 2013 --format csv\n  solidaria diagnose --territory IN-UP --format json --output in-up.json"
    )]
    Diagnose(DiagnoseArgs),

    /// Which missing facts would decide a verdict left at insufficient_evidence: for one actor,
    /// the smallest sets of facts to document (either way); for the whole registry, the missing
    /// facts ranked by how many undecided verdicts they could help decide, the worklist of an
    /// observatory.
    ///
    /// A set names facts to document, not values to hope for: whatever the evidence says, it
    /// settles the verdict. What the law of an actor's legal form makes true counts as known
    /// (see docs/screening.md, statutory facts).
    #[command(
        after_help = "Examples:\n  solidaria evidence --actor tiess --profile qc-2013\n  solidaria evidence --all --profile fr-ess-2014 --format csv > worklist.csv"
    )]
    Evidence(EvidenceArgs),

    /// Find actors that may be one organization: records of the same co-op from two sources, or
    /// twice in one. Listing merges nothing: each pair has a score (0..1), the reasons for it, and
    /// both actors' identifiers and source rows, to check against the source files; a moderator
    /// then merges a pair with `dedup merge` (audited, undone with `dedup undo`).
    ///
    /// Evidence, strongest first: a shared identifier (same scheme and number; Companies House
    /// numbers compared with their leading zeros, a SIRET by its SIREN), different numbers in the
    /// same register (two entities), names compared after removing legal suffixes (Ltd, Limited,
    /// CIC, SCOP, …), accents, punctuation and spellings (Co-op, Co-operative), postcode (same,
    /// same district, other area) or distance, locality and legal form. Only pairs sharing an
    /// identifier, a postcode, a rare name word or a place in the name-sorted list are compared
    /// (see docs/dedup.md).
    #[command(
        after_help = "Examples:\n  solidaria dedup\n  solidaria dedup --threshold 0.9 --format csv > pairs.csv\n  solidaria dedup --across-sources-only --ignore-scheme coops_uk --format json\n  solidaria dedup merge KEEP ABSORB --as MODERATOR --dry-run\n  solidaria dedup undo 12 --as MODERATOR"
    )]
    Dedup(DedupArgs),

    /// Screen a whole national business register (CSV) under register rules, fast and in
    /// constant memory.
    Register {
        /// What to do with a register.
        #[command(subcommand)]
        command: RegisterCommand,
    },
}
