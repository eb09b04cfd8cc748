//! `solidaria screen`: screens actors from files or from the database against profiles, prints a
//! readable report or JSON Lines, and optionally keeps each screening in the history.
//!
//! Actors are screened in chunks, in parallel (rayon), and written in input order.

use crate::cli::{ScreenArgs, ScreenFormat};
use crate::term::line;
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use solidaria_core::actor::Actor;
use solidaria_core::record::{Record, RecordType};
use solidaria_core::screening::profile::{Kind, Profile, SubjectKind};
use solidaria_core::screening::{Outcome, Screening, Verdict, builtin, screen};
use solidaria_store::{ScreeningRow, Store, StoreError};
use std::fmt::Write as _;
use std::io::{BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

/// Actors screened together (in parallel) before their results are written.
const CHUNK: usize = 4096;
/// Screenings saved per transaction with `--save`.
const SAVE_BATCH: usize = 2000;

/// Runs `screen`.
pub fn run(db: &str, args: &ScreenArgs) -> Result<ExitCode> {
    let profiles = load_profiles(args)?;
    let out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let saver = if args.save { Some(Saver { store: crate::open_store(db)?, pending: Vec::new() }) } else { None };
    let mut run = Run { profiles: &profiles, format: args.format, out, saver, summary: Summary::new(&profiles) };
    if args.all {
        let mut store = crate::open_store(db)?;
        let bar = ProgressBar::new(store.count(RecordType::Actor)?);
        bar.set_style(
            ProgressStyle::with_template("{spinner} screening {bar:30} {pos}/{len} actors {per_sec} ETA {eta}")
                .expect("valid template"),
        );
        let mut chunk: Vec<Actor> = Vec::with_capacity(CHUNK);
        store.for_each(RecordType::Actor, &mut |r| {
            if let Record::Actor(a) = r {
                chunk.push(a);
            }
            if chunk.len() == CHUNK {
                run.process(&chunk).map_err(|e| StoreError::Sink(e.into()))?;
                bar.inc(chunk.len() as u64);
                chunk.clear();
            }
            Ok(())
        })?;
        run.process(&chunk)?;
        bar.finish_and_clear();
    } else if !args.actors.is_empty() {
        let mut store = crate::open_store(db)?;
        let mut actors = Vec::new();
        for id in &args.actors {
            match store.get(RecordType::Actor, id)? {
                Some(Record::Actor(a)) => actors.push(a),
                _ => bail!(
                    "--actor: no actor with id \"{}\" in the database; try `solidaria actors list --q {}`",
                    line(id),
                    line(id)
                ),
            }
        }
        run.process(&actors)?;
    } else {
        let actors = read_actors(&args.files)?;
        run.process(&actors)?;
    }
    run.finish()
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

/// What screening one actor under every profile gives: the rendered output, the screenings to
/// save (when saving), and each profile's verdict with its number of claim mismatches.
type Screened = (String, Vec<ScreeningRow>, Vec<(Verdict, usize)>);

struct Saver {
    store: Box<dyn Store>,
    pending: Vec<ScreeningRow>,
}

impl Saver {
    fn flush(&mut self) -> Result<()> {
        if !self.pending.is_empty() {
            self.store.save_screenings(&crate::who(), &self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }
}

struct Run<'p, W: Write> {
    profiles: &'p [Profile],
    format: ScreenFormat,
    out: W,
    saver: Option<Saver>,
    summary: Summary,
}

impl<W: Write> Run<'_, W> {
    /// Screens a chunk of actors in parallel, then writes, counts and saves in input order.
    fn process(&mut self, actors: &[Actor]) -> Result<()> {
        let profiles = self.profiles;
        let format = self.format;
        let keep = self.saver.is_some();
        let results: Vec<Screened> = actors
            .par_iter()
            .map(|a| {
                let mut text = String::new();
                let mut kept = Vec::new();
                let mut verdicts = Vec::with_capacity(profiles.len());
                for p in profiles {
                    // Reasons are written only when displayed, so a screening costs little more
                    // than its verdict: the summary needs no path of its own.
                    let s = screen(p, a);
                    match format {
                        ScreenFormat::Summary => {}
                        ScreenFormat::Json => {
                            // A Screening always serialises; it holds only strings, numbers and maps.
                            text.push_str(&serde_json::to_string(&s).unwrap_or_default());
                            text.push('\n');
                        }
                        ScreenFormat::Text => report(&mut text, (&a.name, a.id.as_str()), p, &s),
                    }
                    verdicts.push((s.verdict, s.claim_mismatches.len()));
                    if keep {
                        kept.push(ScreeningRow::new(&s));
                    }
                }
                (text, kept, verdicts)
            })
            .collect();
        for (text, kept, verdicts) in results {
            self.out.write_all(text.as_bytes())?;
            self.summary.add(&verdicts);
            if let Some(saver) = &mut self.saver {
                saver.pending.extend(kept);
                if saver.pending.len() >= SAVE_BATCH {
                    saver.flush()?;
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ExitCode> {
        if let Some(saver) = &mut self.saver {
            saver.flush()?;
        }
        let summary = self.summary.render(self.profiles, self.saver.is_some());
        match self.format {
            ScreenFormat::Text | ScreenFormat::Summary => self.out.write_all(summary.as_bytes())?,
            ScreenFormat::Json => eprint!("{summary}"),
        }
        self.out.flush()?;
        Ok(ExitCode::SUCCESS)
    }
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
    s.push('\n');
}

/// Verdict counts per profile.
struct Summary {
    counts: Vec<[u64; 3]>,
    mismatches: Vec<u64>,
    actors: u64,
}

impl Summary {
    fn new(profiles: &[Profile]) -> Self {
        Summary { counts: vec![[0; 3]; profiles.len()], mismatches: vec![0; profiles.len()], actors: 0 }
    }

    fn add(&mut self, verdicts: &[(Verdict, usize)]) {
        self.actors += 1;
        for (i, (v, m)) in verdicts.iter().enumerate() {
            let slot = Verdict::ALL.iter().position(|x| x == v).unwrap_or(2);
            self.counts[i][slot] += 1;
            self.mismatches[i] += (*m > 0) as u64;
        }
    }

    fn render(&self, profiles: &[Profile], saved: bool) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Screened {} actor(s) under {} profile(s){}.",
            self.actors,
            profiles.len(),
            if saved { "; saved in the history" } else { "" }
        );
        let _ = writeln!(
            s,
            "{:<12} {:>10} {:>17} {:>22} {:>16}",
            "PROFILE", "QUALIFIES", "DOES_NOT_QUALIFY", "INSUFFICIENT_EVIDENCE", "CLAIM_MISMATCHES"
        );
        for (i, p) in profiles.iter().enumerate() {
            let [q, d, u] = self.counts[i];
            let _ = writeln!(s, "{:<12} {q:>10} {d:>17} {u:>22} {:>16}", p.id, self.mismatches[i]);
        }
        s
    }
}
