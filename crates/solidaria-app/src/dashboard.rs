//! The observatory's dashboard: for the actors a directory query finds, how many qualify under
//! each screening profile that applies to them (the global definitions, the European one where
//! an actor is in the EU, and the national or regional laws of the territories they are in), and
//! how they spread over legal-form families, categories and building blocks. Every figure is a
//! count over the same actors, so a chart can always be shown with its table.

use crate::directory::DirectoryQuery;
use crate::error::AppResult;
use serde::Serialize;
use solidaria_core::Actor;
use solidaria_core::screening::profile::SubjectKind;
use solidaria_core::screening::{Prepared, Verdict, builtin, verdict};
use solidaria_store::Store;
use std::collections::BTreeMap;

/// Actors counted at most: beyond, the dashboard counts the first this many matches (in the
/// search's order) and says so. Screening 17 profiles over 5,000 actors takes well under a
/// second; reading a million actors does not belong in a page request.
pub const DASHBOARD_UP_TO: u64 = 5_000;

/// The member states of the European Union (ISO 3166-1 alpha-2), for the profiles whose
/// jurisdiction is `EU`.
const EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The verdicts under one profile over the actors it applies to.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileShare {
    /// The profile's id.
    pub profile: String,
    /// Its version.
    pub version: String,
    /// Its title.
    pub title: String,
    /// Its jurisdiction (`global`, `EU`, a country or region code).
    pub jurisdiction: String,
    /// Actors it applies to (those in its jurisdiction; every actor for a global one).
    pub screened: u64,
    /// Of those, how many qualify, do not, and cannot be decided yet.
    pub qualifies: u64,
    /// Actors that do not qualify.
    pub does_not_qualify: u64,
    /// Actors whose documented facts do not decide.
    pub insufficient_evidence: u64,
}

/// The dashboard of a directory query.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// Every actor the query matches.
    pub total: u64,
    /// The actors counted below: all of them, or the first [`DASHBOARD_UP_TO`].
    pub counted: u64,
    /// Verdicts per profile that applies to at least one counted actor, in the profiles' order.
    pub verdicts: Vec<ProfileShare>,
    /// Actors per legal-form family (`unknown` when not documented), largest first.
    pub families: Vec<(String, u64)>,
    /// Actors per category, largest first.
    pub categories: Vec<(String, u64)>,
    /// Actors serving each building block (an actor may serve several; `none` when it serves
    /// none), largest first.
    pub blocks: Vec<(String, u64)>,
}

/// Whether a profile of jurisdiction `j` applies to an actor in territory `t`.
fn applies(j: &str, t: Option<&str>) -> bool {
    match (j, t) {
        ("global", _) => true,
        (_, None) => false,
        ("EU", Some(t)) => EU.contains(&t.split('-').next().unwrap_or("")),
        (j, Some(t)) => t == j || t.strip_prefix(j).is_some_and(|rest| rest.starts_with('-')),
    }
}

