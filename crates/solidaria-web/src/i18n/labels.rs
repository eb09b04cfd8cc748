//! People's words for the codes the pages show: categories, legal-form families, claims,
//! relation kinds, verdicts, outcomes, fields, fact keys, enum values, profile and criterion
//! titles, and the templates of reasons and of the actor page's summary.
//!
//! Closed lists are structs (a language file missing one of their keys does not parse); open
//! tables (fact keys, values, titles) are maps, checked by the tests below to cover every code
//! the domain defines, in every language.

use super::Messages;
use serde::Deserialize;
use solidaria_core::actor::BuildingBlock;
use solidaria_core::relation::RelationKind;
use solidaria_core::screening::profile::Profile;
use solidaria_core::screening::{Outcome, Verdict};

/// Declares a struct of one `String` per code, with a lookup by code.
macro_rules! names {
    ($(#[$doc:meta])* $name:ident { $($field:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($field: String,)+
        }

        impl $name {
            /// The words of a code, if it is one of this list.
            pub fn get(&self, code: &str) -> Option<&str> {
                match code {
                    $(stringify!($field) => Some(&self.$field),)+
                    _ => None,
                }
            }
        }
    };
}

names! {
    /// The categories of actors (`[categories]`).
    CategoryNames { sse_organization, support_network, knowledge_institution, public_authority,
        finance_provider, private_business, civil_society_movement, unknown }
}

impl CategoryNames {
    /// The name of a category given by its code (`unknown`, or any code this version does not
    /// know, reads as "not recorded").
    pub fn of(&self, code: &str) -> &str {
        self.get(code).unwrap_or(&self.unknown)
    }
}

names! {
    /// The legal-form families (`[families]`).
    FamilyNames { cooperative, mutual, association, foundation, company, public_body, informal_group, trust, other }
}

names! {
    /// The labels an actor may claim (`[claim_names]`).
    ClaimNames { sse, social_economy, solidarity_economy, social_innovation, social_enterprise, cooperative,
        mutual, non_profit, fair_trade }
}

names! {
    /// The relation kinds, seen from the `from` actor (`funds`) and from the `to` actor
    /// (`funds_rev`: "Funded by") (`[relation_kinds]`).
    RelationNames { member_of, member_of_rev, federates, federates_rev, funds, funds_rev, partners_with,
        partners_with_rev, supplies, supplies_rev, procures_from, procures_from_rev, supports, supports_rev,
        co_constructs, co_constructs_rev, trains, trains_rev, researches_with, researches_with_rev }
}

names! {
    /// The verdicts (`[verdict_names]`).
    VerdictNames { qualifies, does_not_qualify, insufficient_evidence }
}

names! {
    /// The outcomes of a criterion (`[outcome_names]`).
    OutcomeNames { pass, fail, unknown, not_applicable }
}

names! {
    /// The fields of a record a test may read (`legal_form.family` is `legal_form_family`)
    /// (`[field_names]`).
    FieldNames { legal_form_family, legal_form_code, category, claims, kind }
}

names! {
    /// The strength classes of a social innovation (`[strength_names]`).
    StrengthNames { strong, intermediate, weak, undetermined }
}

names! {
    /// What a proposal asks the moderator for, by record type (`[proposal_kinds]`): the
    /// moderation queue's headings.
    ProposalKinds { upsert_actor, delete_actor, upsert_relation, delete_relation, upsert_territory,
        delete_territory, upsert_case, delete_case, upsert_mechanism, delete_mechanism,
        upsert_strategy, delete_strategy }
}

impl ProposalKinds {
    /// What `p` asks for, in words ("Delete an actor"; the code when this version has no words).
    pub fn of(&self, p: &solidaria_store::accounts::Proposal) -> String {
        let code = format!("{}_{}", p.action.as_str(), p.record_type);
        self.get(&code).map_or(code.clone(), str::to_string)
    }
}

names! {
    /// The kinds of social-innovation cases (`[case_kinds]`).
    CaseKindNames { law, regulation, programme, organization, product, service, network, financial_mechanism }
}

names! {
    /// The kinds of financial mechanisms (`[mechanism_kinds]`).
    MechanismKindNames { grant, loan, quasi_equity, equity, guarantee, community_shares_or_bonds,
        solidarity_savings, rotating_savings, matchfunding, blended }
}

names! {
    /// The kinds of ledger transactions (`[transaction_kinds]`).
    TransactionKindNames { commitment, receipt, drawdown, investment, repayment, interest, write_off, fee, reversal }
}

names! {
    /// Where a proposal stands (`[proposal_states]`).
    ProposalStateNames { pending, validated, rejected, duplicate }
}

impl ProposalStateNames {
    /// Where a proposal in `state` stands, in words.
    pub fn of(&self, state: solidaria_core::moderation::ProposalState) -> &str {
        self.get(state.as_str()).unwrap_or(state.as_str())
    }
}

names! {
    /// How a case or a mechanism fits a territory's context (`[fit_names]`).
    FitNames { fits, partial, unknown, does_not_fit }
}

names! {
    /// The building blocks of an ecosystem (`[blocks]`).
    BlockNames { capacity_building, finance, market_access, policy, knowledge_transfer, data_measurement,
        awareness_mobilisation }
}

impl BlockNames {
    /// The name of `b` in this language.
    pub fn of(&self, b: BuildingBlock) -> &str {
        self.get(b.as_str()).unwrap_or(b.as_str())
    }
}

