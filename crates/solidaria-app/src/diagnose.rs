//! The ecosystem diagnostic of a territory, loaded from a store: the actors within it, the
//! relations between them, betweenness on every core (rayon over sources), the same in random
//! graphs with the same degrees (the null model the shortlist of brokers is compared with), and
//! the pure diagnostic of `solidaria_core::ecosystem`. `solidaria diagnose`, the territory page and its
//! API all call [`load`]; the printable report is [`crate::report::diagnostic_html`].

use crate::error::{AppError, AppResult, Code};
use rayon::prelude::*;
use solidaria_core::actor::{Actor, BuildingBlock};
use solidaria_core::ecosystem::{self, Diagnostic};
use solidaria_core::history;
use solidaria_core::network::{Graph, Scratch};
use solidaria_core::record::{Record, RecordType};
use solidaria_core::relation::Relation;
use solidaria_core::strategy::last_day;
use solidaria_core::text::PartialDate;
use solidaria_store::Store;
use std::collections::HashMap;

/// Exact betweenness on every core: sources are shared out among threads, each adding its
/// sources' shares into its own vector; the vectors are then summed.
pub fn betweenness(graph: &Graph) -> Vec<f64> {
    let all: Vec<usize> = (0..graph.nodes()).collect();
    let scale = graph.betweenness_scale();
    shares(graph, &all).into_iter().map(|x| x * scale).collect()
}

/// The summed (unnormalised) betweenness shares of the given sources, on every core. With every
/// node as a source this is exact betweenness; with a sample of k sources, scaled by n / k, it is
/// the sampled estimate.
pub fn shares(graph: &Graph, sources: &[usize]) -> Vec<f64> {
    let n = graph.nodes();
    sources
        .par_iter()
        .fold(
            || (vec![0.0f64; n], Scratch::default()),
            |(mut acc, mut scratch), &s| {
                graph.betweenness_from(s, &mut scratch, &mut acc);
                (acc, scratch)
            },
        )
        .map(|(acc, _)| acc)
        .reduce(
            || vec![0.0; n],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        )
}

/// Sources of the shortest paths counted in a random graph of the null model beyond which they
/// are sampled: exact betweenness up to this many actors, an estimate from this many evenly spaced
/// sources (scaled by n / k) beyond, so that comparing with [`ecosystem::NULL_GRAPHS`] random
/// graphs costs at most a few exact computations on a large network.
pub const NULL_SOURCES: usize = 300;

/// Betweenness in one random graph of the null model: exact up to [`NULL_SOURCES`] actors,
/// estimated from that many sources beyond.
fn null_betweenness(graph: &Graph) -> Vec<f64> {
    let n = graph.nodes();
    if n <= NULL_SOURCES {
        return betweenness(graph);
    }
    let sources: Vec<usize> = (0..NULL_SOURCES).map(|k| k * n / NULL_SOURCES).collect();
    let scale = graph.betweenness_scale() * n as f64 / NULL_SOURCES as f64;
    shares(graph, &sources).into_iter().map(|x| x * scale).collect()
}

/// A diagnostic with what its pictures need: per node, its category and name; the edges.
pub struct Loaded {
    /// The diagnostic.
    pub diagnostic: Diagnostic,
    /// Each node's category.
    pub categories: Vec<String>,
    /// Each node's name.
    pub names: Vec<String>,
    /// The distinct links.
    pub edges: Vec<(usize, usize)>,
    /// Each node's actor id.
    pub ids: Vec<String>,
    /// The actors, in node order.
    pub actors: Vec<Actor>,
}

/// Loads a territory's actors and relations and diagnoses it.
/// A malformed territory is `territory_malformed`.
pub fn load(store: &mut dyn Store, t: &str) -> AppResult<Loaded> {
    load_as_of(store, t, None)
}

/// The territory's actors and every relation, as the history reads them once.
fn records(store: &mut dyn Store, t: &str) -> AppResult<(Vec<Actor>, Vec<Relation>)> {
    let actors: Vec<Actor> = crate::directory::actors(store, Some(t), None, None)?;
    let ids: std::collections::HashSet<String> = actors.iter().map(|a| a.id.to_string()).collect();
    let mut relations = Vec::new();
    store.for_each(RecordType::Relation, &mut |r| {
        if let Record::Relation(rel) = r
            && ids.contains(rel.from.as_str())
            && ids.contains(rel.to.as_str())
        {
            relations.push(rel);
        }
        Ok(())
    })?;
    Ok((actors, relations))
}

/// Checks a day given as `YYYY-MM-DD` (or a year or month, taken at its end), giving the day.
pub fn as_of_day(s: &str) -> AppResult<String> {
    PartialDate::parse(s)
        .map(|d| last_day(&d))
        .map_err(|e| AppError::new(Code::QueryInvalid, format!("as_of: expected {e}, found {s:?}")).at("as_of"))
}