/// Counts by key, largest first, ties by key.
fn ranked(counts: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The dashboard of actors, all counted (pure: the rules, without the store).
pub fn of_actors(actors: &[Actor], total: u64) -> Dashboard {
    let mut families = BTreeMap::new();
    let mut categories = BTreeMap::new();
    let mut blocks = BTreeMap::new();
    for a in actors {
        let name = |s: Option<String>| s.unwrap_or_else(|| "unknown".to_string());
        *families.entry(name(a.legal_form.family.map(|f| f.as_str().to_string()))).or_default() += 1;
        *categories.entry(name(a.category.map(|c| c.as_str().to_string()))).or_default() += 1;
        if a.roles.is_empty() {
            *blocks.entry("none".to_string()).or_default() += 1;
        }
        for r in &a.roles {
            *blocks.entry(r.as_str().to_string()).or_default() += 1;
        }
    }
    let prepared: Vec<Prepared<'_>> = actors.iter().map(Prepared::new).collect();
    let mut verdicts = Vec::new();
    for p in builtin::for_subject(SubjectKind::Actor) {
        let mut share = ProfileShare {
            profile: p.id.clone(),
            version: p.version.clone(),
            title: p.title.clone(),
            jurisdiction: p.jurisdiction.clone(),
            screened: 0,
            qualifies: 0,
            does_not_qualify: 0,
            insufficient_evidence: 0,
        };
        for (a, prepared) in actors.iter().zip(&prepared) {
            if !applies(&p.jurisdiction, a.territory.as_ref().map(|t| t.as_str())) {
                continue;
            }
            share.screened += 1;
            match verdict(p, prepared) {
                Verdict::Qualifies => share.qualifies += 1,
                Verdict::DoesNotQualify => share.does_not_qualify += 1,
                Verdict::InsufficientEvidence => share.insufficient_evidence += 1,
            }
        }
        if share.screened > 0 {
            verdicts.push(share);
        }
    }
    Dashboard {
        total,
        counted: actors.len() as u64,
        verdicts,
        families: ranked(families),
        categories: ranked(categories),
        blocks: ranked(blocks),
    }
}

/// The dashboard of the actors a directory query finds (its text and filters; its profile,
/// verdict and paging are not used: every applicable profile is counted).
pub fn dashboard(store: &mut dyn Store, q: &DirectoryQuery) -> AppResult<Dashboard> {
    let search = crate::directory::search_of(store, None, q, DASHBOARD_UP_TO, 0)?;
    let page = store.search_actors(&search)?;
    Ok(of_actors(&page.items, page.total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use solidaria_core::testing::actor_from;

    #[test]
    fn profiles_apply_by_jurisdiction() {
        assert!(applies("global", None));
        assert!(applies("CA-QC", Some("CA-QC-MTL")) && applies("CA-QC", Some("CA-QC")));
        assert!(!applies("CA-QC", Some("CA-QCX")) && !applies("CA-QC", Some("CA")));
        assert!(applies("EU", Some("FR-75")) && !applies("EU", Some("GB")));
        assert!(!applies("FR", None));
    }

    #[test]
    fn counts_add_up_over_the_same_actors() {
        let actors = [
            actor_from(json!({"type": "actor", "id": "a", "name": "A", "territory": "FR-75",
                "category": "sse_organization", "legal_form": {"family": "association", "code": "INSEE-CJ-9220"},
                "roles": ["capacity_building", "knowledge_transfer"]})),
            actor_from(json!({"type": "actor", "id": "b", "name": "B", "territory": "CA-QC",
                "category": "sse_organization", "legal_form": {"family": "cooperative"}})),
            actor_from(json!({"type": "actor", "id": "c", "name": "C", "territory": "CA-QC"})),
        ];
        let d = of_actors(&actors, 10);
        assert_eq!((d.total, d.counted), (10, 3));
        assert_eq!(d.families, [("association".into(), 1), ("cooperative".into(), 1), ("unknown".into(), 1)]);
        assert_eq!(d.categories[0], ("sse_organization".into(), 2));
        assert_eq!(d.blocks[0], ("none".into(), 2));
        let share = |id: &str| d.verdicts.iter().find(|v| v.profile == id);
        let un = share("un-2023").expect("a global profile applies to every actor");
        assert_eq!(un.screened, 3);
        assert_eq!(un.qualifies + un.does_not_qualify + un.insufficient_evidence, 3);
        // The French law applies to the Paris association only, and by law it qualifies.
        let fr = share("fr-ess-2014").expect("applies in FR");
        assert_eq!((fr.screened, fr.qualifies), (1, 1), "{fr:?}");
        assert_eq!(share("qc-2013").map(|s| s.screened), Some(2));
        assert!(share("br-2024").is_none(), "no actor in Brazil: the profile is not shown");
        assert!(share("eu-2021").is_some_and(|s| s.screened == 1), "FR is in the EU");
    }
}
