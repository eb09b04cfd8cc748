//! `solidaria export`: streams records from the store to standard output.

use crate::cli::{ExportArgs, ExportFormat, TypeArg};
use anyhow::Result;
use solidaria_core::record::RecordType;
use solidaria_store::export::Format;
use std::io::BufWriter;

/// The record type named on the command line.
pub fn record_type(t: TypeArg) -> RecordType {
    match t {
        TypeArg::Actor => RecordType::Actor,
        TypeArg::Relation => RecordType::Relation,
        TypeArg::Territory => RecordType::Territory,
        TypeArg::Case => RecordType::Case,
    }
}

/// Runs `export`.
pub fn run(db: &str, args: &ExportArgs) -> Result<()> {
    let mut store = crate::open_store(db)?;
    let format = match args.format {
        ExportFormat::Jsonl => Format::Jsonl,
        ExportFormat::Json => Format::Json,
        ExportFormat::Csv => Format::Csv,
    };
    let types: Vec<RecordType> = match args.record_type {
        Some(t) => vec![record_type(t)],
        None => format.default_types(),
    };
    let out = BufWriter::new(std::io::stdout().lock());
    Ok(solidaria_store::export::write(store.as_mut(), format, &types, out)?)
}
