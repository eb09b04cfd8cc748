//! `solidaria export`: streams records from the store to standard output.

use crate::cli::{ExportArgs, ExportFormat, TypeArg};
use anyhow::{Result, bail};
use solidaria_core::Record;
use solidaria_core::record::RecordType;
use solidaria_formats::csv_actors::{ActorCsvWriter, RelationCsvWriter, fact_keys};
use solidaria_formats::jsonl::{ArrayWriter, write_line};
use solidaria_store::{Store, StoreError};
use std::io::{BufWriter, Write};

/// The record type named on the command line.
pub fn record_type(t: TypeArg) -> RecordType {
    match t {
        TypeArg::Actor => RecordType::Actor,
        TypeArg::Relation => RecordType::Relation,
        TypeArg::Territory => RecordType::Territory,
        TypeArg::Case => RecordType::Case,
    }
}

/// Export order: what records refer to comes before what refers to it, so the output re-imports.
pub const ORDER: [RecordType; 4] = [RecordType::Territory, RecordType::Actor, RecordType::Relation, RecordType::Case];

/// Runs `export`.
pub fn run(db: &str, args: &ExportArgs) -> Result<()> {
    let mut store = crate::open_store(db)?;
    let types: Vec<RecordType> = match args.record_type {
        Some(t) => vec![record_type(t)],
        None if args.format == ExportFormat::Csv => vec![RecordType::Actor],
        None => ORDER.to_vec(),
    };
    let out = BufWriter::new(std::io::stdout().lock());
    write(store.as_mut(), args.format, &types, out)
}

fn io(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Sink(Box::new(e))
}

/// Writes the records of `types` in `format` to `out`.
pub fn write<W: Write>(store: &mut dyn Store, format: ExportFormat, types: &[RecordType], mut out: W) -> Result<()> {
    match format {
        ExportFormat::Jsonl => {
            for t in types {
                store.for_each(*t, &mut |r| write_line(&mut out, &r).map_err(io))?;
            }
        }
        ExportFormat::Json => {
            let mut w = ArrayWriter::new(&mut out);
            for t in types {
                store.for_each(*t, &mut |r| w.write(&r).map_err(io))?;
            }
            w.finish()?;
        }
        ExportFormat::Csv => match types {
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
            _ => bail!(
                "CSV holds actors (one row each, facts and sources in columns) or relations; \
                 export territories and cases with --format jsonl or --format json"
            ),
        },
    }
    out.flush()?;
    Ok(())
}
