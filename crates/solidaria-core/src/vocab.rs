//! The fact vocabulary v1: the keys every Solidaria file may use, their value types and meanings.
//!
//! This table is the interchange contract (DESIGN §3). A known key whose value has the wrong type,
//! or an enum value outside its list, is refused. A key outside the table is kept as a custom fact
//! with whatever JSON value it has; an input (a file, an API body) must declare it by its
//! namespace ([`DECLARED_NAMESPACES`]: `x.` for one's own facts), and any other key is refused
//! with the nearest known key ([`unknown_key`]), so that a typo (`governance.votingrule`) is not
//! silently kept as a custom fact. Nothing here is ever defaulted: a missing fact is unknown.

/// The type of a vocabulary key's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactType {
    /// `true` or `false`.
    Bool,
    /// A whole number, zero or more.
    Count,
    /// A proportion between 0 and 1 inclusive.
    Share,
    /// A rate written as a fraction between 0 and 1 (0.05 for 5 %).
    Rate,
    /// A number of at least 1 (a ratio of a highest to a lowest value).
    Ratio,
    /// A finite number of 0 or more (a ratio that may be below or above 1).
    Number,
    /// One value from a closed list.
    Enum(&'static [&'static str]),
    /// Several distinct values from a closed list (at least one).
    Set(&'static [&'static str]),
    /// The id of another actor.
    ActorRef,
}

impl FactType {
    /// What a valid value of this type looks like, in plain words, for error messages and docs.
    pub fn expected(&self) -> String {
        match self {
            FactType::Bool => "true or false".into(),
            FactType::Count => "a whole number, 0 or more".into(),
            FactType::Share => "a number from 0 to 1".into(),
            FactType::Rate => "a rate as a fraction from 0 to 1 (0.05 for 5%)".into(),
            FactType::Ratio => "a number of at least 1".into(),
            FactType::Number => "a number, 0 or more".into(),
            FactType::Enum(values) => crate::error::one_of(values),
            FactType::Set(values) => {
                format!("a non-empty list of {}", crate::error::one_of(values))
            }
            FactType::ActorRef => format!("an actor id ({})", crate::text::ID_EXPECTED),
        }
    }

    /// Short type name used in documentation tables.
    pub fn name(&self) -> &'static str {
        match self {
            FactType::Bool => "bool",
            FactType::Count => "count",
            FactType::Share => "share",
            FactType::Rate => "rate",
            FactType::Ratio => "ratio",
            FactType::Number => "number",
            FactType::Enum(_) => "enum",
            FactType::Set(_) => "set",
            FactType::ActorRef => "actor id",
        }
    }
}

/// Which kind of record a key describes. Known keys are type-checked on every record type; this
/// says where they belong, for documentation and later screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// An actor (organization).
    Actor,
    /// An innovation case.
    Case,
    /// A territory's context profile.
    Territory,
    /// An innovation policy or programme (a case screened as a programme).
    Programme,
}

/// One key of the vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct FactSpec {
    /// The dotted key, e.g. `governance.voting_rule`.
    pub key: &'static str,
    /// The value type.
    pub ty: FactType,
    /// What the fact means, in plain words.
    pub meaning: &'static str,
    /// Which records the key describes.
    pub subject: Subject,
}

/// Values of `purpose.primary`.
pub const PURPOSES: &[&str] = &["general_interest", "collective_interest", "mutual_interest", "private_profit"];
/// Values of `members.types`.
pub const MEMBER_TYPES: &[&str] =
    &["workers", "users", "producers", "consumers", "investors", "public_bodies", "volunteers", "other_orgs"];
/// Values of `governance.voting_rule`.
pub const VOTING_RULES: &[&str] =
    &["one_member_one_vote", "capped_weighted", "capital_weighted", "appointed_board", "no_members"];
/// Values of `surplus.distribution_basis`.
pub const DISTRIBUTION_BASES: &[&str] = &["none", "patronage", "capital", "mixed"];
/// Values of `si.permanence`.
pub const PERMANENCE: &[&str] = &["one_off", "project", "programme", "organization", "law_or_regulation"];
/// Values of `si.led_by`.
pub const LED_BY: &[&str] = &["community", "sse_organization", "public", "corporate", "mixed"];
/// Values of `context.income_level` (World Bank income groups).
pub const INCOME_LEVELS: &[&str] = &["low", "lower_middle", "upper_middle", "high"];
/// Values of `context.urbanisation`.
pub const URBANISATION: &[&str] = &["rural", "peri_urban", "urban"];
/// Values of the low/medium/high context scales.
pub const LOW_MEDIUM_HIGH: &[&str] = &["low", "medium", "high"];
/// Values of `context.social_finance_market`.
pub const SOCIAL_FINANCE_MARKETS: &[&str] = &["none", "emerging", "developed"];

