//! # solidaria-formats
//!
//! Reading and writing Solidaria's interchange files, streaming, with every problem located as
//! `line: field: what was expected, what was found`.
//!
//! Modules:
//! - [`jsonl`]: JSON Lines (one record per line) and JSON arrays of the same records.
//! - [`csv_actors`]: the CSV layout (one row per actor, facts and their provenance in columns;
//!   one row per relation for relations), documented in `docs/formats.md`.
//! - [`mapping`]: import mappings (TOML) that turn other directories' files (Co-operatives UK,
//!   GoGoCarto, Murmurations, GeoJSON, any CSV) into actor records, with notes on what they left.
//! - [`line_endings`]: CRLF input read as LF, so that error lines are an editor's lines.
//! - [`detect`]: the one [`Format`] enum of the three interchange formats, and choosing one from a
//!   file name or its first bytes.
//! - [`publication`]: the stable addresses of what an instance publishes ([`BaseUrl`]) and JSON
//!   safe to embed in an HTML page.
//! - [`unique_keys`]: JSON read with no repeated key in any object (serde_json would keep the
//!   last silently); every JSON input goes through it.
//! - [`linked_data`]: actors as JSON-LD (schema.org `Organization` with ESSGlobal terms) and the
//!   `@context` they refer to.
//! - [`murmurations`]: actors as Murmurations organization profiles.
//! - [`portfolio`]: a fund's portfolio as the finance exports read it; [`cids`]: in the Common
//!   Impact Data Standard with its Social Finance Fund module (JSON-LD); [`giving360`]: its
//!   grants in the 360Giving Data Standard.
//! - [`decidim`] and [`loomio`]: a strategy out to the tools territories deliberate in (Decidim
//!   proposals to import, a Loomio proposal poll) and their results back (Decidim's proposals
//!   export, Loomio's poll export).
//!
//! The publication formats are written only: they are not interchange formats and [`Format`]
//! does not name them, so they can never be imported.
//!
//! This crate reads from `std::io::Read` and writes to `std::io::Write` given by the caller; it
//! opens no files itself and holds no more than one record (plus a small buffer) at a time, except
//! for JSON arrays, which are read whole.

pub mod cids;
pub mod csv_actors;
pub mod csv_quotes;
pub mod decidim;
pub mod detect;
pub mod giving360;
pub mod jsonl;
pub mod line_endings;
pub mod linked_data;
pub mod loomio;
pub mod mapping;
pub mod murmurations;
pub mod portfolio;
pub mod publication;
pub mod unique_keys;

pub use detect::Format;
pub use publication::BaseUrl;

use solidaria_core::record::RecordType;
use solidaria_core::{FieldError, Record};

/// One record read from a file, or the problems that kept it from being read, with its line.
#[derive(Debug)]
pub struct Entry {
    /// The 1-based line where the record starts.
    pub line: u64,
    /// The record, or every problem found in it.
    pub result: Result<Record, Vec<FieldError>>,
    /// For a record that failed validation, its type and key when they could still be read, so
    /// that references to it are not reported as a second, cascading problem.
    pub identity: Option<(RecordType, String)>,
}

impl Entry {
    /// An entry for a record parsed from `value` as an input (fact keys outside the vocabulary
    /// must be declared, see `solidaria_core::record::parse_input`) (which is kept only for its identity on failure).
    pub fn parsed(line: u64, value: &serde_json::Value) -> Self {
        let result = solidaria_core::record::parse_input(value);
        let identity = match &result {
            Ok(_) => None,
            Err(_) => solidaria_core::record::identity(value),
        };
        Entry { line, result, identity }
    }

    /// An entry for input that could not even be read as a record.
    pub fn unreadable(line: u64, errors: Vec<FieldError>) -> Self {
        Entry { line, result: Err(errors), identity: None }
    }
}

/// A failure that stops reading or writing a whole file (as opposed to a bad record).
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The underlying reader or writer failed.
    #[error("input/output error: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV layer failed in a way that is not about one record.
    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),
    /// The file's header (CSV) or structure (JSON array) is not usable; nothing can be read.
    #[error("line {line}: {message}")]
    Structure {
        /// Line of the problem.
        line: u64,
        /// What is wrong, in plain words.
        message: String,
    },
    /// The requested combination of record type and format does not exist.
    #[error("{0}")]
    Unsupported(String),
}

impl FormatError {
    /// Whether the failure is a closed output pipe (`solidaria export | head`): the reader has
    /// all it wanted, so a command line program should stop quietly rather than report an error.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Self::Io(e) => e.kind() == std::io::ErrorKind::BrokenPipe,
            Self::Csv(e) => matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            _ => false,
        }
    }
}

/// An iterator of entries from one file, in file order. It is `Send` so that an import can parse
/// on one thread while it writes on another.
pub type Entries<'a> = Box<dyn Iterator<Item = Result<Entry, FormatError>> + Send + 'a>;
