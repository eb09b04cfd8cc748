//! # solidaria-app
//!
//! Solidaria's use cases: what a person can do with the registry, whichever door they come in by
//! (the `solidaria` command or the web app and its API). Each use case takes domain types and a
//! [`solidaria_store::Store`], and returns domain results or an [`AppError`] with a stable code
//! that both adapters map (to an HTTP status, to an exit code), listed in `docs/errors.md`.
//!
//! Modules, one per family of use cases:
//! - [`error`]: [`AppError`], its [`Code`]s and their [`Class`]es.
//! - [`import`]: the all-or-nothing import pipeline (validate every record, check references and
//!   territory cycles, commit only an input without problems) and opening a source; files of
//!   sites (outlets) attached to the actors their rows name, in the same transaction.
//! - [`export`]: records out as JSON Lines, JSON or CSV, streaming, in an order that re-imports.
//! - [`write`]: one checked write (create, update, delete), applied or proposed by role.
//! - [`moderate`]: a moderator's decision on a proposal, a proposal with its diff.
//! - [`dashboard`]: the observatory's counts for a directory query: verdicts per applicable
//!   profile, legal-form families, categories, building blocks.
//! - [`directory`]: listing actors with facets and the facet of verdicts; one actor, one record.
//! - [`screen`]: the actor profiles, actors screened now against several, batches screened on
//!   every core and saved.
//! - [`evidence`]: what would decide an undecided verdict; the registry's worklist of facts.
//! - [`self_assessment`]: an organization's own account answers its country's questionnaire;
//!   the answers, self-declared with their evidence, become one proposal for a moderator.
//! - [`dedup`]: the pairs of actors that may be one organization, with score and reasons.
//! - [`merge`]: two actors merged into one by a moderator (previewed with its conflicts, every
//!   reference to the absorbed actor re-pointed, audited, undoable), and old ids led to the record
//!   they were merged into.
//! - [`diagnose`]: a territory's ecosystem diagnostic loaded from the store, now or as of a day,
//!   and its history; betweenness on every core.
//! - [`territories`]: the territories with their actors counted by category; a territory typed
//!   by code or name resolved to its code.
//! - [`innovation`]: cases found, assessed, fitted to a territory, ranked; programmes.
//! - [`register`]: a national business register screened on every core in constant memory,
//!   and its SSE rows loaded as actors.
//! - [`finance`]: fund definitions, postings to a fund's ledger checked in one database
//!   transaction (the investee's eligibility screened and kept), fund reports as of a date.
//! - [`mechanisms`]: the financial mechanisms catalogue, each mechanism fitted to a territory's
//!   context and marked as offered there or elsewhere.
//! - [`readiness`]: an organization's investment readiness, its next steps and who could help.
//! - [`matching`]: the funds an organization is eligible for, and the organizations a fund may
//!   invest in, ranked with their reasons and missing facts.
//! - [`strategy`]: co-construction: strategies listed and followed up (milestones, commitments,
//!   indicators at the period's start, at adoption and now), rounds opened and closed, votes
//!   and amendments by the actor an account speaks for, counted under the strategy's rule.
//! - [`clock`]: today's date (UTC), for the shells to pass to the use cases.
//! - [`accounts`]: password hashing, secrets, token digests.
//! - [`report`]: SVG charts and the printable diagnostic (HTML).
//!
//! Rules live in `solidaria-core` (pure), formats in `solidaria-formats`, storage behind the
//! store traits: this crate composes them. It does no terminal output and knows nothing of HTTP;
//! long use cases report progress through a callback.

pub mod accounts;
pub mod backup;
pub mod clock;
pub mod dashboard;
pub mod dedup;
pub mod diagnose;
pub mod directory;
pub mod error;
pub mod evidence;
pub mod export;
pub mod finance;
pub mod import;
pub mod innovation;
pub mod map;
pub mod matching;
pub mod mechanisms;
pub mod merge;
pub mod moderate;
pub mod readiness;
pub mod register;
pub mod report;
pub mod screen;
pub mod search_index;
pub mod self_assessment;
pub mod strategy;
pub mod territories;
pub mod write;

pub use error::{AppError, AppResult, Class, Code};
