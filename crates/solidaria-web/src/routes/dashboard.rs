//! The observatory's dashboard: for the directory's filters, the verdicts under every profile
//! that applies, legal-form families, categories and building blocks as charts, each with its
//! table (`/dashboard`), and the same figures as JSON (`/api/dashboard`). The counting is the
//! app's (`solidaria_app::dashboard`); this module only shows it.

use crate::WebError;
use crate::extract::{Lang, PageParams, Params};
use crate::i18n::{Messages, messages};
use crate::pages::{self, Filters};
use crate::routes::directory::{ListQuery, directory_query, filters_of, resolve_territory};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use solidaria_app::dashboard::{self, Dashboard};
use solidaria_app::report::{bars, shares};
use solidaria_core::actor::BuildingBlock;

/// The dashboard's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/dashboard", get(page)).route("/api/dashboard", get(api))
}

/// Colours of qualifies, does not qualify and not enough evidence (distinct for colour-blind
/// readers too: green, vermilion, grey).
const VERDICT_COLOURS: [&str; 3] = ["#1b7f5f", "#c0392b", "#9e9e9e"];

/// One row of a table: a label, a count and its share of the actors counted.
struct Row {
    label: String,
    count: u64,
    share: String,
}

/// One profile's verdicts, as shown.
struct VerdictRow {
    profile: String,
    title: String,
    screened: u64,
    counts: [u64; 3],
}

/// A chart with its table.
struct Part {
    heading: String,
    chart: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    filters: Filters,
    query: String,
    d: Dashboard,
    verdict_chart: String,
    verdicts: Vec<VerdictRow>,
    parts: Vec<Part>,
}

fn percent(n: u64, of: u64) -> String {
    if of == 0 { "–".into() } else { format!("{:.0} %", n as f64 * 100.0 / of as f64) }
}

fn part(heading: &str, counts: &[(String, u64)], of: u64, name: impl Fn(&str) -> String) -> Part {
    let rows: Vec<Row> =
        counts.iter().map(|(k, n)| Row { label: name(k), count: *n, share: percent(*n, of) }).collect();
    let values: Vec<(&str, u64)> = rows.iter().map(|r| (r.label.as_str(), r.count)).collect();
    Part { heading: heading.to_string(), chart: bars(heading, &values), rows }
}

fn render(lang: &str, filters: Filters, d: Dashboard) -> String {
    let t = messages(lang);
    let w = &t.dashboard;
    let verdicts: Vec<VerdictRow> = d
        .verdicts
        .iter()
        .map(|v| VerdictRow {
            profile: v.profile.clone(),
            // In the page's language where the profile's title is translated.
            title: t.profile_titles.get(&v.profile).cloned().unwrap_or_else(|| v.title.clone()),
            screened: v.screened,
            counts: [v.qualifies, v.does_not_qualify, v.insufficient_evidence],
        })
        .collect();
    let parts = [
        (&w.qualifies, VERDICT_COLOURS[0]),
        (&w.does_not_qualify, VERDICT_COLOURS[1]),
        (&w.insufficient_evidence, VERDICT_COLOURS[2]),
    ];
    let parts: Vec<(&str, &str)> = parts.iter().map(|(n, c)| (n.as_str(), *c)).collect();
    let rows: Vec<(&str, Vec<u64>)> = verdicts.iter().map(|v| (v.profile.as_str(), v.counts.to_vec())).collect();
    let verdict_chart = shares(&w.verdicts, &parts, &rows);
    let of = d.counted;
    let block = |k: &str| match BuildingBlock::parse(k) {
        Ok(b) => t.blocks.of(b).to_string(),
        Err(_) => w.no_block.clone(),
    };
    let parts = vec![
        part(&w.families, &d.families, of, |k| t.families.get(k).unwrap_or(&w.no_family).to_string()),
        part(&w.categories, &d.categories, of, |k| t.categories.of(k).to_string()),
        part(&w.blocks, &d.blocks, of, block),
    ];
    let query = filters.query();
    pages::render(DashboardPage { lang, t, filters, query, d, verdict_chart, verdicts, parts })
}

/// The dashboard page of the directory's filters (a territory may be typed by name).
async fn page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    PageParams(mut q): PageParams<ListQuery>,
) -> Result<Response, WebError> {
    if let Some(page) = resolve_territory(&state, lang, "/dashboard", &mut q).await? {
        return Ok(page);
    }
    let filters = filters_of(&q);
    let d = with_store(&state, move |s| Ok(dashboard::dashboard(s, &directory_query(q))?)).await?;
    Ok(Html(render(lang, filters, d)).into_response())
}

/// The dashboard's figures as JSON.
async fn api(State(state): State<AppState>, Params(q): Params<ListQuery>) -> Result<Response, WebError> {
    let d = with_store(&state, move |s| Ok(dashboard::dashboard(s, &directory_query(q))?)).await?;
    Ok(axum::Json(d).into_response())
}
