//! Investment readiness of an organization: its stage by dimension under a readiness profile
//! (pure: `solidaria_core::finance::readiness`), and the next steps with the capacity-building
//! and finance actors of its territory and of the territories it is in, from the registry.

use crate::error::{AppError, AppResult, Code};
use solidaria_core::actor::Actor;
use solidaria_core::finance::readiness::{self, NextSteps, Readiness, ReadinessProfile};
use solidaria_core::record::{Record, RecordType};
use solidaria_core::territory;
use solidaria_store::{ActorFilter, Store};
use std::collections::BTreeSet;

/// An organization's readiness and what to do next.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReadinessReport {
    /// The assessment.
    pub readiness: Readiness,
    /// The organization's territory, then the territories it is in.
    pub territory_chain: Vec<String>,
    /// What to do next, and who could help.
    pub next_steps: NextSteps,
}

/// A built-in readiness profile by id, the default when `None`.
pub fn profile(id: Option<&str>) -> AppResult<&'static ReadinessProfile> {
    let id = id.unwrap_or(readiness::DEFAULT);
    readiness::find(id).ok_or_else(|| {
        let known: Vec<&str> = readiness::builtin().iter().map(|p| p.id.as_str()).collect();
        AppError::new(Code::ProfileNotFound, format!("no readiness profile {id:?}; built in: {}", known.join(", ")))
            .at("profile")
    })
}

/// An actor of the registry by id.
pub(crate) fn actor(store: &mut dyn Store, id: &str) -> AppResult<Actor> {
    match store.get(RecordType::Actor, id)? {
        Some(Record::Actor(a)) => Ok(a),
        _ => Err(AppError::no_record(RecordType::Actor, id).at("actor")),
    }
}

/// An actor's territory and the territories it is in, nearest first; empty without territory.
pub(crate) fn chain(store: &mut dyn Store, a: &Actor) -> AppResult<Vec<String>> {
    Ok(match &a.territory {
        Some(t) => territory::ancestors(&t.to_string(), &store.territory_parents()?),
        None => Vec::new(),
    })
}

/// Assesses an organization's readiness under a readiness profile (the default when `None`),
/// with the next steps and the actors of its territory chain who could help.
pub fn assess(store: &mut dyn Store, actor_id: &str, profile_id: Option<&str>) -> AppResult<ReadinessReport> {
    let p = profile(profile_id)?;
    let a = actor(store, actor_id)?;
    let territory_chain = chain(store, &a)?;
    let r = readiness::assess(p, &a);
    let nearby = if territory_chain.is_empty() {
        Vec::new()
    } else {
        let territories: BTreeSet<String> = territory_chain.iter().cloned().collect();
        store.list_actors(&ActorFilter { territories: Some(territories), text: None, limit: None })?
    };
    let next_steps = readiness::next_steps(&r, a.id.as_str(), &territory_chain, &nearby);
    Ok(ReadinessReport { readiness: r, territory_chain, next_steps })
}
