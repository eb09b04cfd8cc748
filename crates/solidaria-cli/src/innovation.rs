//! `solidaria innovation assess|recommend` and `solidaria transfer`: the innovation commons'
//! judgements on the cases of the database. The rules live in `solidaria_core::innovation`.

use crate::cli::{AssessArgs, CaseShowArgs, CasesListArgs, OutputFormat, RecommendArgs, TransferArgs};
use crate::term::line;
use anyhow::{Result, bail};
use solidaria_core::case::Case;
use solidaria_core::innovation::{self, Context, Fit, Strength, Transfer};
use solidaria_core::record::{Record, RecordType};
use solidaria_core::screening::{Outcome, builtin};
use solidaria_core::territory::{self, TerritoryId};
use solidaria_store::Store;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

fn cases(store: &mut dyn Store, only: Option<&str>) -> Result<Vec<Case>> {
    match only {
        Some(id) => match store.get(RecordType::Case, id)? {
            Some(Record::Case(c)) => Ok(vec![c]),
            _ => bail!("no case with id \"{}\"; `solidaria cases list` lists them", line(id)),
        },
        None => Ok(solidaria_store::cases(store)?),
    }
}

fn context_of(store: &mut dyn Store, id: &str) -> Result<Context> {
    let parents = store.territory_parents()?;
    let mut chain = Vec::new();
    for t in territory::ancestors(id, &parents) {
        if let Some(Record::Territory(rec)) = store.get(RecordType::Territory, &t)? {
            chain.push((t, rec.facts));
        }
    }
    Ok(innovation::context(chain.iter().map(|(t, f)| (t.as_str(), f))))
}

/// Runs `innovation assess`.
pub fn assess(db: &str, args: &AssessArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let profile = builtin::find(innovation::STRENGTH_PROFILE).expect("the si-strength profile is built in");
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

fn transfer_of(store: &mut dyn Store, c: &Case, target: &str) -> Result<Transfer> {
    let target_context = context_of(store, target)?;
    let home_context = match &c.territory {
        Some(t) => context_of(store, t.as_str())?,
        None => Context::new(),
    };
    Ok(innovation::transfer(c, target, &target_context, &home_context))
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
    let t = transfer_of(store.as_mut(), &c, &args.territory)?;
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
    let profile = builtin::find(innovation::STRENGTH_PROFILE).expect("the si-strength profile is built in");
    let all = cases(store.as_mut(), None)?;
    let mut ranked = Vec::new();
    for c in &all {
        let t = transfer_of(store.as_mut(), c, &args.territory)?;
        let a = innovation::assess(profile, c);
        ranked.push((c, t, a.class, a.rule));
    }
    let fit_rank = |f: Fit| match f {
        Fit::Fits => 0,
        Fit::Partial => 1,
        Fit::Unknown => 2,
        Fit::DoesNotFit => 3,
    };
    let class_rank = |s: Strength| match s {
        Strength::Strong => 0,
        Strength::Intermediate => 1,
        Strength::Undetermined => 2,
        Strength::Weak => 3,
    };
    // Cases that do not fit, then weak ones, go last; the others by strength, then fit, then
    // similarity: a strong case that needs adapting outranks a weak one that fits.
    let key =
        |t: &Transfer, c: Strength| (t.fit == Fit::DoesNotFit, c == Strength::Weak, class_rank(c), fit_rank(t.fit));
    ranked.sort_by(|a, b| {
        key(&a.1, a.2)
            .cmp(&key(&b.1, b.2))
            .then(b.1.similarity.score.unwrap_or(0.0).total_cmp(&a.1.similarity.score.unwrap_or(0.0)))
            .then(a.0.id.cmp(&b.0.id))
    });
    let mut out = std::io::stdout().lock();
    for (i, (c, t, class, rule)) in ranked.iter().enumerate() {
        let recommended = t.fit == Fit::Fits && *class == Strength::Strong;
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
    if all.is_empty() {
        eprintln!("no cases in the database; `solidaria demo` loads some");
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `innovation programmes`: screens programmes (cases of kind programme, law, regulation or
/// financial mechanism, or the case named) for a social dimension from the outset.
pub fn programmes(db: &str, args: &AssessArgs) -> Result<ExitCode> {
    use solidaria_core::case::CaseKind;
    let mut store = crate::open_store(db)?;
    let profile = builtin::find(PROGRAMME_PROFILE).expect("the programme profile is built in");
    let kinds = [CaseKind::Programme, CaseKind::Law, CaseKind::Regulation, CaseKind::FinancialMechanism];
    let all = cases(store.as_mut(), args.case.as_deref())?;
    let chosen: Vec<&Case> =
        all.iter().filter(|c| args.case.is_some() || c.kind.is_some_and(|k| kinds.contains(&k))).collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for c in &chosen {
        let sc = solidaria_core::screening::screen(profile, *c);
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

/// The id of the programme profile.
pub const PROGRAMME_PROFILE: &str = "programme-social-dimension";

/// Runs `cases list`.
pub fn list(db: &str, args: &CasesListArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let within = match &args.territory {
        Some(t) => {
            check_territory(t)?;
            Some(territory::descendants(t, &store.territory_parents()?))
        }
        None => None,
    };
    let needle = args.q.as_deref().map(str::to_lowercase);
    let chosen: Vec<Case> = cases(store.as_mut(), None)?
        .into_iter()
        .filter(|c| within.as_ref().is_none_or(|w| c.territory.as_ref().is_some_and(|t| w.contains(t.as_str()))))
        .filter(|c| needle.as_ref().is_none_or(|n| c.mentions(n)))
        .collect();
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
