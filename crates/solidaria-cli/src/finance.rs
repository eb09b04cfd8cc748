//! `solidaria finance`: fund definitions, postings and reports; the use cases are
//! `solidaria_app::finance`.

use crate::cli::{FinanceCommand, TextOrJson};
use crate::term::line;
use anyhow::{Context, Result};
use serde_json::Value;
use solidaria_app::error::Code;
use solidaria_app::finance;
use std::fmt::Write as _;
use std::io::{BufRead, Read};
use std::process::ExitCode;

/// Runs a `finance` subcommand.
pub fn run(db: &str, command: &FinanceCommand) -> Result<ExitCode> {
    match command {
        FinanceCommand::Fund { file } => fund(db, file),
        FinanceCommand::Funds { format } => funds(db, *format),
        FinanceCommand::Post { file } => post(db, file),
        FinanceCommand::Report { fund, as_of, format } => report(db, fund, as_of.as_deref(), *format),
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
    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(&text) {
        return Ok(vec![(1, v)]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, l) in text.as_bytes().lines().enumerate() {
        let l = l?;
        if l.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&l) {
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

fn fund(db: &str, file: &str) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    for (n, v) in records(file)? {
        let id = v.get("id").and_then(Value::as_str).unwrap_or("?").to_string();
        let changed = finance::put_fund(store.as_mut(), &crate::who(), &v)
            .map_err(|e| anyhow::Error::new(e).context(format!("{}:{n}: fund {id}", line(file))))?;
        println!("fund {id}: {}", if changed { "saved" } else { "unchanged" });
    }
    Ok(ExitCode::SUCCESS)
}

fn funds(db: &str, format: TextOrJson) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let all = finance::funds(store.as_mut())?;
    match format {
        TextOrJson::Json => {
            let docs: Vec<Value> = all.iter().map(|f| f.to_json()).collect();
            println!("{}", serde_json::to_string_pretty(&docs)?);
        }
        TextOrJson::Text => {
            if all.is_empty() {
                println!("no funds yet: add one with `solidaria finance fund FILE.json`");
            }
            for f in &all {
                println!("{:<24} {} ({}), managed by {}", f.id, line(&f.name), f.currency.code(), f.manager);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn post(db: &str, file: &str) -> Result<ExitCode> {
    let recs = records(file)?;
    let mut store = crate::open_store(db)?;
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
    println!(
        "posted {} transaction{}, {} already in the ledger",
        r.posted,
        if r.posted == 1 { "" } else { "s" },
        r.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

fn report(db: &str, fund: &str, as_of: Option<&str>, format: TextOrJson) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let (f, r) = finance::fund_report(store.as_mut(), fund, as_of)?;
    let json = r.to_json(&f);
    if format == TextOrJson::Json {
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(ExitCode::SUCCESS);
    }
    let c = f.currency;
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
    print!("{s}");
    Ok(ExitCode::SUCCESS)
}
