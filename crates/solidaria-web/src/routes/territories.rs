//! Territories: the list of territories with their actors by category, each linking to its
//! ecosystem diagnostic; the diagnostic page (translated, with the radar chart of the building
//! blocks, each territory's network picture, the shortlist of brokers and the suggested
//! partnerships grouped by weak block, by name) and its API. A territory may be typed by name
//! wherever a page takes its code ([`resolve_param`]).

use crate::WebError;
use crate::extract::{Lang, PageFields, PageParams, Params};
use crate::i18n::{Messages, fill, messages};
use crate::pages::{self, encode};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use solidaria_app::diagnose::{self, Loaded};
use solidaria_app::report::{PictureWords, bars, network_picture, radar};
use solidaria_app::territories::{self, Resolved};
use std::collections::{BTreeMap, HashMap};

/// The diagnostic's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/territories", get(territories_page))
        .route("/territories/{id}/diagnostic", get(diagnostic_page))
        .route("/api/territories/{id}/diagnostic", get(api_diagnostic))
        .route("/api/territories/{id}/social-finance", get(api_social_finance))
}

/// A territory's diagnostic and, when asked, the one it is compared with.
async fn diagnostic_pair(
    state: &AppState,
    id: String,
    compare: Option<String>,
) -> Result<(Loaded, Option<Loaded>), WebError> {
    diagnostic_pair_as_of(state, id, compare, None).await
}

/// The same, as the territories stood at the end of `as_of` (`YYYY-MM-DD`, a year or a month).
async fn diagnostic_pair_as_of(
    state: &AppState,
    id: String,
    compare: Option<String>,
    as_of: Option<String>,
) -> Result<(Loaded, Option<Loaded>), WebError> {
    with_store(state, move |s| {
        let a = diagnose::load_as_of(s, &id, as_of.as_deref())?;
        let b = compare.map(|c| diagnose::load(s, &c)).transpose()?;
        Ok((a, b))
    })
    .await
}

/// Query of the diagnostic API (unknown or repeated parameters are refused).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ApiDiagnosticQuery {
    /// A second territory, diagnosed beside the first.
    compare: Option<String>,
    /// The day (a year or a month: its end) the territories are diagnosed as they stood.
    as_of: Option<String>,
}

/// The ecosystem diagnostic of a territory as JSON (`?compare=T2` for two side by side).
async fn api_diagnostic(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(q): Params<ApiDiagnosticQuery>,
) -> Result<Response, WebError> {
    let (a, b) = diagnostic_pair_as_of(&state, id, q.compare, q.as_of).await?;
    Ok(match b {
        None => axum::Json(serde_json::to_value(&a.diagnostic).unwrap_or(Value::Null)).into_response(),
        Some(b) => axum::Json(json!({"compare": [a.diagnostic, b.diagnostic]})).into_response(),
    })
}

/// Social finance in a territory: the funds reaching it with what they invested in its actors
/// (aggregates), and the mechanisms offered there or fitting its context.
async fn api_social_finance(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let v = with_store(&state, move |s| Ok(solidaria_app::finance::in_territory(s, &id)?)).await?;
    Ok(axum::Json(v).into_response())
}

/// A page's territory parameter, typed as a code or a name, replaced by its code; when several
/// territories have that name, the page that lists them (each linking to `href` of its code).
pub(crate) async fn resolve_param(
    state: &AppState,
    lang: &str,
    territory: &mut Option<String>,
    href: impl Fn(&str) -> String,
) -> Result<Option<Response>, WebError> {
    let Some(typed) = territory.clone().filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let text = typed.clone();
    match with_store(state, move |s| Ok(territories::resolve(s, &text)?)).await? {
        Resolved::One(code) => {
            *territory = Some(code);
            Ok(None)
        }
        Resolved::Choices(choices) => {
            Ok(Some(Html(pages::territory_choices(lang, &typed, &choices, href)).into_response()))
        }
    }
}

/// Query of the territories page.
#[derive(Debug, Deserialize, Default)]
struct TerritoriesQuery {
    /// A territory to open the diagnostic of, by code or name.
    territory: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

impl PageFields for TerritoriesQuery {
    const FIELDS: &'static [&'static str] = &["territory", "limit", "offset"];
}

