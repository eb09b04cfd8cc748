//! `solidaria register screen`: streams a national business register (CSV) through register
//! rules on every core, in constant memory.
//!
//! One thread reads the file in blocks and cuts them at record boundaries (tracking quotes, so a
//! quoted newline never splits a record); worker threads parse their blocks with the `csv` crate
//! into reused byte records and classify each row with the core's allocation-free classifier,
//! counting into their own tallies; the main thread merges the tallies, writes per-row output in
//! file order when asked, and drives the progress bar. Channels are bounded, so memory does not
//! grow with the file.

use crate::cli::{RegisterFormat, RegisterScreenArgs};
use crate::term::line;
use anyhow::{Context, Result, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use solidaria_core::register::{self, CONFLICTS, Classifier, FAMILIES, RegisterProfile, RowProblem, Tally};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Bytes read per block.
const BLOCK: usize = 4 << 20;

/// A block of whole records: its sequence number, its bytes and the file line of its first byte.
struct Block {
    seq: u64,
    bytes: Vec<u8>,
    first_line: u64,
}

/// What a worker gives back for a block.
struct Done {
    seq: u64,
    bytes: u64,
    tally: Tally,
    output: Vec<u8>,
    records: Vec<u8>,
}

/// Runs `register screen`.
pub fn screen(db: &str, args: &RegisterScreenArgs) -> Result<ExitCode> {
    let profile = match &args.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", line(path)))?;
            RegisterProfile::parse(&text).map_err(|e| anyhow!("{}: {e}", line(path)))?
        }
        None => register::builtin(&args.profile).ok_or_else(|| {
            let ids: Vec<&str> = register::BUILTIN.iter().map(|(id, _)| *id).collect();
            anyhow!(
                "--profile: no register rules for \"{}\"; available: {} (or give your own with --rules FILE)",
                line(&args.profile),
                ids.join(", ")
            )
        })?,
    };
    let started = Instant::now();
    let file = std::fs::File::open(&args.input).with_context(|| format!("cannot open {}", line(&args.input)))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = BufReader::with_capacity(1 << 20, file);
    // The header: the first line.
    let mut header_line = Vec::new();
    reader.read_until(b'\n', &mut header_line).with_context(|| format!("cannot read {}", line(&args.input)))?;
    let header = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&header_line[..])
        .byte_records()
        .next()
        .transpose()?
        .ok_or_else(|| anyhow!("{}: the file is empty; expected a CSV header", line(&args.input)))?;
    let names: Vec<String> = header.iter().map(|h| String::from_utf8_lossy(h).into_owned()).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let classifier = profile.classifier(&name_refs).map_err(|e| anyhow!("{}: {e}", line(&args.input)))?;

    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())).max(1);
    let (block_tx, block_rx) = sync_channel::<Block>(threads * 2);
    let (done_tx, done_rx) = sync_channel::<Done>(threads * 2);
    let block_rx = Arc::new(Mutex::new(block_rx));
    let want_output = args.output.is_some();
    let want_records = args.import;
    // ESS rows to import are written as JSON Lines to a temporary file, then imported with the
    // registry's all-or-nothing import (streaming, batched, one transaction).
    let records_file = if want_records {
        Some(tempfile::NamedTempFile::new().context("cannot create a temporary file for the import")?)
    } else {
        None
    };
    let mut records_out = match &records_file {
        Some(f) => Some(std::io::BufWriter::with_capacity(1 << 20, f.reopen()?)),
        None => None,
    };

    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{spinner} screening {bar:30} {bytes}/{total_bytes} {msg} ETA {eta}")
            .expect("valid template"),
    );
    bar.inc(header_line.len() as u64);

    let mut output: Option<Box<dyn Write>> = match &args.output {
        None => None,
        Some(path) => {
            let f = std::fs::File::create(path).with_context(|| format!("cannot create {}", line(path)))?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            writeln!(w, "{},verdict,family,section,reason", profile.columns.id)?;
            Some(Box::new(w))
        }
    };

    let result = std::thread::scope(|s| -> Result<Tally> {
        let reading = s.spawn(move || read_blocks(reader, block_tx));
        for _ in 0..threads {
            let rx = Arc::clone(&block_rx);
            let tx = done_tx.clone();
            let (classifier, profile) = (&classifier, &profile);
            s.spawn(move || work(classifier, profile, &rx, &tx, (want_output, want_records)));
        }
        drop(done_tx);
        let mut total = Tally::new(&profile);
        let mut pending: BTreeMap<u64, (Vec<u8>, Vec<u8>)> = BTreeMap::new();
        let mut next = 0u64;
        for done in done_rx.iter() {
            total.merge(&done.tally);
            bar.inc(done.bytes);
            bar.set_message(format!(
                "{} rows, {:.0} rows/s",
                total.rows,
                total.rows as f64 / started.elapsed().as_secs_f64()
            ));
            if args.strict && total.malformed.iter().sum::<u64>() > 0 {
                bar.finish_and_clear();
                bail!("{}: malformed rows and --strict:\n{}", line(&args.input), examples(&total));
            }
            if output.is_some() || records_out.is_some() {
                pending.insert(done.seq, (done.output, done.records));
                while let Some((rows, records)) = pending.remove(&next) {
                    if let Some(out) = output.as_mut() {
                        out.write_all(&rows)?;
                    }
                    if let Some(out) = records_out.as_mut() {
                        out.write_all(&records)?;
                    }
                    next += 1;
                }
            }
        }
        reading.join().map_err(|_| anyhow!("the reading thread failed"))??;
        Ok(total)
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
            Some(import_records(db, &args.input, file)?)
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

/// Imports the ESS rows written as JSON Lines, all or nothing.
fn import_records(
    db: &str,
    input: &str,
    file: tempfile::NamedTempFile,
) -> Result<(solidaria_app::import::ImportReport, Box<dyn solidaria_store::Store>)> {
    let mut store = crate::open_store(db)?;
    let reader = BufReader::with_capacity(1 << 16, file.reopen()?);
    let name = format!("{input} (ESS rows)");
    let source = crate::import::open_source(&name, reader, Some(solidaria_formats::Format::JsonLines))?;
    let bar = ProgressBar::new_spinner();
    let who = format!("register:{}", crate::who());
    let report = solidaria_app::import::import(store.as_mut(), &who, vec![source], &mut |n| {
        bar.set_message(format!("importing: {n} records"))
    })?;
    bar.finish_and_clear();
    Ok((report, store))
}

/// Reads blocks and cuts each after its last newline outside quotes. A block always starts at a
/// record boundary, so its quote state starts outside quotes; the uncut tail (part of a record)
/// is carried into the next block and scanned again.
fn read_blocks(mut reader: impl Read, tx: SyncSender<Block>) -> Result<()> {
    let mut carry: Vec<u8> = Vec::new();
    let mut line = 2u64; // the header was line 1
    let mut seq = 0u64;
    loop {
        let mut buf = std::mem::take(&mut carry);
        let start = buf.len();
        buf.resize(start + BLOCK, 0);
        let mut filled = start;
        while filled < buf.len() {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
        buf.truncate(filled);
        let eof = filled < start + BLOCK;
        let (mut in_quotes, mut cut, mut newlines, mut lines_to_cut) = (false, 0usize, 0u64, 0u64);
        for i in memchr::memchr2_iter(b'"', b'\n', &buf) {
            if buf[i] == b'"' {
                in_quotes = !in_quotes;
            } else {
                newlines += 1;
                if !in_quotes {
                    cut = i + 1;
                    lines_to_cut = newlines;
                }
            }
        }
        if eof {
            cut = buf.len();
            lines_to_cut = newlines;
        } else if cut == 0 {
            if buf.len() >= 64 * BLOCK {
                bail!("line {line}: a record longer than {} MiB (an unclosed quote?)", (64 * BLOCK) >> 20);
            }
            carry = buf;
            continue;
        }
        carry = buf.split_off(cut);
        if !buf.is_empty() {
            tx.send(Block { seq, bytes: buf, first_line: line }).map_err(|_| anyhow!("the screening stopped"))?;
            seq += 1;
        }
        line += lines_to_cut;
        if eof {
            return Ok(());
        }
    }
}

fn work(
    classifier: &Classifier<'_>,
    profile: &RegisterProfile,
    rx: &Mutex<Receiver<Block>>,
    tx: &SyncSender<Done>,
    (want_output, want_records): (bool, bool),
) {
    let mut record = csv::ByteRecord::new();
    loop {
        let block = match rx.lock() {
            Ok(guard) => match guard.recv() {
                Ok(b) => b,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let mut tally = Tally::new(profile);
        let mut output = Vec::new();
        let mut records = Vec::new();
        let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&block.bytes[..]);
        loop {
            match csv.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                // The csv reader only fails on I/O, which a byte slice cannot give; stop the block.
                Err(_) => break,
            }
            let at = block.first_line + record.position().map_or(0, |p| p.line()) - 1;
            let result = if std::str::from_utf8(record.as_slice()).is_err() {
                Err(RowProblem::Utf8)
            } else {
                classifier.classify(record.len(), |i| record.get(i).unwrap_or(b""))
            };
            if want_output {
                write_row(&mut output, classifier, profile, &record, result);
            }
            if want_records
                && let Ok(row) = result
                && profile.ess_verdicts.contains(&row.verdict)
            {
                write_actor(&mut records, classifier, profile, &record, row);
            }
            tally.add(at, result);
        }
        let done = Done { seq: block.seq, bytes: block.bytes.len() as u64, tally, output, records };
        if tx.send(done).is_err() {
            return;
        }
    }
}

fn write_row(
    out: &mut Vec<u8>,
    c: &Classifier<'_>,
    profile: &RegisterProfile,
    record: &csv::ByteRecord,
    result: Result<register::Row, RowProblem>,
) {
    let id = record.get(c.id_column()).unwrap_or(b"");
    // Ids are written as CSV fields: quoted when they hold a comma, quote or newline.
    if id.iter().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for b in id {
            if *b == b'"' {
                out.push(b'"');
            }
            out.push(*b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(id);
    }
    match result {
        Ok(r) => {
            let rule = &profile.rules[r.rule as usize];
            let _ = writeln!(
                out,
                ",{},{},{},\"{}\"",
                profile.verdicts[r.verdict as usize],
                FAMILIES[r.family as usize],
                r.section as char,
                rule.why.replace('"', "\"\"")
            );
        }
        Err(p) => {
            let _ = writeln!(out, ",malformed,,,{}", RowProblem::KINDS[p.kind()]);
        }
    }
}

/// One ESS row as an actor record (JSON Lines): id from the register's id, the name, the legal
/// category as a national legal-form code (prefixed `INSEE-CJ-` so that it is never read as an
/// ELF code) with its family and label, France, the register's ESS flag as an `sse` claim, and the
/// activity as a fact citing the register.
fn write_actor(
    out: &mut Vec<u8>,
    c: &Classifier<'_>,
    profile: &RegisterProfile,
    record: &csv::ByteRecord,
    row: register::Row,
) {
    let text = |i: usize| std::str::from_utf8(record.get(i).unwrap_or(b"")).unwrap_or("").trim().to_string();
    let id = text(c.id_column());
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return;
    }
    let name =
        c.name_column().map(text).filter(|n| !n.is_empty()).unwrap_or_else(|| format!("{} {id}", profile.columns.id));
    let code = text(c.legal_category_column());
    let mut legal_form = serde_json::json!({"code": format!("INSEE-CJ-{code}")});
    if (row.family as usize) < 4 {
        legal_form["family"] = FAMILIES[row.family as usize].into();
    }
    if let Some(label) = register::insee_label(&code) {
        legal_form["label"] = label.into();
    }
    let flagged = record.get(c.flag_column()).unwrap_or(b"") == profile.columns.flag.1.as_bytes();
    let activity = text(c.activity_column());
    let mut facts = serde_json::Map::new();
    if !activity.is_empty() {
        facts.insert(
            "register.activity".into(),
            serde_json::json!({"value": activity, "source": profile.register, "note": profile.columns.activity}),
        );
    }
    let actor = serde_json::json!({
        "type": "actor",
        "id": format!("fr-siren-{id}"),
        "name": name,
        "category": "sse_organization",
        "legal_form": legal_form,
        "territory": "FR",
        "claims": if flagged { vec!["sse"] } else { vec![] },
        "description": format!("Imported from {} under {}: {}.", profile.register, profile.id, profile.verdicts[row.verdict as usize]),
        "facts": facts,
    });
    if serde_json::to_writer(&mut *out, &actor).is_ok() {
        out.push(b'\n');
    }
}

fn describe(p: RowProblem) -> String {
    match p {
        RowProblem::Columns { expected, found } => format!("expected {expected} fields, found {found}"),
        RowProblem::Utf8 => "not valid UTF-8".into(),
        RowProblem::UnknownLegalCategory => "legal category: expected a code of the legal-category list".into(),
        RowProblem::UnknownActivity => "activity: expected a NAF rev. 2 code like 94.99Z".into(),
    }
}

fn examples(t: &Tally) -> String {
    t.examples.iter().map(|(l, p)| format!("  line {l}: {}", describe(*p))).collect::<Vec<_>>().join("\n")
}

fn summary_json(profile: &RegisterProfile, t: &Tally, elapsed: f64) -> serde_json::Value {
    let counts: Vec<_> = t
        .nonzero(profile)
        .map(|(v, f, s, n)| serde_json::json!({"verdict": v, "family": f, "section": s.to_string(), "count": n}))
        .collect();
    let by_verdict: serde_json::Map<String, serde_json::Value> =
        profile.verdicts.iter().zip(t.by_verdict(profile)).map(|(v, n)| (v.clone(), n.into())).collect();
    let mut malformed: serde_json::Map<String, serde_json::Value> =
        RowProblem::KINDS.iter().zip(t.malformed).map(|(k, n)| (k.to_string(), n.into())).collect();
    malformed.insert("total".into(), t.malformed.iter().sum::<u64>().into());
    malformed.insert(
        "examples".into(),
        t.examples.iter().map(|(l, p)| serde_json::json!({"line": l, "problem": describe(*p)})).collect(),
    );
    serde_json::json!({
        "profile": profile.profile,
        "rules": profile.id,
        "rules_version": profile.version,
        "rows": t.rows,
        "by_verdict": by_verdict,
        "counts": counts,
        "flag_conflicts": {CONFLICTS[0]: t.conflicts[0], CONFLICTS[1]: t.conflicts[1]},
        "malformed": malformed,
        "elapsed_s": (elapsed * 1000.0).round() / 1000.0,
    })
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
    s
}
