//! `solidaria export`: streams records from the store to standard output.

use crate::cli::{ExportArgs, TypeArg};
use anyhow::Result;
use solidaria_app::export;
use solidaria_core::record::RecordType;
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
    let types: Vec<RecordType> = match args.record_type {
        Some(t) => vec![record_type(t)],
        None => export::default_types(args.format),
    };
    let out = BufWriter::new(std::io::stdout().lock());
    Ok(export::write(store.as_mut(), args.format, &types, out)?)
}
