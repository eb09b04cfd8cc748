//! Moderation: a moderator's decision on a contributor's proposal (a validation applies the
//! change and records the decision in one transaction), and a proposal shown with its diff.

use crate::error::{AppError, AppResult, Code};
use crate::write::write_one;
use serde_json::{Value, json};
use solidaria_core::moderation::{self, Decision, ProposalState};
use solidaria_core::record::{RecordType, parse_record};
use solidaria_store::Store;
use solidaria_store::accounts::{Proposal, ProposalAction, User};

/// A proposal by number, or `proposal_not_found`.
pub fn proposal(store: &mut dyn Store, id: i64) -> AppResult<Proposal> {
    store.proposal(id)?.ok_or_else(|| {
        AppError::new(Code::ProposalNotFound, format!("no proposal {id}: the moderation queue lists the proposals"))
    })
}

/// A page of proposals, newest first: those in `state` (any when `None`) made by `proposer`
/// (anyone's when `None`), from `offset`, at most `limit`; and how many there are in all, for
/// the pager. The moderation queue, an account's own list and the API read it alike.
pub fn page(
    store: &mut dyn Store,
    state: Option<ProposalState>,
    proposer: Option<&str>,
    offset: u64,
    limit: u64,
) -> AppResult<(Vec<Proposal>, u64)> {
    let list = store.proposals(state, proposer, offset, limit)?;
    let total = store.count_proposals(state, proposer)?;
    Ok((list, total))
}

/// Decides a pending proposal as `moderator`: a validation applies the change and records the
/// decision in one transaction (audited as `moderator (proposal N by proposer)`).
pub fn decide(store: &mut dyn Store, moderator: &User, id: i64, decision: Decision) -> AppResult<()> {
    decide_as(store, moderator, id, decision, false)
}

/// Decides a pending proposal like [`decide`]; a validation with `verified` also marks the facts
/// an organization declared in it (a self-assessment's answers, see
/// `solidaria_core::questionnaire::verify_answers`) as verified, for a moderator who checked
/// their evidence. Without it, they are applied as declared.
pub fn decide_as(
    store: &mut dyn Store,
    moderator: &User,
    id: i64,
    decision: Decision,
    verified: bool,
) -> AppResult<()> {
    let p = proposal(store, id)?;
    moderation::check_decidable(p.state)?;
    let mut tx = store.transaction()?;
    if decision == Decision::Validate {
        let who = format!("{} (proposal {} by {})", moderator.name, p.id, p.proposer);
        let mut doc = p.doc.clone();
        if verified && let Some(d) = doc.as_mut() {
            solidaria_core::questionnaire::verify_answers(d, p.base.as_ref());
        }
        // The record a proposal edits or deletes must still be there: a validation never
        // re-creates what a moderator deleted meanwhile, nor "deletes" it again.
        let edits_existing = p.base.is_some() || p.action == ProposalAction::Delete;
        if edits_existing && !tx.missing(p.record_type, std::slice::from_ref(&p.record_key))?.is_empty() {
            let verb = if p.action == ProposalAction::Delete { "deletes" } else { "edits" };
            let merged = match p.record_type {
                RecordType::Actor => crate::merge::resolve_in(tx.as_mut(), &p.record_key)?,
                _ => None,
            };
            let message = match merged {
                Some(kept) => format!(
                    "the actor {} that proposal {id} {verb} was merged into {kept} since it was made: reject it, and make the proposal again on {kept} if it still applies",
                    p.record_key
                ),
                None => format!(
                    "the {} {} that proposal {id} {verb} was deleted since it was made: reject it, or make a new proposal",
                    p.record_type, p.record_key
                ),
            };
            return Err(AppError::new(Code::ProposalStale, message));
        }
        match (&p.action, &doc) {
            (ProposalAction::Upsert, Some(doc)) => {
                let record = parse_record(doc).map_err(|e| AppError::invalid_record(&e))?;
                write_one(tx.as_mut(), &who, &record)?.map_err(|e| AppError::invalid_record(&e))?;
            }
            _ => {
                tx.delete(&who, p.record_type, &p.record_key)?;
                if p.record_type == RecordType::Strategy {
                    crate::strategy::ensure_editable_in(tx.as_mut(), &p.record_key)?;
                }
            }
        }
    }
    let message = decision.message();
    if !tx.decide_proposal(id, &moderator.name, decision.state(), message.as_deref())? {
        return Err(AppError::new(Code::ProposalDecided, format!("proposal {id} was decided meanwhile")));
    }
    tx.commit()?;
    Ok(())
}

/// Reads how a validation takes the facts an organization declared in a proposal: `verified`
/// (the moderator checked their evidence) or `declared` (the default: applied as declared).
pub fn verified_from(assurance: Option<&str>) -> AppResult<bool> {
    match assurance.map(str::trim) {
        None | Some("" | "declared" | "self_declared") => Ok(false),
        Some("verified") => Ok(true),
        Some(other) => Err(AppError::new(
            Code::DecisionInvalid,
            format!("assurance: expected \"declared\" or \"verified\", found {other:?}"),
        )
        .at("assurance")),
    }
}

/// The proposal as JSON with its diff against the base and, when the record changed since it was
/// proposed, against the current record too.
pub fn proposal_json(store: &mut dyn Store, p: &Proposal) -> AppResult<Value> {
    let current = store.get(p.record_type, &p.record_key)?.map(|r| r.to_json());
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    v["changes"] = json!(moderation::diff(p.base.as_ref(), p.doc.as_ref()));
    if let Some(doc) = &p.doc {
        let answers = solidaria_core::questionnaire::declared_answers(doc, p.base.as_ref());
        if !answers.is_empty() {
            let m: serde_json::Map<String, Value> =
                answers.into_iter().map(|(k, f)| (k.to_string(), f.clone())).collect();
            v["self_declared"] = Value::Object(m);
        }
    }
    if p.state == ProposalState::Pending && current != p.base {
        v["changed_since_proposed"] = json!(true);
        v["changes_from_current"] = json!(moderation::diff(current.as_ref(), p.doc.as_ref()));
    }
    Ok(v)
}
