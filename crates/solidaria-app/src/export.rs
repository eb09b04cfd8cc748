//! Writing records out of the store, streaming: JSON Lines, a JSON array, or CSV (actors or
//! relations), in an order that re-imports (what records refer to comes first). Shared by
//! `solidaria export` and the web app's `/api/export`.

use crate::error::{AppError, AppResult, Code};
use solidaria_core::Record;
use solidaria_core::record::RecordType;
use solidaria_formats::csv_actors::{ActorCsvWriter, CsvColumns, RelationCsvWriter};
use solidaria_formats::jsonl::{ArrayWriter, write_line};
use solidaria_formats::{Format, FormatError};
use solidaria_store::{Store, StoreError};
use std::io::Write;

/// The types exported when none is named: every type for JSON, actors for CSV.
pub fn default_types(format: Format) -> Vec<RecordType> {
    match format {
        Format::Csv => vec![RecordType::Actor],
        _ => ORDER.to_vec(),
    }
}

/// Export order: what records refer to comes before what refers to it, so the output re-imports.
pub const ORDER: [RecordType; 4] = [RecordType::Territory, RecordType::Actor, RecordType::Relation, RecordType::Case];

/// Why an export stopped: `output_closed` when whoever reads the output stopped reading (a
/// closed pipe, a client that went away), `export_type_unsupported` for CSV of another type than
/// actors or relations, `database` or `system` otherwise.
fn export_error(e: StoreError) -> AppError {
    match e {
        StoreError::Sink(inner) => written(&*inner),
        e => AppError::from(e),
    }
}

fn written(e: &(dyn std::error::Error + 'static)) -> AppError {
    let closed = e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        || e.downcast_ref::<FormatError>().is_some_and(FormatError::is_broken_pipe);
    let code = if closed { Code::OutputClosed } else { Code::System };
    AppError::new(code, format!("writing the export: {e}"))
}

fn io(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Sink(Box::new(e))
}

/// Writes the records of `types` in `format` to `out`, one at a time.
pub fn write<W: Write>(store: &mut dyn Store, format: Format, types: &[RecordType], out: W) -> AppResult<()> {
    write_all(store, format, types, out).map_err(|e| match e {
        Failure::Store(e) => export_error(e),
        Failure::Io(e) => written(&e),
        Failure::Format(e) => written(&e),
        Failure::CsvType => csv_type(),
    })
}

fn csv_type() -> AppError {
    AppError::new(
        Code::ExportTypeUnsupported,
        "CSV holds actors (one row each, facts and sources in columns) or relations; export territories and cases as jsonl or json",
    )
    .at("type")
}

/// Whether `types` can be exported in `format` (CSV holds one type, actors or relations), to
/// say so before a response starts streaming.
pub fn check_types(format: Format, types: &[RecordType]) -> AppResult<()> {
    match (format, types) {
        (Format::Csv, [RecordType::Actor] | [RecordType::Relation]) => Ok(()),
        (Format::Csv, _) => Err(csv_type()),
        _ => Ok(()),
    }
}

/// Every way writing an export can fail, before it is told as an [`AppError`].
enum Failure {
    Store(StoreError),
    Io(std::io::Error),
    Format(FormatError),
    CsvType,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}

impl From<FormatError> for Failure {
    fn from(e: FormatError) -> Self {
        Failure::Format(e)
    }
}

fn write_all<W: Write>(store: &mut dyn Store, format: Format, types: &[RecordType], mut out: W) -> Result<(), Failure> {
    match format {
        Format::JsonLines => {
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
                // First pass: the identifier schemes and fact keys in use, which give the CSV's
                // columns.
                let mut columns = CsvColumns::default();
                store.for_each(RecordType::Actor, &mut |r| {
                    if let Record::Actor(a) = r {
                        columns.add(&a);
                    }
                    Ok(())
                })?;
                let mut w = ActorCsvWriter::new(&mut out, columns)?;
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
            _ => return Err(Failure::CsvType),
        },
    }
    out.flush()?;
    Ok(())
}
