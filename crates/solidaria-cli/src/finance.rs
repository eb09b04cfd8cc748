//! `solidaria finance`: fund definitions, postings, reports with reach and a chart, CIDS and
//! 360Giving exports, investment readiness and matching; the use cases are `solidaria_app::finance`, `::readiness` and `::matching`.

use crate::cli::{FinanceCommand, FinanceExport, ReportFormat, TextOrJson};
use crate::term::line;
use anyhow::{Context, Result};
use serde_json::Value;
use solidaria_app::error::Code;
use solidaria_app::finance;
use solidaria_core::finance::eligibility::Status;
use std::fmt::Write as _;
use std::io::{BufRead, Read};
use std::process::ExitCode;

/// Runs a `finance` subcommand.
pub fn run(db: &str, command: &FinanceCommand) -> Result<ExitCode> {
    match command {
        FinanceCommand::Mechanisms { territory, format } => mechanisms(db, territory.as_deref(), *format),
        FinanceCommand::Fund { file } => fund(db, file),
        FinanceCommand::Funds { format } => funds(db, *format),
        FinanceCommand::Post { file } => post(db, file),
        FinanceCommand::Report { fund, as_of, format } => report(db, fund, as_of.as_deref(), *format),
        FinanceCommand::Readiness { actor, profile, format } => readiness(db, actor, profile.as_deref(), *format),
        FinanceCommand::Match { actor, fund, format } => matching(db, actor.as_deref(), fund.as_deref(), *format),
        FinanceCommand::Export { fund, as_of, format, prefix } => {
            export(db, fund, as_of.as_deref(), *format, prefix.as_deref())
        }
    }
}

/// Reads JSON records with their lines: a whole-file JSON object, or JSON Lines.
fn records(file: &str) -> Result<Vec<(u64, Value)>> {
    let mut text = String::new();
    if file == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        std::fs::File::open(file)
            .with_context(|| format!("cannot open {}", line(file)))?
            .read_to_string(&mut text)
            .with_context(|| format!("cannot read {}", line(file)))?;
    }
    if let Ok(v @ Value::Object(_)) = solidaria_formats::unique_keys::from_str(&text) {
        return Ok(vec![(1, v)]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, l) in text.as_bytes().lines().enumerate() {
        let l = l?;
        if l.trim().is_empty() {
            continue;
        }
        match solidaria_formats::unique_keys::from_str(&l) {
            Ok(v) => out.push((i as u64 + 1, v)),
            Err(e) => {
                problems.push(format!("{}:{}: record: expected one JSON object per line ({e})", line(file), i + 1))
            }
        }
    }
    if !problems.is_empty() {
        let mut err = solidaria_app::AppError::new(Code::RecordInvalid, format!("{}: unreadable lines", line(file)));
        err.problems = problems;
        return Err(err.into());
    }
    Ok(out)
}

