//! The arguments of `solidaria finance` and its subcommands.

use clap::Subcommand;

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
    /// Match organizations with funds and mechanisms: the funds and financial mechanisms an
    /// organization may use, or the organizations of a fund's territories, ranked with their
    /// reasons and missing facts.
    ///
    /// Every condition of a fund's eligibility is checked as a posted investment would be
    /// (screening verdicts under its profiles, territory, readiness stage); instrument and ticket
    /// size are left to the offer. A mechanism is checked for the legal-form families it serves,
    /// its territories and verdicts, where it is offered and whether the context it relies on
    /// holds in the organization's territory. Eligible matches come first, then undecided ones
    /// (each names the facts that would decide, fewest first), then the rest.
    #[command(
        after_help = "Examples:\n  solidaria finance match --actor coop-la-source\n  solidaria finance match --fund sff-cap-finance --format json"
    )]
    #[command(group = clap::ArgGroup::new("side").required(true).args(["actor", "fund"]))]
    Match {
        /// The organization whose funds and mechanisms to find.
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
