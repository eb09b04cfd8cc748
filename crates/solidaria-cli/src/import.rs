//! `solidaria import`: opens the files, shows progress, runs the all-or-nothing import pipeline
//! and prints its report.

use crate::cli::ImportArgs;
use crate::term;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use solidaria_app::import::{
    ImportReport, SiteSource, Source, checked_mapped_source, disappeared, import, import_noting_actors,
    import_with_sites, mapped_sites, mapped_source, sites_elsewhere,
};
use solidaria_formats::Format;
use solidaria_formats::mapping::{Mapping, Notes, RowsAre};
use solidaria_store::{Store, WriteCounts};
use std::io::{BufRead, BufReader, Read};
use std::process::ExitCode;

/// Runs `import`.
pub fn run(db: &str, args: &ImportArgs) -> Result<ExitCode> {
    let total: u64 =
        args.files.iter().filter(|f| *f != "-").filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} importing {bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .expect("valid template"),
    );
    let mapping = match (&args.from, &args.mapping) {
        (None, None) => {
            if args.edition.is_some() {
                anyhow::bail!("--edition names the edition of a dataset read with --from or --mapping");
            }
            None
        }
        (from, file) => {
            let text = match file {
                Some(f) => Some(std::fs::read_to_string(f).with_context(|| format!("cannot read {}", term::line(f)))?),
                None => None,
            };
            Some(solidaria_app::import::mapping(from.as_deref(), text.as_deref())?)
        }
    };
    let murmurations = args.from.as_deref() == Some("murmurations");
    if args.schemas.is_some() && !murmurations {
        anyhow::bail!("--schemas checks Murmurations profiles: give it with --from murmurations");
    }
    let schemas = args.schemas.clone().or_else(|| {
        murmurations.then(|| std::env::var("SOLIDARIA_MURMURATIONS_SCHEMAS").ok()).flatten().filter(|d| !d.is_empty())
    });
    let schema = match &schemas {
        Some(dir) => Some(solidaria_app::import::murmurations_schema(std::path::Path::new(dir))?),
        None => None,
    };
    if murmurations && schema.is_none() {
        outln!(
            "note: the profiles are not checked against the Murmurations schema (give --schemas DIR, a copy of the Murmurations Library)"
        )?;
    }
    let mut sources = Vec::new();
    let mut site_sources: Vec<SiteSource> = Vec::new();
    // Per file read through a mapping: its name, the mapping's notes, and whether its rows are
    // sites (then its dataset is the sites').
    let mut notes = Vec::new();
    for name in &args.files {
        let reader: Box<dyn Read + Send> = if name == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(name).with_context(|| format!("cannot open {}", term::line(name)))?)
        };
        let mut reader = BufReader::with_capacity(1 << 16, bar.wrap_read(reader));
        match &mapping {
            Some(m) => {
                // A publication's other files (outlets beside organisations) by their columns.
                let head = reader.fill_buf().with_context(|| format!("cannot read {}", term::line(name)))?;
                let m = m.for_file(head).map_err(|e| {
                    solidaria_app::AppError::new(solidaria_app::error::Code::MappingInvalid, e.to_string())
                })?;
                if m.rows == RowsAre::Sites {
                    let (source, n) = mapped_sites(name, &m, args.edition.as_deref(), reader);
                    site_sources.push(source);
                    notes.push((name.clone(), n, Some(m.dataset.name.clone())));
                    continue;
                }
                let (source, n) = match &schema {
                    Some(schema) => checked_mapped_source(name, &m, args.edition.as_deref(), reader, schema),
                    None => mapped_source(name, &m, args.edition.as_deref(), reader),
                };
                sources.push(source);
                notes.push((name.clone(), n, None));
            }
            None => sources.push(open_source(name, reader, args.format)?),
        }
    }
    if let Some(t) = args.merge_duplicates
        && !(0.5..=1.0).contains(&t)
    {
        return Err(solidaria_app::AppError::new(
            solidaria_app::Code::QueryInvalid,
            format!("--merge-duplicates: a score from 0.5 to 1 (e.g. 0.95), not {t}"),
        )
        .into());
    }
    let mut store = crate::create_store(db)?;
    let who = crate::who();
    let mut progress = |n| bar.set_message(format!("{n} records"));
    let report = match (args.merge_duplicates, site_sources.is_empty()) {
        (merge, false) => {
            import_with_sites(store.as_mut(), &who, sources, site_sources, &mut progress, merge.is_some())?
        }
        (Some(_), true) => import_noting_actors(store.as_mut(), &who, sources, &mut progress)?,
        (None, true) => import(store.as_mut(), &who, sources, &mut progress)?,
    };
    bar.finish_and_clear();
    let code = print_report(&report, args.files.len(), store.as_mut())?;
    if let (Some(t), true) = (args.merge_duplicates, report.committed) {
        let merges = solidaria_app::merge::merge_duplicates(store.as_mut(), &who, t, &report.actors)?;
        for m in &merges {
            outln!(
                "merged {} into {} (score {:.4}, merge {}, {} conflicting value{}; undo: solidaria dedup undo {} --as MODERATOR)",
                m.absorbed,
                m.keep,
                m.score,
                m.id,
                m.conflicts.len(),
                plural(m.conflicts.len() as u64),
                m.id
            )?;
        }
        outln!("{} pair{} merged at or above {t}", merges.len(), plural(merges.len() as u64))?;
    }
    if let Some(m) = &mapping {
        let mut seen = std::collections::HashSet::new();
        let mut record_files = false;
        let mut site_datasets = std::collections::BTreeSet::new();
        for (file, n, sites_of) in &notes {
            let n = n.lock().unwrap_or_else(|e| e.into_inner());
            print_notes(file, &n)?;
            match sites_of {
                Some(dataset) => {
                    site_datasets.insert(dataset.clone());
                }
                None => {
                    record_files = true;
                    seen.extend(n.ids.iter().cloned());
                }
            }
        }
        if report.committed {
            for dataset in &site_datasets {
                let elsewhere = sites_elsewhere(store.as_mut(), dataset, &report.site_actors)?;
                if !elsewhere.is_empty() {
                    outln!(
                        "{} actor{} keep{} sites from an earlier import of {dataset} that this one did not name (kept; check them):",
                        elsewhere.len(),
                        plural(elsewhere.len() as u64),
                        if elsewhere.len() == 1 { "s" } else { "" }
                    )?;
                    for id in elsewhere.iter().take(20) {
                        outln!("  {id}")?;
                    }
                    if elsewhere.len() > 20 {
                        outln!("  … and {} more", elsewhere.len() - 20)?;
                    }
                }
            }
        }
        if report.committed && record_files {
            let gone = disappeared(store.as_mut(), &m.dataset.name, &seen)?;
            if !gone.is_empty() {
                outln!(
                    "{} actor{} from earlier imports of {} {} not in this edition (kept; check and delete them if they closed):",
                    gone.len(),
                    plural(gone.len() as u64),
                    m.dataset.name,
                    if gone.len() == 1 { "is" } else { "are" }
                )?;
                for id in gone.iter().take(20) {
                    outln!("  {id}")?;
                }
                if gone.len() > 20 {
                    outln!("  … and {} more (solidaria actors list --format csv lists them all)", gone.len() - 20)?;
                }
            }
        }
    }
    Ok(code)
}

