//! Interface languages: English, French and Spanish strings, kept as TOML data, chosen from
//! `?lang=` or the browser's `Accept-Language`.

mod labels;
mod phrasing;

pub use phrasing::Words;

pub use labels::{
    BlockNames, CaseKindNames, CategoryNames, ClaimNames, FamilyNames, FieldNames, FitNames, MechanismKindNames,
    OutcomeNames, ProposalKinds, ProposalStateNames, ReasonWords, RelationNames, StrengthNames, SummaryWords,
    TransactionKindNames, VerdictNames, fill,
};
mod accounts;
mod areas;
mod cases;
mod ecosystem;
mod money;

pub use cases::StrengthRuleWords;
pub use ecosystem::EcosystemWords;
pub use money::MoneyWords;

pub use accounts::AccountNames;
pub use areas::{AssessmentNames, CoNames, DashboardNames, ManagerNames, SearchNames};
use serde::Deserialize;
#[cfg(test)]
use solidaria_core::actor::BuildingBlock;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Every string of the interface, in one language. Each language file must have every key (the
/// files are parsed with unknown and missing keys refused, and a test parses all three).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messages {
    pub title: String,
    pub search: String,
    pub search_label: String,
    pub territory_label: String,
    pub actors: String,
    pub category: String,
    pub legal_form: String,
    pub territory: String,
    pub claims: String,
    pub facts: String,
    pub no_facts: String,
    pub evidence: String,
    pub no_evidence: String,
    pub relations: String,
    pub verdicts: String,
    pub criterion: String,
    pub outcome: String,
    pub reason: String,
    pub citation: String,
    pub mismatch_warning: String,
    pub profiles: String,
    pub language: String,
    /// The language's own name, in the language menu ("Français").
    pub language_name: String,
    pub funds: String,
    pub fund_manager: String,
    pub no_funds: String,
    pub money_source: String,
    pub committed: String,
    pub received: String,
    pub public_money: String,
    pub private_money: String,
    pub leverage: String,
    pub leverage_target: String,
    pub headroom: String,
    pub invested: String,
    pub repaid: String,
    pub written_off: String,
    pub outstanding: String,
    pub cash: String,
    pub fund_public_note: String,
    pub facets: String,
    pub strength: String,
    pub preconditions: String,
    pub problem: String,
    pub root_causes: String,
    pub approach: String,
    pub outcomes: String,
    pub account: String,
    pub log_in: String,
    pub log_out: String,
    pub user_name: String,
    pub password: String,
    pub login_failed: String,
    pub signed_in_as: String,
    pub role: String,
    pub edit: String,
    pub name: String,
    pub description: String,
    pub website: String,
    pub note: String,
    pub submit: String,
    pub proposal_sent: String,
    pub applied: String,
    pub moderation: String,
    pub nothing_pending: String,
    pub proposed_by: String,
    pub changes: String,
    pub field: String,
    pub before: String,
    pub after: String,
    pub changed_since: String,
    pub duplicates: String,
    pub duplicates_intro: String,
    pub no_duplicates: String,
    pub threshold: String,
    pub review_merge: String,
    pub merge_keep: String,
    pub merge_absorb: String,
    pub merge_swap: String,
    pub merge_conflicts: String,
    pub merge_no_conflicts: String,
    pub merge_relations: String,
    pub merge_references: String,
    pub merge_result: String,
    pub merge_confirm: String,
    pub merge_done: String,
    pub undo_done: String,
    pub merges_recent: String,
    pub merge_undo: String,
    pub merge_undone: String,
    pub chosen: String,
    pub validate: String,
    pub reject: String,
    pub duplicate: String,
    pub message: String,
    pub duplicate_of: String,
    pub state: String,
    pub my_proposals: String,
    pub tokens: String,
    pub label: String,
    pub new_token: String,
    pub token_once: String,
    pub revoke: String,
    pub users: String,
    pub add_user: String,
    pub change_role: String,
    pub error: String,
    pub map: String,
    pub located: String,
    /// After the count of the listed actors' sites that have a location (`[sites_located]`).
    pub sites_located: String,
    /// A site's marker on the map: `{site}` of `{actor}`.
    pub site_of: String,
    pub map_offline: String,
    pub search_area: String,
    pub in_area: String,
    pub whole_map: String,
    pub import: String,
    pub import_help: String,
    pub import_report: String,
    pub import_records: String,
    pub import_ok: String,
    pub import_written: String,
    pub import_refused: String,
    pub import_new: String,
    pub import_changed: String,
    pub import_same: String,
    pub import_write: String,
    pub import_name: String,
    pub import_format: String,
    pub import_file: String,
    pub import_records_label: String,
    pub import_check: String,
    pub profile: String,
    pub jurisdiction: String,
    pub instrument: String,
    pub source: String,
    pub kind: String,
    pub test: String,
    pub grade: String,
    pub applies_if: String,
    pub change_password: String,
    pub current_password: String,
    pub new_password: String,
    pub by_law: String,
    pub by_law_intro: String,
    pub law_used: String,
    pub law_documented: String,
    pub law_default: String,
    pub law_unverified: String,
    pub data_conflict: String,
    pub would_decide: String,
    pub to_qualify: String,
    pub to_refute: String,
    /// The link and heading of the form supplying the facts that would decide a verdict.
    pub supply_facts: String,
    /// What that form is for.
    pub supply_intro: String,
    /// The link anonymous visitors get instead of that form.
    pub sign_in_to_contribute: String,
    /// When no fact can be supplied there.
    pub nothing_to_supply: String,
    /// The label of the source field (required).
    pub supply_source: String,
    /// The label of the link field.
    pub supply_url: String,
    /// The label of the date field.
    pub supply_date: String,
    /// The label of the note field.
    pub supply_note: String,
    /// Above the problems of a form sent back.
    pub supply_errors: String,
    /// A yes/no fact's "yes".
    pub yes: String,
    /// A yes/no fact's "no".
    pub no: String,
    /// The empty first option of a list.
    pub choose: String,
    /// Before what a fact's value must look like.
    pub expected: String,
    pub diagnostic: String,
    pub compared_with: String,
    pub diagnostic_intro: String,
    pub building_blocks: String,
    pub block: String,
    pub score: String,
    pub network: String,
    pub network_actors: String,
    pub network_links: String,
    pub network_parts: String,
    pub network_communities: String,
    pub network_isolated: String,
    pub brokers: String,
    pub actor: String,
    pub betweenness: String,
    pub bridges: String,
    pub gaps: String,
    pub suggestions: String,
    pub api_title: String,
    pub api_machine: String,
    pub api_errors: String,
    pub api_errors_detail: String,
    pub api_english: String,
    pub param_query: String,
    pub param_path: String,
    pub param_header: String,
    pub directory: String,
    pub territories: String,
    pub cases: String,
    pub profiles_menu: String,
    pub menu: String,
    pub breadcrumbs: String,
    /// The skip link at the top of every page, to the main content.
    pub skip_to_content: String,
    pub back_home: String,
    pub error_404: String,
    pub error_404_help: String,
    pub error_403: String,
    pub error_403_help: String,
    pub error_500: String,
    pub error_500_help: String,
    pub error_400_help: String,
    pub pages: String,
    /// The name of the second pager of a list, below it (landmarks need distinct names).
    pub pages_end: String,
    pub page_previous: String,
    pub page_next: String,
    pub page_of: String,
    pub choose_territory: String,
    pub choose_territory_help: String,
    pub territories_intro: String,
    pub actors_by_category: String,
    pub no_territories: String,
    pub shortlist: String,
    pub shortlist_rule: String,
    pub shortlist_none: String,
    pub all_brokers: String,
    pub why: String,
    pub expected_at_random: String,
    pub suggestions_intro: String,
    /// The seven building blocks of an ecosystem, by name.
    pub blocks: BlockNames,
    /// Co-construction: strategies, their deliberation and follow-up (`[co]`).
    pub co: CoNames,
    /// A fund's managers' pages: the ledger, positions and the posting form (`[fm]`).
    pub fm: ManagerNames,
    /// Search as you type (`[live_search]`).
    pub live_search: SearchNames,
    /// The categories of actors, by name (`[categories]`).
    pub categories: CategoryNames,
    /// Self-assessment: the questionnaire, its themes, self-declared and verified facts
    /// (`[assessment]`).
    pub assessment: AssessmentNames,
    /// The observatory's dashboard (`[dashboard]`).
    pub dashboard: DashboardNames,
    /// Account controls: disabled accounts, read-only tokens (`[accounts]`).
    pub accounts: AccountNames,
    /// The legal-form families, by name (`[families]`).
    pub families: FamilyNames,
    /// The claims, by name (`[claim_names]`).
    pub claim_names: ClaimNames,
    /// The relation kinds, each way (`[relation_kinds]`).
    pub relation_kinds: RelationNames,
    /// The verdicts (`[verdict_names]`).
    pub verdict_names: VerdictNames,
    /// The outcomes of a criterion (`[outcome_names]`).
    pub outcome_names: OutcomeNames,
    /// The fields a test may read (`[field_names]`).
    pub field_names: FieldNames,
    /// Short labels of the fact keys (`[fact_labels]`; every actor key, a test checks).
    pub fact_labels: BTreeMap<String, String>,
    /// The enum values of the vocabulary (`[value_labels]`; every actor value, a test checks).
    pub value_labels: BTreeMap<String, String>,
    /// Profile titles by id (`[profile_titles]`; empty in English, whose titles are the
    /// profiles' own; complete in the other languages, a test checks).
    pub profile_titles: BTreeMap<String, String>,
    /// Criterion titles by `profile.criterion` (`[criterion_titles]`; empty in English; every
    /// criterion of every actor profile in the other languages, a test checks).
    pub criterion_titles: BTreeMap<String, String>,
    /// The strength classes of a social innovation (`[strength_names]`).
    pub strength_names: StrengthNames,
    /// The kinds of cases (`[case_kinds]`).
    pub case_kinds: CaseKindNames,
    /// What proposals ask for (`[proposal_kinds]`).
    pub proposal_kinds: ProposalKinds,
    /// The templates of reasons (`[reasons]`).
    pub reasons: ReasonWords,
    /// The actor page's summary (`[summary]`).
    pub summary: SummaryWords,
    /// The territory diagnostic's reasons, gaps and suggestions (`[ecosystem]`).
    pub ecosystem: EcosystemWords,
    /// The kinds of financial mechanisms (`[mechanism_kinds]`).
    pub mechanism_kinds: MechanismKindNames,
    /// How a case or a mechanism fits a territory's context (`[fit_names]`).
    pub fit_names: FitNames,
    /// The kinds of ledger transactions (`[transaction_kinds]`).
    pub transaction_kinds: TransactionKindNames,
    /// Where a proposal stands (`[proposal_states]`).
    pub proposal_states: ProposalStateNames,
    /// A case's strength rule and precondition kinds (`[strength_rule]`).
    pub strength_rule: StrengthRuleWords,
    /// How amounts of money are written (`[money]`).
    pub money: MoneyWords,
}

