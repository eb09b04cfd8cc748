//! The arguments of each subcommand and the values their options take.

use clap::{Args, Subcommand, ValueEnum};
use solidaria_app::export::{EXPORT_FORMATS, ExportFormat};
use solidaria_formats::{BaseUrl, Format};

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
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
}

/// Arguments of `profiles show`.
#[derive(Debug, Args)]
pub struct ProfileShowArgs {
    /// Profile id (see `solidaria profiles`).
    pub id: String,
    /// Output format.
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
}

/// The built-in import mappings, each explained in `--help`.
fn mapping_names() -> clap::builder::PossibleValuesParser {
    use clap::builder::PossibleValue;
    clap::builder::PossibleValuesParser::new([
        PossibleValue::new("essglobal-csv")
            .help("Co-operatives UK's open data in the ESSGlobal standard CSV (Digital Commons Co-op, 2022 editions)"),
        PossibleValue::new("coops-uk-2017").help("Co-operatives UK's own 2017 organisations file"),
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
    /// `text` for people, `json` for tools.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ShowFormat,
}

/// Output of `profiles` and `screen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Readable text.
    Text,
    /// JSON (JSON Lines for `screen`: one object per actor and profile).
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
    Programmes(AssessArgs),
}

/// Arguments of `innovation assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// Only this case (default: every case in the database).
    #[arg(long)]
    pub case: Option<String>,
    /// Output: readable text, or JSON Lines `{"case", "class", "rule", "dimensions": [...]}`.
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
    #[arg(long)]
    pub compare: Option<String>,
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
    /// A printable HTML report with a radar chart of the blocks and a picture of the network.
    Html,
}

/// Subcommands of `user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; its password (at least 12 characters) is read from standard input.
    Add(UserAddArgs),
    /// List accounts and their roles.
    List,
    /// Change an account's role.
    Role {
        /// User name.
        name: String,
        /// New role: contributor, moderator or admin.
        role: String,
    },
    /// Change an account's password (read from standard input) and end its sessions.
    Password {
        /// User name.
        name: String,
    },
    /// Issue an API token to an account and print it (once: only its digest is kept).
    Token {
        /// User name.
        name: String,
        /// What the token is for.
        #[arg(long)]
        label: String,
    },
    /// List API tokens (never their values).
    Tokens {
        /// Only this user's.
        name: Option<String>,
    },
    /// Revoke an API token by number.
    Revoke {
        /// Token number (see `user tokens`).
        id: i64,
    },
    /// Show the account-event log: users added, roles changed, tokens, proposals, logins.
    Events {
        /// Latest entries shown.
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
}

/// Arguments of `user add`.
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// User name: 3 to 40 of a-z, 0-9, '.', '_', '-'.
    pub name: String,
    /// Role: contributor, moderator or admin.
    #[arg(long, default_value = "contributor")]
    pub role: String,
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
    /// The public address of this instance (https://directory.example.org), for the stable
    /// addresses in JSON-LD and Murmurations profiles; without it, http:// and the Host each
    /// request names.
    #[arg(long, value_name = "URL", value_parser = base_url, env = "SOLIDARIA_BASE_URL")]
    pub base_url: Option<BaseUrl>,
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

