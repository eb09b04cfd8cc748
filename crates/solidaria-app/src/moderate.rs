//! Moderation: a moderator's decision on a contributor's proposal (a validation applies the
//! change and records the decision in one transaction), and a proposal shown with its diff.

use crate::error::{AppError, AppResult, Code};
use crate::write::write_one;
use serde_json::{Value, json};
use solidaria_core::moderation::{self, Decision, ProposalState};
use solidaria_core::record::parse_record;
use solidaria_store::Store;
use solidaria_store::accounts::{Proposal, ProposalAction, User};

/// A proposal by number, or `proposal_not_found`.
pub fn proposal(store: &mut dyn Store, id: i64) -> AppResult<Proposal> {
    store.proposal(id)?.ok_or_else(|| {
        AppError::new(Code::ProposalNotFound, format!("no proposal {id}: the moderation queue lists the proposals"))
    })
}

/// Decides a pending proposal as `moderator`: a validation applies the change and records the
/// decision in one transaction (audited as `moderator (proposal N by proposer)`).
pub fn decide(store: &mut dyn Store, moderator: &User, id: i64, decision: Decision) -> AppResult<()> {
    let p = proposal(store, id)?;
    moderation::check_decidable(p.state)?;
    let mut tx = store.transaction()?;
    if decision == Decision::Validate {
        let who = format!("{} (proposal {} by {})", moderator.name, p.id, p.proposer);
        match (&p.action, &p.doc) {
            (ProposalAction::Upsert, Some(doc)) => {
                let record = parse_record(doc).map_err(|e| AppError::invalid_record(&e))?;
                write_one(tx.as_mut(), &who, &record)?.map_err(|e| AppError::invalid_record(&e))?;
            }
            _ => {
                tx.delete(&who, p.record_type, &p.record_key)?;
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

/// The proposal as JSON with its diff against the base and, when the record changed since it was
/// proposed, against the current record too.
pub fn proposal_json(store: &mut dyn Store, p: &Proposal) -> AppResult<Value> {
    let current = store.get(p.record_type, &p.record_key)?.map(|r| r.to_json());
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    v["changes"] = json!(moderation::diff(p.base.as_ref(), p.doc.as_ref()));
    if p.state == ProposalState::Pending && current != p.base {
        v["changed_since_proposed"] = json!(true);
        v["changes_from_current"] = json!(moderation::diff(current.as_ref(), p.doc.as_ref()));
    }
    Ok(v)
}
