//! Writing records out of the store, streaming: JSON Lines, a JSON array, or CSV (actors or
//! relations), in an order that re-imports (what records refer to comes first); or publishing
//! the actors for other systems ([`Publication`]: JSON-LD, Murmurations profiles), which are
//! written only and never imported. Shared by `solidaria export` and the web app's `/api/export`.

use crate::error::{AppError, AppResult, Code};
use solidaria_core::Record;
use solidaria_core::record::RecordType;
use solidaria_formats::csv_actors::{ActorCsvWriter, CsvColumns, RelationCsvWriter};
use solidaria_formats::jsonl::{ArrayWriter, write_line};
use solidaria_formats::linked_data::GraphWriter;
use solidaria_formats::murmurations::ProfileLinesWriter;
use solidaria_formats::{BaseUrl, Format, FormatError};
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
pub const ORDER: [RecordType; 6] = [
    RecordType::Territory,
    RecordType::Actor,
    RecordType::Relation,
    RecordType::Case,
    RecordType::Mechanism,
    RecordType::Strategy,
];

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

/// A way of publishing the registry's actors for other systems. Unlike [`Format`], these are
/// written only: nothing reads them back, so they are kept apart from the interchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication {
    /// One JSON-LD document, `{"@context": …, "@graph": [actor, …]}`: schema.org
    /// `Organization`s with ESSGlobal terms.
    JsonLd,
    /// Murmurations organization profiles, one per line (JSON Lines).
    Murmurations,
}

impl Publication {
    /// Parses a publication name (`jsonld`, `murmurations`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "jsonld" => Some(Publication::JsonLd),
            "murmurations" => Some(Publication::Murmurations),
            _ => None,
        }
    }

    /// The media type of the output.
    pub fn media_type(self) -> &'static str {
        match self {
            Publication::JsonLd => "application/ld+json",
            Publication::Murmurations => "application/x-ndjson",
        }
    }

    /// The usual file extension of the output.
    pub fn extension(self) -> &'static str {
        match self {
            Publication::JsonLd => "jsonld",
            Publication::Murmurations => "jsonl",
        }
    }
}

/// What an export writes: records in an interchange format, or a publication of the actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Records that import back.
    Records(Format),
    /// The actors for other systems.
    Publication(Publication),
}

impl ExportFormat {
    /// Parses a format name given to an export: `jsonl`, `json`, `csv`, `jsonld` or `murmurations`.
    pub fn parse(s: &str) -> Option<Self> {
        Format::parse(s).map(ExportFormat::Records).or_else(|| Publication::parse(s).map(ExportFormat::Publication))
    }
}

/// What [`ExportFormat::parse`] accepts, for error messages.
pub const EXPORT_FORMATS: &str = "jsonl, json, csv, jsonld or murmurations";

/// Whether `types` can be published (only actors are), to say so before output starts.
pub fn check_publication_types(types: &[RecordType]) -> AppResult<()> {
    match types {
        [] | [RecordType::Actor] => Ok(()),
        _ => Err(AppError::new(
            Code::ExportTypeUnsupported,
            "JSON-LD and Murmurations publish actors only; export other records as jsonl or json",
        )
        .at("type")),
    }
}

/// Publishes every actor of the store to `out`, one at a time, with the stable addresses of an
/// instance served at `base`.
pub fn publish<W: Write>(store: &mut dyn Store, publication: Publication, base: &BaseUrl, mut out: W) -> AppResult<()> {
    let result: Result<(), Failure> = (|| {
        match publication {
            Publication::JsonLd => {
                let mut w = GraphWriter::new(&mut out, base.clone())?;
                store.for_each(RecordType::Actor, &mut |r| match r {
                    Record::Actor(a) => w.write(&a).map_err(io),
                    _ => Ok(()),
                })?;
                w.finish()?;
            }
            Publication::Murmurations => {
                let mut w = ProfileLinesWriter::new(&mut out, base.clone());
                store.for_each(RecordType::Actor, &mut |r| match r {
                    Record::Actor(a) => w.write(&a).map_err(io),
                    _ => Ok(()),
                })?;
                w.finish()?;
            }
        }
        out.flush()?;
        Ok(())
    })();
    result.map_err(|e| match e {
        Failure::Store(e) => export_error(e),
        Failure::Io(e) => written(&e),
        Failure::Format(e) => written(&e),
        Failure::CsvType => csv_type(),
    })
}

/// One actor as published: its JSON-LD document (with its `@context`) or its Murmurations
/// profile; `record_not_found` when there is no such actor.
pub fn publish_actor(
    store: &mut dyn Store,
    id: &str,
    publication: Publication,
    base: &BaseUrl,
) -> AppResult<serde_json::Value> {
    let a = crate::directory::actor_record(store, id)?;
    Ok(match publication {
        Publication::JsonLd => solidaria_formats::linked_data::actor_document(&a, base),
        Publication::Murmurations => solidaria_formats::murmurations::profile(&a, base),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publications_are_export_formats_but_not_interchange_formats() {
        assert_eq!(ExportFormat::parse("jsonld"), Some(ExportFormat::Publication(Publication::JsonLd)));
        assert_eq!(ExportFormat::parse("murmurations"), Some(ExportFormat::Publication(Publication::Murmurations)));
        assert_eq!(ExportFormat::parse("csv"), Some(ExportFormat::Records(Format::Csv)));
        assert_eq!(ExportFormat::parse("rdf"), None);
        // Import reads only the interchange formats.
        assert_eq!(Format::parse("jsonld"), None);
        assert_eq!(Format::parse("murmurations"), None);
    }

    #[test]
    fn only_actors_are_published() {
        assert!(check_publication_types(&[]).is_ok());
        assert!(check_publication_types(&[RecordType::Actor]).is_ok());
        let e = check_publication_types(&[RecordType::Case]).unwrap_err();
        assert_eq!(e.code, Code::ExportTypeUnsupported);
    }

    #[test]
    fn a_store_publishes_its_actors() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = solidaria_store::open(dir.path().join("p.db").to_str().unwrap()).unwrap();
        let base = BaseUrl::parse("https://sse.example.org").unwrap();
        let mut out = Vec::new();
        publish(store.as_mut(), Publication::JsonLd, &base, &mut out).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(doc["@graph"], serde_json::json!([]));
        let mut out = Vec::new();
        publish(store.as_mut(), Publication::Murmurations, &base, &mut out).unwrap();
        assert!(out.is_empty());
    }
}
