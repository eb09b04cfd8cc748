//! Screening a national business register (CSV) through register rules on every core, in
//! constant memory, and loading its SSE rows into the registry.
//!
//! One thread reads the input in blocks and cuts them at record boundaries (tracking quotes, so
//! a quoted newline never splits a record); worker threads parse their blocks with the `csv`
//! crate into reused byte records and classify each row with the core's allocation-free
//! classifier, counting into their own tallies; the calling thread merges the tallies, writes
//! per-row output and the SSE rows as actor records in file order when asked, and reports
//! progress. Channels are bounded, so memory does not grow with the file.

use crate::error::{AppError, AppResult, Code};
use crate::import::{ImportReport, Source, import};
use solidaria_core::register::{self, CONFLICTS, Classifier, FAMILIES, RegisterProfile, RowProblem, Tally};
use solidaria_formats::Format;
use solidaria_store::Store;
use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

/// Bytes read per block.
const BLOCK: usize = 4 << 20;

/// The register rules named by id among the built-in ones, or `register_rules_not_found` with
/// the list of those there are.
pub fn builtin_rules(id: &str) -> AppResult<RegisterProfile> {
    register::builtin(id).ok_or_else(|| {
        let ids: Vec<&str> = register::BUILTIN.iter().map(|(id, _)| *id).collect();
        AppError::new(
            Code::RegisterRulesNotFound,
            format!(
                "--profile: no register rules for {id:?}; available: {} (or give your own with --rules FILE)",
                ids.join(", ")
            ),
        )
        .at("profile")
    })
}

/// Register rules read from a TOML text named `name`, or `register_rules_invalid`.
pub fn parse_rules(name: &str, text: &str) -> AppResult<RegisterProfile> {
    RegisterProfile::parse(text).map_err(|e| AppError::new(Code::RegisterRulesInvalid, format!("{name}: {e}")))
}

/// How a screening runs and what it writes besides its tally.
pub struct Run<'w> {
    /// The input's name, for messages.
    pub name: String,
    /// Worker threads (at least one).
    pub threads: usize,
    /// Stop at the first malformed row (`register_rows_malformed`).
    pub strict: bool,
    /// Where to write one CSV line per row (id, verdict, family, section, reason), with a header.
    pub rows: Option<&'w mut dyn Write>,
    /// Where to write the SSE rows as actor records (JSON Lines), for [`import_sse_rows`].
    pub records: Option<&'w mut dyn Write>,
}

/// Where a screening is: bytes of the input consumed, and the rows screened so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    /// Bytes of the input consumed (header included).
    pub bytes: u64,
    /// Rows screened.
    pub rows: u64,
}

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

fn system(what: &str, e: impl std::fmt::Display) -> AppError {
    AppError::new(Code::System, format!("{what}: {e}"))
}