/// The templates of reasons (`[reasons]`): one per kind of clause and joint of
/// `solidaria_core::screening::phrase`, with `{name}`, `{seen}`, `{needed}`, `{documented}`,
/// `{law}`, `{citation}`, `{value}` and `{values}` filled in.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ReasonWords {
    /// How numbers separate their decimals ("." or ",").
    pub decimal_separator: String,
    pub missing: String,
    /// A documented fact against a mandatory rule, on the law's section of an actor page.
    pub law_conflict: String,
    pub law_only: String,
    pub conflict: String,
    pub law_default: String,
    pub law_unverified: String,
    pub holds_eq: String,
    pub holds: String,
    pub fails: String,
    pub excluded: String,
    pub incomparable: String,
    pub by_law: String,
    pub self_declared: String,
    pub and: String,
    pub then: String,
    pub while_open: String,
    pub while_close: String,
    pub does_not_apply: String,
    pub would_fail_open: String,
    pub would_fail_close: String,
    pub applies_unknown: String,
    pub op_ne: String,
    pub op_in: String,
    pub op_not_in: String,
    pub op_lt: String,
    pub op_le: String,
    pub op_gt: String,
    pub op_ge: String,
    pub op_contains: String,
    pub op_contains_any: String,
    pub none: String,
    pub or: String,
}

/// The words of an actor page's summary and folded detail (`[summary]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SummaryWords {
    pub heading: String,
    pub intro: String,
    /// `{count}` mandatory criteria, all met.
    pub all_met: String,
    /// The first mandatory criterion not met: `{title}`, `{reason}`.
    pub not_met: String,
    /// The first undecided mandatory criterion: `{title}`, `{reason}`.
    pub undecided: String,
    /// `{count}` more undecided criteria.
    pub more_undecided: String,
    /// A contradicted claim: `{claim}`, `{profile}`, `{title}`, `{reason}`.
    pub mismatch: String,
    pub detail: String,
    pub detail_intro: String,
    pub other_profiles: String,
    pub other_intro: String,
    pub building_blocks: String,
    pub about: String,
    pub identifier: String,
    pub mandatory: String,
    pub indicative: String,
    pub no_relations: String,
    pub profile_page: String,
    /// The heading of an actor's sites (outlets, branches).
    pub sites: String,
    pub sites_intro: String,
    pub site_name: String,
    pub site_address: String,
    pub site_postcode: String,
    pub site_source: String,
    /// A source's line (`line 7`).
    pub site_line: String,
    /// `{count}` sites not shown.
    pub sites_more: String,
}

/// Fills `{key}` placeholders of a template with their values (other text is kept as is).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| Some((close, values.iter().find(|(k, _)| *k == &after[..close])?))) {
            Some((close, (_, v))) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Messages {
    /// A legal-form family in words (its code when unknown).
    pub fn family<'a>(&'a self, code: &'a str) -> &'a str {
        self.families.get(code).unwrap_or(code)
    }

    /// A claim in words (its code when unknown).
    pub fn claim<'a>(&'a self, code: &'a str) -> &'a str {
        self.claim_names.get(code).unwrap_or(code)
    }

    /// A relation kind as seen from the actor on the page: `forward` when it is the relation's
    /// `from` ("Funds"), else from its `to` ("Funded by").
    pub fn relation(&self, kind: RelationKind, forward: bool) -> &str {
        let code = kind.as_str();
        let words =
            if forward { self.relation_kinds.get(code) } else { self.relation_kinds.get(&format!("{code}_rev")) };
        words.unwrap_or(code)
    }

    /// A verdict in words.
    pub fn verdict(&self, v: Verdict) -> &str {
        self.verdict_names.get(v.as_str()).unwrap_or(v.as_str())
    }

    /// A strength class in words.
    pub fn strength(&self, s: solidaria_core::innovation::Strength) -> &str {
        self.strength_names.get(s.as_str()).unwrap_or(s.as_str())
    }

    /// A case kind in words (its code when unknown).
    pub fn case_kind<'a>(&'a self, code: &'a str) -> &'a str {
        self.case_kinds.get(code).unwrap_or(code)
    }

    /// An outcome in words.
    pub fn outcome(&self, o: Outcome) -> &str {
        self.outcome_names.get(o.as_str()).unwrap_or(o.as_str())
    }

    /// A fact key or a field name of a test in words (the key itself when it has no label, as
    /// custom `x.` facts do).
    pub fn operand<'a>(&'a self, name: &'a str) -> &'a str {
        if let Some(words) = self.field_names.get(&name.replace('.', "_")) {
            return words;
        }
        self.fact_labels.get(name).map_or(name, String::as_str)
    }

    /// A value code in words: an enum value of the vocabulary, a family, a category or a claim
    /// (the code itself otherwise).
    pub fn value<'a>(&'a self, code: &'a str) -> &'a str {
        self.value_labels
            .get(code)
            .map(String::as_str)
            .or_else(|| self.families.get(code))
            .or_else(|| self.categories.get(code).filter(|_| code != "unknown"))
            .or_else(|| self.claim_names.get(code))
            .unwrap_or(code)
    }

    /// A profile's title in this language (the profile's own, English, when not translated).
    pub fn profile_title<'a>(&'a self, p: &'a Profile) -> &'a str {
        self.profile_titles.get(&p.id).map_or(&p.title, String::as_str)
    }

    /// A criterion's title in this language (`english`, the profile's own, when not translated).
    pub fn criterion_title<'a>(&'a self, profile: &str, criterion: &str, english: &'a str) -> &'a str {
        self.criterion_titles.get(&format!("{profile}.{criterion}")).map_or(english, String::as_str)
    }

    /// A number written with this language's decimal separator.
    pub fn number(&self, x: f64) -> String {
        let s = x.to_string();
        if self.reasons.decimal_separator == "." { s } else { s.replace('.', &self.reasons.decimal_separator) }
    }
}

#[cfg(test)]
#[path = "labels_tests.rs"]
mod tests;
