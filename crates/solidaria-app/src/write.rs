//! Writing one record: create, update or delete, applied at once for moderators and admins and
//! proposed for moderation for contributors ([`apply`]), each with the same reference and cycle
//! checks as an import ([`write_one`]), so that a write can never leave a dangling reference and
//! nothing a moderator sees is known to be unwritable.

use crate::error::{AppError, AppResult, Code};
use crate::import::{article, refs_of};
use solidaria_core::moderation::{self, Action};
use solidaria_core::record::RecordType;
use solidaria_core::territory::find_cycle;
use solidaria_core::{FieldError, Record};
use solidaria_store::accounts::{NewProposal, ProposalAction, User};
use solidaria_store::{Change, Store, Transaction};

/// Writes one record as `who` if every record it refers to exists (in the transaction) and it
/// closes no territory cycle; otherwise returns the problems and writes nothing that survives
/// (the caller drops the transaction). A change to a strategy with an open round of
/// deliberation is refused (`strategy_in_deliberation`).
pub fn write_one(tx: &mut dyn Transaction, who: &str, record: &Record) -> AppResult<Result<Change, Vec<FieldError>>> {
    let mut problems = Vec::new();
    for (field, target, id) in refs_of(record) {
        if !tx.missing(target, std::slice::from_ref(&id))?.is_empty() {
            let merged = match target {
                RecordType::Actor => crate::merge::resolve_in(tx, &id)?,
                _ => None,
            };
            let found = match merged {
                Some(kept) => format!("\"{id}\", which was merged into \"{kept}\" (name that actor instead)"),
                None => format!("\"{id}\", which is not"),
            };
            problems.push(FieldError::text(
                field,
                format!("the id of {} already in the database", article(target)),
                found,
            ));
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let change = tx.upsert_records(who, std::slice::from_ref(record))?.pop().unwrap_or(Change::Unchanged);
    if record.record_type() == RecordType::Strategy && change != Change::Unchanged {
        crate::strategy::ensure_editable_in(tx, &record.key())?;
    }
    if record.record_type() == RecordType::Territory
        && let Some(cycle) = find_cycle(&tx.territory_parents()?)
    {
        return Ok(Err(vec![FieldError::text(
            "parent",
            "a parent that is not one of its own descendants",
            format!("the cycle {}", cycle.join(" → ")),
        )]));
    }
    Ok(Ok(change))
}

/// What a write asks for.
#[derive(Debug, Clone)]
pub enum Intent {
    /// Create a record whose key must be new.
    Create(Record),
    /// Replace an existing record.
    Update(Record),
    /// Delete an existing record.
    Delete(RecordType, String),
}

/// What became of a write.
#[derive(Debug)]
pub enum Outcome {
    /// Written now (moderator or admin).
    Applied {
        /// The record's type.
        record_type: RecordType,
        /// Its key.
        key: String,
        /// `inserted`, `updated`, `unchanged` or `deleted`.
        change: &'static str,
    },
    /// Queued for moderation (contributor).
    Proposed {
        /// The proposal's number.
        id: i64,
        /// What it would change, field by field.
        changes: Vec<moderation::FieldChange>,
    },
}

/// The wire name of a change.
pub fn change_name(c: Change) -> &'static str {
    match c {
        Change::Inserted => "inserted",
        Change::Updated => "updated",
        Change::Unchanged => "unchanged",
    }
}

/// Applies or proposes a write for `user`, after checking existence, references and cycles.
/// Contributors' proposals are checked the same way (in a transaction that is rolled back), so
/// nothing a moderator sees is known to be unwritable.
pub fn apply(store: &mut dyn Store, user: &User, intent: Intent, note: Option<String>) -> AppResult<Outcome> {
    if let Some(problem) = note.as_deref().and_then(|n| solidaria_core::text::input_text_problem(n, false)) {
        return Err(AppError::new(Code::QueryInvalid, format!("note: expected {problem}")).at("note"));
    }
    let (t, key, record) = match &intent {
        Intent::Create(r) | Intent::Update(r) => (r.record_type(), r.key(), Some(r)),
        Intent::Delete(t, k) => (*t, k.clone(), None),
    };
    let before = store.get(t, &key)?;
    match (&intent, &before) {
        (Intent::Create(_), Some(_)) => {
            return Err(AppError::new(
                Code::RecordExists,
                format!("a {t} with id {key:?} already exists: update it instead"),
            ));
        }
        (Intent::Update(_) | Intent::Delete(..), None) => {
            return Err(AppError::no_record(t, &key));
        }
        (Intent::Delete(RecordType::Territory, _), _) => {
            return Err(AppError::new(
                Code::TerritoryNotDeletable,
                "territories are not deleted through the API: actors and regions may refer to them",
            ));
        }
        _ => {}
    }
    let direct = moderation::allows(Some(user.role), Action::WriteDirectly);
    let mut tx = store.transaction()?;
    let change = match record {
        Some(r) => change_name(write_one(tx.as_mut(), &user.name, r)?.map_err(|p| AppError::invalid_record(&p))?),
        None => {
            tx.delete(&user.name, t, &key)?;
            if t == RecordType::Strategy {
                crate::strategy::ensure_editable_in(tx.as_mut(), &key)?;
            }
            "deleted"
        }
    };
    if direct {
        tx.commit()?;
        return Ok(Outcome::Applied { record_type: t, key, change });
    }
    drop(tx);
    let base = before.as_ref().map(Record::to_json);
    let doc = record.map(Record::to_json);
    let changes = moderation::diff(base.as_ref(), doc.as_ref());
    let id = store.propose(&NewProposal {
        proposer: user.name.clone(),
        record_type: t,
        record_key: key,
        action: if record.is_some() { ProposalAction::Upsert } else { ProposalAction::Delete },
        doc,
        base,
        note: note.filter(|n| !n.trim().is_empty()),
    })?;
    Ok(Outcome::Proposed { id, changes })
}
