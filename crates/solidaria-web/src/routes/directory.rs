//! The directory: the home page, the map, the embeddable list, actor pages, and the API's
//! listing, actor, GeoJSON and screening endpoints. Every listing goes through the search cache
//! ([`list_cached`]).

use crate::extract::{Base, Lang, PageFields, PageParams, Params};
use crate::routes::{forms, publication, territories};
use crate::state::{AppState, with_store};
use crate::{WebError, i18n, pages};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use solidaria_app::Class;
use solidaria_app::directory::{self, DirectoryQuery, Listing};
use solidaria_app::export::{self, Publication};
use solidaria_core::record::{ActorRecord, Record};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The directory's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/actors/{id}", get(actor_page))
        .route("/map", get(map_page))
        .route("/embed", get(embed))
        .route("/api/actors", get(api_actors))
        .route("/api/actors.geojson", get(api_geojson))
        .route("/api/actors/{id}", get(api_actor))
        .route("/api/screenings", get(api_screenings))
}

/// Query of a screening of the directory's filtered actors.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ScreeningsQuery {
    /// Profile ids, comma-separated (default: every actor profile).
    pub profile: Option<String>,
    /// Text, as in the directory.
    pub q: Option<String>,
    /// Territory, nested ones included.
    pub territory: Option<String>,
    /// Category, exactly.
    pub category: Option<String>,
    /// Legal-form family, exactly.
    pub family: Option<String>,
    /// A claim, exactly.
    pub claim: Option<String>,
    /// Actors screened (default 50, at most 500).
    pub limit: Option<usize>,
    /// Matches skipped.
    pub offset: Option<usize>,
    /// Every criterion with its reason and citation, not only the verdicts.
    pub detail: Option<bool>,
}

/// Screens a page of the directory's filtered actors (or one, with `q` set to its id) against
/// profiles: per actor its verdict under each profile (with criteria, reasons and citations when
/// `detail=true`), and the verdict counts per profile.
async fn api_screenings(
    State(state): State<AppState>,
    Params(sq): Params<ScreeningsQuery>,
) -> Result<Response, WebError> {
    let profiles = solidaria_app::screen::actor_profiles(sq.profile.as_deref())?;
    if sq.detail.unwrap_or(false) {
        api_limit(Some(sq.limit.unwrap_or(DETAIL_LIMIT)), DETAIL_LIMIT, " with detail=true")?;
    } else {
        api_limit(sq.limit, API_LIMIT, "")?;
    }
    let q = ListQuery {
        profile: None,
        verdict: None,
        q: sq.q,
        territory: sq.territory,
        category: sq.category,
        family: sq.family,
        claim: sq.claim,
        limit: sq.limit,
        offset: sq.offset,
        ..Default::default()
    };
    let listing = list_cached(&state, q, 500).await?;
    let (items, counts) = solidaria_app::screen::screen_actors(&listing.actors, &profiles, sq.detail.unwrap_or(false));
    Ok(axum::Json(json!({"items": items, "total": listing.total, "facets": {"verdicts": counts}})).into_response())
}

/// Query of the actor listing (API and home page).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Text to search in names and records.
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
    /// An area of the map: `west,south,east,north` in degrees.
    pub bbox: Option<String>,
    /// A point to search around, `latitude,longitude` in degrees.
    pub near: Option<String>,
    /// The radius around `near`, in kilometres (default 25).
    pub radius_km: Option<String>,
    /// Page size (default 50, at most 500).
    pub limit: Option<usize>,
    /// Items to skip.
    pub offset: Option<usize>,
    /// Interface language (pages only).
    pub lang: Option<String>,
}

impl PageFields for ListQuery {
    const FIELDS: &'static [&'static str] = &[
        "q",
        "territory",
        "category",
        "family",
        "claim",
        "profile",
        "verdict",
        "bbox",
        "near",
        "radius_km",
        "limit",
        "offset",
        "lang",
    ];
}

