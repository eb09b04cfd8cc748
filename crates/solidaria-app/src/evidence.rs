//! Evidence that would decide: for one actor, the smallest sets of missing facts that could
//! decide its undecided verdict under a profile; over the whole registry, the missing facts
//! ranked by how many undecided verdicts they could help decide (an observatory's worklist).
//! The rules are `solidaria_core::screening::evidence`'s.

use crate::error::AppResult;
use crate::screen::{actor_profile, in_chunks};
use rayon::prelude::*;
use solidaria_core::Actor;
use solidaria_core::screening::Verdict;
use solidaria_core::screening::evidence::{Evidence, Worklist, evidence, weigh};
use solidaria_store::Store;

/// An actor's verdict under a profile and, when undecided, what would decide it.
pub fn for_actor<'p>(
    actor: &Actor,
    profile: &'p solidaria_core::screening::profile::Profile,
) -> (Verdict, Option<Evidence<'p>>) {
    match weigh(profile, actor) {
        Ok(e) => (Verdict::InsufficientEvidence, Some(e)),
        Err(decided) => (decided, None),
    }
}

/// The registry's worklist under a profile (by id): every actor screened on every core, the
/// facts of the smallest deciding sets of each undecided verdict counted. `progress` gets the
/// number of actors read.
pub fn worklist(store: &mut dyn Store, profile_id: &str, progress: &mut dyn FnMut(u64)) -> AppResult<(u64, Worklist)> {
    let profile = actor_profile(profile_id)?;
    let mut total = Worklist::default();
    let mut actors = 0u64;
    in_chunks(store, &mut |chunk| {
        let part = chunk
            .par_iter()
            .fold(Worklist::default, |mut w, a| {
                if let Some(e) = evidence(profile, a) {
                    w.add(&e);
                }
                w
            })
            .reduce(Worklist::default, |mut a, b| {
                a.merge(b);
                a
            });
        total.merge(part);
        actors += chunk.len() as u64;
        progress(actors);
        Ok(())
    })?;
    Ok((actors, total))
}
