//! The storage half of co-construction: the append-only log of each strategy's deliberation and
//! the actor each account speaks for. The rules (which event may follow which, how votes are
//! counted) are `solidaria_core::deliberation`'s; this module keeps the state.
//!
//! An event is appended inside one database transaction after the caller's `build` closure has
//! read the strategy's log as it stands in that transaction and made the event (or refused it):
//! writers of one strategy are serialised (SQLite: one writer at a time; PostgreSQL: the
//! strategy's row is locked), so a round is never closed on a count that misses a vote, and two
//! rounds are never opened at once. Triggers refuse any change or deletion of the log.

use crate::StoreError;
use solidaria_core::deliberation::{Event, NewEvent};

/// Makes the events to append, in order, from the log as it stands (oldest first); `Err` is the
/// refusal, in words (nothing is written).
pub type Build<'a> = dyn FnMut(&[Event]) -> Result<Vec<NewEvent>, String> + 'a;

/// Storage of deliberations and of the accounts' actors, implemented by both backends.
pub trait Deliberations {
    /// Appends the events `build` makes from the strategy's log, all or none; the inner `Err` is
    /// `build`'s refusal (nothing is written). The strategy must be in the registry.
    fn deliberate(&mut self, strategy: &str, build: &mut Build<'_>) -> Result<Result<Vec<Event>, String>, StoreError>;

    /// A strategy's log, oldest first.
    fn deliberation(&mut self, strategy: &str) -> Result<Vec<Event>, StoreError>;

    /// Links an account to the actor it speaks for (or unlinks it, with `None`), logging the
    /// change as an account event by `who`; `false` when there is no such account.
    fn set_account_actor(&mut self, who: &str, user: &str, actor: Option<&str>) -> Result<bool, StoreError>;

    /// Every account linked to an actor, as (account, actor), by account name.
    fn account_actors(&mut self) -> Result<Vec<(String, String)>, StoreError>;
}

/// Reads an event's kind and choice back (the schema's CHECKs keep them valid).
pub(crate) fn parse_event_enums(
    seq: i64,
    kind: &str,
    choice: Option<&str>,
) -> Result<(solidaria_core::deliberation::EventKind, Option<solidaria_core::deliberation::Choice>), StoreError> {
    use solidaria_core::deliberation::{Choice, EventKind};
    let corrupt = |what: String| StoreError::Corrupt {
        record_type: solidaria_core::record::RecordType::Strategy,
        key: format!("deliberation event {seq}"),
        problems: what,
    };
    let kind = EventKind::parse(kind).map_err(corrupt)?;
    let choice = choice.map(Choice::parse).transpose().map_err(corrupt)?;
    Ok((kind, choice))
}