/// The `finance` subcommands.
#[derive(Debug, Subcommand)]
pub enum FinanceCommand {
    /// The financial mechanisms catalogue (grants, loans, quasi-equity, guarantees, community
    /// shares, solidarity savings, rotating savings, matchfunding, blended funds), each with its
    /// fit to a territory's context.
    ///
    /// A mechanism's preconditions (what it needs of the context: formal credit, local trust, an
    /// SSE law) are tested against the territory's context facts as an innovation case's are by
    /// `solidaria transfer`: fits, partial (a supportive one fails), unknown (an essential one is
    /// not documented) or does not fit. With --territory, mechanisms offered there (in it or a
    /// territory it is in) come first, then those offered elsewhere, each group by fit; without,
    /// each mechanism is judged in its own territory. Mechanisms are records (`"type":
    /// "mechanism"`, docs/formats.md), added with `solidaria import`.
    #[command(
        after_help = "Examples:\n  solidaria finance mechanisms\n  solidaria finance mechanisms --territory ZA-GP\n  solidaria finance mechanisms --territory CA-QC --format json"
    )]
    Mechanisms {
        /// The territory to fit the mechanisms to (an ISO code or a custom region).
        #[arg(long)]
        territory: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Add or update fund definitions from a JSON file (one fund record, or JSON Lines of them).
    ///
    /// A fund names its manager and public sources (actors of the registry), its currency, the
    /// release rule of its public money and who may receive its investments. Once a fund has
    /// postings its definition is fixed. See docs/finance.md.
    #[command(after_help = "Example:\n  solidaria finance fund sff-boann.json")]
    Fund {
        /// The fund file.
        file: String,
    },
    /// List the funds.
    Funds {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Post transactions (JSON Lines of transaction records) to the funds' ledgers, all or nothing.
    ///
    /// Every posting is checked in the database's transaction: debits equal credits, public money
    /// drawn only as the fund's release rule allows at that moment, investments only in eligible
    /// organizations (screened on the spot, the screening kept with the posting) and within the
    /// cash held, repayments and write-offs within the principal outstanding, a reversal once for
    /// the whole amount. A transaction posted again with the same content changes nothing. If any
    /// posting is refused, nothing is kept and each refusal names its invariant with the figures.
    #[command(after_help = "Example:\n  solidaria finance post 2024-q2.jsonl")]
    Post {
        /// The transactions file; `-` reads standard input.
        file: String,
    },
    /// An organization's investment readiness: a stage (not_ready, emerging, ready) per
    /// dimension and overall, with reasons and next steps.
    ///
    /// Each dimension (legal structure, governance, financial management, revenue model, impact
    /// measurement, team) is read from the organization's documented facts by a readiness
    /// profile whose criteria are cited and graded; the overall stage is the weakest
    /// dimension's. A missing fact is never guessed: the stage is then "between" two, and the
    /// facts that would decide are named. The next steps list what to meet or document, and the
    /// capacity-building and finance actors of the organization's territory and of the
    /// territories it is in, nearest first. See docs/finance.md.
    #[command(
        after_help = "Examples:\n  solidaria finance readiness --actor coop-la-source\n  solidaria finance readiness --actor coop-la-source --format json"
    )]
    Readiness {
        /// The organization (an actor id).
        #[arg(long)]
        actor: String,
        /// The readiness profile (default: social-finance-readiness).
        #[arg(long)]
        profile: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// Match organizations and funds: the funds an organization is eligible for, or the
    /// organizations of a fund's territories, ranked with their reasons and missing facts.
    ///
    /// Every condition of a fund's eligibility is checked as a posted investment would be
    /// (screening verdicts under its profiles, territory, readiness stage); instrument and ticket
    /// size are left to the offer. Eligible matches come first, then undecided ones (each names
    /// the facts that would decide, fewest first), then the rest.
    #[command(
        after_help = "Examples:\n  solidaria finance match --actor coop-la-source\n  solidaria finance match --fund sff-cap-finance --format json"
    )]
    #[command(group = clap::ArgGroup::new("side").required(true).args(["actor", "fund"]))]
    Match {
        /// The organization whose funds to find.
        #[arg(long)]
        actor: Option<String>,
        /// The fund whose organizations to find.
        #[arg(long)]
        fund: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
        format: TextOrJson,
    },
    /// A fund's report: money committed and received by source, leverage achieved against the
    /// rule, headroom, invested, outstanding, repaid, written off, cash, and its reach.
    ///
    /// Reach groups the investees, with what was invested in them and what they still owe, by
    /// territory and country, legal-form family, building block, instrument and target group
    /// (the bands of beneficiaries.vulnerable_share and workers.disadvantaged_share), and by
    /// the screening verdicts kept with their investments and their verdicts now under the
    /// fund's profiles. `--format svg` draws private and public money received over time.
    #[command(
        after_help = "Examples:\n  solidaria finance report --fund sff-boann\n  solidaria finance report --fund sff-boann --as-of 2024-12-31 --format json\n  solidaria finance report --fund sff-boann --format svg > leverage.svg"
    )]
    Report {
        /// The fund.
        #[arg(long)]
        fund: String,
        /// Count postings up to this day (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Export a fund's portfolio: in the Common Impact Data Standard with its Social Finance
    /// Fund module (JSON-LD), or its grants in the 360Giving Data Standard (JSON).
    ///
    /// CIDS: the manager and investees as organizations, each investee's funding status with the
    /// amounts, instruments and verdicts at investment, and the fund's figures as indicators
    /// with their reports. 360Giving: each investment with the instrument `grant`, identified
    /// `360G-PREFIX-ID`. Reversed investments are left out. See docs/finance.md.
    #[command(
        after_help = "Examples:\n  solidaria finance export --fund sff-boann --format cids > sff-boann.jsonld\n  solidaria finance export --fund sff-boann --format 360giving --prefix boann > grants.json"
    )]
    Export {
        /// The fund.
        #[arg(long)]
        fund: String,
        /// Count postings up to this day (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
        /// The standard.
        #[arg(long, value_enum)]
        format: FinanceExport,
        /// The publisher's 360Giving identifier prefix (default: the fund manager's id).
        #[arg(long)]
        prefix: Option<String>,
    },
}

/// The formats of `finance report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Readable text.
    Text,
    /// JSON.
    Json,
    /// An SVG chart of private and public money received over time.
    Svg,
}

/// The standards of `finance export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FinanceExport {
    /// Common Impact Data Standard with its Social Finance Fund module, JSON-LD.
    Cids,
    /// 360Giving Data Standard, JSON.
    #[value(name = "360giving")]
    Giving360,
}

/// A readable text or JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    /// Readable text.
    Text,
    /// JSON.
    Json,
}

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