/// The filters of a listing query, to keep them in the page's links.
pub(crate) fn filters_of(q: &ListQuery) -> pages::Filters {
    pages::Filters {
        q: q.q.clone().unwrap_or_default(),
        territory: q.territory.clone().unwrap_or_default(),
        category: q.category.clone().unwrap_or_default(),
        family: q.family.clone().unwrap_or_default(),
        claim: q.claim.clone().unwrap_or_default(),
        profile: q.profile.clone().unwrap_or_default(),
        verdict: q.verdict.clone().unwrap_or_default(),
        bbox: q.bbox.clone().unwrap_or_default(),
        near: q.near.clone().unwrap_or_default(),
        radius_km: q.radius_km.clone().unwrap_or_default(),
    }
}

/// [`directory::list`] through the search cache of `state` (see
/// [`SearchCache`](crate::state::SearchCache)): every directory listing (API, home page, map,
/// embed, GeoJSON, screenings) goes through here.
async fn list_cached(state: &AppState, q: ListQuery, max: u64) -> Result<Arc<Listing>, WebError> {
    let capacity = state.options.cache_entries;
    let key = format!(
        "{max}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}",
        q.q,
        q.territory,
        q.category,
        q.family,
        q.claim,
        q.profile,
        q.verdict,
        q.bbox,
        q.near,
        q.radius_km,
        q.limit,
        q.offset
    );
    let (cache, index) = (state.cache.clone(), state.options.search_index.then(|| state.index.clone()));
    with_store(state, move |s| {
        let version = if capacity > 0 { s.version()? } else { None };
        if let Some(hit) = version.and_then(|v| cache.get(&key, v)) {
            return Ok(hit);
        }
        let fresh = Arc::new(directory::list(s, index.as_deref(), &directory_query(q), max)?);
        if let Some(v) = version {
            cache.put(key, v, fresh.clone(), capacity);
        }
        Ok(fresh)
    })
    .await
}

/// The use case's query of a listing.
pub(crate) fn directory_query(q: ListQuery) -> DirectoryQuery {
    DirectoryQuery {
        q: q.q,
        territory: q.territory,
        category: q.category,
        family: q.family,
        claim: q.claim,
        profile: q.profile,
        verdict: q.verdict,
        bbox: q.bbox,
        near: q.near,
        radius_km: q.radius_km,
        limit: q.limit,
        offset: q.offset,
    }
}

/// Largest page of the API's lists (documented in the OpenAPI document).
const API_LIMIT: usize = 500;

/// Largest page of `/api/screenings?detail=true`: each item holds every criterion of every
/// profile, so a page of 500 would be megabytes computed for any anonymous caller.
const DETAIL_LIMIT: usize = 50;

/// A page size within `max`, or `query_invalid` naming `limit` (the API does not clamp
/// silently: a caller asking for more than it may have is told so).
pub(crate) fn api_limit(limit: Option<usize>, max: usize, why: &str) -> Result<(), WebError> {
    match limit {
        Some(l) if l == 0 || l > max => {
            Err(WebError::new(solidaria_app::Code::QueryInvalid, format!("limit: expected 1 to {max}{why}, found {l}"))
                .at("limit"))
        }
        _ => Ok(()),
    }
}

async fn api_actors(State(state): State<AppState>, Params(q): Params<ListQuery>) -> Result<Response, WebError> {
    api_limit(q.limit, API_LIMIT, "")?;
    let listing = list_cached(&state, q, 500).await?;
    let page = ActorPage {
        items: listing.actors.iter().map(ActorRecord).collect(),
        total: listing.total,
        facets: &listing.facets,
        distances_km: &listing.distances,
    };
    Ok(axum::Json(page).into_response())
}

/// The answer of `/api/actors`, written straight from the listing (no JSON tree built first):
/// the page of actors in their records' canonical form, the number of all matches, their facets,
/// and the distances when the search was around a point.
#[derive(Serialize)]
struct ActorPage<'a> {
    items: Vec<ActorRecord<'a>>,
    total: usize,
    facets: &'a Value,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    distances_km: &'a BTreeMap<String, f64>,
}

