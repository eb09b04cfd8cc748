//! `solidaria evidence`: what would decide an undecided verdict, for one actor or as the
//! registry's worklist; the use cases are `solidaria_app::evidence`.

use crate::cli::{EvidenceArgs, EvidenceFormat};
use crate::term::line;
use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use solidaria_app::directory::actor_record;
use solidaria_app::screen::actor_profile;
use solidaria_core::record::RecordType;
use solidaria_core::screening::evidence::join_sets;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// Runs `evidence`.
pub fn run(db: &str, args: &EvidenceArgs) -> Result<ExitCode> {
    let profile = actor_profile(&args.profile)?;
    let mut store = crate::open_store(db)?;
    let mut out = std::io::stdout().lock();
    if let Some(id) = &args.actor {
        let actor = actor_record(store.as_mut(), id)?;
        let (verdict, evidence) = solidaria_app::evidence::for_actor(&actor, profile);
        match args.format {
            EvidenceFormat::Csv => bail!("--format csv lists the worklist: use it with --all"),
            EvidenceFormat::Json => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "actor": actor.id, "profile": profile.id, "verdict": verdict.as_str(), "evidence": evidence,
                }))?
            )?,
            EvidenceFormat::Text => {
                let mut s = String::new();
                let _ = writeln!(s, "{} ({}) under {}: {}", line(&actor.name), actor.id, profile.id, verdict.as_str());
                match evidence {
                    None => {
                        let _ = writeln!(s, "  decided: no missing fact would change it");
                    }
                    Some(e) => {
                        let _ = writeln!(s, "  undecided criteria: {}", e.undecided.join(", "));
                        let _ = writeln!(s, "  to qualify, document: {}", join_sets(&e.to_qualify, " or "));
                        let _ = writeln!(
                            s,
                            "  one of these could make it not qualify: {}",
                            join_sets(&e.to_refute, " or ")
                        );
                    }
                }
                out.write_all(s.as_bytes())?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let bar = ProgressBar::new(store.count(RecordType::Actor)?);
    bar.set_style(
        ProgressStyle::with_template("{spinner} reading {bar:30} {pos}/{len} actors {per_sec} ETA {eta}")
            .expect("valid template"),
    );
    let (actors, worklist) =
        solidaria_app::evidence::worklist(store.as_mut(), &profile.id, &mut |n| bar.set_position(n))?;
    bar.finish_and_clear();
    let ranked = worklist.ranked();
    match args.format {
        EvidenceFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "profile": profile.id, "actors": actors, "undecided": worklist.undecided, "facts": ranked,
            }))?
        )?,
        EvidenceFormat::Csv => {
            writeln!(out, "fact,verdicts,alone")?;
            for i in &ranked {
                writeln!(out, "{},{},{}", i.key, i.verdicts, i.alone)?;
            }
        }
        EvidenceFormat::Text => {
            writeln!(
                out,
                "{} of {actors} actors are undecided under {}. Facts to collect first (undecided verdicts each could help decide; alone: decided by it on its own):",
                worklist.undecided, profile.id
            )?;
            writeln!(out, "  {:<40} {:>10} {:>10}", "FACT", "VERDICTS", "ALONE")?;
            for i in ranked.iter().take(args.limit) {
                writeln!(out, "  {:<40} {:>10} {:>10}", i.key, i.verdicts, i.alone)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
