//! `solidaria innovation assess|recommend|programmes`, `solidaria transfer` and `solidaria cases`:
//! the innovation commons' judgements on the cases of the database, written for a terminal. The
//! rules live in `solidaria_core::innovation`, the use cases in `solidaria_app::innovation`.

use crate::cli::{AssessArgs, CaseShowArgs, CasesListArgs, OutputFormat, ProgrammesArgs, RecommendArgs, TransferArgs};
use crate::term::line;
use anyhow::{Result, bail};
use solidaria_app::innovation as app;
use solidaria_app::{AppError, Code};
use solidaria_core::case::Case;
use solidaria_core::innovation::{self, Fit, Transfer};
use solidaria_core::record::Record;
use solidaria_core::screening::Outcome;
use solidaria_core::territory::TerritoryId;
use solidaria_store::Store;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// The case named (or every case), with the command line's hint when it does not exist.
fn cases(store: &mut dyn Store, only: Option<&str>) -> Result<Vec<Case>> {
    app::cases(store, only).map_err(|e| match (e.code, only) {
        (Code::RecordNotFound, Some(id)) => {
            AppError { message: format!("no case with id \"{}\"; `solidaria cases list` lists them", line(id)), ..e }
                .into()
        }
        _ => e.into(),
    })
}

/// Runs `innovation assess`.
pub fn assess(db: &str, args: &AssessArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let profile = app::strength_profile()?;
    let cases = cases(store.as_mut(), args.case.as_deref())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for c in &cases {
        let a = innovation::assess(profile, c);
        match args.format {
            OutputFormat::Json => writeln!(out, "{}", serde_json::to_string(&a)?)?,
            OutputFormat::Text => {
                let mut s = String::new();
                let _ = writeln!(s, "{} ({}): {}", line(&c.name), c.id, a.class.as_str().to_uppercase());
                let _ = writeln!(s, "  {}", a.rule);
                for d in &a.screening.criteria {
                    let mark = match d.outcome {
                        Outcome::Pass => "pass",
                        Outcome::Fail => "FAIL",
                        Outcome::Unknown => "unknown",
                        Outcome::NotApplicable => "n/a",
                    };
                    let core = if innovation::CORE.contains(&d.id) { "core" } else { "complementary" };
                    let _ = writeln!(s, "  {mark:<8} {} ({core}): {}", d.id, line(&d.reason.to_string()));
                    let _ = writeln!(s, "           cited: {}", d.citation);
                }
                writeln!(out, "{s}")?;
            }
        }
    }
    if cases.is_empty() {
        eprintln!("no cases in the database; `solidaria demo` loads some");
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn check_territory(id: &str) -> Result<()> {
    if let Err(e) = TerritoryId::parse(id) {
        bail!("--territory: expected {e}, found \"{}\"", line(id));
    }
    Ok(())
}

fn write_transfer(s: &mut String, c: &Case, t: &Transfer) {
    let fit = match t.fit {
        Fit::Fits => "FITS",
        Fit::Partial => "PARTIAL",
        Fit::Unknown => "UNKNOWN",
        Fit::DoesNotFit => "DOES NOT FIT",
    };
    let home = c.territory.as_ref().map(|t| t.to_string()).unwrap_or_else(|| "?".into());
    let _ = writeln!(s, "{} ({}) from {home} to {}: {fit}", line(&c.name), c.id, t.territory);
    if c.preconditions.is_empty() {
        let _ = writeln!(s, "  the case records no preconditions: nothing says what it needs to work");
    }
    for p in &t.preconditions {
        let _ = writeln!(s, "  {:<8} {} [{}]: {}", p.outcome.as_str(), p.key, p.kind.as_str(), line(&p.reason));
    }
    match t.similarity.score {
        Some(x) => {
            let keys: Vec<&str> = t.similarity.compared.keys().map(String::as_str).collect();
            let _ = writeln!(s, "  similarity of the contexts: {x:.2} over {}", keys.join(", "));
        }
        None => {
            let _ = writeln!(s, "  similarity of the contexts: unknown (no context fact documented on both sides)");
        }
    }
    for a in &t.adaptations {
        let _ = writeln!(s, "  adapt: {}", line(a));
    }
}

/// Runs `transfer`.
pub fn transfer(db: &str, args: &TransferArgs) -> Result<ExitCode> {
    check_territory(&args.territory)?;
    let mut store = crate::open_store(db)?;
    let c = cases(store.as_mut(), Some(&args.case))?.remove(0);
    let t = app::transfer_of(store.as_mut(), &c, &args.territory)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&t)?)?,
        OutputFormat::Text => {
            let mut s = String::new();
            write_transfer(&mut s, &c, &t);
            out.write_all(s.as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `innovation recommend`: the cases ranked for a territory: those that do not fit, then the
/// weak ones, last; the others by strength, fit and similarity, so that the strong cases that fit
/// come first.
pub fn recommend(db: &str, args: &RecommendArgs) -> Result<ExitCode> {
    check_territory(&args.territory)?;
    let mut store = crate::open_store(db)?;
    let ranked = app::recommend(store.as_mut(), &args.territory)?;
    let mut out = std::io::stdout().lock();
    for (i, r) in ranked.iter().enumerate() {
        let (c, t, class, rule, recommended) = (&r.case, &r.transfer, r.class, &r.rule, r.recommended());
        match args.format {
            OutputFormat::Json => writeln!(
                out,
                "{}",
                serde_json::json!({"rank": i + 1, "case": c.id, "recommended": recommended, "class": class, "class_rule": rule,
                    "fit": t.fit, "similarity": t.similarity.score, "preconditions": t.preconditions, "adaptations": t.adaptations})
            )?,
            OutputFormat::Text => {
                let mut s = String::new();
                let verdict = if recommended { "recommended" } else { "not recommended as it is" };
                let _ = writeln!(s, "{}. {} — {}, {}", i + 1, c.id, class.as_str(), verdict);
                let _ = writeln!(s, "   strength: {rule}");
                write_transfer(&mut s, c, t);
                writeln!(out, "{s}")?;
            }
        }
    }
    if ranked.is_empty() {
        eprintln!("no cases in the database; `solidaria demo` loads some");
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `innovation programmes`: screens programmes (cases of kind programme, law, regulation or
/// financial mechanism, or the case named) for a social dimension from the outset.
pub fn programmes(db: &str, args: &ProgrammesArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let profile = app::programme_profile()?;
    let chosen = app::programmes(cases(store.as_mut(), args.case.as_deref())?, args.case.is_some());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for c in &chosen {
        let sc = solidaria_core::screening::screen(profile, c);
        match args.format {
            OutputFormat::Json => writeln!(out, "{}", serde_json::to_string(&sc)?)?,
            OutputFormat::Text => {
                let mut s = String::new();
                crate::screen::report(&mut s, (&c.name, c.id.as_str()), profile, &sc);
                out.write_all(s.as_bytes())?;
            }
        }
    }
    if chosen.is_empty() {
        eprintln!(
            "no programmes among the cases (kinds programme, law, regulation, financial_mechanism); name one with --case"
        );
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `cases list`.
pub fn list(db: &str, args: &CasesListArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    if let Some(t) = &args.territory {
        check_territory(t)?;
    }
    let chosen = app::find(store.as_mut(), args.q.as_deref(), args.territory.as_deref())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        OutputFormat::Json => {
            for c in chosen {
                writeln!(out, "{}", Record::Case(c).to_json_string())?;
            }
        }
        OutputFormat::Text => {
            writeln!(
                out,
                "{} {} {} NAME",
                crate::term::cell("ID", 28),
                crate::term::cell("TERRITORY", 10),
                crate::term::cell("KIND", 20)
            )?;
            for c in &chosen {
                writeln!(
                    out,
                    "{} {} {} {}",
                    crate::term::cell(c.id.as_str(), 28),
                    crate::term::cell(&c.territory.as_ref().map_or("-".into(), |t| t.to_string()), 10),
                    crate::term::cell(c.kind.map_or("-", |k| k.as_str()), 20),
                    line(&c.name)
                )?;
            }
            writeln!(out, "{} case{}", chosen.len(), if chosen.len() == 1 { "" } else { "s" })?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `cases show`.
pub fn show(db: &str, args: &CaseShowArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let c = cases(store.as_mut(), Some(&args.id))?.remove(0);
    let mut out = std::io::stdout().lock();
    if args.format == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&Record::Case(c).to_json())?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut s = String::new();
    let _ = writeln!(s, "{}  ({})", line(&c.name), c.id);
    let kind = c.kind.map_or("-", |k| k.as_str());
    let place = c.territory.as_ref().map_or("-".to_string(), |t| t.to_string());
    let year = c.year.map_or("-".to_string(), |y| y.to_string());
    let _ = writeln!(s, "  kind {kind} · territory {place} · since {year}");
    for (label, text) in [
        ("Problem", &c.problem),
        ("Root causes", &c.root_causes),
        ("Approach", &c.approach),
        ("Outcomes", &c.outcomes),
        ("Evidence", &c.evidence),
    ] {
        if let Some(t) = text {
            let _ = writeln!(s, "\n{label}\n  {}", crate::term::safe(t));
        }
    }
    let _ = writeln!(s, "\nActors ({})", c.actors.len());
    for a in &c.actors {
        let _ = writeln!(s, "  {}{}", a.actor, a.role.as_ref().map(|r| format!(" — {}", line(r))).unwrap_or_default());
    }
    let _ = writeln!(s, "\nFacts ({})", c.facts.len());
    for (k, f) in solidaria_core::fact::display_order(&c.facts) {
        let source = f.provenance.source.as_ref().map(|x| format!(" — {}", line(x))).unwrap_or_default();
        let _ = writeln!(s, "  {k} = {}{source}", line(&f.value.display()));
    }
    let _ = writeln!(s, "\nPreconditions ({})", c.preconditions.len());
    for p in &c.preconditions {
        let why = p.reason.as_ref().map(|r| format!(" — {}", line(r))).unwrap_or_default();
        let _ = writeln!(s, "  [{}] {} {} {}{why}", p.kind.as_str(), p.key, p.op.as_str(), p.value);
    }
    out.write_all(s.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