macro_rules! spec {
    ($key:literal, $ty:expr, $subject:ident, $meaning:literal) => {
        FactSpec { key: $key, ty: $ty, meaning: $meaning, subject: Subject::$subject }
    };
}

use FactType::*;

/// The fact vocabulary v1, in documentation order.
pub static VOCABULARY: &[FactSpec] = &[
    spec!("purpose.primary", Enum(PURPOSES), Actor, "whom the activity serves first"),
    spec!("purpose.statutory_mission", Bool, Actor, "a social or environmental mission is written in the statutes"),
    spec!(
        "membership.open_voluntary",
        Bool,
        Actor,
        "membership is voluntary and open without arbitrary discrimination"
    ),
    spec!("members.count", Count, Actor, "number of members (all types)"),
    spec!("members.types", Set(MEMBER_TYPES), Actor, "who the members are"),
    spec!("governance.voting_rule", Enum(VOTING_RULES), Actor, "how the supreme body votes"),
    spec!("governance.members_elect_board", Bool, Actor, "members elect the board"),
    spec!(
        "governance.stakeholder_participation",
        Bool,
        Actor,
        "workers, users or beneficiaries take part in decisions"
    ),
    spec!("control.public_share", Share, Actor, "share of voting control held by public authorities"),
    spec!("control.investor_share", Share, Actor, "share of voting control held by for-profit companies or investors"),
    spec!("control.controlled_by", ActorRef, Actor, "the entity that controls it, if any"),
    spec!("surplus.distribution_allowed", Bool, Actor, "surpluses may be distributed to members or shareholders"),
    spec!(
        "surplus.distribution_cap",
        Share,
        Actor,
        "statutory maximum share of annual surplus that may be distributed (1 when there is no cap)"
    ),
    spec!(
        "surplus.distribution_basis",
        Enum(DISTRIBUTION_BASES),
        Actor,
        "what distributions follow: nothing, members' transactions or work, capital held, or both"
    ),
    spec!("surplus.distributed_share", Share, Actor, "share of last year's surplus actually distributed"),
    spec!("surplus.reinvested_share", Share, Actor, "share of last year's surplus kept for the mission or reserves"),
    spec!(
        "capital.return_cap",
        Rate,
        Actor,
        "statutory cap on interest or dividend paid on capital (1 when there is no cap)"
    ),
    spec!("reserves.indivisible", Bool, Actor, "reserves cannot be shared among members"),
    spec!(
        "assets.lock",
        Bool,
        Actor,
        "on dissolution, net assets go to another entity of similar purpose, not to members"
    ),
    spec!("income.trading_share", Share, Actor, "share of income from sales of goods and services"),
    spec!("employees.count", Count, Actor, "paid workers"),
    spec!("pay.ratio_max", Ratio, Actor, "highest pay divided by lowest pay"),
    spec!("transparency.public_accounts", Bool, Actor, "accounts are published"),
    spec!("transparency.impact_report", Bool, Actor, "a social/environmental impact report is published"),
    // Added by Solidaria to the v1 contract: the facts that national SSE laws test and the keys
    // above do not express (see docs/screening.md for the instruments that read each).
    spec!(
        "purpose.social_utility",
        Bool,
        Actor,
        "the main aim is social utility: supporting people in fragile situations, fighting exclusion or inequality, or social and territorial cohesion"
    ),
    spec!(
        "purpose.community_benefit",
        Bool,
        Actor,
        "the activities benefit the community or a section of it wider than members and employees"
    ),
    spec!(
        "listing.regulated_market",
        Bool,
        Actor,
        "its shares are admitted to trading on a regulated or equivalent market"
    ),
    spec!(
        "pay.top1_to_min_wage",
        Ratio,
        Actor,
        "annual full-time pay of the best-paid person divided by the full-time minimum wage"
    ),
    spec!(
        "pay.top5_to_min_wage",
        Ratio,
        Actor,
        "average annual full-time pay of the five best-paid people divided by the full-time minimum wage"
    ),
    spec!("workers.disadvantaged_share", Share, Actor, "share of workers from disadvantaged or vulnerable groups"),
    spec!("beneficiaries.vulnerable_share", Share, Actor, "share of the people served who belong to vulnerable groups"),
    spec!(
        "income.general_interest_share",
        Share,
        Actor,
        "share of revenue from activities of general interest listed by law"
    ),
    spec!(
        "income.trading_to_labour_costs",
        Number,
        Actor,
        "revenue from business activities divided by total labour costs over the same period"
    ),
    spec!(
        "expenses.social_utility_share",
        Share,
        Actor,
        "share of operating expenses spent on social-utility activities (average of the last three years)"
    ),
    spec!(
        "members.directly_involved",
        Bool,
        Actor,
        "members take part directly in the activity, as workers, producers or users"
    ),
    spec!("trade.fair_solidarity", Bool, Actor, "trades on fair and solidarity terms with its partners"),
    spec!("activity.labour_intermediation", Bool, Actor, "its main activity is supplying workers to other businesses"),
    // Added for investment readiness (docs/finance.md): what social-finance intermediaries ask
    // to see that the keys above do not express.
    spec!("finance.annual_accounts", Bool, Actor, "annual financial statements are prepared for each year"),
    spec!(
        "finance.accounts_audited",
        Bool,
        Actor,
        "the last annual financial statements were audited or reviewed by an independent accountant"
    ),
    spec!(
        "finance.business_plan",
        Bool,
        Actor,
        "a written business plan with financial projections (income, expenses, cash flow) for at least the next year"
    ),
    spec!(
        "impact.indicators",
        Bool,
        Actor,
        "the social or environmental outcomes sought are tracked with defined indicators"
    ),
    spec!("team.finance_lead", Bool, Actor, "a named person (staff or volunteer) is responsible for the finances"),
    spec!(
        "status.sse_by_law",
        Bool,
        Actor,
        "the SSE law of its country names its legal form as part of the social and solidarity economy (France: law of 31 July 2014, art. 1 II 1°)"
    ),
    spec!("si.addresses_root_causes", Bool, Case, "the innovation addresses the root causes of the problem"),
    spec!("si.community_empowerment", Bool, Case, "the people concerned gain new capacities through the process"),
    spec!("si.collective_action", Bool, Case, "the innovation rests on collective, multi-actor action"),
    spec!("si.actor_types", Count, Case, "number of distinct actor categories involved"),
    spec!("si.beneficiaries_codesign", Bool, Case, "the people concerned co-designed it"),
    spec!("si.democratic_governance", Bool, Case, "the innovation is governed democratically"),
    spec!("si.ecological_dimension", Bool, Case, "the innovation has an ecological dimension"),
    spec!("si.permanence", Enum(PERMANENCE), Case, "how lasting the change is"),
    spec!("si.led_by", Enum(LED_BY), Case, "who leads the innovation"),
    spec!(
        "programme.social_from_outset",
        Bool,
        Programme,
        "the social dimension is in the programme's objectives and selection criteria from its design, not added later"
    ),
    spec!(
        "programme.funds_collective_processes",
        Bool,
        Programme,
        "it funds collective processes (organizing, co-construction, networks), not only outcomes"
    ),
    spec!(
        "programme.sse_eligibility_on_substance",
        Bool,
        Programme,
        "organizations are eligible as SSE on their governance and use of surpluses, not on a label or a legal form"
    ),
    spec!(
        "programme.co_constructed",
        Bool,
        Programme,
        "designed and run with several kinds of actors (SSE networks, civil society, universities, public bodies)"
    ),
    spec!(
        "programme.adapted_locally",
        Bool,
        Programme,
        "its instruments are adapted to each local context rather than one model for all"
    ),
    spec!(
        "programme.finance_within_ecosystem_strategy",
        Bool,
        Programme,
        "its finance is part of a wider ecosystem strategy (capacity building, market access, knowledge), not a stand-alone fund"
    ),
    spec!("context.income_level", Enum(INCOME_LEVELS), Territory, "income group of the territory"),
    spec!("context.informal_economy_share", Share, Territory, "share of employment in the informal economy"),
    spec!("context.urbanisation", Enum(URBANISATION), Territory, "settlement type"),
    spec!("context.sse_law", Bool, Territory, "an SSE framework law is in force"),
    spec!("context.sse_networks", Count, Territory, "number of active SSE networks"),
    spec!(
        "context.procurement_open_to_sse",
        Bool,
        Territory,
        "public procurement rules open contracts to SSE organizations"
    ),
    spec!(
        "context.local_trust_reliance",
        Enum(LOW_MEDIUM_HIGH),
        Territory,
        "how much economic life rests on local trust"
    ),
    spec!("context.electricity_access", Share, Territory, "share of the population with electricity"),
    spec!("context.formal_credit_access", Share, Territory, "share of adults with access to formal credit"),
    spec!(
        "context.social_finance_market",
        Enum(SOCIAL_FINANCE_MARKETS),
        Territory,
        "maturity of the social finance market"
    ),
    spec!("context.gender_mobility_constraints", Enum(LOW_MEDIUM_HIGH), Territory, "constraints on women's mobility"),
];