/// A territory, as listed.
struct TerritoryRow {
    id: String,
    name: String,
    actors: u64,
    /// Its actors by category (SVG that escapes its own text).
    chart: String,
}

#[derive(Template)]
#[template(path = "territories.html")]
struct TerritoriesPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    rows: Vec<TerritoryRow>,
    pager: pages::Pager,
}

/// The territories with their actors and a chart of them by category, each linking to its
/// diagnostic, a page at a time; `?territory=` (a code or a name) opens that territory's
/// diagnostic.
async fn territories_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    PageParams(mut q): PageParams<TerritoriesQuery>,
) -> Result<Response, WebError> {
    let to_diagnostic = |code: &str| format!("/territories/{}/diagnostic?lang={lang}", encode(code));
    if let Some(page) = resolve_param(&state, lang, &mut q.territory, to_diagnostic).await? {
        return Ok(page);
    }
    if let Some(code) = q.territory.filter(|t| !t.trim().is_empty()) {
        return Ok(Redirect::to(&to_diagnostic(&code)).into_response());
    }
    let all = with_store(&state, |s| Ok(territories::overview(s)?)).await?;
    let t = messages(lang);
    let (offset, limit) = (q.offset.unwrap_or(0), q.limit.unwrap_or(pages::DEFAULT_PAGE).clamp(1, 500));
    let rows: Vec<TerritoryRow> = all
        .iter()
        .skip(offset)
        .take(limit)
        .map(|c| {
            let values: Vec<(&str, u64)> = c.by_category.iter().map(|(k, n)| (t.categories.of(k), *n)).collect();
            TerritoryRow {
                id: c.id.clone(),
                name: c.name.clone(),
                actors: c.actors,
                chart: bars(&format!("{}: {}", t.actors_by_category, c.name), &values),
            }
        })
        .collect();
    let base = pages::Pager::base(&format!("/territories?lang={lang}"), limit, pages::DEFAULT_PAGE);
    let pager = pages::Pager::new(&base, offset, limit, rows.len(), all.len());
    Ok(Html(pages::render(TerritoriesPage { lang, t, rows, pager })).into_response())
}

/// A broker, as shown.
struct BrokerRow {
    name: String,
    id: String,
    betweenness: String,
    expected: String,
    bridges: String,
    /// Why it is on the shortlist, in sentences (none for a broker off it).
    why: Vec<String>,
}

/// An actor as (id, name).
type Named = (String, String);

/// An actor serving a weak block, the links it already has in words, and the SSE organizations
/// it has no link with yet: first those a link would also join to a separate part of the
/// network, then the others.
type Server = (Named, String, Vec<Named>, Vec<Named>);

/// The suggestions for one weak block: each actor serving it with the SSE organizations it has
/// no link with yet.
struct SuggestionGroup {
    block: String,
    score: u32,
    servers: Vec<Server>,
}

/// One territory's part of the page.
struct TerritoryPart {
    name: String,
    nodes: usize,
    edges: usize,
    components: usize,
    communities: usize,
    isolated: usize,
    /// Each block in words, its score and its reasons.
    blocks: Vec<(String, u32, Vec<String>)>,
    /// The network picture (SVG that escapes its own text).
    picture: String,
    /// The brokers of the shortlist, then all of them.
    shortlist: Vec<BrokerRow>,
    brokers: Vec<BrokerRow>,
    gaps: Vec<String>,
    suggestions: Vec<SuggestionGroup>,
}

#[derive(Template)]
#[template(path = "diagnostic.html")]
struct DiagnosticPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    title: String,
    json: String,
    /// The territory's code (for the links to its history and strategies).
    code: String,
    /// Social finance in the territory: the funds reaching it (id, name, reach, investees here,
    /// invested, outstanding) and the mechanisms (id, name, kind, availability, fit).
    funds: Vec<(String, String, String, usize, String, String)>,
    mechanisms: Vec<(String, String, String, String, String)>,
    /// The radar chart of the blocks (SVG that escapes its own text).
    radar: String,
    territories: Vec<TerritoryPart>,
}

