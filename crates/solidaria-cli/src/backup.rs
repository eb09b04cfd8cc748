//! `solidaria backup` and `solidaria restore`.

use crate::cli::{BackupArgs, RestoreArgs};
use crate::term;
use anyhow::Result;
use solidaria_app::backup::BackupInfo;
use std::process::ExitCode;

fn describe(info: &BackupInfo) -> String {
    format!(
        "schema version {}, {:.1} MiB, {} actors, audit log up to {}",
        info.schema_version,
        info.bytes as f64 / (1024.0 * 1024.0),
        info.actors,
        info.audit_seq
    )
}

pub fn backup(db: &str, args: &BackupArgs) -> Result<ExitCode> {
    let start = std::time::Instant::now();
    let info = solidaria_app::backup::backup(db, &args.output, args.force)?;
    eprintln!(
        "backed up {} to {} ({}) in {:.1} s",
        term::redact(db),
        term::line(&args.output.display().to_string()),
        describe(&info),
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn restore(db: &str, args: &RestoreArgs) -> Result<ExitCode> {
    let start = std::time::Instant::now();
    let info = solidaria_app::backup::restore(&args.file, db, args.force)?;
    eprintln!(
        "restored {} into {} ({}) in {:.1} s",
        term::line(&args.file.display().to_string()),
        term::redact(db),
        describe(&info),
        start.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