/// Looks a key up in the vocabulary (by [`slot`]: every fact of every record read asks).
pub fn spec(key: &str) -> Option<&'static FactSpec> {
    slot(key).map(|i| &VOCABULARY[usize::from(i)])
}

/// Position of a key in the vocabulary, by a hash lookup: what screening's prepared subjects
/// index facts by (`None` for a key outside the vocabulary). The keys are the vocabulary's own
/// short texts and the table never grows from input (lookups only), so a fast
/// non-cryptographic hash (FxHash) serves.
pub fn slot(key: &str) -> Option<u16> {
    static SLOTS: std::sync::LazyLock<rustc_hash::FxHashMap<&'static str, u16>> = std::sync::LazyLock::new(|| {
        let mut slots = rustc_hash::FxHashMap::default();
        for (i, s) in VOCABULARY.iter().enumerate() {
            slots.entry(s.key).or_insert(i as u16);
        }
        slots
    });
    SLOTS.get(key).copied()
}

/// Position of a key in the vocabulary (for stable column and display order); custom keys sort after.
pub fn order(key: &str) -> usize {
    VOCABULARY.iter().position(|s| s.key == key).unwrap_or(VOCABULARY.len())
}

/// Longest accepted fact key, in bytes.
pub const KEY_MAX_LEN: usize = 100;