/// Screens every row of `reader` (a CSV register with a header line) under `profile`, and
/// returns the tally of verdicts, families, flag conflicts and malformed rows.
pub fn screen(
    mut reader: impl BufRead + Send,
    profile: &RegisterProfile,
    run: Run<'_>,
    progress: &mut dyn FnMut(Progress),
) -> AppResult<Tally> {
    let Run { name, threads, strict, rows: mut output, records: mut records_out } = run;
    let mut header_line = Vec::new();
    reader.read_until(b'\n', &mut header_line).map_err(|e| system(&format!("cannot read {name}"), e))?;
    let header = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&header_line[..])
        .byte_records()
        .next()
        .transpose()
        .map_err(|e| AppError::new(Code::RegisterHeaderInvalid, format!("{name}: {e}")))?
        .ok_or_else(|| {
            AppError::new(Code::RegisterHeaderInvalid, format!("{name}: the file is empty; expected a CSV header"))
        })?;
    let names: Vec<String> = header.iter().map(|h| String::from_utf8_lossy(h).into_owned()).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let classifier = profile.classifier(&name_refs).map_err(|e| {
        let hint = solidaria_formats::csv_quotes::delimiter_hint(&names, ',')
            .map(|h| format!("; {h} (register files are read with ',' between columns)"))
            .unwrap_or_default();
        AppError::new(Code::RegisterHeaderInvalid, format!("{name}: {e}{hint}"))
    })?;
    if let Some(out) = output.as_mut() {
        writeln!(out, "{},verdict,family,section,reason", profile.columns.id).map_err(|e| system("writing", e))?;
    }
    let mut at = Progress { bytes: header_line.len() as u64, rows: 0 };
    progress(at);

    let threads = threads.max(1);
    let (block_tx, block_rx) = sync_channel::<Block>(threads * 2);
    let (done_tx, done_rx) = sync_channel::<Done>(threads * 2);
    let block_rx = Arc::new(Mutex::new(block_rx));
    let wants = (output.is_some(), records_out.is_some());
    std::thread::scope(|s| -> AppResult<Tally> {
        let input = name.clone();
        let reading = s.spawn(move || read_blocks(&input, reader, block_tx));
        for _ in 0..threads {
            let rx = Arc::clone(&block_rx);
            let tx = done_tx.clone();
            let (classifier, profile) = (&classifier, profile);
            s.spawn(move || work(classifier, profile, &rx, &tx, wants));
        }
        drop(done_tx);
        let mut total = Tally::new(profile);
        let mut pending: BTreeMap<u64, (Vec<u8>, Vec<u8>)> = BTreeMap::new();
        let mut next = 0u64;
        for done in done_rx.iter() {
            total.merge(&done.tally);
            at.bytes += done.bytes;
            at.rows = total.rows;
            progress(at);
            if strict && total.malformed.iter().sum::<u64>() > 0 {
                return Err(AppError::new(
                    Code::RegisterRowsMalformed,
                    format!("{name}: malformed rows and --strict:\n{}", examples(&total)),
                ));
            }
            if strict && total.unloadable > 0 {
                return Err(AppError::new(
                    Code::RegisterRowsMalformed,
                    format!(
                        "{name}: ESS rows whose id cannot make an actor id and --strict:\n{}",
                        unloadable_examples(&total)
                    ),
                ));
            }
            if wants.0 || wants.1 {
                pending.insert(done.seq, (done.output, done.records));
                while let Some((rows, records)) = pending.remove(&next) {
                    if let Some(out) = output.as_mut() {
                        out.write_all(&rows).map_err(|e| system("writing the rows", e))?;
                    }
                    if let Some(out) = records_out.as_mut() {
                        out.write_all(&records).map_err(|e| system("writing the SSE rows", e))?;
                    }
                    next += 1;
                }
            }
        }
        reading.join().map_err(|_| AppError::new(Code::System, "the reading thread failed"))??;
        Ok(total)
    })
}

/// Imports the SSE rows that [`screen`] wrote as actor records (JSON Lines), all or nothing, as
/// `register:<who>`.
pub fn import_sse_rows<'r>(
    store: &mut dyn Store,
    who: &str,
    input: &str,
    records: impl BufRead + Send + 'r,
    progress: &mut dyn FnMut(u64),
) -> AppResult<ImportReport> {
    let name = format!("{input} (ESS rows)");
    let source: Source<'r> = crate::import::source(&name, records, Some(Format::JsonLines))
        .map_err(|e| system(&format!("cannot read {name}"), e))?;
    import(store, &format!("register:{who}"), vec![source], progress)
}

