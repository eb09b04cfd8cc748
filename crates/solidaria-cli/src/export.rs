//! `solidaria export`: streams records from the store, or publishes its actors (JSON-LD,
//! Murmurations), to standard output.

use crate::cli::{ExportArgs, TypeArg};
use anyhow::Result;
use solidaria_app::export::{self, ExportFormat};
use solidaria_core::record::RecordType;
use std::io::BufWriter;

/// The record type named on the command line.
pub fn record_type(t: TypeArg) -> RecordType {
    match t {
        TypeArg::Actor => RecordType::Actor,
        TypeArg::Relation => RecordType::Relation,
        TypeArg::Territory => RecordType::Territory,
        TypeArg::Case => RecordType::Case,
        TypeArg::Mechanism => RecordType::Mechanism,
        TypeArg::Strategy => RecordType::Strategy,
    }
}

/// Runs `export`.
pub fn run(db: &str, args: &ExportArgs) -> Result<()> {
    match args.format {
        ExportFormat::Records(format) => {
            let mut store = crate::open_store(db)?;
            let types: Vec<RecordType> = match args.record_type {
                Some(t) => vec![record_type(t)],
                None => export::default_types(format),
            };
            let out = BufWriter::new(std::io::stdout().lock());
            Ok(export::write(store.as_mut(), format, &types, out)?)
        }
        ExportFormat::Publication(publication) => {
            let types: Vec<RecordType> = args.record_type.map(record_type).into_iter().collect();
            export::check_publication_types(&types)?;
            let mut store = crate::open_store(db)?;
            let out = BufWriter::new(std::io::stdout().lock());
            Ok(export::publish(store.as_mut(), publication, &args.base_url, out)?)
        }
    }
}
