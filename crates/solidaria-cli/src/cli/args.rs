//! The arguments of each subcommand and the values their options take.

use clap::{Args, Subcommand, ValueEnum};
use solidaria_app::export::{EXPORT_FORMATS, ExportFormat};
use solidaria_formats::{BaseUrl, Format};

/// Subcommands of `profiles`.
#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// Show one profile: its instrument, source and every criterion with its test and citation.
    Show(ProfileShowArgs),
    /// Check a profile file of your own (TOML); every problem is listed with its line.
    Validate(ProfileValidateArgs),
}

/// Arguments of `profiles` (the listing).
#[derive(Debug, Args)]
pub struct ProfilesListArgs {
    /// Output: a table, or a JSON array of `{"id", "title", "version", "jurisdiction",
    /// "instrument", "criteria", "mandatory", "source_url", "claims", "subject"}`.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `profiles show`.
#[derive(Debug, Args)]
pub struct ProfileShowArgs {
    /// Profile id (see `solidaria profiles`).
    pub id: String,
    /// Output: readable text, or the profile as JSON (its fields as in the TOML file, every
    /// criterion with its test).
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `profiles validate`.
#[derive(Debug, Args)]
pub struct ProfileValidateArgs {
    /// The profile file (TOML); see docs/screening.md for its shape.
    pub file: String,
}

/// Arguments of `screen`.
#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// Built-in profile id; repeat or separate with commas for several; `all` for every one.
    #[arg(long = "profile", value_name = "ID", value_delimiter = ',')]
    pub profiles: Vec<String>,

    /// A profile file of your own (TOML); may be repeated.
    #[arg(long = "profile-file", value_name = "FILE")]
    pub profile_files: Vec<String>,

    /// Files of records to screen (JSON Lines, JSON or CSV); only actors are screened.
    #[arg(value_name = "FILE", required_unless_present_any = ["all", "actors"], conflicts_with_all = ["all", "actors"])]
    pub files: Vec<String>,

    /// Screen every actor in the database instead of files.
    #[arg(long, conflicts_with = "actors")]
    pub all: bool,

    /// Screen one actor of the database, by id; may be repeated.
    #[arg(long = "actor", value_name = "ID")]
    pub actors: Vec<String>,

    /// Keep each screening in the database's history, with the profile version and the facts it
    /// read (shown by `solidaria actors show`).
    #[arg(long)]
    pub save: bool,

    /// Output: a readable report, JSON Lines (one object per actor and profile), or only the
    /// summary table of verdicts per profile (fastest, for whole registries).
    #[arg(long, value_enum, default_value = "text")]
    pub format: ScreenFormat,
}

/// Output of `screen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScreenFormat {
    /// A readable report per actor and profile, then the summary.
    Text,
    /// JSON Lines: one screening per actor and profile (the summary goes to standard error).
    Json,
    /// Only the summary of verdicts and claim mismatches per profile.
    Summary,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,

    /// Force the input format instead of guessing it from each file.
    #[arg(long, value_parser = formats(INPUT_CSV), conflicts_with_all = ["from", "mapping"])]
    pub format: Option<Format>,

    /// Read the files as another directory publishes them, through a built-in import mapping:
    /// every actor records its source (dataset, edition, licence, line), and the columns and values
    /// the mapping does not use are listed after the import. See docs/import-mappings.md.
    #[arg(long, value_name = "SOURCE", value_parser = mapping_names(), conflicts_with = "mapping")]
    pub from: Option<String>,

    /// Read the files through your own import mapping (a TOML file: columns to record fields and
    /// fact keys, value maps, a default territory); start from a built-in one
    /// (`solidaria mappings essglobal-csv > my-mapping.toml`).
    #[arg(long, value_name = "FILE.toml")]
    pub mapping: Option<String>,

    /// The edition of the dataset being imported (e.g. 2023-Q1), instead of the mapping's.
    #[arg(long, value_name = "EDITION")]
    pub edition: Option<String>,

