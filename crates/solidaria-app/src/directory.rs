//! The directory: actors found by text and filters, a page at a time, with the facets of every
//! match and, under a chosen profile, the facet of verdicts; one record, one actor with its
//! relations. The web app's home page, map, embed, GeoJSON and
//! `/api/actors` all list through [`list`].

use crate::error::{AppError, AppResult, Code};
use crate::screen::actor_profile;
use crate::search_index::LiveIndex;
use serde_json::{Value, json};
use solidaria_core::Actor;
use solidaria_core::record::{Record, RecordType};
use solidaria_core::screening::{Verdict, screen};
use solidaria_core::search::{Area, Query};
use solidaria_core::territory::{self, TerritoryId};
use solidaria_store::search::{ActorSearch, SearchPage};
use solidaria_store::{ActorFilter, Store};
use std::collections::{BTreeMap, BTreeSet};

/// What a directory listing asks for; empty strings count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DirectoryQuery {
    /// Text to search in names and records (at most [`QUERY_MAX_CHARS`] characters).
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
    /// An area of the map: `west,south,east,north` in degrees (GeoJSON's `bbox` order).
    pub bbox: Option<String>,
    /// A point, `latitude,longitude` in degrees: only actors within `radius_km` of it, each
    /// with its distance, the nearest first among equally relevant ones.
    pub near: Option<String>,
    /// The radius around `near`, in kilometres (default [`NEAR_KM`], at most 20,000).
    pub radius_km: Option<String>,
    /// Page size (default 50, at most the caller's maximum).
    pub limit: Option<usize>,
    /// Matches skipped.
    pub offset: Option<usize>,
}

/// The radius of a search around a point when none is given, in kilometres.
pub const NEAR_KM: f64 = 25.0;

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
    /// Distance in kilometres of each actor of the page from the point searched around.
    pub distances: BTreeMap<String, f64>,
}

/// The area of the map a query asks for, or `query_invalid` naming the parameter.
pub fn area_of(q: &DirectoryQuery) -> AppResult<Option<Area>> {
    let numbers = |field: &'static str, v: &str, n: usize, what: &str| -> AppResult<Vec<f64>> {
        let parts: Vec<Option<f64>> =
            v.split(',').map(|p| p.trim().parse::<f64>().ok().filter(|x| x.is_finite())).collect();
        match parts.into_iter().collect::<Option<Vec<f64>>>() {
            Some(xs) if xs.len() == n => Ok(xs),
            _ => Err(AppError::new(Code::QueryInvalid, format!("{field}: expected {what}, found {v:?}")).at(field)),
        }
    };
    let lat_ok = |x: f64| (-90.0..=90.0).contains(&x);
    let lon_ok = |x: f64| (-180.0..=180.0).contains(&x);
    match (present(&q.bbox), present(&q.near)) {
        (Some(_), Some(_)) => {
            Err(AppError::new(Code::QueryInvalid, "bbox: expected an area or a point to search around, not both")
                .at("bbox"))
        }
        (Some(b), None) => {
            let what =
                "west,south,east,north in degrees (longitudes -180 to 180, latitudes -90 to 90, south below north)";
            let x = numbers("bbox", &b, 4, what)?;
            if !(lon_ok(x[0]) && lon_ok(x[2]) && lat_ok(x[1]) && lat_ok(x[3]) && x[1] <= x[3]) {
                return Err(AppError::new(Code::QueryInvalid, format!("bbox: expected {what}, found {b:?}")).at("bbox"));
            }
            Ok(Some(Area::Box { west: x[0], south: x[1], east: x[2], north: x[3] }))
        }
        (None, Some(p)) => {
            let what = "latitude,longitude in degrees (-90 to 90, -180 to 180)";
            let x = numbers("near", &p, 2, what)?;
            if !(lat_ok(x[0]) && lon_ok(x[1])) {
                return Err(AppError::new(Code::QueryInvalid, format!("near: expected {what}, found {p:?}")).at("near"));
            }
            let km = match present(&q.radius_km) {
                None => NEAR_KM,
                Some(r) => numbers("radius_km", &r, 1, "kilometres, more than 0 and at most 20000")?[0],
            };
            if !(km > 0.0 && km <= 20_000.0) {
                return Err(AppError::new(
                    Code::QueryInvalid,
                    format!("radius_km: expected kilometres, more than 0 and at most 20000, found {km}"),
                )
                .at("radius_km"));
            }
            Ok(Some(Area::Around { lat: x[0], lon: x[1], km }))
        }
        (None, None) if present(&q.radius_km).is_some() => Err(AppError::new(
            Code::QueryInvalid,
            "radius_km: expected with a point to search around (near=latitude,longitude)",
        )
        .at("radius_km")),
        (None, None) => Ok(None),
    }
}

/// The territory ids covered by `t` (itself and everything declared under it), or a
/// `territory_malformed` error.
pub fn territories_within(store: &mut dyn Store, t: &str) -> AppResult<BTreeSet<String>> {
    check_territory(t)?;
    Ok(territory::descendants(t, &store.territory_parents()?))
}

