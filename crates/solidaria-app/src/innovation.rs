//! The innovation commons: cases found by territory and text, each case's strength (a rule in
//! which no dimension buys off another), its fit with a territory's context, the cases ranked
//! for a territory, and the programmes screened for a social dimension. The rules are
//! `solidaria_core::innovation`'s; this module loads what they need from a store.

use crate::directory::territories_within;
use crate::error::{AppError, AppResult, Code};
use serde_json::{Value, json};
use solidaria_core::case::{Case, CaseKind};
use solidaria_core::innovation::{self, Context, Fit, Strength, Transfer};
use solidaria_core::record::{Record, RecordType};
use solidaria_core::screening::builtin;
use solidaria_core::screening::profile::Profile;
use solidaria_core::territory;
use solidaria_store::Store;
use std::collections::BTreeMap;

/// The id of the profile that screens programmes for a social dimension from the outset.
pub const PROGRAMME_PROFILE: &str = "programme-social-dimension";

fn built_in(id: &str) -> AppResult<&'static Profile> {
    builtin::find(id).ok_or_else(|| AppError::new(Code::System, format!("the built-in profile {id} is missing")))
}

/// The strength profile (`si-strength`).
pub fn strength_profile() -> AppResult<&'static Profile> {
    built_in(innovation::STRENGTH_PROFILE)
}

/// The programme profile ([`PROGRAMME_PROFILE`]).
pub fn programme_profile() -> AppResult<&'static Profile> {
    built_in(PROGRAMME_PROFILE)
}

/// One case, or `record_not_found`.
pub fn case(store: &mut dyn Store, id: &str) -> AppResult<Case> {
    match store.get(RecordType::Case, id)? {
        Some(Record::Case(c)) => Ok(c),
        _ => Err(AppError::no_record(RecordType::Case, id)),
    }
}

/// The case named, or every case of the store (in key order).
pub fn cases(store: &mut dyn Store, only: Option<&str>) -> AppResult<Vec<Case>> {
    match only {
        Some(id) => Ok(vec![case(store, id)?]),
        None => Ok(solidaria_store::cases(store)?),
    }
}

/// The cases located within `territory` (nested ones included) that mention `text`
/// (case-insensitively), each filter applying only when given and not empty.
pub fn find(store: &mut dyn Store, text: Option<&str>, territory: Option<&str>) -> AppResult<Vec<Case>> {
    crate::directory::check_query_text(text)?;
    let within = match territory.filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => Some(territories_within(store, t)?),
    };
    let needle = text.map(str::to_lowercase);
    Ok(solidaria_store::cases(store)?
        .into_iter()
        .filter(|c| within.as_ref().is_none_or(|w| c.territory.as_ref().is_some_and(|t| w.contains(t.as_str()))))
        .filter(|c| needle.as_ref().is_none_or(|n| c.mentions(n)))
        .collect())
}

/// Counts of cases per value, per facet (`kind`, `class`).
pub type CaseFacets = BTreeMap<&'static str, BTreeMap<String, usize>>;

/// Cases as the API lists them: each record with its strength class, and the facets on kind and
/// class.
pub fn catalogue(cases: Vec<Case>) -> AppResult<(Vec<Value>, CaseFacets)> {
    let profile = strength_profile()?;
    let mut facets = CaseFacets::new();
    let mut items = Vec::new();
    for c in cases {
        let class = innovation::assess(profile, &c).class;
        let kind = c.kind.map_or("unknown".into(), |k| k.as_str().to_string());
        *facets.entry("kind").or_default().entry(kind).or_default() += 1;
        *facets.entry("class").or_default().entry(class.as_str().to_string()).or_default() += 1;
        let mut v = Record::Case(c).to_json();
        v["class"] = json!(class);
        items.push(v);
    }
    Ok((items, facets))
}

/// The context of a territory: its own context facts, else those of the territories it is
/// nested in (the nearest first).
pub fn context_of(store: &mut dyn Store, id: &str) -> AppResult<Context> {
    let parents = store.territory_parents()?;
    let mut chain = Vec::new();
    for t in territory::ancestors(id, &parents) {
        if let Some(Record::Territory(rec)) = store.get(RecordType::Territory, &t)? {
            chain.push((t, rec.facts));
        }
    }
    Ok(innovation::context(chain.iter().map(|(t, f)| (t.as_str(), f))))
}

/// Whether a case fits a territory: its preconditions against the territory's context, the
/// similarity of the two contexts and the adaptations needed.
pub fn transfer_of(store: &mut dyn Store, c: &Case, target: &str) -> AppResult<Transfer> {
    let target_context = context_of(store, target)?;
    let home_context = match &c.territory {
        Some(t) => context_of(store, t.as_str())?,
        None => Context::new(),
    };
    Ok(innovation::transfer(c, target, &target_context, &home_context))
}

/// One case ranked for a territory.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The case.
    pub case: Case,
    /// Its fit with the territory.
    pub transfer: Transfer,
    /// Its strength class.
    pub class: Strength,
    /// The strength rule that gave the class, in words.
    pub rule: String,
}

impl Ranked {
    /// Recommended as it is: strong and fits.
    pub fn recommended(&self) -> bool {
        self.transfer.fit == Fit::Fits && self.class == Strength::Strong
    }
}

/// Every case ranked for a territory: cases that do not fit, then weak ones, go last; the others
/// by strength, then fit, then similarity (a strong case that needs adapting outranks a weak one
/// that fits), then id.
pub fn recommend(store: &mut dyn Store, territory: &str) -> AppResult<Vec<Ranked>> {
    let profile = strength_profile()?;
    let mut ranked = Vec::new();
    for c in solidaria_store::cases(store)? {
        let transfer = transfer_of(store, &c, territory)?;
        let (class, rule) = {
            let a = innovation::assess(profile, &c);
            (a.class, a.rule)
        };
        ranked.push(Ranked { case: c, transfer, class, rule });
    }
    let fit_rank = |f: Fit| match f {
        Fit::Fits => 0,
        Fit::Partial => 1,
        Fit::Unknown => 2,
        Fit::DoesNotFit => 3,
    };
    let class_rank = |s: Strength| match s {
        Strength::Strong => 0,
        Strength::Intermediate => 1,
        Strength::Undetermined => 2,
        Strength::Weak => 3,
    };
    let key = |r: &Ranked| {
        (r.transfer.fit == Fit::DoesNotFit, r.class == Strength::Weak, class_rank(r.class), fit_rank(r.transfer.fit))
    };
    ranked.sort_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then(b.transfer.similarity.score.unwrap_or(0.0).total_cmp(&a.transfer.similarity.score.unwrap_or(0.0)))
            .then(a.case.id.cmp(&b.case.id))
    });
    Ok(ranked)
}

/// The kinds of case that are programmes (screened for a social dimension from the outset).
pub const PROGRAMME_KINDS: [CaseKind; 4] =
    [CaseKind::Programme, CaseKind::Law, CaseKind::Regulation, CaseKind::FinancialMechanism];

/// The programmes among cases: those of a programme kind, or every case given when one was named.
pub fn programmes(cases: Vec<Case>, named: bool) -> Vec<Case> {
    cases.into_iter().filter(|c| named || c.kind.is_some_and(|k| PROGRAMME_KINDS.contains(&k))).collect()
}
