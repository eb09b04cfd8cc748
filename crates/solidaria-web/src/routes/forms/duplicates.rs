//! Duplicates, for moderators: the candidate pairs with their score and reasons, a pair's merge
//! reviewed with its conflicting values side by side before confirming, the recent merges with
//! an undo button. The use cases are `solidaria_app::{dedup, merge}`; forms carry the session's
//! CSRF token.

use super::as_page;
use crate::WebError;
use crate::extract::{Can, Lang, Moderate, Posted};
use crate::i18n::Messages;
use crate::pages::{encode, render};
use crate::state::{AppState, with_store};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;
use solidaria_app::merge;
use solidaria_core::dedup::Options;
use solidaria_core::dedup::merge::Side;
use solidaria_core::record::Record;
use std::collections::BTreeMap;

/// The duplicates routes.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/moderation/duplicates", get(duplicates_page))
        .route("/moderation/duplicates/merge", get(review).post(confirm))
        .route("/moderation/merges/{id}/undo", post(undo))
}

/// Pairs shown on the page at most (the strongest).
const PAIRS_SHOWN: usize = 200;

struct PairRow {
    score: String,
    a_id: String,
    a_link: String,
    a_name: String,
    a_detail: String,
    b_id: String,
    b_link: String,
    b_name: String,
    b_detail: String,
    reasons: Vec<String>,
}

struct MergeRow {
    id: i64,
    at: String,
    who: String,
    keep: String,
    keep_link: String,
    absorbed: String,
    undone: bool,
}

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage<'a> {
    lang: &'a str,
    t: &'a Messages,
    csrf: String,
    flash: String,
    threshold: String,
    pairs: Vec<PairRow>,
    merges: Vec<MergeRow>,
}

/// `identifiers; dataset edition line N` of one side, as its sources gave them.
fn detail(s: &solidaria_core::dedup::Side) -> String {
    let ids = s.identifiers.iter().map(|(k, v)| format!("{k}={v}"));
    let rows = s.sources.iter().map(|r| {
        let mut t = r.dataset.clone();
        if let Some(e) = &r.edition {
            t.push_str(&format!(" {e}"));
        }
        if let Some(l) = r.line {
            t.push_str(&format!(" line {l}"));
        }
        t
    });
    ids.chain(rows).collect::<Vec<_>>().join("; ")
}

/// A merge or undo number from the query, shown only when it is a number.
fn number(q: &BTreeMap<String, String>, key: &str) -> Option<u64> {
    q.get(key).filter(|n| !n.is_empty() && n.len() <= 19 && n.bytes().all(|b| b.is_ascii_digit()))?.parse().ok()
}

/// The candidate pairs and the recent merges.
async fn duplicates_page(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(q): Query<BTreeMap<String, String>>,
    c: Result<Can<Moderate>, WebError>,
) -> Response {
    as_page(lang, "/moderation/duplicates", async {
        let c = c?;
        let threshold = match q.get("threshold").filter(|s| !s.is_empty()) {
            Some(s) => s.parse::<f64>().map_err(|_| {
                solidaria_app::AppError::new(
                    solidaria_app::Code::QueryInvalid,
                    format!("the lowest score is a number from 0 to 1, not {s:?}"),
                )
                .at("threshold")
            })?,
            None => 0.8,
        };
        let options = Options { threshold, ..Options::default() };
        let (outcome, merges) = with_store(&state, move |s| {
            let outcome = solidaria_app::dedup::candidates(s, &options, &mut |_| {})?;
            Ok((outcome, merge::list(s, 50)?))
        })
        .await?;
        let t = crate::i18n::messages(lang);
        let flash = match (number(&q, "merged"), number(&q, "undone")) {
            (Some(n), _) => t.merge_done.replace("{id}", &n.to_string()),
            (_, Some(n)) => t.undo_done.replace("{id}", &n.to_string()),
            _ => String::new(),
        };
        let pairs = outcome
            .candidates
            .iter()
            .take(PAIRS_SHOWN)
            .map(|p| PairRow {
                score: format!("{:.3}", p.score),
                a_id: p.a.id.clone(),
                a_link: encode(&p.a.id),
                a_name: p.a.name.clone(),
                a_detail: detail(&p.a),
                b_id: p.b.id.clone(),
                b_link: encode(&p.b.id),
                b_name: p.b.name.clone(),
                b_detail: detail(&p.b),
                reasons: p.reasons.iter().map(|r| format!("{:+.1} {}", r.weight, r.text)).collect(),
            })
            .collect();
        let merges = merges
            .into_iter()
            .map(|m| MergeRow {
                id: m.id,
                at: m.at,
                who: m.who,
                keep_link: encode(&m.keep),
                keep: m.keep,
                absorbed: m.absorbed,
                undone: m.undone_at.is_some(),
            })
            .collect();
        let page = DuplicatesPage { lang, t, csrf: c.csrf(), flash, threshold: threshold.to_string(), pairs, merges };
        Ok(Html(render(page)).into_response())
    })
    .await
}