/// The part of the page about one territory: what `solidaria diagnose --format html` shows,
/// with the words in the page's language, actors by name, suggestions grouped by block.
/// `name` heads the part; `place` names the territory in sentences.
fn part(lang: &str, l: &Loaded, name: String, place: &str) -> TerritoryPart {
    let t = messages(lang);
    let d = &l.diagnostic;
    let n = &d.network;
    let names: HashMap<&str, &str> =
        n.centrality.iter().map(|c| c.id.as_str()).zip(l.names.iter().map(String::as_str)).collect();
    let named = |id: &str| (id.to_string(), names.get(id).copied().unwrap_or(id).to_string());
    let row = |b: &solidaria_core::ecosystem::Broker| BrokerRow {
        name: b.name.clone(),
        id: b.id.clone(),
        betweenness: t.decimal(b.betweenness, 3),
        expected: format!("{} ± {}", t.decimal(b.expected, 3), t.decimal(b.spread, 3)),
        bridges: b.bridges.iter().map(|c| t.categories.of(c)).collect::<Vec<_>>().join(", "),
        why: t.broker_why(b),
    };
    let mut suggestions: Vec<SuggestionGroup> = Vec::new();
    for s in &d.suggestions {
        let block = t.blocks.of(s.block).to_string();
        let gi = match suggestions.iter().position(|g| g.block == block) {
            Some(i) => i,
            None => {
                let score = d.building_blocks.iter().find(|b| b.id == s.block).map_or(0, |b| b.score);
                suggestions.push(SuggestionGroup { block, score, servers: Vec::new() });
                suggestions.len() - 1
            }
        };
        let servers = &mut suggestions[gi].servers;
        let si = match servers.iter().position(|(server, ..)| server.0 == s.to) {
            Some(i) => i,
            None => {
                servers.push((named(&s.to), t.server_links(s.degree), Vec::new(), Vec::new()));
                servers.len() - 1
            }
        };
        let server = &mut servers[si];
        if !server.2.iter().chain(&server.3).any(|(id, _)| *id == s.from) {
            if s.joins { server.2.push(named(&s.from)) } else { server.3.push(named(&s.from)) }
        }
    }
    let title = format!("{}: {name}", t.network);
    let node = |name: &str, _id: &str, category: &str, b: f64| {
        fill(
            &t.ecosystem.node,
            &[("name", name), ("category", t.categories.of(category)), ("betweenness", &t.decimal(b, 3))],
        )
    };
    let category = |c: &str| t.categories.of(c).to_string();
    let href = |id: &str| format!("/actors/{}?lang={lang}", encode(id));
    let words = PictureWords { title: &title, node: &node, category: &category, href: Some(&href) };
    let picture = network_picture(&words, d, &l.categories, &l.names, &l.edges);
    TerritoryPart {
        name,
        nodes: n.nodes,
        edges: n.edges,
        components: n.components,
        communities: n.communities.len(),
        isolated: n.isolated.len(),
        blocks: d
            .building_blocks
            .iter()
            .map(|b| {
                let reasons = b.findings.iter().map(|r| t.block_reason(r, place)).collect();
                (t.blocks.of(b.id).to_string(), b.score, reasons)
            })
            .collect(),
        picture,
        shortlist: n.shortlist.iter().filter_map(|id| n.brokers.iter().find(|b| b.id == *id)).map(row).collect(),
        brokers: n.brokers.iter().map(row).collect(),
        gaps: d.building_blocks.iter().filter_map(|b| b.gap_reason.as_ref().map(|g| t.gap(g, b.id, place))).collect(),
        suggestions,
    }
}