    /// After the import, merge each pair of actors scoring at least SCORE (0.5 to 1; see `solidaria
    /// dedup`) of which one was imported, with the records already in the database or within the
    /// files: the record already there is kept. Each merge is reported, audited and undoable
    /// (`solidaria dedup undo`). Off by default.
    #[arg(long, value_name = "SCORE")]
    pub merge_duplicates: Option<f64>,

    /// With --from murmurations: check every profile against the Murmurations schema first, read
    /// from DIR, a copy of the Murmurations Library (schemas/organizations_schema-v1.0.0.json and
    /// the fields/*.json it refers to; GPL-3.0, so not built in). A profile that breaks it is an
    /// error at its line with the schema's message, and nothing is imported. Default: the
    /// SOLIDARIA_MURMURATIONS_SCHEMAS environment variable; without either, profiles are read
    /// through the mapping only, and the import says so.
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<String>,
}

/// The built-in import mappings, each explained in `--help`.
fn mapping_names() -> clap::builder::PossibleValuesParser {
    use clap::builder::PossibleValue;
    clap::builder::PossibleValuesParser::new([
        PossibleValue::new("essglobal-csv")
            .help("Co-operatives UK's open data in the ESSGlobal standard CSV (Digital Commons Co-op, 2022 editions)"),
        PossibleValue::new("coops-uk-2017").help(
            "Co-operatives UK's own 2017 files: organisations, and outlets (each attached to its organisation's actor as a site; chosen by the file's columns)",
        ),
        PossibleValue::new("coops-uk-2017-outlets")
            .help("Co-operatives UK's 2017 outlets file alone: sites of the organisations' actors, imported with it or before"),
        PossibleValue::new("gogocarto").help("A GoGoCarto map's JSON export of its elements (api/elements.json)"),
        PossibleValue::new("murmurations").help("Murmurations organization profiles (a JSON list, or one profile)"),
        PossibleValue::new("geojson")
            .help("A GeoJSON FeatureCollection of initiatives with OpenStreetMap-style properties (TransforMap, SUSY)"),
    ])
}

/// What CSV holds when imported.
const INPUT_CSV: &str = "CSV, one row per actor or per relation (see docs/formats.md)";
/// What CSV holds when exported.
const OUTPUT_CSV: &str = "CSV: one row per actor (facts with their sources in columns) or per relation";

/// The one interchange [`Format`], parsed from its name, each value explained in `--help`.
fn formats(csv: &'static str) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    PossibleValuesParser::new([
        PossibleValue::new("jsonl").help("One JSON record per line"),
        PossibleValue::new("json").help("A JSON array of records"),
        PossibleValue::new("csv").help(csv),
    ])
    .try_map(|name| Format::parse(&name).ok_or_else(|| format!("expected jsonl, json or csv, found {name:?}")))
}

/// The formats of `export`: the interchange formats, and the publications of the actors,
/// each value explained in `--help`.
fn export_formats() -> impl clap::builder::TypedValueParser<Value = ExportFormat> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    PossibleValuesParser::new([
        PossibleValue::new("jsonl").help("One JSON record per line"),
        PossibleValue::new("json").help("A JSON array of records"),
        PossibleValue::new("csv").help(OUTPUT_CSV),
        PossibleValue::new("jsonld")
            .help("Actors as one JSON-LD document (schema.org Organization with ESSGlobal terms); not importable"),
        PossibleValue::new("murmurations")
            .help("Actors as Murmurations organization profiles, one per line; not importable"),
    ])
    .try_map(|name| ExportFormat::parse(&name).ok_or_else(|| format!("expected {EXPORT_FORMATS}, found {name:?}")))
}

/// A base address given on the command line.
fn base_url(s: &str) -> Result<BaseUrl, String> {
    BaseUrl::parse(s).map_err(str::to_string)
}

