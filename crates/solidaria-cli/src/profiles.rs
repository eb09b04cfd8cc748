//! `solidaria profiles`: list, show and validate screening profiles.

use crate::cli::{OutputFormat, ProfileShowArgs, ProfileValidateArgs, ProfilesListArgs};
use crate::term::{cell, line};
use anyhow::{Context, Result, bail};
use serde_json::json;
use solidaria_core::screening::builtin;
use solidaria_core::screening::profile::{Kind, MAX_PROFILE_BYTES, Profile, parse_profile};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::process::ExitCode;

/// Runs `profiles` (the listing).
pub fn list(args: &ProfilesListArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => {
            let items: Vec<_> = builtin::all()
                .iter()
                .map(|p| {
                    json!({
                        "id": p.id, "title": p.title, "version": p.version, "jurisdiction": p.jurisdiction,
                        "instrument": p.instrument, "criteria": p.criteria.len(), "mandatory": p.mandatory_count(),
                        "source_url": p.source_url, "claims": p.claims, "subject": p.subject,
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
        }
        OutputFormat::Text => {
            let all = builtin::all();
            // Each column as wide as its longest value: ids are never cut, headers line up.
            let width = |header: &str, value: &dyn Fn(&Profile) -> String| {
                all.iter().map(|p| value(p).chars().count()).chain([header.len()]).max().unwrap_or(0)
            };
            let criteria = |p: &Profile| format!("{}/{}", p.mandatory_count(), p.criteria.len());
            let w = [
                width("ID", &|p| p.id.clone()),
                width("SUBJECT", &|p| p.subject.as_str().to_string()),
                width("VERSION", &|p| p.version.clone()),
                width("WHERE", &|p| p.jurisdiction.clone()),
                width("CRITERIA", &criteria),
            ];
            let row = |cells: [&str; 5], title: &str| {
                let cells: Vec<String> = cells.iter().zip(w).map(|(c, w)| cell(c, w)).collect();
                format!("{} {}", cells.join(" "), line(title))
            };
            writeln!(out, "{}", row(["ID", "SUBJECT", "VERSION", "WHERE", "CRITERIA"], "TITLE"))?;
            for p in all {
                let c = criteria(p);
                writeln!(out, "{}", row([&p.id, p.subject.as_str(), &p.version, &p.jurisdiction, &c], &p.title))?;
            }
            writeln!(
                out,
                "\nCRITERIA is mandatory/all. `solidaria profiles show ID` lists them with their citations."
            )?;
        }
    }
    Ok(())
}

/// Runs `profiles show`.
pub fn show(args: &ProfileShowArgs) -> Result<ExitCode> {
    let Some(p) = builtin::find(&args.id) else {
        let ids: Vec<&str> = builtin::all().iter().map(|p| p.id.as_str()).collect();
        bail!("no built-in profile \"{}\"; the profiles are: {}", line(&args.id), ids.join(", "));
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(p)?)?,
        OutputFormat::Text => out.write_all(describe(p).as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A profile in words: instrument, source, and each criterion with its test and citation.
pub fn describe(p: &Profile) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}  ({} v{})", p.title, p.id, p.version);
    let _ = writeln!(s, "  instrument   {}", p.instrument);
    let _ = writeln!(s, "  where        {}", p.jurisdiction);
    let _ = writeln!(s, "  adopted      {}", p.adopted);
    let _ = writeln!(s, "  source       {}", p.source_url);
    if !p.claims.is_empty() {
        let claims: Vec<&str> = p.claims.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(s, "  contradicts  claims of {} when it does not qualify", claims.join(", "));
    }
    if let Some(summary) = &p.summary {
        let _ = writeln!(s, "\n  {summary}");
    }
    let _ = writeln!(s, "\nCriteria ({}, {} mandatory)", p.criteria.len(), p.mandatory_count());
    for c in &p.criteria {
        let kind = match c.kind {
            Kind::Mandatory => "mandatory",
            Kind::Indicative => "indicative",
        };
        let _ = writeln!(s, "\n  {}  [{kind}, grade {:?}]", c.id, c.grade);
        let _ = writeln!(s, "      {}", c.title);
        let _ = writeln!(s, "      cited: {}", c.citation);
        if let Some(a) = &c.applies_if {
            let _ = writeln!(s, "      applies if: {a}");
        }
        let _ = writeln!(s, "      test: {}", c.test);
        if let Some(n) = &c.note {
            let _ = writeln!(s, "      note: {n}");
        }
    }
    s
}

/// Reads and parses a profile file; the error lists every problem as `FILE:LINE: message`.
pub fn load_file(path: &str) -> Result<Profile> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", line(path)))?;
    let mut text = String::new();
    // Read one byte past the limit so that an oversized file is reported as such.
    file.take(MAX_PROFILE_BYTES as u64 + 1)
        .read_to_string(&mut text)
        .with_context(|| format!("{}: expected a UTF-8 text file", line(path)))?;
    parse_profile(&text).map_err(|errors| {
        let lines: Vec<String> =
            errors.iter().map(|e| format!("{}:{}: {}", line(path), e.line, line(&e.message))).collect();
        anyhow::anyhow!("{} problem(s) in the profile:\n{}", errors.len(), lines.join("\n"))
    })
}

/// Runs `profiles validate`.
pub fn validate(args: &ProfileValidateArgs) -> Result<ExitCode> {
    match load_file(&args.file) {
        Ok(p) => {
            if builtin::find(&p.id).is_some() {
                eprintln!("{}: the id \"{}\" is a built-in profile's; choose another id", line(&args.file), p.id);
                return Ok(ExitCode::FAILURE);
            }
            outln!(
                "{}: valid profile {} v{} with {} criteria ({} mandatory)",
                line(&args.file),
                p.id,
                p.version,
                p.criteria.len(),
                p.mandatory_count()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(ExitCode::FAILURE)
        }
    }
}
