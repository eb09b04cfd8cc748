//! Self-assessment: an organization's own account answers the questionnaire of its country's
//! profiles (`solidaria_core::questionnaire`), each answer with its evidence; the answers become
//! one proposal in the moderation queue, its facts marked `self_declared`, which a moderator
//! validates as declared or, having checked the evidence, as verified
//! ([`crate::moderate::decide_as`]).
//!
//! Only an account linked to the actor (`solidaria user link NAME ACTOR`) may see or send its
//! questionnaire, whatever its role: deny by default (`not_the_actors_account`). A submission is
//! always a proposal, even from a moderator's account: what an organization says of itself is
//! decided by someone else.

use crate::error::{AppError, AppResult, Code};
use crate::write::write_one;
use solidaria_core::questionnaire::{self, Questionnaire};
use solidaria_core::record::RecordType;
use solidaria_core::{Actor, FieldError, Record};
use solidaria_store::Store;
use solidaria_store::accounts::{NewProposal, ProposalAction, User};

/// An actor and the questionnaire it is asked.
#[derive(Debug)]
pub struct Assessment {
    /// The actor, as stored.
    pub actor: Actor,
    /// Its questions, by theme.
    pub questionnaire: Questionnaire,
}

/// Checks that `user`'s account speaks for the actor, or `not_the_actors_account`.
pub fn ensure_linked(store: &mut dyn Store, user: &User, actor_id: &str) -> AppResult<()> {
    let linked = crate::accounts::linked_actor(store, &user.name)?.is_some_and(|a| a == actor_id);
    if linked {
        Ok(())
    } else {
        Err(AppError::new(
            Code::NotTheActorsAccount,
            format!(
                "the account {} does not speak for the actor {actor_id:?}: only the organization's own account fills its self-assessment (an admin links accounts to actors with `solidaria user link`)",
                user.name
            ),
        ))
    }
}

/// The territory of the actor and those containing it (ISO parents and custom regions' parents).
fn territories(store: &mut dyn Store, actor: &Actor) -> AppResult<Vec<String>> {
    let Some(t) = &actor.territory else {
        return Ok(Vec::new());
    };
    let parents = store.territory_parents()?;
    Ok(solidaria_core::territory::ancestors(t.as_str(), &parents))
}

/// The questionnaire of an actor for the account that speaks for it, worded in `lang`.
pub fn assessment(store: &mut dyn Store, user: &User, actor_id: &str, lang: &str) -> AppResult<Assessment> {
    let actor = crate::directory::actor_record(store, actor_id)?;
    ensure_linked(store, user, actor_id)?;
    let ts = territories(store, &actor)?;
    let profiles = questionnaire::profiles_for(&ts.iter().map(String::as_str).collect::<Vec<_>>());
    let questionnaire = questionnaire::questionnaire(&actor, &profiles, lang);
    Ok(Assessment { actor, questionnaire })
}

/// Sends a self-assessment: the answers (a form's fields, see
/// `solidaria_core::questionnaire::read_answers`) of the questions [`assessment`] asks become one
/// proposal updating the actor with self-declared facts. The inner error lists every problem of
/// what was sent, each naming its field; nothing is proposed then. Returns the proposal's number.
pub fn submit(
    store: &mut dyn Store,
    user: &User,
    actor_id: &str,
    fields: &[(String, String)],
) -> AppResult<Result<i64, Vec<FieldError>>> {
    let Assessment { actor, questionnaire } = assessment(store, user, actor_id, "en")?;
    let asked = questionnaire.specs();
    let facts = match questionnaire::read_answers(&asked, fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(facts) => facts,
        Err(problems) => return Ok(Err(problems)),
    };
    let note = format!(
        "self-assessment by the organization's account {}: {} answer(s) ({}) for {}",
        user.name,
        facts.len(),
        facts.keys().map(String::as_str).collect::<Vec<_>>().join(", "),
        questionnaire.profiles.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
    );
    let base = Record::Actor(actor.clone()).to_json();
    let mut updated = actor;
    updated.facts.extend(facts);
    let record = Record::Actor(updated);
    // Checked as it would be written (references), in a transaction that is rolled back.
    let mut tx = store.transaction()?;
    write_one(tx.as_mut(), &user.name, &record)?.map_err(|p| AppError::invalid_record(&p))?;
    drop(tx);
    let id = store.propose(&NewProposal {
        proposer: user.name.clone(),
        record_type: RecordType::Actor,
        record_key: actor_id.to_string(),
        action: ProposalAction::Upsert,
        doc: Some(record.to_json()),
        base: Some(base),
        note: Some(note),
    })?;
    Ok(Ok(id))
}
