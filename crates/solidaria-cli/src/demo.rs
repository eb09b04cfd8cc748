//! `solidaria demo`: loads the bundled demo ecosystem through the normal import pipeline.

use crate::import::{open_source, print_report};
use anyhow::Result;
use solidaria_formats::detect::Format;
use std::process::ExitCode;

/// The demo ecosystem, compiled into the binary (sources in `demo/SOURCES.md`).
pub const DEMO: &str = include_str!("../demo/ecosystem.jsonl");

/// Runs `demo`.
pub fn run(db: &str) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let source = open_source("demo/ecosystem.jsonl", DEMO.as_bytes(), Some(Format::JsonLines))?;
    let report = solidaria_store::import::import(store.as_mut(), "demo", vec![source], &mut |_| {})?;
    let code = print_report(&report, 1, store.as_mut())?;
    if report.committed {
        println!(
            "\nNext: `solidaria actors list --territory CA-QC`, `solidaria actors show tiess`, `solidaria export --format csv`"
        );
    }
    Ok(code)
}