/// The languages: every `i18n/*.toml` file (code, text), English first (the fallback), found by
/// the build script, so a new language is a new file.
pub const LANGUAGES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/languages.rs"));

impl Messages {
    /// Every language as (code, its own name), for the language menu of every page.
    pub fn languages(&self) -> &'static [(&'static str, &'static str)] {
        languages()
    }
}

/// Every language as (code, its own name), for the language menu (made once).
pub fn languages() -> &'static [(&'static str, &'static str)] {
    static NAMES: LazyLock<Vec<(&'static str, &'static str)>> =
        LazyLock::new(|| MESSAGES.iter().map(|(code, m)| (*code, m.language_name.as_str())).collect());
    &NAMES
}

static MESSAGES: LazyLock<Vec<(&'static str, Messages)>> = LazyLock::new(|| {
    LANGUAGES
        .iter()
        .map(|(code, text)| match toml::from_str(text) {
            Ok(m) => (*code, m),
            // The files are part of the source tree and a test parses each of them.
            Err(e) => panic!("i18n/{code}.toml is invalid: {e}"),
        })
        .collect()
});

/// The strings of a language code chosen by [`choose`].
pub fn messages(lang: &str) -> &'static Messages {
    let all = &*MESSAGES;
    all.iter().find(|(c, _)| *c == lang).map_or(&all[0].1, |(_, m)| m)
}