/// Refuses a territory id of no known shape (`territory_malformed`, at `territory`).
fn check_territory(t: &str) -> AppResult<()> {
    TerritoryId::parse(t).map(|_| ()).map_err(|e| {
        AppError::new(Code::TerritoryMalformed, format!("territory: expected {e}, found {t:?}")).at("territory")
    })
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

/// The longest search text, in characters (Unicode scalar values, as JSON Schema's `maxLength`
/// counts them, so that the OpenAPI document can state it): at most 800 bytes of UTF-8.
pub const QUERY_MAX_CHARS: usize = 200;

/// Refuses a search text longer than [`QUERY_MAX_CHARS`] characters (`query_too_long`, at `q`): every
/// list that takes a `q` answers the same limit the OpenAPI document states.
pub fn check_query_text(text: Option<&str>) -> AppResult<()> {
    if text.is_some_and(|t| t.chars().count() > QUERY_MAX_CHARS) {
        return Err(
            AppError::new(Code::QueryTooLong, format!("q: expected at most {QUERY_MAX_CHARS} characters")).at("q")
        );
    }
    Ok(())
}

/// The store's search for a query's text and filters (its profile, verdict and paging aside),
/// `limit` matches from `offset`: the text checked (at most 200 characters), the territory widened to
/// the territories within it, as the search `index` knows them when it is given (kept current
/// first: no read of the territories per search), else as the store does.
pub(crate) fn search_of(
    store: &mut dyn Store,
    index: Option<&LiveIndex>,
    q: &DirectoryQuery,
    limit: u64,
    offset: u64,
) -> AppResult<ActorSearch> {
    let territories = match present(&q.territory) {
        None => None,
        Some(t) => {
            check_territory(&t)?;
            match index.and_then(|ix| ix.territories_within(&t)) {
                Some(within) => Some(within),
                None => Some(territory::descendants(&t, &store.territory_parents()?)),
            }
        }
    };
    let text = q.q.clone().filter(|s| !s.trim().is_empty());
    check_query_text(text.as_deref())?;
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

/// Actors matching a query, pages of at most `max`, with the total and the facets of all matches:
/// ranked by relevance through the search `index` when one is given (kept current first), else
/// by the database's search, in name order.
pub fn list(store: &mut dyn Store, index: Option<&LiveIndex>, q: &DirectoryQuery, max: u64) -> AppResult<Listing> {
    let area = area_of(q)?;
    let fresh = match index {
        Some(ix) => ix.refresh(store)?,
        None => false,
    };
    let (limit, offset) = ((q.limit.unwrap_or(50) as u64).min(max), q.offset.unwrap_or(0) as u64);
    let search = search_of(store, index.filter(|_| fresh), q, limit, offset)?;
    let mut pages = Pages {
        index: index.filter(|ix| fresh || (area.is_some() && ix.is_ready())),
        area,
        distances: BTreeMap::new(),
    };
    if area.is_some() && pages.index.is_none() {
        return Err(crate::search_index::building());
    }
    let (page, verdicts) = match present(&q.profile) {
        None if present(&q.verdict).is_some() => {
            return Err(AppError::new(
                Code::VerdictWithoutProfile,
                "verdict: name the profile it is under (profile=…)",
            )
            .at("verdict"));
        }
        None => (pages.page(store, &search)?, None),
        Some(id) => {
            let (page, verdicts) = with_verdicts(store, &mut pages, search, &id, present(&q.verdict))?;
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
    Ok(Listing { actors: page.items, total, facets, distances: pages.distances })
}

/// Where pages of a listing come from: the search index, or the database.
struct Pages<'a> {
    index: Option<&'a LiveIndex>,
    area: Option<Area>,
    /// Distances of the actors of the pages read, by id.
    distances: BTreeMap<String, f64>,
}

impl Pages<'_> {
    fn page(&mut self, store: &mut dyn Store, s: &ActorSearch) -> AppResult<SearchPage> {
        let Some(index) = self.index else { return Ok(store.search_actors(s)?) };
        let query = Query {
            text: s.text.as_deref(),
            territories: s.territories.as_ref(),
            category: s.category.as_deref(),
            family: s.family.as_deref(),
            claim: s.claim.as_deref(),
            area: self.area,
            limit: usize::try_from(s.limit).unwrap_or(usize::MAX),
            offset: usize::try_from(s.offset).unwrap_or(usize::MAX),
        };
        let hits = index.search(&query).ok_or_else(crate::search_index::building)?;
        // One read for the page; an actor deleted since the index was refreshed is left out.
        let keys: Vec<&str> = hits.items.iter().map(|(k, _)| k.as_str()).collect();
        let items: Vec<Actor> = store
            .get_many(RecordType::Actor, &keys)?
            .into_iter()
            .filter_map(|r| if let Record::Actor(a) = r { Some(a) } else { None })
            .collect();
        self.distances.extend(hits.items.into_iter().filter_map(|(key, d)| d.map(|d| (key, d))));
        Ok(SearchPage { items, total: hits.total, facets: hits.facets, sampled: None })
    }
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
    pages: &mut Pages<'_>,
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
    let mut page = pages.page(store, &search)?;
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
        pages.page(store, &ActorSearch { limit: VERDICT_UP_TO, offset: 0, ..search })?.items
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