/// Unmapped columns listed one by one after an import; the rest are counted.
const NOTES_SHOWN: usize = 15;

/// Prints what a mapping left aside in one file: columns no rule reads, values no map knows,
/// values the record refused, values replaced by another column.
fn print_notes(file: &str, n: &Notes) -> std::io::Result<()> {
    let file = term::line(file);
    // Messy sources have hundreds of one-off columns: the most used ones, then a count.
    let mut unmapped: Vec<(&String, &u64)> = n.unmapped_columns.iter().collect();
    unmapped.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (column, count) in unmapped.iter().take(NOTES_SHOWN) {
        outln!("note: {file}: column {column:?} is not mapped: {count} value{} not imported", plural(**count))?;
    }
    if unmapped.len() > NOTES_SHOWN {
        let rest = &unmapped[NOTES_SHOWN..];
        let values: u64 = rest.iter().map(|(_, c)| **c).sum();
        outln!(
            "note: {file}: … and {} more unmapped columns with {values} value{} in all (the least used)",
            rest.len(),
            plural(values)
        )?;
    }
    for (column, count) in &n.ignored_columns {
        outln!(
            "note: {file}: column {column:?} is ignored by the mapping: {count} value{} not imported",
            plural(*count)
        )?;
    }
    for (what, counts) in [("with no mapping", &n.unmapped_values), ("refused by the record", &n.invalid_values)] {
        for (column, u) in counts {
            let examples: Vec<String> = u.examples.iter().map(|(v, c)| format!("{:?} ({c})", term::line(v))).collect();
            outln!(
                "note: {file}: column {column:?}: {} value{} {what}, not imported, e.g. {}",
                u.rows,
                plural(u.rows),
                examples.join(", ")
            )?;
        }
    }
    for (column, count) in &n.replaced {
        outln!("note: {file}: column {column:?}: {count} value{} replaced by a later column", plural(*count))?;
    }
    Ok(())
}

