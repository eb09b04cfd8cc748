//! The directory: actors found by text and filters, a page at a time, with the facets of every
//! match and, under a chosen profile, the facet of verdicts; one record, one actor with its
//! relations. The web app's home page, map, embed, GeoJSON and
//! `/api/actors` all list through [`list`].

use crate::error::{AppError, AppResult, Code};
use crate::screen::actor_profile;
use serde_json::{Value, json};
use solidaria_core::Actor;
use solidaria_core::record::{Record, RecordType};
use solidaria_core::screening::{Verdict, screen};
use solidaria_core::territory::{self, TerritoryId};
use solidaria_store::search::{ActorSearch, SearchPage};
use solidaria_store::{ActorFilter, Store};
use std::collections::{BTreeMap, BTreeSet};

/// What a directory listing asks for; empty strings count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DirectoryQuery {
    /// Text to search in names and records (at most 200 bytes).
    pub q: Option<String>,
    /// Territory, nested ones included.
    pub territory: Option<String>,
    /// Category (e.g. `sse_organization`), exactly.
    pub category: Option<String>,
    /// Legal-form family (e.g. `cooperative`), exactly.
    pub family: Option<String>,
    /// A claim the actor makes (e.g. `sse`), exactly.
    pub claim: Option<String>,
    /// An actor profile: adds the facet of verdicts under it.
    pub profile: Option<String>,
    /// Only actors with this verdict under `profile`.
    pub verdict: Option<String>,
    /// Page size (default 50, at most the caller's maximum).
    pub limit: Option<usize>,
    /// Matches skipped.
    pub offset: Option<usize>,
}

/// One page of a listing: the actors, the number of all matches and the facets of all matches
/// (`sampled_from` and `verdict` inside the facets when they apply).
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// The page.
    pub actors: Vec<Actor>,
    /// Every match, counted.
    pub total: usize,
    /// Facets of every match, as the API shows them.
    pub facets: Value,
}

/// The territory ids covered by `t` (itself and everything declared under it), or a
/// `territory_malformed` error.
pub fn territories_within(store: &mut dyn Store, t: &str) -> AppResult<BTreeSet<String>> {
    TerritoryId::parse(t).map_err(|e| {
        AppError::new(Code::TerritoryMalformed, format!("territory: expected {e}, found {t:?}")).at("territory")
    })?;
    Ok(territory::descendants(t, &store.territory_parents()?))
}

/// Every actor (by name) within `territory` (nested ones included) whose record contains
/// `text`, at most `limit`: the command line's listing, unpaged.
pub fn actors(
    store: &mut dyn Store,
    territory: Option<&str>,
    text: Option<String>,
    limit: Option<u64>,
) -> AppResult<Vec<Actor>> {
    let territories = territory.map(|t| territories_within(store, t)).transpose()?;
    Ok(store.list_actors(&ActorFilter { territories, text, limit })?)
}

fn present(v: &Option<String>) -> Option<String> {
    v.clone().filter(|s| !s.is_empty())
}

/// The store's search for a query's text and filters (its profile, verdict and paging aside),
/// `limit` matches from `offset`: the text checked (at most 200 bytes), the territory widened to
/// the territories within it.
pub(crate) fn search_of(store: &mut dyn Store, q: &DirectoryQuery, limit: u64, offset: u64) -> AppResult<ActorSearch> {
    let territories = match present(&q.territory) {
        None => None,
        Some(t) => Some(territories_within(store, &t)?),
    };
    let text = q.q.clone().filter(|s| !s.trim().is_empty());
    if text.as_ref().is_some_and(|t| t.len() > 200) {
        return Err(AppError::new(Code::QueryTooLong, "q: expected at most 200 bytes").at("q"));
    }
    Ok(ActorSearch {
        text,
        territories,
        category: present(&q.category),
        family: present(&q.family),
        claim: present(&q.claim),
        limit,
        offset,
    })
}

/// Actors matching a query, pages of at most `max`, with the total and the facets of all matches.
pub fn list(store: &mut dyn Store, q: &DirectoryQuery, max: u64) -> AppResult<Listing> {
    let search = search_of(store, q, (q.limit.unwrap_or(50) as u64).min(max), q.offset.unwrap_or(0) as u64)?;
    let (page, verdicts) = match present(&q.profile) {
        None if present(&q.verdict).is_some() => {
            return Err(AppError::new(
                Code::VerdictWithoutProfile,
                "verdict: name the profile it is under (profile=…)",
            )
            .at("verdict"));
        }
        None => (store.search_actors(&search)?, None),
        Some(id) => {
            let (page, verdicts) = with_verdicts(store, search, &id, present(&q.verdict))?;
            (page, Some(verdicts))
        }
    };
    let total = usize::try_from(page.total).unwrap_or(usize::MAX);
    let mut facets = serde_json::to_value(&page.facets).unwrap_or(Value::Null);
    if let Some(f) = facets.as_object_mut() {
        // Said inside the facets so that list responses keep their three keys.
        if let Some(n) = page.sampled {
            f.insert("sampled_from".into(), json!(n));
        }
        if let Some(v) = verdicts {
            f.insert("verdict".into(), v);
        }
    }
    Ok(Listing { actors: page.items, total, facets })
}

/// Actors screened for a verdict facet (and filter) at most: screening is fast, reading every
/// match of a broad search is not.
pub const VERDICT_UP_TO: u64 = 2_000;