/// What `/api/actors/{id}` answers: the actor's record with its relations and screenings, or its
/// JSON-LD.
enum ActorAnswer {
    Record(Box<solidaria_core::Actor>, Vec<Record>),
    JsonLd(Value),
    /// The id was merged into this actor's (a merge still in force).
    MergedInto(String),
}

/// `/api/actors/{id}`: the actor, its relations and screenings; its JSON-LD document when the
/// address ends in `.jsonld` (and no actor has the whole text as id) or when the client asks for
/// `application/ld+json`.
async fn api_actor(
    State(state): State<AppState>,
    Base(base): Base,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let wants_ld = accepts_jsonld(&headers);
    let answer = with_store(&state, move |s| {
        let jsonld = |s: &mut dyn solidaria_store::Store, id: &str| {
            Ok(ActorAnswer::JsonLd(export::publish_actor(s, id, Publication::JsonLd, &base)?))
        };
        match id.strip_suffix(".jsonld") {
            Some(bare) => match directory::actor(s, &id) {
                Ok(_) if wants_ld => jsonld(s, &id),
                Ok((a, relations)) => Ok(ActorAnswer::Record(Box::new(a), relations)),
                Err(e) if e.class() == Class::NotFound => jsonld(s, bare),
                Err(e) => Err(e.into()),
            },
            None if wants_ld => jsonld(s, &id),
            None => match directory::actor(s, &id) {
                Ok((a, relations)) => Ok(ActorAnswer::Record(Box::new(a), relations)),
                Err(e) if e.class() == Class::NotFound => match solidaria_app::merge::resolve(s, &id)? {
                    Some(kept) => Ok(ActorAnswer::MergedInto(kept)),
                    None => Err(e.into()),
                },
                Err(e) => Err(e.into()),
            },
        }
    })
    .await?;
    let (actor, relations) = match answer {
        ActorAnswer::JsonLd(doc) => return Ok(publication::jsonld(&doc)),
        ActorAnswer::Record(a, relations) => (*a, relations),
        ActorAnswer::MergedInto(kept) => {
            return Ok(Redirect::to(&format!("/api/actors/{}", pages::encode(&kept))).into_response());
        }
    };
    let screenings: Vec<Value> = solidaria_app::screen::under_every_profile(&actor)
        .iter()
        .map(|s| serde_json::to_value(s).unwrap_or(Value::Null))
        .collect();
    Ok(axum::Json(json!({
        "actor": Record::Actor(actor.clone()).to_json(),
        "relations": relations.iter().map(Record::to_json).collect::<Vec<_>>(),
        "screenings": screenings,
    }))
    .into_response())
}

/// A listing page's territory typed by name, read as its code (`q.territory` set to it); when
/// several territories have that name, the page to choose one, each choice linking to `path`
/// with the same filters.
pub(crate) async fn resolve_territory(
    state: &AppState,
    lang: &'static str,
    path: &str,
    q: &mut ListQuery,
) -> Result<Option<Response>, WebError> {
    let typed = filters_of(q);
    let choose = |code: &str| {
        let mut f = typed.clone();
        f.territory = code.to_string();
        format!("{path}?lang={lang}&{}", f.query())
    };
    territories::resolve_param(state, lang, &mut q.territory, choose).await
}

/// The directory: a page of the filtered actors with facets and links to the other pages; a
/// territory typed by name is read as its code (several of that name: the page to choose one).
async fn home(
    State(state): State<AppState>,
    Lang(lang): Lang,
    PageParams(mut q): PageParams<ListQuery>,
) -> Result<Response, WebError> {
    if let Some(page) = resolve_territory(&state, lang, "/", &mut q).await? {
        return Ok(page);
    }
    let filters = filters_of(&q);
    let (offset, limit) = (q.offset.unwrap_or(0), q.limit.unwrap_or(pages::DEFAULT_PAGE).clamp(1, 500));
    let listing = list_cached(&state, q, 500).await?;
    let names = with_store(&state, |s| Ok(solidaria_app::territories::names(s)?)).await?;
    let page = pages::home(lang, &filters, &listing, &names, (offset, limit));
    Ok(Html(page).into_response())
}