/// Record types, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    /// Actors.
    Actor,
    /// Relations between actors.
    Relation,
    /// Territories and custom regions.
    Territory,
    /// Innovation cases.
    Case,
    /// Financial mechanisms.
    Mechanism,
    /// Territories' strategies.
    Strategy,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_parser = export_formats(), default_value = "jsonl")]
    pub format: ExportFormat,

    /// Only records of this type (all types when absent; CSV needs actor or relation, default
    /// actor; jsonld and murmurations publish actors only).
    #[arg(long = "type", value_enum)]
    pub record_type: Option<TypeArg>,

    /// Where the registry is served, for the stable addresses in jsonld and murmurations output
    /// (each actor's page `BASE/actors/ID` is its JSON-LD @id, and its Murmurations primary_url
    /// when it has no web site).
    #[arg(long, value_name = "URL", value_parser = base_url, default_value = "http://localhost:8080")]
    pub base_url: BaseUrl,
}

/// The `actors` subcommands.
#[derive(Debug, Subcommand)]
pub enum ActorsCommand {
    /// List actors, by name.
    #[command(
        after_help = "Examples:\n  solidaria actors list --territory CA      (Canada and every province and region in it)\n  solidaria actors list --q cooperative --format json"
    )]
    List(ListArgs),
    /// Show one actor with its facts, their evidence, and its relations.
    Show(ShowArgs),
}

/// Output formats of listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// An aligned table for people.
    Table,
    /// A JSON array of actor records.
    Json,
    /// One JSON actor record per line.
    Jsonl,
    /// CSV, as `export --format csv`.
    Csv,
}

/// Arguments of `actors list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only actors in this territory or nested in it (ISO 3166 code like CA or CA-QC, or a custom region id).
    #[arg(long, value_name = "T")]
    pub territory: Option<String>,

    /// Only actors whose name or any other field contains this text (case-insensitive for ASCII letters).
    #[arg(long, value_name = "TEXT")]
    pub q: Option<String>,

    /// At most this many actors.
    #[arg(long)]
    pub limit: Option<u64>,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// Arguments of `actors show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The actor's id.
    pub id: String,

    /// `text` for people, `json` for the record with its relations.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

/// Output formats of `actors show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// Readable text.
    Text,
    /// JSON: `{"actor": …, "relations": […], "legal_form_elf": […]}`.
    Json,
}

/// Arguments of `backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The backup file to write.
    #[arg(long, short, value_name = "FILE")]
    pub output: std::path::PathBuf,

    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file (made by `solidaria backup`).
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,

    /// Replace the database given by --db if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only the changes of one record, as TYPE:KEY (e.g. actor:desjardins).
    #[arg(long, value_name = "TYPE:KEY")]
    pub record: Option<String>,

    /// At most this many entries (the most recent).
    #[arg(long, default_value_t = 50)]
    pub limit: u64,

    /// `text` for people, `jsonl` for one JSON entry per line.
    #[arg(long, value_enum, default_value = "text")]
    pub format: AuditFormat,
}

/// Output formats of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// One line per change.
    Text,
    /// One JSON object per line with the record before and after.
    Jsonl,
}

