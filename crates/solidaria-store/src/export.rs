//! Writing records out of the store, streaming: JSON Lines, a JSON array, or CSV (actors or
//! relations), in an order that re-imports (what records refer to comes first). Shared by
//! `solidaria export` and the web app's `/api/export`.

use crate::{Store, StoreError};
use solidaria_core::Record;
use solidaria_core::record::RecordType;
use solidaria_formats::csv_actors::{ActorCsvWriter, RelationCsvWriter, fact_keys};
use solidaria_formats::jsonl::{ArrayWriter, write_line};
use std::io::Write;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One record per line.
    Jsonl,
    /// One JSON array.
    Json,
    /// Actors (facts and sources in columns) or relations, one per row.
    Csv,
}

impl Format {
    /// Parses `jsonl`, `json` or `csv`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "jsonl" => Some(Format::Jsonl),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The types exported when none is named: every type for JSON, actors for CSV.
    pub fn default_types(self) -> Vec<RecordType> {
        match self {
            Format::Csv => vec![RecordType::Actor],
            _ => ORDER.to_vec(),
        }
    }
}

/// Export order: what records refer to comes before what refers to it, so the output re-imports.
pub const ORDER: [RecordType; 4] = [RecordType::Territory, RecordType::Actor, RecordType::Relation, RecordType::Case];

/// A failure of an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store or writing the output failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the output failed.
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    /// Writing CSV failed.
    #[error("writing the export: {0}")]
    Format(#[from] solidaria_formats::FormatError),
    /// CSV holds actors or relations only.
    #[error(
        "CSV holds actors (one row each, facts and sources in columns) or relations; export territories and cases as jsonl or json"
    )]
    CsvType,
}

fn io(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Sink(Box::new(e))
}

/// Writes the records of `types` in `format` to `out`, one at a time.
pub fn write<W: Write>(
    store: &mut dyn Store,
    format: Format,
    types: &[RecordType],
    mut out: W,
) -> Result<(), ExportError> {
    match format {
        Format::Jsonl => {
            for t in types {
                store.for_each(*t, &mut |r| write_line(&mut out, &r).map_err(io))?;
            }
        }
        Format::Json => {
            let mut w = ArrayWriter::new(&mut out);
            for t in types {
                store.for_each(*t, &mut |r| w.write(&r).map_err(io))?;
            }
            w.finish()?;
        }
        Format::Csv => match types {
            [RecordType::Actor] => {
                // First pass: the fact keys in use, which give the CSV's columns.
                let mut used = std::collections::BTreeSet::new();
                store.for_each(RecordType::Actor, &mut |r| {
                    if let Record::Actor(a) = r {
                        used.extend(a.facts.into_keys());
                    }
                    Ok(())
                })?;
                let keys = fact_keys(&used);
                let mut w = ActorCsvWriter::new(&mut out, keys)?;
                store.for_each(RecordType::Actor, &mut |r| match r {
                    Record::Actor(a) => w.write(&a).map_err(io),
                    _ => Ok(()),
                })?;
                w.finish()?;
            }
            [RecordType::Relation] => {
                let mut w = RelationCsvWriter::new(&mut out)?;
                store.for_each(RecordType::Relation, &mut |r| match r {
                    Record::Relation(rel) => w.write(&rel).map_err(io),
                    _ => Ok(()),
                })?;
                w.finish()?;
            }
            _ => return Err(ExportError::CsvType),
        },
    }
    out.flush()?;
    Ok(())
}
