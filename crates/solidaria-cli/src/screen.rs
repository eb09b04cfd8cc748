//! `solidaria screen`: screens actors from files or from the database against profiles, prints a
//! readable report or JSON Lines, and optionally keeps each screening in the history.
//!
//! Actors are screened in chunks on every core by `solidaria_app::screen::Batch` and written in
//! input order; this shell reads the inputs and renders the reports.

use crate::cli::{ScreenArgs, ScreenFormat};
use crate::term::line;
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use solidaria_app::directory::actor_record;
use solidaria_app::screen::{Batch, Reading, VerdictCounts, in_chunks_reading};
use solidaria_app::{AppError, AppResult, Code};
use solidaria_core::actor::Actor;
use solidaria_core::record::{Record, RecordType};
use solidaria_core::screening::profile::{Kind, Profile, SubjectKind};
use solidaria_core::screening::{Outcome, Screening, builtin};
use std::fmt::Write as _;
use std::io::{BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

/// Runs `screen`.
pub fn run(db: &str, args: &ScreenArgs) -> Result<ExitCode> {
    let profiles = load_profiles(args)?;
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let saver = if args.save { Some((crate::open_store(db)?, crate::who())) } else { None };
    let mut batch = Batch::new(&profiles, saver);
    let format = args.format;
    let render = move |a: &Actor, p: &Profile, s: &Screening<'_>| match format {
        ScreenFormat::Summary => String::new(),
        // A Screening always serialises; it holds only strings, numbers and maps.
        ScreenFormat::Json => serde_json::to_string(s).unwrap_or_default() + "\n",
        ScreenFormat::Text => {
            let mut text = String::new();
            report(&mut text, (&a.name, a.id.as_str()), p, s);
            text
        }
    };
    let mut write = |batch: &mut Batch<'_>, actors: &[Actor]| -> AppResult<()> {
        if format == ScreenFormat::Summary && !batch.saves() {
            // Only the counts are shown: no screening is built (same figures, see `Batch::count`).
            batch.count(actors);
            return Ok(());
        }
        for text in batch.screen(actors, render)? {
            out.write_all(text.as_bytes()).map_err(|e| AppError::output(&e))?;
        }
        Ok(())
    };
    if args.all {
        let mut store = crate::open_store(db)?;
        let bar = ProgressBar::new(store.count(RecordType::Actor)?);
        bar.set_style(
            ProgressStyle::with_template("{spinner} screening {bar:30} {pos}/{len} actors {per_sec} ETA {eta}")
                .expect("valid template"),
        );
        in_chunks_reading(store.as_mut(), Reading::ForScreening, &mut |chunk| {
            write(&mut batch, chunk)?;
            bar.inc(chunk.len() as u64);
            Ok(())
        })?;
        bar.finish_and_clear();
    } else if !args.actors.is_empty() {
        let mut store = crate::open_store(db)?;
        let mut actors = Vec::with_capacity(args.actors.len());
        for id in &args.actors {
            actors.push(actor_record(store.as_mut(), id).map_err(|e| match e.code {
                Code::RecordNotFound => AppError {
                    message: format!(
                        "--actor: no actor with id \"{}\" in the database; try `solidaria actors list --q {}`",
                        line(id),
                        line(id)
                    ),
                    ..e
                },
                _ => e,
            })?);
        }
        write(&mut batch, &actors)?;
    } else {
        let actors = read_actors(&args.files)?;
        write(&mut batch, &actors)?;
    }
    batch.flush()?;
    let summary = summary(&batch.counts, &profiles, batch.saves());
    match args.format {
        ScreenFormat::Text | ScreenFormat::Summary => out.write_all(summary.as_bytes())?,
        ScreenFormat::Json => eprint!("{summary}"),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The built-in profiles named by `--profile` (or all of them for `all`) and the profile files.
fn load_profiles(args: &ScreenArgs) -> Result<Vec<Profile>> {
    let mut profiles: Vec<Profile> = Vec::new();
    for id in &args.profiles {
        if id == "all" {
            profiles.extend(builtin::for_subject(SubjectKind::Actor).cloned());
            continue;
        }
        match builtin::find(id) {
            Some(p) if p.subject != SubjectKind::Actor => {
                bail!(
                    "--profile: {} screens {}s, not actors; see `solidaria innovation assess`",
                    p.id,
                    p.subject.as_str()
                )
            }
            Some(p) => profiles.push(p.clone()),
            None => {
                let ids: Vec<&str> = builtin::all().iter().map(|p| p.id.as_str()).collect();
                bail!("--profile: no built-in profile \"{}\"; the profiles are: {}, or all", line(id), ids.join(", "));
            }
        }
    }
    for file in &args.profile_files {
        let p = crate::profiles::load_file(file)?;
        if p.subject != SubjectKind::Actor {
            bail!("{}: profile {} screens {}s, not actors", line(file), p.id, p.subject.as_str());
        }
        if builtin::find(&p.id).is_some() {
            bail!("{}: the id \"{}\" is a built-in profile's; choose another id", line(file), p.id);
        }
        profiles.push(p);
    }
    let mut seen = std::collections::HashSet::new();
    profiles.retain(|p| seen.insert(p.id.clone()));
    if profiles.is_empty() {
        bail!(
            "name at least one profile: --profile ID (see `solidaria profiles`), --profile all, or --profile-file FILE"
        );
    }
    Ok(profiles)
}

/// Reads the actors of record files; any unreadable record stops everything with every problem
/// listed as `FILE:LINE: problem`, so that nothing is screened from half-read input.
fn read_actors(files: &[String]) -> Result<Vec<Actor>> {
    let mut actors = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut others = 0u64;
    for name in files {
        let reader: Box<dyn Read + Send> = if name == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(name).with_context(|| format!("cannot open {}", line(name)))?)
        };
        let source = crate::import::open_source(name, BufReader::with_capacity(1 << 16, reader), None)?;
        let entries = source.entries.map_err(|e| anyhow::anyhow!("{}: {e}", line(name)))?;
        for entry in entries {
            let entry = entry.map_err(|e| anyhow::anyhow!("{}: {e}", line(name)))?;
            match entry.result {
                Ok(Record::Actor(a)) => actors.push(a),
                Ok(_) => others += 1,
                Err(errors) => problems
                    .extend(errors.iter().map(|e| format!("{}:{}: {}", line(name), entry.line, line(&e.to_string())))),
            }
        }
    }
    if !problems.is_empty() {
        let shown: Vec<&str> = problems.iter().take(1000).map(String::as_str).collect();
        bail!(
            "nothing was screened: {} problem(s) in the input\n{}{}",
            problems.len(),
            shown.join("\n"),
            if problems.len() > shown.len() { "\n…" } else { "" }
        );
    }
    if others > 0 {
        eprintln!("note: {others} records that are not actors were skipped");
    }
    Ok(actors)
}