/// Arguments of `vocabulary`.
#[derive(Debug, Args)]
pub struct VocabularyArgs {
    /// Output: readable text, or a JSON array of `{"key", "type", "values", "meaning",
    /// "expected"}` (`values` is null but for enumerations and sets).
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Output of the commands that write readable text or JSON (`profiles`, `vocabulary`, `cases`,
/// `innovation`, `transfer`): each `--format` says what its JSON holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable text.
    Text,
    /// JSON, in the shape given above.
    Json,
}

/// Subcommands of `innovation`.
#[derive(Debug, Subcommand)]
pub enum InnovationCommand {
    /// Class cases as strong, intermediate or weak social innovation, dimension by dimension.
    ///
    /// The dimensions are the criteria of the si-strength profile (`solidaria profiles show
    /// si-strength`): four core ones (community empowerment, root causes, collective action,
    /// permanence) and three complementary ones (democratic governance, co-design, ecological
    /// dimension). No dimension buys off another: a one-off or a company acting alone is weak
    /// however good the rest; missing evidence on a core dimension gives undetermined.
    Assess(AssessArgs),
    /// Rank the cases for a territory: those that fit it and are strong first, with reasons.
    Recommend(RecommendArgs),
    /// Screen innovation policies and programmes for a social dimension from the outset.
    ///
    /// Programmes are cases of kind programme, law, regulation or financial_mechanism, screened
    /// under the programme-social-dimension profile (`solidaria profiles show
    /// programme-social-dimension`): social dimension from the outset, collective processes,
    /// SSE eligibility on substance, co-construction, local adaptation, finance within an
    /// ecosystem strategy.
    Programmes(ProgrammesArgs),
}

/// Arguments of `innovation assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Only this case (default: every case in the database).
    #[arg(long)]
    pub case: Option<String>,
    /// Output: readable text, or JSON Lines `{"case", "class", "rule", "profile",
    /// "profile_version", "dimensions": [...], "facts_used"}`.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `innovation programmes`.
#[derive(Debug, Args)]
pub struct ProgrammesArgs {
    /// Only this programme (default: every programme in the database).
    #[arg(long)]
    pub case: Option<String>,
    /// Output: readable text, or JSON Lines of screenings `{"subject", "profile",
    /// "profile_version", "verdict", "criteria": [...], "claim_mismatches", "facts_used"}`.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `innovation recommend`.
#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// The territory to recommend for (an ISO 3166 code or one of your regions).
    #[arg(long)]
    pub territory: String,
    /// Output: readable text, or JSON Lines (one ranked case per line).
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `transfer`.
#[derive(Debug, Args)]
pub struct TransferArgs {
    /// The case.
    #[arg(long)]
    pub case: String,
    /// The target territory.
    #[arg(long)]
    pub territory: String,
    /// Output: readable text, or JSON `{"case", "territory", "fit", "preconditions", "similarity", "adaptations"}`.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `diagnose`.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// The territory: an ISO 3166 code or one of your regions.
    #[arg(long)]
    pub territory: String,
    /// A second territory to compare side by side.
    #[arg(long, conflicts_with = "history")]
    pub compare: Option<String>,
    /// Diagnose the territory as it stood on this day (YYYY-MM-DD, or a year or month, taken at
    /// its end): only the actors founded by then and the relations holding then.
    #[arg(long, value_name = "DATE", conflicts_with = "history")]
    pub as_of: Option<String>,
    /// The territory over time: each block's score, the network's size and brokers, and the gaps
    /// at the end of each year in which an actor was founded or a relation began or ended.
    #[arg(long)]
    pub history: bool,
    /// With --history: start in this year (earlier changes are folded into the first point).
    #[arg(long, value_name = "YEAR", requires = "history")]
    pub since: Option<i64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiagnoseFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<String>,
}

/// Output of `diagnose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnoseFormat {
    /// A readable report.
    Text,
    /// `{"territory", "building_blocks", "network", "gaps", "suggestions"}` (with `--compare`:
    /// `{"compare": [A, B], "differences": [...]}`).
    Json,
    /// A printable HTML report with a radar chart of the blocks and a picture of the network
    /// (with --history: a chart of the blocks' scores over time).
    Html,
    /// With --history: one row per date, one column per block score, then actors, links,
    /// connected parts and gaps.
    Csv,
}

/// Subcommands of `cases`.
#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// List cases, optionally those of a territory (nested ones included) or matching a text.
    List(CasesListArgs),
    /// Show one case: problem, root causes, approach, actors and their roles, facts with their
    /// evidence, preconditions.
    Show(CaseShowArgs),
}

