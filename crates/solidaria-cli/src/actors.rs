//! `solidaria actors list|show`, `solidaria audit` and `solidaria vocabulary`: reading the registry.

use crate::cli::{AuditArgs, AuditFormat, ListArgs, ListFormat, OutputFormat, ShowArgs, ShowFormat, VocabularyArgs};
use crate::term::{cell, line, safe};
use anyhow::{Result, bail};
use serde_json::json;
use solidaria_core::fact::display_order;
use solidaria_core::record::RecordType;
use solidaria_core::statute::RuleUse;
use solidaria_core::territory::{self, TerritoryId};
use solidaria_core::{Actor, Record, vocab};
use solidaria_formats::csv_actors::{ActorCsvWriter, CsvColumns};
use solidaria_formats::jsonl::{ArrayWriter, write_line};
use solidaria_store::Store;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

/// Runs `actors list`.
pub fn list(db: &str, args: &ListArgs) -> Result<()> {
    let mut store = crate::open_store(db)?;
    if let Some(t) = &args.territory
        && let Err(e) = TerritoryId::parse(t)
    {
        bail!("--territory: expected {e}, found \"{}\"", line(t));
    }
    let actors =
        solidaria_app::directory::actors(store.as_mut(), args.territory.as_deref(), args.q.clone(), args.limit)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Table => {
            out.write_all(table(&actors).as_bytes())?;
            if args.limit.is_some_and(|l| actors.len() as u64 >= l) {
                writeln!(out, "(the first {} by name; raise --limit to see more)", actors.len())?;
            }
        }
        ListFormat::Json => {
            let mut w = ArrayWriter::new(&mut out);
            for a in actors {
                w.write(&Record::Actor(a))?;
            }
            w.finish()?;
        }
        ListFormat::Jsonl => {
            for a in actors {
                write_line(&mut out, &Record::Actor(a))?;
            }
        }
        ListFormat::Csv => {
            let mut w = ActorCsvWriter::new(&mut out, CsvColumns::of(&actors))?;
            for a in &actors {
                w.write(a)?;
            }
            w.finish()?;
        }
    }
    out.flush()?;
    Ok(())
}

/// An aligned table of actors for a terminal.
pub fn table(actors: &[Actor]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} {} {} FAMILY",
        cell("ID", 28),
        cell("NAME", 44),
        cell("CATEGORY", 21),
        cell("TERRITORY", 10)
    );
    for a in actors {
        let opt = |o: Option<String>| o.unwrap_or_else(|| "-".into());
        let _ = writeln!(
            s,
            "{} {} {} {} {}",
            cell(a.id.as_str(), 28),
            cell(&a.name, 44),
            cell(&opt(a.category.map(|c| c.to_string())), 21),
            cell(&opt(a.territory.as_ref().map(|t| t.to_string())), 10),
            opt(a.legal_form.family.map(|f| f.to_string()))
        );
    }
    let _ = writeln!(s, "{} actor{}", actors.len(), if actors.len() == 1 { "" } else { "s" });
    s
}