struct ConflictRow {
    field: String,
    kept: String,
    absorbed: String,
    kept_chosen: bool,
    why: String,
}

#[derive(Template)]
#[template(path = "merge.html")]
struct MergePage<'a> {
    lang: &'a str,
    t: &'a Messages,
    csrf: String,
    keep: String,
    keep_link: String,
    keep_name: String,
    absorb: String,
    absorb_link: String,
    absorb_name: String,
    conflicts: Vec<ConflictRow>,
    relations: Vec<String>,
    references: Vec<String>,
    merged: String,
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// A merge reviewed before confirming: both records, each conflict side by side with the value
/// kept, the relations re-pointed, the merged record.
async fn review(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(q): Query<BTreeMap<String, String>>,
    c: Result<Can<Moderate>, WebError>,
) -> Response {
    as_page(lang, "/moderation/duplicates", async {
        let c = c?;
        let (keep, absorb) = match (q.get("keep"), q.get("absorb")) {
            (Some(k), Some(a)) => (k.clone(), a.clone()),
            _ => {
                return Err(solidaria_app::AppError::new(
                    solidaria_app::Code::QueryInvalid,
                    "a merge is reviewed with ?keep=ID&absorb=ID",
                )
                .into());
            }
        };
        let p = with_store(&state, move |s| Ok(merge::preview(s, &keep, &absorb)?)).await?;
        let page = MergePage {
            lang,
            t: crate::i18n::messages(lang),
            csrf: c.csrf(),
            keep: p.kept.id.to_string(),
            keep_link: encode(p.kept.id.as_str()),
            keep_name: p.kept.name.clone(),
            absorb: p.absorbed.id.to_string(),
            absorb_link: encode(p.absorbed.id.as_str()),
            absorb_name: p.absorbed.name.clone(),
            conflicts: p
                .conflicts
                .iter()
                .map(|c| ConflictRow {
                    field: c.field.clone(),
                    kept: shown(&c.kept),
                    absorbed: shown(&c.absorbed),
                    kept_chosen: c.chosen == Side::Kept,
                    why: c.why.clone(),
                })
                .collect(),
            relations: p
                .relations
                .iter()
                .map(|r| match &r.to_key {
                    Some(k) => format!("{} → {} ({})", r.from_key, k, r.action),
                    None => format!("{} ({})", r.from_key, r.action),
                })
                .collect(),
            references: p
                .references
                .iter()
                .map(|r| format!("{} {}: {}", r.record_type, r.key, r.fields.join(", ")))
                .collect(),
            merged: serde_json::to_string_pretty(&Record::Actor(p.merged.clone())).unwrap_or_default(),
        };
        Ok(Html(render(page)).into_response())
    })
    .await
}

#[derive(Deserialize)]
struct MergeForm {
    csrf: String,
    keep: String,
    absorb: String,
}

/// The merge confirmed: made, then the duplicates page says so.
async fn confirm(
    State(state): State<AppState>,
    Lang(lang): Lang,
    posted: Result<Posted<Moderate, MergeForm>, WebError>,
) -> Response {
    as_page(lang, "/moderation/duplicates", async {
        let Posted(c, f) = posted?;
        let m = with_store(&state, move |s| Ok(merge::merge(s, &c.user, &f.keep, &f.absorb)?)).await?;
        Ok(Redirect::to(&format!("/moderation/duplicates?lang={lang}&merged={}", m.id)).into_response())
    })
    .await
}

/// A merge undone (or the reason it cannot be: 409 when the kept record changed since).
async fn undo(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Path(id): Path<i64>,
    posted: Result<Posted<Moderate, super::CsrfForm>, WebError>,
) -> Response {
    as_page(lang, "/moderation/duplicates", async {
        let Posted(c, _) = posted?;
        let u = with_store(&state, move |s| Ok(merge::undo(s, &c.user, id)?)).await?;
        Ok(Redirect::to(&format!("/moderation/duplicates?lang={lang}&undone={}", u.id)).into_response())
    })
    .await
}

crate::extract::csrf_field!(MergeForm);