/// Arguments of `cases list`.
#[derive(Debug, Args)]
pub struct CasesListArgs {
    /// Only cases of this territory or of territories nested in it.
    #[arg(long)]
    pub territory: Option<String>,
    /// Only cases whose text (name, problem, root causes, approach, outcomes) contains this, in
    /// any case.
    #[arg(long)]
    pub q: Option<String>,
    /// Output: a table, or JSON Lines of the records.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `cases show`.
#[derive(Debug, Args)]
pub struct CaseShowArgs {
    /// The case's id.
    pub id: String,
    /// Output: readable text, or the JSON record.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Load the demo ecosystem first when the database has no actor, and make one demo account
    /// per role (random passwords, printed once) when it has no account.
    #[arg(long)]
    pub demo: bool,
    /// Directory searches whose answers are kept in memory until the next write (0: none).
    /// Only on SQLite, where a write is seen at once; PostgreSQL answers are always fresh.
    #[arg(long, default_value_t = 1000)]
    pub cache_entries: usize,
    /// Search the directory through the database's full-text index only (results in name
    /// order, no typo forgiven, no search by area) instead of the in-memory search index, which
    /// ranks by relevance and takes memory (about 0.5 GB for a million actors). For comparisons
    /// and for very small machines.
    #[arg(long)]
    pub no_search_index: bool,
    /// The public address of this instance (https://directory.example.org), for the stable
    /// addresses in JSON-LD and Murmurations profiles; without it, http:// and the Host each
    /// request names.
    #[arg(long, value_name = "URL", value_parser = base_url, env = "SOLIDARIA_BASE_URL")]
    pub base_url: Option<BaseUrl>,
    /// The reverse proxies in front of this server (addresses or blocks such as 10.0.0.0/8),
    /// whose X-Forwarded-For or Forwarded header names the client: the login limiter then counts
    /// the right-most forwarded address that is not itself a trusted proxy. From any other peer
    /// these headers are ignored. Without this setting, the TCP peer is the client.
    #[arg(long = "trusted-proxy", value_name = "ADDR[,ADDR…]", value_delimiter = ',', env = "SOLIDARIA_TRUSTED_PROXY")]
    pub trusted_proxies: Vec<solidaria_web::auth::TrustedProxy>,
    /// Requests to /api/… without credentials (no API token, no session) that one client address
    /// may send a minute, in a burst at most as large, then one every 60/N s; more are answered
    /// 429 with Retry-After. The address is the one the login limiter counts (see
    /// --trusted-proxy). 0: no limit.
    #[arg(long, value_name = "N", default_value_t = solidaria_web::API_RATE.get(), env = "SOLIDARIA_API_RATE")]
    pub api_rate: u32,
    /// Requests that read or write the database (searches included) at the same time; the
    /// others wait their turn in arrival order. Too few leave a core idle while a request waits
    /// on the database; too many only make requests share the cores. Default: four per core, at
    /// least 8 (measured best of 2, 4 and 8 on two cores: BENCHMARKS.md).
    #[arg(long, value_name = "N", default_value_t = solidaria_web::db_requests_default() as u16, value_parser = clap::value_parser!(u16).range(1..=256), env = "SOLIDARIA_DB_REQUESTS")]
    pub db_requests: u16,
}

/// Arguments of `evidence`.
#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// The actor profile (see `solidaria profiles`).
    #[arg(long, value_name = "ID")]
    pub profile: String,

    /// One actor: what would decide its verdict.
    #[arg(long, value_name = "ID", required_unless_present = "all", conflicts_with = "all")]
    pub actor: Option<String>,

    /// Every actor of the database: the facts that would decide the most verdicts.
    #[arg(long)]
    pub all: bool,

    /// Output: readable text, JSON, or CSV (the worklist only).
    #[arg(long, value_enum, default_value = "text")]
    pub format: EvidenceFormat,

    /// Facts listed at most in the worklist's text output.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// Output formats of `evidence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceFormat {
    /// Readable text.
    Text,
    /// JSON.
    Json,
    /// CSV, one row per fact (with --all).
    Csv,
}