/// Runs `actors show`.
pub fn show(db: &str, args: &ShowArgs) -> Result<ExitCode> {
    let mut store = crate::open_store(db)?;
    let Some(Record::Actor(actor)) = store.get(RecordType::Actor, &args.id)? else {
        eprintln!("no actor with id \"{}\"; try `solidaria actors list --q {}`", line(&args.id), line(&args.id));
        return Ok(ExitCode::FAILURE);
    };
    let relations = store.relations_of(&args.id)?;
    match args.format {
        ShowFormat::Json => {
            let screenings = store.latest_screenings(&args.id)?;
            let mut value = json!({
                "actor": Record::Actor(actor.clone()).to_json(),
                "relations": relations.iter().map(Record::to_json).collect::<Vec<_>>(),
                "legal_form_elf": actor.legal_form.elf(),
                "screenings": screenings.iter().map(|s| json!({
                    "at": s.at, "who": s.who, "screening": s.screening,
                })).collect::<Vec<_>>(),
            });
            if let Some(form) = solidaria_core::statute::of_actor(&actor) {
                value["law"] = json!({
                    "form": form.id, "name": form.name, "act": form.act, "jurisdiction": form.jurisdiction,
                    "facts": form.facts.iter().map(|r| json!({
                        "key": r.key, "value": r.fact.value.to_json(), "rule": r.rule, "grade": r.grade,
                        "citation": r.citation, "use": r.use_for(&actor),
                    })).collect::<Vec<_>>(),
                    "conflicts": solidaria_core::statute::conflicts(&actor).iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                });
            }
            outln!("{}", serde_json::to_string_pretty(&value)?)?;
        }
        ShowFormat::Text => out!("{}", describe(&actor, &relations, store.as_mut())?)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A readable description of an actor: identity, facts with their evidence, relations.
pub fn describe(a: &Actor, relations: &[Record], store: &mut dyn Store) -> Result<String> {
    let mut s = String::new();
    let _ = writeln!(s, "{}  ({})", line(&a.name), a.id);
    let field = |s: &mut String, name: &str, value: String| {
        let _ = writeln!(s, "  {name:<12} {}", line(&value));
    };
    if let Some(c) = a.category {
        field(&mut s, "category", c.to_string());
    }
    if !a.legal_form.is_empty() {
        let lf = &a.legal_form;
        let mut parts: Vec<String> = Vec::new();
        parts.extend(lf.family.map(|f| f.to_string()));
        parts.extend(lf.label.clone());
        if let Some(code) = &lf.code {
            match lf.elf().first() {
                Some(e) => parts.push(format!("ELF {code}: {} ({})", e.local_name, e.country)),
                None => parts.push(format!("code {code}")),
            }
        }
        field(&mut s, "legal form", parts.join(" · "));
    }
    if let Some(t) = &a.territory {
        let mut chain: Vec<String> = Vec::new();
        for id in territory::ancestors(t.as_str(), &store.territory_parents()?) {
            let name = match store.get(RecordType::Territory, &id)? {
                Some(Record::Territory(rec)) => rec.name,
                _ => None,
            };
            chain.push(match name.or_else(|| territory::iso(&id).map(|e| e.name.to_string())) {
                Some(name) => format!("{id} {}", line(&name)),
                None => id,
            });
        }
        let first = chain.remove(0);
        let within = if chain.is_empty() { String::new() } else { format!(" (in {})", chain.join(", in ")) };
        field(&mut s, "territory", format!("{first}{within}"));
    }
    if !a.claims.is_empty() {
        field(&mut s, "claims", a.claims.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "));
    }
    if !a.roles.is_empty() {
        field(&mut s, "roles", a.roles.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "));
    }
    if let Some(l) = a.location {
        field(&mut s, "location", format!("{}, {}", l.lat, l.lon));
    }
    if let Some(w) = &a.website {
        field(&mut s, "website", w.to_string());
    }
    if let Some(y) = a.founded {
        field(&mut s, "founded", y.to_string());
    }
    if let Some(d) = &a.description {
        let _ = writeln!(s, "\n  {}", safe(d).replace('\n', "\n  "));
    }
    let _ = writeln!(s, "\nFacts ({})", a.facts.len());
    if a.facts.is_empty() {
        let _ = writeln!(s, "  none recorded: everything about this actor's governance and finances is unknown");
    }
    for (key, fact) in display_order(&a.facts) {
        let known = vocab::spec(key);
        let _ = writeln!(
            s,
            "  {key} = {}{}",
            line(&fact.value.display()),
            if known.is_none() { "   (custom fact)" } else { "" }
        );
        if let Some(spec) = known {
            let _ = writeln!(s, "      {}", spec.meaning);
        }
        let p = &fact.provenance;
        if p.is_empty() {
            let _ = writeln!(s, "      evidence: none given");
        } else {
            let mut ev: Vec<String> = Vec::new();
            ev.extend(p.source.as_ref().map(|x| line(x)));
            ev.extend(p.date.as_ref().map(|d| d.to_string()));
            ev.extend(p.url.as_ref().map(|u| u.to_string()));
            let _ = writeln!(s, "      evidence: {}", ev.join(" · "));
            if let Some(n) = &p.note {
                let _ = writeln!(s, "      note: {}", line(n));
            }
        }
    }
    if let Some(form) = solidaria_core::statute::of_actor(a) {
        let _ = writeln!(s, "\nBy law ({}: {})", line(&form.name), line(&form.act));
        for r in &form.facts {
            let how = match r.use_for(a) {
                RuleUse::Used => "used when screening".to_string(),
                RuleUse::Documented => "documented too".to_string(),
                RuleUse::Default => "the law's default; the statutes may differ, so it is not used".to_string(),
                RuleUse::Unverified => format!("grade {:?}: not verified, so it is not used", r.grade),
            };
            let _ = writeln!(s, "  {} = {}   ({how})", r.key, line(&r.fact.value.display()));
            let _ = writeln!(s, "      {}", line(&r.citation));
        }
        for c in solidaria_core::statute::conflicts(a) {
            let _ = writeln!(s, "  ! data conflict: {}", line(&c.to_string()));
        }
    }
    let _ = writeln!(s, "\nRelations ({})", relations.len());
    for r in relations {
        if let Record::Relation(r) = r {
            let (arrow, other) = if r.from == a.id { ("→", &r.to) } else { ("←", &r.from) };
            let since = r.since.as_ref().map(|d| format!(" since {d}")).unwrap_or_default();
            let source = r.source.as_ref().map(|x| format!(" — {}", line(x))).unwrap_or_default();
            let _ = writeln!(s, "  {arrow} {} {other}{since}{source}", r.kind);
        }
    }
    let screenings = store.latest_screenings(a.id.as_str())?;
    let _ = writeln!(s, "\nScreenings (latest saved per profile: {})", screenings.len());
    if screenings.is_empty() {
        let _ = writeln!(s, "  none saved; run `solidaria screen --profile all --actor {} --save`", a.id);
        let _ = writeln!(s, "  (or `solidaria screen --profile all --all --save` for every actor)");
    }
    for saved in &screenings {
        let sc = &saved.screening;
        let text = |v: &serde_json::Value| v.as_str().unwrap_or("?").to_string();
        let _ = writeln!(
            s,
            "  {} v{}: {}   ({} by {})",
            text(&sc["profile"]),
            text(&sc["profile_version"]),
            text(&sc["verdict"]).replace('_', " "),
            saved.at,
            line(&saved.who)
        );
        for c in sc["criteria"].as_array().into_iter().flatten() {
            if c["kind"] == "mandatory" && c["outcome"] == "fail" {
                let _ = writeln!(s, "      fails {}: {}", text(&c["id"]), line(&text(&c["reason"])));
            }
        }
        for m in sc["claim_mismatches"].as_array().into_iter().flatten() {
            let _ = writeln!(s, "      ! claim \"{}\" is contradicted", text(&m["claim"]));
        }
    }
    Ok(s)
}

/// Runs `audit`.
pub fn audit(db: &str, args: &AuditArgs) -> Result<()> {
    let mut store = crate::open_store(db)?;
    let record = match &args.record {
        None => None,
        Some(spec) => {
            let Some((t, key)) = spec.split_once(':') else {
                bail!("--record: expected TYPE:KEY such as actor:desjardins, found \"{}\"", line(spec))
            };
            let t = RecordType::parse(t).map_err(|e| anyhow::anyhow!("--record: the type must be {e}"))?;
            Some((t, key.to_string()))
        }
    };
    let entries = store.audit(record.as_ref().map(|(t, k)| (*t, k.as_str())), args.limit)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for e in entries {
        match args.format {
            AuditFormat::Text => writeln!(
                out,
                "{:>6} {} {:<14} {:<6} {}:{}",
                e.seq,
                e.at,
                line(&e.who),
                e.action,
                e.record_type,
                line(&e.record_key)
            )?,
            AuditFormat::Jsonl => writeln!(
                out,
                "{}",
                json!({"seq": e.seq, "at": e.at, "who": e.who, "action": e.action, "record_type": e.record_type,
                       "record_key": e.record_key, "before": e.before, "after": e.after})
            )?,
        }
    }
    out.flush()?;
    Ok(())
}

/// Runs `vocabulary`.
pub fn vocabulary(args: &VocabularyArgs) -> Result<()> {
    match args.format {
        OutputFormat::Json => {
            let items: Vec<_> = vocab::VOCABULARY
                .iter()
                .map(|s| {
                    let values = match s.ty {
                        vocab::FactType::Enum(v) | vocab::FactType::Set(v) => json!(v),
                        _ => serde_json::Value::Null,
                    };
                    json!({"key": s.key, "type": s.ty.name(), "values": values, "meaning": s.meaning, "expected": s.ty.expected()})
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&items)?)?;
        }
        OutputFormat::Text => {
            let mut out = std::io::stdout().lock();
            for s in vocab::VOCABULARY {
                writeln!(out, "{:<38} {:<8} {}", s.key, s.ty.name(), s.meaning)?;
                if let vocab::FactType::Enum(v) | vocab::FactType::Set(v) = s.ty {
                    writeln!(out, "{:<47} values: {}", "", v.join(", "))?;
                }
            }
        }
    }
    Ok(())
}