/// Whether a client asks for JSON-LD rather than a page or plain JSON (`Accept:
/// application/ld+json` without `text/html`).
fn accepts_jsonld(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("application/ld+json") && !accept.contains("text/html")
}

/// An actor's page (with the flash message of an edit just saved, `?saved=`); its JSON-LD
/// document to a client that asks for `application/ld+json` (the page is the actor's `@id`).
async fn actor_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Base(base): Base,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    if accepts_jsonld(&headers) {
        let doc = with_store(&state, move |s| Ok(export::publish_actor(s, &id, Publication::JsonLd, &base)?)).await?;
        return Ok(publication::jsonld(&doc));
    }
    let flash = forms::flash(i18n::messages(lang), q.get("saved").map(String::as_str));
    let old = id.clone();
    match with_store(&state, move |s| Ok(directory::actor_view(s, &id)?)).await {
        Ok(view) => Ok(Html(pages::actor(lang, &view, &flash, &base)).into_response()),
        Err(WebError::App(e)) if e.class() == Class::NotFound => {
            // An id merged into another actor leads to it (old links keep working).
            match with_store(&state, move |s| Ok(solidaria_app::merge::resolve(s, &old)?)).await? {
                Some(kept) => {
                    Ok(Redirect::to(&format!("/actors/{}?lang={lang}", pages::encode(&kept))).into_response())
                }
                None => Ok(pages::not_found(lang, &e.message)),
            }
        }
        Err(e) => Err(e),
    }
}

/// Most actors in one GeoJSON answer (a map shows a territory, not a whole national register).
const GEOJSON_MAX: u64 = 20_000;

/// Actors with a location, then their sites with one (see [`solidaria_app::map::features`]), as an
/// RFC 7946 FeatureCollection (longitude first); each feature's `kind` says which it is.
async fn api_geojson(State(state): State<AppState>, Params(mut q): Params<ListQuery>) -> Result<Response, WebError> {
    q.limit = Some(GEOJSON_MAX as usize);
    q.offset = None;
    let area = directory::area_of(&DirectoryQuery {
        bbox: q.bbox.clone(),
        near: q.near.clone(),
        radius_km: q.radius_km.clone(),
        ..Default::default()
    })?;
    let listing = list_cached(&state, q, GEOJSON_MAX).await?;
    let features = solidaria_app::map::features(&listing.actors, area, solidaria_app::map::SITES_MAX);
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        axum::Json(json!({"type": "FeatureCollection", "features": features})),
    )
        .into_response())
}

/// The map of the directory's filtered actors.
async fn map_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    PageParams(mut q): PageParams<ListQuery>,
) -> Result<Response, WebError> {
    let typed = filters_of(&q);
    let choose = |code: &str| {
        let mut f = typed.clone();
        f.territory = code.to_string();
        format!("/map?lang={lang}&{}", f.query())
    };
    if let Some(page) = territories::resolve_param(&state, lang, &mut q.territory, choose).await? {
        return Ok(page);
    }
    let filters = filters_of(&q);
    q.limit = Some(500);
    let listing = list_cached(&state, q, 500).await?;
    Ok(Html(pages::map(lang, &filters, &listing.actors)).into_response())
}

/// A compact directory for other sites to embed in an iframe: the same filters as the home page.
async fn embed(
    State(state): State<AppState>,
    Lang(lang): Lang,
    PageParams(q): PageParams<ListQuery>,
) -> Result<Response, WebError> {
    let listing = list_cached(&state, q, 500).await?;
    Ok(Html(pages::embed(lang, &listing.actors, listing.total)).into_response())
}