/// What a valid fact key looks like, for error messages.
pub const KEY_EXPECTED: &str =
    "a dotted key of lowercase letters, digits and '_' (e.g. \"governance.voting_rule\"), at most 100 characters";

/// Checks the shape of a fact key (known or custom): dotted lowercase segments.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= KEY_MAX_LEN
        && key.split('.').all(|seg| {
            !seg.is_empty()
                && seg.as_bytes()[0].is_ascii_lowercase()
                && seg.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// The namespace of a user's own fact keys (`x.founder`): keys a file may use beyond the
/// vocabulary.
pub const CUSTOM_PREFIX: &str = "x.";

/// The namespaces of fact keys outside the vocabulary that an input may use: [`CUSTOM_PREFIX`],
/// and `register.`, the facts a register load records (`register.activity`, docs/register.md).
pub const DECLARED_NAMESPACES: &[&str] = &[CUSTOM_PREFIX, "register."];

/// Whether a key is a declared custom key (under one of [`DECLARED_NAMESPACES`]).
pub fn is_custom(key: &str) -> bool {
    DECLARED_NAMESPACES.iter().any(|n| key.starts_with(n))
}

/// The vocabulary key nearest to `key` when it is close enough to be a typo of it (an edit
/// distance of at most 3, and at most a third of the key's length).
pub fn nearest(key: &str) -> Option<&'static str> {
    let (distance, best) = VOCABULARY.iter().map(|s| (strsim::damerau_levenshtein(key, s.key), s.key)).min()?;
    (distance <= 3 && distance * 3 <= key.chars().count()).then_some(best)
}

/// What an unknown key should have been: the `(expected, found)` parts of an error about `key`,
/// a well-shaped key that is neither in the vocabulary nor custom. `prefix` is what comes before
/// the key where it is written (`facts.` in a CSV column or a mapping, empty in a JSON object).
pub fn unknown_key(key: &str, prefix: &str) -> (String, String) {
    let expected = format!(
        "a key of the fact vocabulary (`solidaria vocabulary` lists them) or a custom key declared under \"{CUSTOM_PREFIX}\" (\"{prefix}{CUSTOM_PREFIX}{key}\")"
    );
    let found = match nearest(key) {
        Some(k) => format!("\"{prefix}{key}\", an unknown key: did you mean \"{prefix}{k}\"?"),
        None => format!("\"{prefix}{key}\", an unknown key"),
    };
    (expected, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_nearest_key_and_nothing_far_does() {
        assert_eq!(nearest("governance.votingrule"), Some("governance.voting_rule"));
        assert_eq!(nearest("asets.lock"), Some("assets.lock"));
        assert_eq!(nearest("members.cuont"), Some("members.count"));
        assert_eq!(nearest("colour.of_the_door"), None);
        assert_eq!(nearest("a.b"), None);
        let (expected, found) = unknown_key("governance.votingrule", "");
        assert!(expected.contains("\"x.governance.votingrule\""), "{expected}");
        assert!(found.ends_with("did you mean \"governance.voting_rule\"?"), "{found}");
        assert!(is_custom("x.founder") && is_custom("register.activity") && !is_custom("xfounder.a"));
    }

    #[test]
    fn keys_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for s in VOCABULARY {
            assert!(seen.insert(s.key), "duplicate {}", s.key);
            assert!(is_valid_key(s.key), "{}", s.key);
        }
        assert_eq!(VOCABULARY.len(), 69);
    }

    #[test]
    fn distribution_basis_is_in_the_vocabulary() {
        let s = spec("surplus.distribution_basis").unwrap();
        assert_eq!(s.ty, FactType::Enum(DISTRIBUTION_BASES));
    }

    #[test]
    fn key_shapes() {
        assert!(is_valid_key("x.custom_2"));
        for bad in ["", "A.b", "a..b", ".a", "a.", "a-b", "a b", "2x"] {
            assert!(!is_valid_key(bad), "{bad}");
        }
    }
}