fn mechanisms(db: &str, territory: Option<&str>, format: TextOrJson) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let all = solidaria_app::mechanisms::catalogue(store.as_mut(), territory)?;
    if format == TextOrJson::Json {
        outln!("{}", serde_json::to_string_pretty(&all)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if all.is_empty() {
        outln!("no mechanisms yet: import records of type mechanism (docs/formats.md)")?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut s = String::new();
    if let Some(t) = territory {
        let _ = writeln!(s, "Financial mechanisms fitted to {}:", line(t));
    }
    for l in &all {
        let m = &l.mechanism;
        let home = m.territory.as_ref().map_or("anywhere".to_string(), |t| t.to_string());
        let _ = writeln!(s, "{} [{}] {}", m.id, m.kind, line(&m.name));
        let mut about = format!("  offered by {} in {home}", m.provider);
        if let Some(c) = m.terms.currency {
            match (m.terms.ticket_min, m.terms.ticket_max) {
                (Some(a), Some(b)) => {
                    let _ = write!(about, "; tickets {} to {} {}", c.format(a.into()), c.format(b.into()), c.code());
                }
                (Some(a), None) => {
                    let _ = write!(about, "; tickets from {} {}", c.format(a.into()), c.code());
                }
                (None, Some(b)) => {
                    let _ = write!(about, "; tickets up to {} {}", c.format(b.into()), c.code());
                }
                (None, None) => {}
            }
        }
        let pct = |x: f64| format!("{}%", (x * 10000.0).round() / 100.0);
        match (m.terms.interest_min, m.terms.interest_max) {
            (Some(a), Some(b)) if a == b => {
                let _ = write!(about, "; interest {}", pct(a));
            }
            (Some(a), Some(b)) => {
                let _ = write!(about, "; interest {} to {}", pct(a), pct(b));
            }
            (Some(a), None) => {
                let _ = write!(about, "; interest from {}", pct(a));
            }
            (None, Some(b)) => {
                let _ = write!(about, "; interest up to {}", pct(b));
            }
            (None, None) => {}
        }
        let _ = writeln!(s, "{about}");
        if let Some(t) = &m.terms.text {
            let _ = writeln!(s, "  terms: {}", line(t));
        }
        let e = &m.eligibility;
        let mut who = Vec::new();
        if !e.families.is_empty() {
            who.push(e.families.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "));
        }
        if !e.profiles.is_empty() {
            let verdict = e.verdict.unwrap_or(solidaria_core::screening::Verdict::Qualifies);
            who.push(format!("{} under {}", verdict.as_str(), e.profiles.join(", ")));
        }
        if !e.territories.is_empty() {
            who.push(format!("in {}", e.territories.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")));
        }
        if !who.is_empty() {
            let _ = writeln!(s, "  for: {}", line(&who.join("; ")));
        }
        match &l.fit {
            None => {
                let _ = writeln!(s, "  fit: not judged (offered anywhere; give --territory)");
            }
            Some(f) => {
                let fit = serde_json::to_value(f.fit)?;
                let offered = match f.availability {
                    solidaria_core::mechanism::Availability::Offered => "offered here",
                    solidaria_core::mechanism::Availability::Elsewhere => "offered elsewhere: a model to adapt",
                };
                let _ = writeln!(
                    s,
                    "  fit with {}: {} ({offered})",
                    line(&f.territory),
                    fit.as_str().unwrap_or("?").replace('_', " ")
                );
                if f.preconditions.is_empty() {
                    let _ = writeln!(s, "    no precondition recorded: what it needs of a context is unknown");
                }
                for p in &f.preconditions {
                    let _ = writeln!(s, "    [{}] {}", p.outcome.as_str(), line(&p.reason));
                }
            }
        }
        if let Some(src) = m.sources.first() {
            let more = if m.sources.len() > 1 { format!(" (and {} more)", m.sources.len() - 1) } else { String::new() };
            let _ = writeln!(s, "  source: {}{more}", line(&src.source));
        }
        if let Some(n) = &m.note {
            let _ = writeln!(s, "  note: {}", line(n));
        }
    }
    out!("{s}")?;
    Ok(ExitCode::SUCCESS)
}

fn fund(db: &str, file: &str) -> Result<ExitCode> {
    let mut store = crate::create_store(db)?;
    for (n, v) in records(file)? {
        let id = v.get("id").and_then(Value::as_str).unwrap_or("?").to_string();
        let changed = finance::put_fund(store.as_mut(), &crate::who(), &v)
            .map_err(|e| anyhow::Error::new(e).context(format!("{}:{n}: fund {id}", line(file))))?;
        outln!("fund {id}: {}", if changed { "saved" } else { "unchanged" })?;
    }
    Ok(ExitCode::SUCCESS)
}

fn funds(db: &str, format: TextOrJson) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let all = finance::funds(store.as_mut())?;
    match format {
        TextOrJson::Json => {
            let docs: Vec<Value> = all.iter().map(|f| f.to_json()).collect();
            outln!("{}", serde_json::to_string_pretty(&docs)?)?;
        }
        TextOrJson::Text => {
            if all.is_empty() {
                outln!("no funds yet: add one with `solidaria finance fund FILE.json`")?;
            }
            let w = id_width(all.iter().map(|f| f.id.as_str()));
            for f in &all {
                outln!("{:<w$} {} ({}), managed by {}", f.id, line(&f.name), f.currency.code(), f.manager)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn post(db: &str, file: &str) -> Result<ExitCode> {
    let recs = records(file)?;
    let mut store = crate::create_store(db)?;
    let r = finance::post(store.as_mut(), &crate::who(), &recs)?;
    if !r.committed {
        for p in &r.problems {
            eprintln!("{}:{}", line(file), line(p));
        }
        eprintln!(
            "nothing was posted: {} problem{}; fix them and post again",
            r.problems.len(),
            if r.problems.len() == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::from(65));
    }
    outln!(
        "posted {} transaction{}, {} already in the ledger",
        r.posted,
        if r.posted == 1 { "" } else { "s" },
        r.unchanged
    )?;
    Ok(ExitCode::SUCCESS)
}

fn report(db: &str, fund: &str, as_of: Option<&str>, format: ReportFormat) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let p = finance::portfolio(store.as_mut(), fund, as_of)?;
    let (f, r) = (&p.fund, &p.report);
    let c = f.currency;
    let mut json = r.to_json(f);
    json["as_of"] = serde_json::json!(as_of);
    json["reach"] = p.reach.to_json(c);
    match format {
        ReportFormat::Json => {
            outln!("{}", serde_json::to_string_pretty(&json)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        ReportFormat::Svg => {
            let name = format!("{}: private and public money received", f.name);
            let words = solidaria_app::report::ReceivedWords::english(&f.name, &name);
            outln!("{}", solidaria_app::report::received_chart(&words, c, &p.received))?;
            return Ok(ExitCode::SUCCESS);
        }
        ReportFormat::Text => {}
    }
    let m = |x: i128| c.format(x);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({}), {}{}",
        line(&f.name),
        f.id,
        c.code(),
        as_of.map(|d| format!(", as of {d}")).unwrap_or_default()
    );
    let _ = writeln!(s, "  {:<22} {:>18} {:>18}", "", "committed", "received");
    let _ = writeln!(s, "  {:<22} {:>18} {:>18}", "public", m(r.public_committed), m(r.public_received));
    let _ = writeln!(s, "  {:<22} {:>18} {:>18}", "private", m(r.private_committed), m(r.private_received));
    let target = json["leverage"]["target"].as_str().map(|t| format!(" (target {t}:1)")).unwrap_or_default();
    let _ = writeln!(
        s,
        "  leverage achieved      {}{target}",
        r.leverage.clone().map_or("no public money yet".into(), |l| format!("{l}:1"))
    );
    let _ = writeln!(s, "  public headroom        {}", m(r.headroom));
    for (label, v) in [
        ("invested", r.invested),
        ("repaid", r.repaid),
        ("written off", r.written_off),
        ("outstanding", r.outstanding),
        ("interest", r.interest),
        ("fees", r.fees),
        ("cash", r.cash),
    ] {
        let _ = writeln!(s, "  {label:<22} {}", m(v));
    }
    for (who, v) in &r.by_investee {
        let _ = writeln!(s, "    {who:<20} {} outstanding", m(*v));
    }
    if p.reach.investees == 0 {
        let _ = writeln!(s, "reach: no investments yet");
    } else {
        let _ = writeln!(
            s,
            "reach: {} investee{} ({:>14} {:>14})",
            p.reach.investees,
            if p.reach.investees == 1 { "" } else { "s" },
            "invested",
            "outstanding"
        );
        for (title, groups) in p.reach.dimensions() {
            let _ = writeln!(s, "  by {title}");
            if groups.is_empty() {
                let _ = writeln!(s, "    (none)");
            }
            for (k, g) in groups {
                let _ = writeln!(
                    s,
                    "    {:<44} {:>3} {:>16} {:>16}",
                    line(k),
                    g.investees,
                    m(g.invested),
                    m(g.outstanding)
                );
            }
        }
    }
    out!("{s}")?;
    Ok(ExitCode::SUCCESS)
}

fn export(db: &str, fund: &str, as_of: Option<&str>, format: FinanceExport, prefix: Option<&str>) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let p = finance::portfolio(store.as_mut(), fund, as_of)?;
    let view = solidaria_formats::portfolio::Portfolio {
        fund: &p.fund,
        reported: p.as_of.as_deref().or(p.last_posting.as_deref()),
        first: p.first_posting.as_deref(),
        manager: p.manager.as_ref(),
        investees: &p.investees,
        territory_parents: &p.territory_parents,
        positions: &p.positions,
        investments: &p.investments,
        report: &p.report,
    };
    let doc = match format {
        FinanceExport::Cids => solidaria_formats::cids::export(&view),
        FinanceExport::Giving360 => {
            solidaria_formats::giving360::export(&view, prefix.unwrap_or(p.fund.manager.as_str()))
        }
    };
    outln!("{}", serde_json::to_string_pretty(&doc)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The width of an id column: the longest id listed, at least 24 characters, so that the status
/// column lines up whatever the ids.
fn id_width<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    ids.map(|id| id.chars().count()).max().unwrap_or(0).max(24)
}

fn stage_name(s: Option<solidaria_core::finance::readiness::Stage>) -> &'static str {
    s.map_or("undecided", |s| s.as_str())
}

fn readiness(db: &str, actor: &str, profile: Option<&str>, format: TextOrJson) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let r = solidaria_app::readiness::assess(store.as_mut(), actor, profile)?;
    if format == TextOrJson::Json {
        outln!("{}", serde_json::to_string_pretty(&r)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let a = &r.readiness;
    let mut s = String::new();
    let _ = writeln!(s, "{}: {} ({} {})", line(&a.subject), a.stage_text(), a.profile, a.profile_version);
    for d in &a.dimensions {
        let _ = writeln!(s, "  {:<22} {:<10} {}", d.title, stage_name(d.stage), line(&d.reason));
        for c in &d.criteria {
            let _ = writeln!(
                s,
                "    [{}] {} ({}, {}, {:?}): {}",
                c.outcome.as_str(),
                line(&c.title),
                c.stage,
                match c.kind {
                    solidaria_core::screening::profile::Kind::Mandatory => "mandatory",
                    solidaria_core::screening::profile::Kind::Indicative => "indicative",
                },
                c.grade,
                line(&c.reason)
            );
        }
    }
    if !a.missing.is_empty() {
        let _ = writeln!(s, "missing facts that would decide: {}", a.missing.join(", "));
    }
    let n = &r.next_steps;
    if !n.steps.is_empty() {
        let _ = writeln!(s, "next steps:");
        for step in &n.steps {
            let _ = writeln!(s, "  - {}: {}", step.dimension, line(&step.action));
        }
    }
    for (label, helpers) in [("capacity building", &n.capacity_building), ("finance", &n.finance)] {
        if helpers.is_empty() {
            let _ = writeln!(s, "{label}: no actor with this role in {} yet", r.territory_chain.join(", "));
            continue;
        }
        let _ = writeln!(s, "{label}:");
        for h in helpers {
            let _ = writeln!(s, "  {} ({}, {})", line(&h.name), h.id, h.territory.as_deref().unwrap_or("?"));
        }
    }
    out!("{s}")?;
    Ok(ExitCode::SUCCESS)
}

fn checks_text(s: &mut String, checks: &[solidaria_core::finance::eligibility::Check]) {
    for c in checks {
        let status = match c.status {
            Status::Met => "met",
            Status::Unknown => "unknown",
            Status::Unmet => "unmet",
        };
        let _ = write!(s, "    [{status}] {}", line(&c.reason));
        if !c.to_decide.is_empty() {
            let sets: Vec<String> = c.to_decide.iter().map(|x| format!("{{{}}}", x.join(", "))).collect();
            let _ = write!(s, "; document {}", sets.join(" or "));
        }
        s.push('\n');
    }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Met => "eligible",
        Status::Unknown => "undecided",
        Status::Unmet => "not eligible",
    }
}

fn matching(db: &str, actor: Option<&str>, fund: Option<&str>, format: TextOrJson) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let mut s = String::new();
    match (actor, fund) {
        (Some(a), _) => {
            let found = solidaria_app::matching::for_actor(store.as_mut(), a)?;
            let mechanisms = solidaria_app::matching::mechanisms_for_actor(store.as_mut(), a)?;
            if format == TextOrJson::Json {
                let both = serde_json::json!({"funds": found, "mechanisms": mechanisms});
                outln!("{}", serde_json::to_string_pretty(&both)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            let _ = writeln!(s, "Funds");
            if found.is_empty() {
                let _ = writeln!(s, "  no funds yet: add one with `solidaria finance fund FILE.json`");
            }
            let w = id_width(found.iter().map(|m| m.fund.as_str()));
            for m in &found {
                let _ = writeln!(s, "{:<w$} {:<13} {}", m.fund, status_word(m.status), line(&m.name));
                checks_text(&mut s, &m.checks);
            }
            let _ = writeln!(s, "\nMechanisms");
            if mechanisms.is_empty() {
                let _ = writeln!(s, "  no mechanisms yet: add them as records of \"type\": \"mechanism\"");
            }
            let w = id_width(mechanisms.iter().map(|m| m.mechanism.as_str()));
            for m in &mechanisms {
                let _ = writeln!(s, "{:<w$} {:<13} {} ({})", m.mechanism, status_word(m.status), line(&m.name), m.kind);
                checks_text(&mut s, &m.checks);
            }
        }
        (None, Some(f)) => {
            let (fund, found) = solidaria_app::matching::for_fund(store.as_mut(), f)?;
            if format == TextOrJson::Json {
                outln!("{}", serde_json::to_string_pretty(&found)?)?;
                return Ok(ExitCode::SUCCESS);
            }
            let _ = writeln!(s, "{} ({})", line(&fund.name), fund.id);
            let unmet = found.iter().filter(|m| m.status == Status::Unmet).count();
            let w = id_width(found.iter().filter(|m| m.status != Status::Unmet).map(|m| m.actor.as_str()));
            for m in found.iter().filter(|m| m.status != Status::Unmet) {
                let _ = writeln!(
                    s,
                    "{:<w$} {:<13} {} ({})",
                    m.actor,
                    status_word(m.status),
                    line(&m.name),
                    m.territory.as_deref().unwrap_or("?")
                );
                checks_text(&mut s, &m.checks);
            }
            let _ = writeln!(s, "{unmet} more not eligible (--format json lists them with their reasons)");
        }
        (None, None) => anyhow::bail!("give --actor ID or --fund ID"),
    }
    out!("{s}")?;
    Ok(ExitCode::SUCCESS)
}