/// The diagnostic page: the radar chart of the blocks (with the compared territory, `?compare=`),
/// then for each territory its scores with reasons, network numbers and picture, brokers, gaps
/// and suggested partnerships.
fn diagnostic_html(
    lang: &str,
    a: &Loaded,
    b: Option<&Loaded>,
    names: &BTreeMap<String, String>,
    finance: &solidaria_app::finance::TerritoryFinance,
) -> String {
    let t = messages(lang);
    let labels: Vec<&str> = a.diagnostic.building_blocks.iter().map(|x| t.blocks.of(x.id)).collect();
    let scores = |l: &Loaded| l.diagnostic.building_blocks.iter().map(|x| x.score).collect::<Vec<_>>();
    let mut series = vec![(a.diagnostic.territory.as_str(), scores(a))];
    series.extend(b.map(|b| (b.diagnostic.territory.as_str(), scores(b))));
    let label = |l: &Loaded| {
        let code = &l.diagnostic.territory;
        match territories::name_of(names, code) {
            n if n == *code => n,
            n => format!("{n} ({code})"),
        }
    };
    let (mut title, mut json) = (
        format!("{} {}", t.diagnostic, label(a)),
        format!("/api/territories/{}/diagnostic", encode(&a.diagnostic.territory)),
    );
    if let Some(b) = b {
        title = format!("{title} {} {}", t.compared_with, label(b));
        json = format!("{json}?compare={}", encode(&b.diagnostic.territory));
    }
    let place_a = territories::name_of(names, &a.diagnostic.territory);
    let page = DiagnosticPage {
        lang,
        t,
        title,
        json,
        code: a.diagnostic.territory.clone(),
        funds: finance
            .funds
            .iter()
            .map(|f| {
                let reach = t.reach(&f.reached, &place_a, &|code| territories::name_of(names, code));
                {
                    let (currency, invested, outstanding) = f.minor;
                    let (invested, outstanding) = (t.money(currency, invested), t.money(currency, outstanding));
                    (f.id.clone(), f.name.clone(), reach, f.investees, invested, outstanding)
                }
            })
            .collect(),
        mechanisms: finance
            .mechanisms
            .iter()
            .map(|m| {
                let (availability, fit) = m.fit.as_ref().map_or((String::new(), String::new()), |f| {
                    let a = match f.availability {
                        solidaria_core::mechanism::Availability::Offered => t.fm.sf_offered.clone(),
                        _ => t.fm.sf_elsewhere.clone(),
                    };
                    let code = serde_json::to_value(f.fit).ok().and_then(|v| v.as_str().map(str::to_string));
                    (a, code.map(|c| t.fit_names.get(&c).unwrap_or(&c).to_string()).unwrap_or_default())
                });
                let kind = m.mechanism.kind.to_string();
                (
                    m.mechanism.id.to_string(),
                    m.mechanism.name.clone(),
                    t.mechanism_kinds.get(&kind).unwrap_or(&kind).to_string(),
                    availability,
                    fit,
                )
            })
            .collect(),
        radar: radar(&t.building_blocks, &labels, &series),
        territories: std::iter::once(a)
            .chain(b)
            .map(|l| part(lang, l, label(l), &territories::name_of(names, &l.diagnostic.territory)))
            .collect(),
    };
    pages::render(page)
}

/// Query of the diagnostic page.
#[derive(Debug, Deserialize, Default)]
struct DiagnosticQuery {
    /// A territory to compare with, by code or name.
    compare: Option<String>,
}

impl PageFields for DiagnosticQuery {
    const FIELDS: &'static [&'static str] = &["compare"];
}

/// The printable diagnostic page, in the page's language. A territory named rather than coded
/// (`/territories/quebec/diagnostic`) is sent to its code's address; a name several territories
/// share gets the page to choose one.
async fn diagnostic_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    PageParams(mut q): PageParams<DiagnosticQuery>,
) -> Result<Response, WebError> {
    let compare_part = |c: &Option<String>| c.as_ref().map(|c| format!("&compare={}", encode(c))).unwrap_or_default();
    let mut code = Some(id.clone());
    let typed_compare = q.compare.clone();
    let here =
        |code: &str| format!("/territories/{}/diagnostic?lang={lang}{}", encode(code), compare_part(&typed_compare));
    if let Some(page) = resolve_param(&state, lang, &mut code, here).await? {
        return Ok(page);
    }
    let code = code.unwrap_or(id.clone());
    let other = |c: &str| format!("/territories/{}/diagnostic?lang={lang}&compare={}", encode(&code), encode(c));
    if let Some(page) = resolve_param(&state, lang, &mut q.compare, other).await? {
        return Ok(page);
    }
    if code != id || q.compare != typed_compare {
        let to = format!("/territories/{}/diagnostic?lang={lang}{}", encode(&code), compare_part(&q.compare));
        return Ok(Redirect::to(&to).into_response());
    }
    let compare = q.compare.filter(|c| !c.trim().is_empty());
    let (a, b) = diagnostic_pair(&state, id, compare).await?;
    let code = a.diagnostic.territory.clone();
    let (names, finance) =
        with_store(&state, move |s| Ok((territories::names(s)?, solidaria_app::finance::in_territory(s, &code)?)))
            .await?;
    Ok(Html(diagnostic_html(lang, &a, b.as_ref(), &names, &finance)).into_response())
}
