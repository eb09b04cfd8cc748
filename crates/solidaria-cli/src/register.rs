//! `solidaria register screen`: a national business register (CSV) screened through register
//! rules on every core, in constant memory, with a progress bar; the engine is
//! `solidaria_app::register`, this shell opens the files and writes the summary.

use crate::cli::{RegisterFormat, RegisterScreenArgs};
use crate::term::line;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use solidaria_app::register::{self as engine, Run, examples, summary_json, unloadable_examples};
use solidaria_core::register::{CONFLICTS, FAMILIES, RegisterProfile, RowProblem, Tally};
use std::io::{BufReader, Write};
use std::process::ExitCode;
use std::time::Instant;

/// Runs `register screen`.
pub fn screen(db: &str, args: &RegisterScreenArgs) -> Result<ExitCode> {
    let profile = match &args.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", line(path)))?;
            engine::parse_rules(&line(path), &text)?
        }
        None => engine::builtin_rules(&args.profile)?,
    };
    let started = Instant::now();
    let file = std::fs::File::open(&args.input).with_context(|| format!("cannot open {}", line(&args.input)))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let reader = BufReader::with_capacity(1 << 20, file);
    // SSE rows to import are written as JSON Lines to a temporary file, then imported with the
    // registry's all-or-nothing import (streaming, batched, one transaction).
    let records_file = if args.import {
        Some(tempfile::NamedTempFile::new().context("cannot create a temporary file for the import")?)
    } else {
        None
    };
    let mut records_out = match &records_file {
        Some(f) => Some(std::io::BufWriter::with_capacity(1 << 20, f.reopen()?)),
        None => None,
    };
    let mut output = match &args.output {
        None => None,
        Some(path) => Some(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(path).with_context(|| format!("cannot create {}", line(path)))?,
        )),
    };
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{spinner} screening {bar:30} {bytes}/{total_bytes} {msg} ETA {eta}")
            .expect("valid template"),
    );
    let run = Run {
        name: line(&args.input),
        threads: args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        strict: args.strict,
        rows: output.as_mut().map(|w| w as &mut dyn Write),
        records: records_out.as_mut().map(|w| w as &mut dyn Write),
    };
    let result = engine::screen(reader, &profile, run, &mut |p| {
        bar.set_position(p.bytes);
        bar.set_message(format!("{} rows, {:.0} rows/s", p.rows, p.rows as f64 / started.elapsed().as_secs_f64()));
    });
    bar.finish_and_clear();
    let total = result?;
    if let Some(mut out) = output {
        out.flush()?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let imported = match (records_out, records_file) {
        (Some(mut out), Some(file)) => {
            out.flush()?;
            drop(out);
            let mut store = crate::create_store(db)?;
            let bar = ProgressBar::new_spinner();
            let reader = BufReader::with_capacity(1 << 16, file.reopen()?);
            let report = engine::import_sse_rows(store.as_mut(), &crate::who(), &args.input, reader, &mut |n| {
                bar.set_message(format!("importing: {n} records"))
            })?;
            bar.finish_and_clear();
            Some((report, store))
        }
        _ => None,
    };
    let mut stdout = std::io::stdout().lock();
    match args.format {
        RegisterFormat::Json => {
            writeln!(stdout, "{}", serde_json::to_string_pretty(&summary_json(&profile, &total, elapsed))?)?
        }
        RegisterFormat::Text => stdout.write_all(summary_text(&profile, &total, elapsed, &args.input).as_bytes())?,
    }
    drop(stdout);
    match imported {
        Some((report, mut store)) => crate::import::print_report(&report, 1, store.as_mut()),
        None => Ok(ExitCode::SUCCESS),
    }
}

fn summary_text(profile: &RegisterProfile, t: &Tally, elapsed: f64, input: &str) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} rows screened under {} ({} v{}) in {:.1} s ({:.0} rows/s)",
        line(input),
        t.rows,
        profile.profile,
        profile.id,
        profile.version,
        elapsed,
        t.rows as f64 / elapsed.max(1e-9)
    );
    let pct = |n: u64| if t.rows == 0 { 0.0 } else { 100.0 * n as f64 / t.rows as f64 };
    for (v, n) in profile.verdicts.iter().zip(t.by_verdict(profile)) {
        let _ = writeln!(s, "  {v:<16} {n:>12}  {:5.1} %", pct(n));
    }
    let bad: u64 = t.malformed.iter().sum();
    let _ = writeln!(s, "  {:<16} {bad:>12}  {:5.1} %", "malformed", pct(bad));
    let _ = writeln!(s, "\nESS rows by family:");
    let mut by_family = [0u64; 5];
    for (v, f, _, n) in t.nonzero(profile) {
        if profile.ess_verdicts.iter().any(|e| profile.verdicts[*e as usize] == v) {
            by_family[FAMILIES.iter().position(|x| *x == f).unwrap_or(4)] += n;
        }
    }
    for (f, n) in FAMILIES.iter().zip(by_family) {
        let _ = writeln!(s, "  {f:<16} {n:>12}");
    }
    let _ = writeln!(s, "\nActive units whose family and the register's ESS flag disagree:");
    let _ = writeln!(s, "  {:<24} {:>12}  (an ESS family without the flag)", CONFLICTS[0], t.conflicts[0]);
    let _ = writeln!(s, "  {:<24} {:>12}  (the flag without an ESS family)", CONFLICTS[1], t.conflicts[1]);
    if bad > 0 {
        let _ = writeln!(s, "\nMalformed rows (counted, not classified):");
        for (k, n) in RowProblem::KINDS.iter().zip(t.malformed) {
            if n > 0 {
                let _ = writeln!(s, "  {k:<24} {n:>12}");
            }
        }
        let _ = writeln!(s, "First ones:\n{}", examples(t));
    }
    if t.unloadable > 0 {
        let _ = writeln!(
            s,
            "\nESS rows not imported, their id cannot make an actor id: {}\nFirst ones:\n{}",
            t.unloadable,
            unloadable_examples(t)
        );
    }
    s
}