/// A search with the facet of verdicts under one actor profile, and optionally only the actors
/// with one verdict. Up to [`VERDICT_UP_TO`] matches, every match is screened now; beyond, the
/// facet counts the page only (`sampled_from`) and filtering by verdict asks for a narrower
/// search. The facet: `{"profile", "version", "counts": {verdict: n}, "sampled_from"?}`.
fn with_verdicts(
    store: &mut dyn Store,
    search: ActorSearch,
    profile_id: &str,
    verdict: Option<String>,
) -> AppResult<(SearchPage, Value)> {
    let profile = actor_profile(profile_id)?;
    let names = Verdict::ALL.map(Verdict::as_str);
    if let Some(v) = &verdict
        && !names.contains(&v.as_str())
    {
        return Err(AppError::new(
            Code::VerdictUnknown,
            format!("verdict: expected one of {}, found {v:?}", names.join(", ")),
        )
        .at("verdict"));
    }
    let (limit, offset) = (search.limit as usize, search.offset as usize);
    // The page first: it gives the total, and it is all the matches when they are few.
    let mut page = store.search_actors(&search)?;
    let matches = page.total;
    if matches > VERDICT_UP_TO && verdict.is_some() {
        return Err(AppError::new(
            Code::SearchTooBroad,
            format!(
                "verdict: filtering by verdict screens every match, at most {VERDICT_UP_TO}; this search matches {matches}: add words or filters"
            ),
        )
        .at("verdict"));
    }
    let whole = offset == 0 && page.items.len() as u64 == matches;
    let screened = if matches > VERDICT_UP_TO || whole {
        std::mem::take(&mut page.items)
    } else {
        store.search_actors(&ActorSearch { limit: VERDICT_UP_TO, offset: 0, ..search })?.items
    };
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    let mut kept = Vec::new();
    for a in screened {
        let v = screen(profile, &a).verdict.as_str();
        *counts.entry(v).or_default() += 1;
        if verdict.as_deref().is_none_or(|want| want == v) {
            kept.push(a);
        }
    }
    if matches > VERDICT_UP_TO {
        page.items = kept;
    } else {
        if verdict.is_some() {
            // The total and facets describe the actors kept.
            page = SearchPage::default();
            kept.iter().for_each(|a| page.count_actor(a));
        }
        page.items = kept.into_iter().skip(offset).take(limit).collect();
    }
    let mut facet = json!({"profile": profile.id, "version": profile.version, "counts": counts});
    if matches > VERDICT_UP_TO {
        facet["sampled_from"] = json!(page.items.len());
    }
    Ok((page, facet))
}

/// One actor, or `record_not_found`.
pub fn actor_record(store: &mut dyn Store, id: &str) -> AppResult<Actor> {
    match store.get(RecordType::Actor, id)? {
        Some(Record::Actor(a)) => Ok(a),
        _ => Err(AppError::no_record(RecordType::Actor, id)),
    }
}

/// One actor with the relations that touch it.
pub fn actor(store: &mut dyn Store, id: &str) -> AppResult<(Actor, Vec<Record>)> {
    let a = actor_record(store, id)?;
    Ok((a, store.relations_of(id)?))
}

/// What an actor's page shows beyond the record: its relations, the names of the actors at their
/// other end, its territory's name and the territories containing it.
#[derive(Debug, Clone)]
pub struct ActorView {
    /// The actor.
    pub actor: Actor,
    /// The relations that touch it.
    pub relations: Vec<Record>,
    /// The name of each actor at the other end of a relation, by id (missing when that actor
    /// is not in the registry).
    pub names: BTreeMap<String, String>,
    /// The name of its territory (the record's, else the ISO name), if it has one.
    pub territory_name: Option<String>,
    /// Its territory and those containing it, the territory first (`CA-QC`, `CA`): where the
    /// profiles that apply to it are found.
    pub territories: Vec<String>,
}

/// One actor with what its page shows: relations with the other actors' names, its
/// territory's name and the territories containing it.
pub fn actor_view(store: &mut dyn Store, id: &str) -> AppResult<ActorView> {
    let (actor, relations) = self::actor(store, id)?;
    let mut names = BTreeMap::new();
    for r in &relations {
        if let Record::Relation(r) = r {
            let other = if r.from == actor.id { &r.to } else { &r.from };
            if names.contains_key(other.as_str()) {
                continue;
            }
            if let Some(Record::Actor(o)) = store.get(RecordType::Actor, other.as_str())? {
                names.insert(other.to_string(), o.name);
            }
        }
    }
    let (territory_name, territories) = match &actor.territory {
        Some(t) => {
            let name = match store.get(RecordType::Territory, t.as_str())? {
                Some(Record::Territory(rec)) => rec.name,
                _ => None,
            };
            let parents = store.territory_parents()?;
            (name.or_else(|| t.iso_name().map(str::to_string)), territory::ancestors(t.as_str(), &parents))
        }
        None => (None, Vec::new()),
    };
    Ok(ActorView { actor, relations, names, territory_name, territories })
}

/// One record of a type, or `record_not_found`.
pub fn record(store: &mut dyn Store, t: RecordType, id: &str) -> AppResult<Record> {
    store.get(t, id)?.ok_or_else(|| AppError::no_record(t, id))
}