/// A readable report of one screening of a subject (name and id).
pub fn report(s: &mut String, (name, id): (&str, &str), p: &Profile, sc: &Screening) {
    let _ = writeln!(
        s,
        "{} ({}) under {} v{}: {}",
        line(name),
        id,
        p.id,
        p.version,
        sc.verdict.as_str().replace('_', " ").to_uppercase()
    );
    for r in &sc.criteria {
        let mark = match r.outcome {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::Unknown => "unknown",
            Outcome::NotApplicable => "n/a",
        };
        let kind = if r.kind == Kind::Indicative { " (indicative)" } else { "" };
        let _ = writeln!(s, "  {mark:<8} {}{kind}: {}", r.id, r.title);
        let _ = writeln!(s, "           {}", line(&r.reason.to_string()));
        let _ = writeln!(s, "           cited: {}", r.citation);
    }
    for m in &sc.claim_mismatches {
        let _ = writeln!(s, "  ! claim mismatch: {}", line(&m.reason.to_string()));
    }
    let declared = sc.self_declared.keys();
    if !declared.is_empty() {
        let _ =
            writeln!(s, "  ! rests on {} self-declared fact(s), not verified: {}", declared.len(), declared.join(", "));
    }
    s.push('\n');
}

/// The verdict counts per profile as a table.
fn summary(c: &VerdictCounts, profiles: &[Profile], saved: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Screened {} actor(s) under {} profile(s){}.",
        c.actors,
        profiles.len(),
        if saved { "; saved in the history" } else { "" }
    );
    let _ = writeln!(
        s,
        "{:<12} {:>10} {:>17} {:>22} {:>16}",
        "PROFILE", "QUALIFIES", "DOES_NOT_QUALIFY", "INSUFFICIENT_EVIDENCE", "CLAIM_MISMATCHES"
    );
    for (i, p) in profiles.iter().enumerate() {
        let [q, d, u] = c.counts[i];
        let _ = writeln!(s, "{:<12} {q:>10} {d:>17} {u:>22} {:>16}", p.id, c.mismatches[i]);
    }
    s
}
