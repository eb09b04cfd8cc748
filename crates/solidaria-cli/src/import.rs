//! `solidaria import`: opens the files, shows progress, runs the all-or-nothing import pipeline
//! and prints its report.

use crate::cli::ImportArgs;
use crate::term;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use solidaria_app::import::{ImportReport, Source, import};
use solidaria_formats::Format;
use solidaria_store::{Store, WriteCounts};
use std::io::{BufRead, BufReader, Read};
use std::process::ExitCode;

/// Runs `import`.
pub fn run(db: &str, args: &ImportArgs) -> Result<ExitCode> {
    let total: u64 =
        args.files.iter().filter(|f| *f != "-").filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} importing {bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .expect("valid template"),
    );
    let mut sources = Vec::new();
    for name in &args.files {
        let reader: Box<dyn Read + Send> = if name == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(name).with_context(|| format!("cannot open {}", term::line(name)))?)
        };
        let reader = BufReader::with_capacity(1 << 16, bar.wrap_read(reader));
        sources.push(open_source(name, reader, args.format)?);
    }
    let mut store = crate::open_store(db)?;
    let report = import(store.as_mut(), &crate::who(), sources, &mut |n| bar.set_message(format!("{n} records")))?;
    bar.finish_and_clear();
    print_report(&report, args.files.len(), store.as_mut())
}

/// Builds a source from a buffered reader, detecting its format from the name and first bytes.
pub fn open_source<'a, R: BufRead + Send + 'a>(name: &str, reader: R, format: Option<Format>) -> Result<Source<'a>> {
    solidaria_app::import::source(name, reader, format).with_context(|| format!("cannot read {}", term::line(name)))
}

/// Prints a report: the problems (stderr) or the summary of changes (stdout).
pub fn print_report(report: &ImportReport, files: usize, store: &mut dyn Store) -> Result<ExitCode> {
    if !report.committed {
        for p in &report.problems {
            eprintln!("{}", term::line(&p.to_string()));
        }
        if report.more_problems > 0 {
            eprintln!("… and {} more problems", report.more_problems);
        }
        eprintln!(
            "nothing was written: {} problem{} in {} record{} read; fix them and import again",
            report.problem_count(),
            plural(report.problem_count()),
            report.records,
            plural(report.records)
        );
        return Ok(ExitCode::FAILURE);
    }
    for c in &report.conflicts {
        eprintln!("warning: {}", term::line(c));
    }
    println!(
        "imported {} record{} from {files} file{} into {}",
        report.records,
        plural(report.records),
        plural(files as u64),
        store.backend()
    );
    print_counts(&report.counts);
    Ok(ExitCode::SUCCESS)
}

fn print_counts(counts: &WriteCounts) {
    for (t, (inserted, updated, unchanged)) in &counts.by_type {
        let name = match t {
            solidaria_core::record::RecordType::Actor => "actors",
            solidaria_core::record::RecordType::Relation => "relations",
            solidaria_core::record::RecordType::Territory => "territories",
            solidaria_core::record::RecordType::Case => "cases",
        };
        println!("  {name:<12} {inserted} new, {updated} updated, {unchanged} unchanged");
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