/// Runs `mappings`: lists the built-in import mappings, or prints one.
pub fn mappings(name: Option<&str>) -> Result<ExitCode> {
    match name {
        None => {
            for (name, text) in solidaria_formats::mapping::BUILT_IN {
                let title = Mapping::parse(text).map(|m| m.dataset.title).unwrap_or_default();
                outln!("{name:<16} {title}")?;
            }
        }
        Some(name) => {
            let (_, text) = solidaria_formats::mapping::BUILT_IN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
                solidaria_app::AppError::new(
                    solidaria_app::error::Code::MappingInvalid,
                    format!("no built-in mapping is called {name:?}; `solidaria mappings` lists them"),
                )
            })?;
            out!("{text}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds a source from a buffered reader, detecting its format from the name and first bytes.
pub fn open_source<'a, R: BufRead + Send + 'a>(name: &str, reader: R, format: Option<Format>) -> Result<Source<'a>> {
    solidaria_app::import::source(name, reader, format).with_context(|| format!("cannot read {}", term::line(name)))
}

/// Prints a report: the problems (stderr) or the summary of changes (stdout).
pub fn print_report(report: &ImportReport, files: usize, store: &mut dyn Store) -> Result<ExitCode> {
    if !report.committed {
        for p in &report.problems {
            eprintln!("{}", term::line(&p.to_string()));
        }
        if report.more_problems > 0 {
            eprintln!("… and {} more problems", report.more_problems);
        }
        eprintln!(
            "nothing was written: {} problem{} in {} record{} read; fix them and import again",
            report.problem_count(),
            plural(report.problem_count()),
            report.records,
            plural(report.records)
        );
        return Ok(ExitCode::FAILURE);
    }
    for c in &report.conflicts {
        eprintln!("warning: {}", term::line(c));
    }
    outln!(
        "imported {} record{} from {files} file{} into {}",
        report.records,
        plural(report.records),
        plural(files as u64),
        store.backend()
    )?;
    if !report.site_actors.is_empty() {
        outln!(
            "attached {} site{} to {} actor{}",
            report.sites,
            plural(report.sites),
            report.site_actors.len(),
            plural(report.site_actors.len() as u64)
        )?;
    }
    print_counts(&report.counts)?;
    Ok(ExitCode::SUCCESS)
}

fn print_counts(counts: &WriteCounts) -> std::io::Result<()> {
    for (t, (inserted, updated, unchanged)) in &counts.by_type {
        let name = match t {
            solidaria_core::record::RecordType::Actor => "actors",
            solidaria_core::record::RecordType::Relation => "relations",
            solidaria_core::record::RecordType::Territory => "territories",
            solidaria_core::record::RecordType::Case => "cases",
            solidaria_core::record::RecordType::Mechanism => "mechanisms",
            solidaria_core::record::RecordType::Strategy => "strategies",
        };
        outln!("  {name:<12} {inserted} new, {updated} updated, {unchanged} unchanged")?;
    }
    Ok(())
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}
