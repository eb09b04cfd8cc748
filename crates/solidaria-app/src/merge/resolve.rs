//! Where an absorbed actor went: the actor a merge still in force merged it into, followed
//! through merges of merges, so that old links and refusals lead to it.

use crate::error::AppResult;
use solidaria_store::{Store, StoreError, Transaction};

/// The actor that `id` was merged into, following merges of merges (at most 20 steps); `None`
/// when `id` was never absorbed by a merge still in force.
pub fn resolve(store: &mut dyn Store, id: &str) -> AppResult<Option<String>> {
    Ok(follow(id, &mut |k| store.merged_into(k))?)
}

/// [`resolve`] as seen inside a write transaction (a refusal that names an absorbed actor
/// says where it went).
pub(crate) fn resolve_in(tx: &mut dyn Transaction, id: &str) -> Result<Option<String>, StoreError> {
    follow(id, &mut |k| tx.merged_into(k))
}

/// Follows merges from `id` (one `step` each, at most 20), to the actor last merged into.
fn follow(
    id: &str,
    step: &mut dyn FnMut(&str) -> Result<Option<String>, StoreError>,
) -> Result<Option<String>, StoreError> {
    let mut current = id.to_string();
    let mut found = None;
    for _ in 0..20 {
        match step(&current)? {
            Some(next) => {
                found = Some(next.clone());
                current = next;
            }
            None => break,
        }
    }
    Ok(found)
}
