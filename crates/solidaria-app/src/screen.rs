//! Screening now, without saving: the built-in profiles that screen actors, and a page of the
//! directory screened against several of them (verdicts or every criterion, and the verdict
//! counts per profile).

use crate::error::{AppError, AppResult, Code};
use serde_json::{Value, json};
use solidaria_core::Actor;
use solidaria_core::screening::profile::{Profile, SubjectKind};
use solidaria_core::screening::{Screening, builtin, screen};
use std::collections::BTreeMap;

/// A built-in profile by id, or `profile_not_found`.
pub fn profile(id: &str) -> AppResult<&'static Profile> {
    builtin::find(id).ok_or_else(|| AppError::new(Code::ProfileNotFound, format!("no profile {id:?}")))
}

/// A built-in profile that screens actors, or why not (`profile_not_found`, or
/// `profile_wrong_subject` for a case or programme profile).
pub fn actor_profile(id: &str) -> AppResult<&'static Profile> {
    match builtin::find(id) {
        Some(p) if p.subject == SubjectKind::Actor => Ok(p),
        Some(p) => Err(AppError::new(
            Code::ProfileWrongSubject,
            format!("profile: {id:?} screens {:?} records, not actors (see /api/profiles)", p.subject),
        )
        .at("profile")),
        None => Err(AppError::new(Code::ProfileNotFound, format!("no profile {id:?} (see /api/profiles)"))),
    }
}

/// The actor profiles named in a comma-separated list, or every built-in actor profile when the
/// list is absent or empty.
pub fn actor_profiles(list: Option<&str>) -> AppResult<Vec<&'static Profile>> {
    match list {
        None | Some("") => Ok(builtin::for_subject(SubjectKind::Actor).collect()),
        Some(list) => list.split(',').map(|id| actor_profile(id.trim())).collect(),
    }
}

/// One actor screened now under every built-in actor profile, in listing order.
pub fn under_every_profile(actor: &Actor) -> Vec<Screening<'_>> {
    builtin::for_subject(SubjectKind::Actor).map(|p| screen(p, actor)).collect()
}

/// Actors screened against profiles: per actor its verdict under each (or, with `detail`, the
/// whole screening with criteria, reasons and citations), and the verdict counts per profile.
pub fn screen_actors(actors: &[Actor], profiles: &[&Profile], detail: bool) -> (Vec<Value>, Value) {
    let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    let items = actors
        .iter()
        .map(|a| {
            let verdicts: Vec<Value> = profiles
                .iter()
                .map(|p| {
                    let s = screen(p, a);
                    *counts.entry(p.id.as_str()).or_default().entry(s.verdict.as_str()).or_default() += 1;
                    if detail {
                        serde_json::to_value(&s).unwrap_or(Value::Null)
                    } else {
                        json!({"profile": p.id, "profile_version": p.version, "verdict": s.verdict.as_str(),
                               "claim_mismatches": s.claim_mismatches.len()})
                    }
                })
                .collect();
            json!({"id": a.id, "name": a.name, "screenings": verdicts})
        })
        .collect();
    (items, json!(counts))
}