/// The diagnostic of a territory as it stood at the end of `as_of` (`YYYY-MM-DD`, or a year or
/// month; none: as it is now): only the actors founded by then and the relations holding then
/// (see `solidaria_core::history` for what undated records count as).
pub fn load_as_of(store: &mut dyn Store, t: &str, as_of: Option<&str>) -> AppResult<Loaded> {
    let (actors, relations) = records(store, t)?;
    Ok(match as_of {
        None => diagnose_set(t, actors, &relations),
        Some(day) => {
            let day = as_of_day(day)?;
            at_day(t, &actors, &relations, &day)
        }
    })
}

/// The territory's diagnostic at the end of each of `days` (each `YYYY-MM-DD`, or a year or
/// month), its actors and relations read once for all of them.
pub fn load_at_days(store: &mut dyn Store, t: &str, days: &[&str]) -> AppResult<Vec<Loaded>> {
    let (actors, relations) = records(store, t)?;
    days.iter().map(|d| Ok(at_day(t, &actors, &relations, &as_of_day(d)?))).collect()
}

fn at_day(t: &str, actors: &[Actor], relations: &[Relation], day: &str) -> Loaded {
    let present: Vec<Actor> = actors.iter().filter(|a| history::actor_present(a, day)).cloned().collect();
    let holding: Vec<Relation> = relations.iter().filter(|r| history::relation_present(r, day)).cloned().collect();
    diagnose_set(t, present, &holding)
}

/// Diagnoses a set of actors with the relations among them.
fn diagnose_set(t: &str, actors: Vec<Actor>, relations: &[Relation]) -> Loaded {
    let index: HashMap<&str, usize> = actors.iter().enumerate().map(|(i, a)| (a.id.as_str(), i)).collect();
    let edges: Vec<(usize, usize)> = relations
        .iter()
        .filter_map(|rel| Some((*index.get(rel.from.as_str())?, *index.get(rel.to.as_str())?)))
        .collect();
    let graph = Graph::new(actors.len(), edges);
    let b = betweenness(&graph);
    let null = ecosystem::NullModel::of(&graph, null_betweenness);
    let diagnostic = ecosystem::diagnose(t, &actors, &graph, &b, &null);
    let distinct: Vec<(usize, usize)> = (0..graph.nodes())
        .flat_map(|v| graph.neighbours(v).iter().map(move |&w| (v, w as usize)))
        .filter(|(v, w)| v < w)
        .collect();
    Loaded {
        diagnostic,
        categories: actors.iter().map(|a| a.category.map_or("unknown".into(), |c| c.to_string())).collect(),
        names: actors.iter().map(|a| a.name.clone()).collect(),
        edges: distinct,
        ids: actors.iter().map(|a| a.id.to_string()).collect(),
        actors,
    }
}

impl Loaded {
    /// How many of the SSE organizations are linked to an actor serving `block`.
    pub fn linked_organizations(&self, block: BuildingBlock) -> usize {
        let servers: std::collections::HashSet<&str> = self
            .diagnostic
            .building_blocks
            .iter()
            .find(|b| b.id == block)
            .map(|b| b.actors.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let server_index: Vec<bool> = self.ids.iter().map(|id| servers.contains(id.as_str())).collect();
        (0..self.ids.len())
            .filter(|&i| self.categories[i] == "sse_organization")
            .filter(|&i| self.edges.iter().any(|&(a, b)| (a == i && server_index[b]) || (b == i && server_index[a])))
            .count()
    }
}

/// A territory's ecosystem over time.
#[derive(Debug, Clone, serde::Serialize)]
pub struct History {
    /// The territory.
    pub territory: String,
    /// One point per date of change, oldest first, the last one today.
    pub points: Vec<history::Point>,
    /// How many actors and relations carry no date (counted as always present).
    pub undated: history::Undated,
    /// How to read it.
    pub note: String,
}

/// The territory's diagnostic at each date of change from `since` (a year; none: its first
/// dated change) to `today` (`YYYY-MM-DD`), with what changed at each.
pub fn history(store: &mut dyn Store, t: &str, since: Option<i64>, today: &str) -> AppResult<History> {
    let (actors, relations) = records(store, t)?;
    let years = history::change_years(&actors, &relations);
    let mut points: Vec<history::Point> = Vec::new();
    for day in history::days(&years, since, today) {
        let loaded = at_day(t, &actors, &relations, &day);
        let mut p = history::point(&day, &loaded.diagnostic, &loaded.actors);
        if let Some(prev) = points.last() {
            p.changes = history::changes(prev, &p);
        }
        points.push(p);
    }
    let undated = history::undated(&actors, &relations);
    let note = format!(
        "Each point diagnoses {t} at the end of a year in which an actor was founded or a relation began or ended. \
         {} actor(s) without a founding year and {} relation(s) without a start date are counted as always present; \
         roles are taken as they are now.",
        undated.actors, undated.relations
    );
    Ok(History { territory: t.to_string(), points, undated, note })
}
