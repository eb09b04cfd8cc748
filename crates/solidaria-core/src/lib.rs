//! # solidaria-core
//!
//! The pure domain of Solidaria: what an ecosystem actor is, how its facts carry their evidence, the
//! fact vocabulary v1 (the interchange contract), typed relations, territories and innovation cases,
//! and the validation that turns untrusted JSON into these types.
//!
//! Modules:
//! - [`error`]: the field-level validation error every parser reports.
//! - [`text`]: small value types made only by parsing (ids, dates, URLs).
//! - [`vocab`]: the fact vocabulary v1: keys, their types and meanings.
//! - [`fact`]: a fact (typed value plus provenance) and the fact map of a record.
//! - [`legal_form`]: legal-form families and the embedded ISO 20275 (ELF) code list.
//! - [`territory`]: ISO 3166-1/3166-2 codes (embedded), custom regions and their hierarchy.
//! - [`actor`], [`relation`], [`case`]: the record types.
//! - [`origin`]: an actor's identifiers in other systems, address, map precision, activities and
//!   the datasets its record was built from.
//! - [`site`]: the places where an actor works besides its head office (outlets, branches),
//!   each with its source row.
//! - [`dedup`]: pairs of actors that may be one organization (shared identifiers, names
//!   normalized for legal suffixes, postcode, distance, legal form), scored with their reasons.
//! - [`moderation`]: roles, permissions, proposal states and the diff of a proposed change.
//! - [`record`]: the tagged record of the interchange format, parsed from and written to JSON,
//!   and the re-pointing of the references a record makes to an actor (`record::repoint`).
//! - [`screening`]: profiles of criteria (UN, ILO, national SSE laws), the test language and the
//!   engine that screens actors against them, with cited, explained verdicts.
//! - [`mechanism`]: financial mechanisms (grants, loans, solidarity savings, stokvels,
//!   matchfunding…) with their provider, terms, eligibility and the context they rely on, and
//!   their fit with a territory (judged as innovation cases' transfer is).
//! - [`innovation`]: the strength of a social innovation case and its fit with a new context.
//! - [`network`]: network analytics over relations (degree, betweenness, closeness, components,
//!   communities), checked against networkx.
//! - [`ecosystem`]: the ecosystem diagnostic of a territory: building blocks scored, brokers, gaps
//!   and suggested partnerships.
//! - [`statute`]: what the law of each legal form makes true, cited (statutory facts), added to
//!   an actor's documented facts when it is screened.
//! - [`supply`]: the facts a contributor may supply to decide a verdict, read from a form's
//!   text into typed facts carrying their evidence.
//! - [`questionnaire`]: the self-assessment questionnaire generated from the profiles of an
//!   organization's country and the vocabulary (questions in en/fr/es as data), its answers read
//!   as self-declared facts, and their verification by a moderator.
//! - [`finance`]: social-finance funds, their release rules for public money, and the
//!   append-only double-entry ledger with its invariants.
//! - [`strategy`]: a territory's strategy: actions answering the diagnostic's gaps, with leads,
//!   partners, resources, milestones, commitments and the indicator each should move.
//! - [`deliberation`]: decision rules kept as data, colleges of stakeholders, the append-only log
//!   of a deliberation and the tally that explains its outcome.
//! - [`history`]: the ecosystem on a given day (founding years, relation periods), the days it
//!   changed and what each change did to its diagnostic.
//! - [`register`]: national business registers screened row by row under declarative register
//!   rules, with their legal-category code systems.
//!
//! This crate must not do I/O, spawn threads or depend on async runtimes: storage, formats, web and
//! CLI are shells around it. Reference data (ELF, ISO 3166, legal-category code systems), the
//! built-in screening profiles and the built-in register profiles are compiled in with
//! `include_str!`; the build script finds the profile, register and code-system files, so none is
//! listed by hand.

pub mod actor;
pub mod case;
mod closed;
pub mod dedup;
pub mod deliberation;
pub mod ecosystem;
pub mod error;
pub mod fact;
pub mod finance;
pub mod history;
pub mod innovation;
pub mod legal_form;
pub mod mechanism;
pub mod moderation;
pub mod network;
pub mod origin;
pub mod questionnaire;
mod reader;
pub mod record;
pub mod register;
pub mod relation;
pub mod screening;
pub mod search;
pub mod site;
pub mod statute;
pub mod strategy;
pub mod supply;
pub mod territory;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
pub mod vocab;

pub use actor::Actor;
pub use case::Case;
pub use error::FieldError;
pub use fact::{Fact, FactValue, Facts, Provenance};
pub use record::{Record, RecordType};
pub use relation::Relation;
pub use territory::Territory;
