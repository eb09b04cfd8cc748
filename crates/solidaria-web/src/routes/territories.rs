//! A territory's ecosystem diagnostic: the page (translated, with the radar chart of the building
//! blocks and each territory's network picture) and the API.

use crate::WebError;
use crate::extract::Lang;
use crate::i18n::{Messages, messages};
use crate::pages::{self, encode};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use solidaria_app::diagnose::{self, Loaded};
use solidaria_app::report::{network_picture, radar};
use std::collections::BTreeMap;

/// The diagnostic's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/territories/{id}/diagnostic", get(diagnostic_page))
        .route("/api/territories/{id}/diagnostic", get(api_diagnostic))
}

/// A territory's diagnostic and, when asked, the one it is compared with.
async fn diagnostic_pair(
    state: &AppState,
    id: String,
    compare: Option<String>,
) -> Result<(Loaded, Option<Loaded>), WebError> {
    with_store(state, move |s| {
        let a = diagnose::load(s, &id)?;
        let b = compare.map(|c| diagnose::load(s, &c)).transpose()?;
        Ok((a, b))
    })
    .await
}

/// The ecosystem diagnostic of a territory as JSON (`?compare=T2` for two side by side).
async fn api_diagnostic(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let (a, b) = diagnostic_pair(&state, id, q.get("compare").cloned()).await?;
    Ok(match b {
        None => axum::Json(serde_json::to_value(&a.diagnostic).unwrap_or(Value::Null)).into_response(),
        Some(b) => axum::Json(json!({"compare": [a.diagnostic, b.diagnostic]})).into_response(),
    })
}

/// A broker, as shown.
struct BrokerRow {
    name: String,
    id: String,
    betweenness: String,
    bridges: String,
}

/// A suggested partnership, as shown.
struct SuggestionRow {
    from: String,
    to: String,
    block: String,
    reason: String,
}

/// One territory's part of the page.
struct TerritoryPart {
    territory: String,
    nodes: usize,
    edges: usize,
    components: usize,
    communities: usize,
    isolated: usize,
    /// Each block in words, its score and its reasons.
    blocks: Vec<(String, u32, Vec<String>)>,
    /// The network picture (SVG that escapes its own text).
    picture: String,
    brokers: Vec<BrokerRow>,
    gaps: Vec<String>,
    suggestions: Vec<SuggestionRow>,
}

#[derive(Template)]
#[template(path = "diagnostic.html")]
struct DiagnosticPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    title: String,
    json: String,
    /// The radar chart of the blocks (SVG that escapes its own text).
    radar: String,
    territories: Vec<TerritoryPart>,
}

/// The part of the page about one territory: what `solidaria diagnose --format html` shows,
/// with the words in the page's language.
fn part(t: &Messages, l: &Loaded) -> TerritoryPart {
    let d = &l.diagnostic;
    let n = &d.network;
    TerritoryPart {
        territory: d.territory.clone(),
        nodes: n.nodes,
        edges: n.edges,
        components: n.components,
        communities: n.communities.len(),
        isolated: n.isolated.len(),
        blocks: d.building_blocks.iter().map(|b| (t.blocks.of(b.id).to_string(), b.score, b.reasons.clone())).collect(),
        picture: network_picture(d, &l.categories, &l.names, &l.edges),
        brokers: n
            .brokers
            .iter()
            .take(15)
            .map(|b| BrokerRow {
                name: b.name.clone(),
                id: b.id.clone(),
                betweenness: format!("{:.3}", b.betweenness),
                bridges: b.bridges.join(", "),
            })
            .collect(),
        gaps: d.gaps.clone(),
        suggestions: d
            .suggestions
            .iter()
            .take(15)
            .map(|s| SuggestionRow {
                from: s.from.clone(),
                to: s.to.clone(),
                block: t.blocks.of(s.block).to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
    }
}

/// The diagnostic page: the radar chart of the blocks (with the compared territory, `?compare=`),
/// then for each territory its scores with reasons, network numbers and picture, brokers, gaps
/// and suggested partnerships.
fn diagnostic_html(lang: &str, a: &Loaded, b: Option<&Loaded>) -> String {
    let t = messages(lang);
    let labels: Vec<&str> = a.diagnostic.building_blocks.iter().map(|x| t.blocks.of(x.id)).collect();
    let scores = |l: &Loaded| l.diagnostic.building_blocks.iter().map(|x| x.score).collect::<Vec<_>>();
    let mut series = vec![(a.diagnostic.territory.as_str(), scores(a))];
    series.extend(b.map(|b| (b.diagnostic.territory.as_str(), scores(b))));
    let (mut title, mut json) = (
        format!("{} {}", t.diagnostic, a.diagnostic.territory),
        format!("/api/territories/{}/diagnostic", encode(&a.diagnostic.territory)),
    );
    if let Some(b) = b {
        title = format!("{title} {} {}", t.compared_with, b.diagnostic.territory);
        json = format!("{json}?compare={}", encode(&b.diagnostic.territory));
    }
    let page = DiagnosticPage {
        lang,
        t,
        title,
        json,
        radar: radar(&labels, &series),
        territories: std::iter::once(a).chain(b).map(|l| part(t, l)).collect(),
    };
    pages::render(page)
}

/// The printable diagnostic page, in the page's language.
async fn diagnostic_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let (a, b) = diagnostic_pair(&state, id, q.get("compare").cloned()).await?;
    Ok(Html(diagnostic_html(lang, &a, b.as_ref())).into_response())
}
