//! Evidence that would decide: for one actor, the smallest sets of missing facts that could
//! decide its undecided verdict under a profile; over the whole registry, the missing facts
//! ranked by how many undecided verdicts they could help decide (an observatory's worklist).
//! The rules are `solidaria_core::screening::evidence`'s. And supplying those facts with their
//! evidence: [`asked`] says which facts a form asks for, [`supply`] writes them through
//! [`crate::write::apply`] (applied at once for moderators and admins, proposed for moderation
//! for contributors).

use crate::error::AppResult;
use crate::screen::{actor_profile, in_chunks};
use crate::write::{Intent, Outcome, apply};
use rayon::prelude::*;
use solidaria_core::Actor;
use solidaria_core::screening::Verdict;
use solidaria_core::screening::evidence::{Evidence, Worklist, evidence, weigh};
use solidaria_core::screening::profile::Profile;
use solidaria_core::supply::{self, Supplied};
use solidaria_core::vocab::FactSpec;
use solidaria_core::{FieldError, Record};
use solidaria_store::Store;
use solidaria_store::accounts::User;

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

/// What a form asks to decide an actor's verdict under a profile.
#[derive(Debug)]
pub struct Asked {
    /// The actor, as stored.
    pub actor: Actor,
    /// The profile.
    pub profile: &'static Profile,
    /// Its verdict now.
    pub verdict: Verdict,
    /// When undecided, the smallest sets of facts that could decide it.
    pub evidence: Option<Evidence<'static>>,
    /// The facts asked: those of the sets that the vocabulary types, not documented yet and not
    /// set by law only (`solidaria_core::supply::askable`), in vocabulary order.
    pub facts: Vec<&'static FactSpec>,
}

/// The facts that would decide an actor's verdict under a profile (by ids), as a form asks them.
pub fn asked(store: &mut dyn Store, actor_id: &str, profile_id: &str) -> AppResult<Asked> {
    let profile = actor_profile(profile_id)?;
    let actor = crate::directory::actor_record(store, actor_id)?;
    let (verdict, evidence) = for_actor(&actor, profile);
    let facts = evidence.as_ref().map(|e| supply::askable(e, &actor)).unwrap_or_default();
    Ok(Asked { actor, profile, verdict, evidence, facts })
}

/// Supplies facts that would decide an actor's verdict under a profile, with their evidence, as
/// `user`: an update of the actor adding them, applied or proposed by [`apply`] as for any
/// write of that user (its note to the moderator names the profile and the facts). Only the
/// facts [`asked`] lists are taken; the inner error lists every problem of what was sent, each
/// naming its field, and nothing is written then.
pub fn supply(
    store: &mut dyn Store,
    user: &User,
    actor_id: &str,
    profile_id: &str,
    sent: &Supplied,
) -> AppResult<Result<Outcome, Vec<FieldError>>> {
    let Asked { mut actor, profile, facts: asked, .. } = asked(store, actor_id, profile_id)?;
    let facts = match supply::read(&asked, sent) {
        Ok(facts) => facts,
        Err(problems) => return Ok(Err(problems)),
    };
    let note = format!(
        "facts that would decide {} ({}): {}",
        profile.id,
        profile.title,
        facts.keys().map(String::as_str).collect::<Vec<_>>().join(", ")
    );
    actor.facts.extend(facts);
    Ok(Ok(apply(store, user, Intent::Update(Record::Actor(actor)), Some(note))?))
}