/// The language: `?lang=` when it is one we have, else the first of `Accept-Language` we have
/// (ignoring weights' order beyond the header's), else English.
pub fn choose(asked: Option<&str>, accept: Option<&str>) -> &'static str {
    let known = |s: &str| LANGUAGES.iter().map(|(c, _)| *c).find(|c| s.trim().to_ascii_lowercase().starts_with(c));
    if let Some(code) = asked.and_then(known) {
        return code;
    }
    let mut ranked: Vec<(f32, &'static str)> = accept
        .unwrap_or("")
        .split(',')
        .filter_map(|part| {
            let mut bits = part.split(';');
            let code = known(bits.next()?)?;
            let q = bits.find_map(|b| b.trim().strip_prefix("q=")?.parse::<f32>().ok()).unwrap_or(1.0);
            Some((q, code))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map_or("en", |r| r.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_string() {
        for (code, _) in LANGUAGES {
            assert!(!messages(code).title.is_empty());
        }
        assert_eq!(LANGUAGES[0].0, "en", "English is the fallback");
        let names: Vec<&str> = languages().iter().map(|(_, n)| *n).collect();
        assert!(names.contains(&"English") && names.contains(&"Français") && names.contains(&"Español"), "{names:?}");
        assert_ne!(messages("fr").search, messages("en").search);
    }

    #[test]
    fn english_block_names_are_the_domain_s_words() {
        for b in BuildingBlock::ALL {
            assert_eq!(messages("en").blocks.of(*b), solidaria_core::ecosystem::block_words(*b));
            assert_ne!(messages("fr").blocks.of(*b), messages("es").blocks.of(*b), "{b}");
        }
    }

    #[test]
    fn every_category_has_a_name_in_every_language() {
        for c in solidaria_core::actor::Category::ALL {
            for (code, _) in LANGUAGES {
                let name = messages(code).categories.of(&c.to_string());
                assert_ne!(name, messages(code).categories.of("unknown"), "{code}: {c}");
            }
        }
        assert_ne!(messages("fr").categories.of("sse_organization"), messages("en").categories.of("sse_organization"));
    }

    #[test]
    fn language_choice() {
        assert_eq!(choose(Some("es"), Some("fr")), "es");
        assert_eq!(choose(None, Some("de-DE,fr-CA;q=0.8,en;q=0.5")), "fr");
        assert_eq!(choose(Some("xx"), Some("en;q=0.2,es;q=0.9")), "es");
        assert_eq!(choose(None, None), "en");
    }
}