/// Reads blocks and cuts each after its last newline outside quotes. A block always starts at a
/// record boundary, so its quote state starts outside quotes; the uncut tail (part of a record)
/// is carried into the next block and scanned again.
fn read_blocks(name: &str, mut reader: impl Read, tx: SyncSender<Block>) -> AppResult<()> {
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
                Err(e) => return Err(system("reading the register", e)),
            }
        }
        buf.truncate(filled);
        let eof = filled < start + BLOCK;
        let (mut in_quotes, mut cut, mut newlines, mut lines_to_cut) = (false, 0usize, 0u64, 0u64);
        // The line of the last quote that opened a quoted part, for an unclosed quote's error.
        let mut opened = line;
        for i in memchr::memchr2_iter(b'"', b'\n', &buf) {
            if buf[i] == b'"' {
                in_quotes = !in_quotes;
                if in_quotes {
                    opened = line + newlines;
                }
            } else {
                newlines += 1;
                if !in_quotes {
                    cut = i + 1;
                    lines_to_cut = newlines;
                }
            }
        }
        if eof && in_quotes {
            // The quote runs to the end of the file: every line after it would be one cell.
            let last = line + newlines - u64::from(buf.last() == Some(&b'\n'));
            let (expected, found) = solidaria_formats::csv_quotes::Unclosed { opened, last }.expected_found();
            return Err(AppError::new(
                Code::InputUnreadable,
                format!("{name}:{opened}: expected {expected}, found {found}"),
            ));
        }
        if eof {
            cut = buf.len();
            lines_to_cut = newlines;
        } else if cut == 0 {
            if buf.len() >= 64 * BLOCK {
                return Err(AppError::new(
                    Code::InputUnreadable,
                    format!(
                        "{name}:{line}: a record longer than {} MiB: the quote opened on line {opened} is not closed within it",
                        (64 * BLOCK) >> 20
                    ),
                ));
            }
            carry = buf;
            continue;
        }
        carry = buf.split_off(cut);
        if !buf.is_empty() {
            tx.send(Block { seq, bytes: buf, first_line: line })
                .map_err(|_| AppError::new(Code::System, "the screening stopped"))?;
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
                && let Err(id) = write_actor(&mut records, classifier, profile, &record, row)
            {
                tally.add_unloadable(at, &id);
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

/// One SSE row as an actor record (JSON Lines): id from the register's id, the name, the legal
/// category as a national legal-form code (prefixed with its code system, e.g. `INSEE-CJ-`, so
/// that it is never read as an ELF code) with its family and label, France, the register's SSE
/// flag as an `sse` claim, and the activity as a fact citing the register. A row whose id
/// cannot make an actor id (empty, not ASCII letters and digits, too long) is not written: its
/// id is returned, for the tally to report.
fn write_actor(
    out: &mut Vec<u8>,
    c: &Classifier<'_>,
    profile: &RegisterProfile,
    record: &csv::ByteRecord,
    row: register::Row,
) -> Result<(), String> {
    let text = |i: usize| std::str::from_utf8(record.get(i).unwrap_or(b"")).unwrap_or("").trim().to_string();
    let id = text(c.id_column());
    let actor_id = format!("fr-siren-{id}");
    if id.is_empty()
        || !id.bytes().all(|b| b.is_ascii_alphanumeric())
        || solidaria_core::text::Id::parse(&actor_id).is_err()
    {
        return Err(id);
    }
    let name =
        c.name_column().map(text).filter(|n| !n.is_empty()).unwrap_or_else(|| format!("{} {id}", profile.columns.id));
    let code = text(c.legal_category_column());
    let mut legal_form = serde_json::json!({"code": profile.legal_form_code(&code)});
    if (row.family as usize) < 4 {
        legal_form["family"] = FAMILIES[row.family as usize].into();
    }
    if let Some(label) = profile.code_label(&code) {
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
        "id": actor_id,
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
    Ok(())
}

/// A malformed row's problem, in words.
pub fn describe(p: RowProblem) -> String {
    match p {
        RowProblem::Columns { expected, found } => format!("expected {expected} fields, found {found}"),
        RowProblem::Utf8 => "not valid UTF-8".into(),
        RowProblem::UnknownLegalCategory => "legal category: expected a code of the legal-category list".into(),
        RowProblem::UnknownActivity => "activity: expected a NAF rev. 2 code like 94.99Z".into(),
    }
}

/// The first malformed rows, one per line (`  line N: problem`).
pub fn examples(t: &Tally) -> String {
    t.examples.iter().map(|(l, p)| format!("  line {l}: {}", describe(*p))).collect::<Vec<_>>().join("\n")
}

/// The first ESS rows not loaded for their id, one per line (`  line N: id "…" …`).
pub fn unloadable_examples(t: &Tally) -> String {
    t.unloadable_examples
        .iter()
        .map(|(l, id)| format!("  line {l}: id {id:?}: expected 1 to {} ASCII letters and digits", MAX_REGISTER_ID))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest register id that makes an actor id (`fr-siren-` and the id, 128 characters).
pub const MAX_REGISTER_ID: usize = 128 - "fr-siren-".len();

/// The tally as JSON: rows, counts by verdict and by verdict, family and section, flag
/// conflicts, malformed rows with the first ones, and the time taken.
pub fn summary_json(profile: &RegisterProfile, t: &Tally, elapsed: f64) -> serde_json::Value {
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
        "unloadable_ids": {
            "total": t.unloadable,
            "examples": t.unloadable_examples.iter().map(|(l, id)| serde_json::json!({"line": l, "id": id})).collect::<Vec<_>>(),
        },
        "elapsed_s": (elapsed * 1000.0).round() / 1000.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "siren,categorieJuridiqueUniteLegale,economieSocialeSolidaireUniteLegale,denominationUniteLegale,etatAdministratifUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale\n";

    fn run(text: &str, strict: bool, threads: usize) -> AppResult<(Tally, String, String)> {
        let profile = builtin_rules("fr-ess-2014-sirene")?;
        let (mut rows, mut records) = (Vec::new(), Vec::new());
        let run = Run { name: "t.csv".into(), threads, strict, rows: Some(&mut rows), records: Some(&mut records) };
        let tally = screen(text.as_bytes(), &profile, run, &mut |_| {})?;
        Ok((tally, String::from_utf8(rows).unwrap(), String::from_utf8(records).unwrap()))
    }

    #[test]
    fn rows_are_classified_written_in_order_and_sse_rows_become_actors() {
        let text = format!(
            "{HEADER}123456789,5458,O,COOP A,A,62.01Z,NAFRev2\n987654321,5710,N,\"SAS, B\",A,62.01Z,NAFRev2\n\
             111111111,9220,,ASSO C,A,88.99B,NAFRev2\n222222222,9220,,ASSO D,C,88.99B,NAFRev2\n"
        );
        let (tally, rows, records) = run(&text, false, 3).unwrap();
        assert_eq!(tally.rows, 4);
        let ids: Vec<&str> = rows.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
        assert_eq!(ids, ["123456789", "987654321", "111111111", "222222222"], "{rows}");
        assert!(rows.lines().nth(4).unwrap().contains(",ceased,"), "{rows}");
        let actors: Vec<serde_json::Value> = records.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let ids: Vec<&str> = actors.iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["fr-siren-123456789", "fr-siren-111111111"]);
        assert_eq!(actors[0]["legal_form"]["code"], "INSEE-CJ-5458");
        assert_eq!(actors[0]["claims"], serde_json::json!(["sse"]));
    }

    #[test]
    fn ess_rows_whose_id_cannot_make_an_actor_id_are_reported_with_their_line_or_fail_when_strict() {
        // Fails without the fix: the three rows were skipped silently and only one actor written.
        let long = "9".repeat(MAX_REGISTER_ID + 1);
        let text = format!(
            "{HEADER}123456789,5458,O,COOP A,A,62.01Z,NAFRev2\n,5458,O,COOP B,A,62.01Z,NAFRev2\n\
             12-34,5458,O,COOP C,A,62.01Z,NAFRev2\n{long},5458,O,COOP D,A,62.01Z,NAFRev2\n"
        );
        let (tally, _, records) = run(&text, false, 2).unwrap();
        assert_eq!(records.lines().count(), 1);
        assert_eq!(tally.unloadable, 3);
        let lines: Vec<(u64, &str)> = tally.unloadable_examples.iter().map(|(l, id)| (*l, id.as_str())).collect();
        assert_eq!(lines, [(3, ""), (4, "12-34"), (5, &long[..80])], "ids are kept to 80 characters");
        let text_report = unloadable_examples(&tally);
        assert!(text_report.contains("line 4: id \"12-34\""), "{text_report}");
        let json = summary_json(&builtin_rules("fr-ess-2014-sirene").unwrap(), &tally, 0.0);
        assert_eq!(json["unloadable_ids"]["total"], 3);
        let e = run(&text, true, 1).unwrap_err();
        assert_eq!(e.code, Code::RegisterRowsMalformed);
        assert!(e.message.contains("line 3: id \"\""), "{e}");
        // A longest id still makes an actor.
        let ok = format!("{HEADER}{},5458,O,COOP A,A,62.01Z,NAFRev2\n", "9".repeat(MAX_REGISTER_ID));
        assert_eq!(run(&ok, true, 1).unwrap().0.unloadable, 0);
    }

    #[test]
    fn an_unclosed_quote_says_where_it_opened_and_a_semicolon_header_is_hinted() {
        // Fails without the fix: the quote of line 3 swallowed lines 4 to 6 into one malformed
        // row, and the screening reported 2 rows.
        let text = format!(
            "{HEADER}123456789,5458,O,COOP A,A,62.01Z,NAFRev2\n987654321,5710,N,\"SAS B,A,62.01Z,NAFRev2\n\
             111111111,9220,,ASSO C,A,88.99B,NAFRev2\n222222222,9220,,ASSO D,C,88.99B,NAFRev2\n\
             333333333,9220,,ASSO E,A,88.99B,NAFRev2\n"
        );
        let e = run(&text, false, 2).unwrap_err();
        assert_eq!(e.code, Code::InputUnreadable);
        assert!(
            e.message.starts_with(
                "t.csv:3: expected a closing quote for the quote opened on line 3, found none: the quote swallowed the 3 lines after it, to the end of the file (line 6)"
            ),
            "{e}"
        );
        let e = run("siren;categorieJuridiqueUniteLegale;etatAdministratifUniteLegale\n1;2;A\n", false, 1).unwrap_err();
        assert_eq!(e.code, Code::RegisterHeaderInvalid);
        assert!(e.message.contains("found: siren;categorieJuridiqueUniteLegale;etatAdministratifUniteLegale; the header is one column holding 2 ';': the file looks ';'-separated, but is read as ','-separated"), "{e}");
    }

    #[test]
    fn a_missing_column_an_empty_file_and_strict_malformed_rows_have_their_codes() {
        let e = run("siren,other\n1,2\n", false, 1).unwrap_err();
        assert_eq!(e.code, Code::RegisterHeaderInvalid, "{e}");
        assert!(e.message.starts_with("t.csv: "), "{e}");
        assert_eq!(run("", false, 1).unwrap_err().code, Code::RegisterHeaderInvalid);
        let bad = format!("{HEADER}123456789,5458,O,COOP A\n");
        assert_eq!(run(&bad, false, 1).unwrap().0.malformed.iter().sum::<u64>(), 1);
        let e = run(&bad, true, 1).unwrap_err();
        assert_eq!(e.code, Code::RegisterRowsMalformed);
        assert!(e.message.contains("line 2: expected 7 fields, found 4"), "{e}");
    }

    #[test]
    fn unknown_rules_list_the_known_ones() {
        let e = builtin_rules("nope").unwrap_err();
        assert_eq!(e.code, Code::RegisterRulesNotFound);
        assert!(e.message.contains("fr-ess-2014-sirene"), "{e}");
    }
}
