//! One checked write inside an open transaction: the web app's create, update and delete, and a
//! moderator's validation of a proposal. The same reference and cycle checks as an import, for a
//! single record, so that a write through the API can never leave a dangling reference.

use crate::import::{article, refs_of};
use crate::{Change, StoreError, Transaction};
use solidaria_core::record::RecordType;
use solidaria_core::territory::find_cycle;
use solidaria_core::{FieldError, Record};

/// Writes one record as `who` if every record it refers to exists (in the transaction) and it
/// closes no territory cycle; otherwise returns the problems and writes nothing that survives
/// (the caller drops the transaction).
pub fn write_one(
    tx: &mut dyn Transaction,
    who: &str,
    record: &Record,
) -> Result<Result<Change, Vec<FieldError>>, StoreError> {
    let mut problems = Vec::new();
    for (field, target, id) in refs_of(record) {
        if !tx.missing(target, std::slice::from_ref(&id))?.is_empty() {
            problems.push(FieldError::text(
                field,
                format!("the id of {} already in the database", article(target)),
                format!("\"{id}\", which is not"),
            ));
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let change = tx.upsert_records(who, std::slice::from_ref(record))?.pop().unwrap_or(Change::Unchanged);
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
