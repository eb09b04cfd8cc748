//! `solidaria`: the command-line shell of Solidaria, a registry and screening tool for the social
//! and solidarity economy. It parses arguments, opens the store, and calls the library crates;
//! it holds no domain logic.

/// `println!` that returns the write's error instead of panicking: when whoever reads the output
/// stops reading (`solidaria finance export … | head`), the command ends quietly through
/// `is_broken_pipe` rather than with a panic and its backtrace.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `print!` that returns the write's error (see `outln!`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

mod actors;
mod backup;
mod cli;
mod dedup;
mod demo;
mod diagnose;
mod evidence;
mod export;
mod finance;
mod import;
mod innovation;
mod profiles;
mod register;
mod screen;
mod strategy;
mod term;
mod users;

use anyhow::Result;
use clap::Parser;
use cli::{ActorsCommand, CasesCommand, Cli, Command, InnovationCommand, ProfilesCommand, RegisterCommand, ServeArgs};
use solidaria_app::{AppError, Class, Code};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: parsing allocates many small objects on one thread
/// and frees them on another, where glibc's malloc spends its time in locks (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", term::safe(&format!("{e:#}")));
            e.chain().find_map(|c| c.downcast_ref::<AppError>()).map_or(ExitCode::FAILURE, |a| exit_code(a.class()))
        }
    }
}

/// The exit code of a use case's failure, by class (sysexits.h where one fits; documented with
/// the error codes in docs/errors.md). Other failures exit with 1, command-line misuse with 2.
fn exit_code(class: Class) -> ExitCode {
    ExitCode::from(match class {
        Class::BadRequest => 64,
        Class::Invalid => 65,
        Class::NotFound => 66,
        Class::Conflict => 73,
        Class::RateLimited => 75,
        Class::Unauthorized | Class::Forbidden => 77,
        Class::Internal => 1,
    })
}

/// Whether an error only says that whoever read our output stopped reading (`| head`).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause.downcast_ref::<AppError>().is_some_and(|a| a.code == Code::OutputClosed)
            || cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<solidaria_formats::FormatError>().is_some_and(|f| f.is_broken_pipe())
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let db = cli.db.clone();
    match cli.command {
        Command::Import(args) => import::run(&db, &args),
        Command::Mappings { name } => import::mappings(name.as_deref()),
        Command::Export(args) => export::run(&db, &args).map(|_| ExitCode::SUCCESS),
        Command::Actors { command: ActorsCommand::List(args) } => actors::list(&db, &args).map(|_| ExitCode::SUCCESS),
        Command::Actors { command: ActorsCommand::Show(args) } => actors::show(&db, &args),
        Command::User { command } => users::run(&db, &command),
        Command::Audit(args) => actors::audit(&db, &args).map(|_| ExitCode::SUCCESS),
        Command::Demo => demo::run(&db),
        Command::Backup(args) => backup::backup(&db, &args),
        Command::Restore(args) => backup::restore(&db, &args),
        Command::Vocabulary(args) => actors::vocabulary(&args).map(|_| ExitCode::SUCCESS),
        Command::Profiles { command: None, list } => profiles::list(&list).map(|_| ExitCode::SUCCESS),
        Command::Profiles { command: Some(ProfilesCommand::Show(args)), .. } => profiles::show(&args),
        Command::Profiles { command: Some(ProfilesCommand::Validate(args)), .. } => profiles::validate(&args),
        Command::Screen(args) => screen::run(&db, &args),
        Command::Innovation { command: InnovationCommand::Assess(args) } => innovation::assess(&db, &args),
        Command::Innovation { command: InnovationCommand::Recommend(args) } => innovation::recommend(&db, &args),
        Command::Innovation { command: InnovationCommand::Programmes(args) } => innovation::programmes(&db, &args),
        Command::Transfer(args) => innovation::transfer(&db, &args),
        Command::Cases { command: CasesCommand::List(args) } => innovation::list(&db, &args),
        Command::Cases { command: CasesCommand::Show(args) } => innovation::show(&db, &args),
        Command::Diagnose(args) => diagnose::run(&db, &args),
        Command::Evidence(args) => evidence::run(&db, &args),
        Command::Finance { command } => finance::run(&db, &command),
        Command::Strategy { command } => strategy::run(&db, &command),
        Command::Dedup(args) => dedup::run(&db, &args),
        Command::Serve(args) => serve(&db, &args),
        Command::Register { command: RegisterCommand::Screen(args) } => register::screen(&db, &args),
    }
}

/// Runs `serve`: loads the demo if asked and the database is empty, then serves until Ctrl-C.
fn serve(db: &str, args: &ServeArgs) -> Result<ExitCode> {
    if args.demo {
        let mut store = create_store(db)?;
        if store.count(solidaria_core::record::RecordType::Actor)? == 0 {
            drop(store);
            demo::run(db)?;
            store = open_store(db)?;
        }
        demo::accounts(store.as_mut())?;
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
        eprintln!("{{\"level\":\"info\",\"msg\":\"listening\",\"addr\":\"http://{}\"}}", listener.local_addr()?);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("{{\"level\":\"info\",\"msg\":\"shutting down\"}}");
        };
        let options = solidaria_web::Options {
            cache_entries: args.cache_entries,
            search_index: !args.no_search_index,
            base_url: args.base_url.clone(),
            trusted_proxies: args.trusted_proxies.clone(),
            api_rate: std::num::NonZeroU32::new(args.api_rate),
            db_requests: usize::from(args.db_requests),
            ..Default::default()
        };
        solidaria_web::serve_with(db, listener, options, shutdown).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The name recorded as "who" in the audit log for changes made from the command line.
pub fn who() -> String {
    let user = std::env::var("SOLIDARIA_USER").or_else(|_| std::env::var("USER")).unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

/// Opens the store named by `--db` for a command that only reads: a SQLite path where no file
/// exists is `database_not_found` (exit 66), not a new empty database. The address (never
/// echoed with a password) is in errors.
pub fn open_store(db: &str) -> Result<Box<dyn solidaria_store::Store + Send>> {
    solidaria_store::open_existing(db).map_err(|e| opening(db, e))
}

/// Opens the store named by `--db` for a command that writes (import, demo, `serve --demo`,
/// `user add`, `finance fund` and `post`, `register screen --import`): a new SQLite file is
/// created.
pub fn create_store(db: &str) -> Result<Box<dyn solidaria_store::Store + Send>> {
    solidaria_store::open(db).map_err(|e| opening(db, e))
}

fn opening(db: &str, e: solidaria_store::StoreError) -> anyhow::Error {
    anyhow::Error::new(AppError::from(e)).context(format!("cannot open the database {}", term::redact(db)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/errors.md gives each code's exit code: it must be the one `exit_code` gives.
    #[test]
    fn exit_codes_are_the_documented_ones() {
        let doc = include_str!("../../../docs/errors.md");
        for c in Code::ALL {
            let row = doc.lines().find(|l| l.starts_with(&format!("| `{}` |", c.as_str())));
            let row = row.unwrap_or_else(|| panic!("docs/errors.md has no row for {c}"));
            let exit = row.split('|').nth(4).map(str::trim).unwrap_or_default();
            assert_eq!(ExitCode::from(exit.parse::<u8>().unwrap()), exit_code(c.class()), "{row}");
        }
    }
}
