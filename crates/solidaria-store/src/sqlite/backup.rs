//! Backups of a SQLite registry with SQLite's online backup API: a consistent copy taken while
//! the app serves (one read transaction; WAL lets writers go on meanwhile), and its restoration
//! after checking that the file is a Solidaria database at a schema version this program knows.

use super::MIGRATIONS;
use crate::{StoreError, WRITE_WAIT};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What a backup or a restoration copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The schema version of the copy.
    pub schema_version: i64,
    /// Its size in bytes.
    pub bytes: u64,
    /// The actors it holds.
    pub actors: u64,
    /// The last position of its audit log (0 when empty).
    pub audit_seq: i64,
}

/// Copies all of `from` into `to` in one step (one read transaction of the source, so the copy is
/// one consistent state), retrying while another connection holds a lock, for at most
/// [`WRITE_WAIT`].
fn copy(from: &Connection, to: &mut Connection) -> Result<(), StoreError> {
    let backup = Backup::new(from, to)?;
    let start = Instant::now();
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked if start.elapsed() < WRITE_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            _ => return Err(StoreError::Busy { backend: "SQLite" }),
        }
    }
}

/// Checks that the database open on `conn` is a sound Solidaria database at a schema version this
/// program knows, and says what it holds. `path` names it in errors.
fn inspect(conn: &Connection, path: &Path) -> Result<BackupInfo, StoreError> {
    let not = |reason: String| StoreError::NotSolidaria { path: path.display().to_string(), reason };
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('schema_migrations', 'audit_log', 'actors')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| not(format!("SQLite cannot read it ({e})")))?;
    if tables != 3 {
        return Err(not("it has no schema_migrations, audit_log and actors tables".into()));
    }
    let version: i64 = conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if version > known {
        return Err(StoreError::SchemaTooNew { found: version, known });
    }
    if version < 1 {
        return Err(not("its schema_migrations table is empty".into()));
    }
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(not(format!("SQLite's integrity check says: {check}")));
    }
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let actors: i64 = conn.query_row("SELECT count(*) FROM actors", [], |r| r.get(0))?;
    let audit_seq: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_log", [], |r| r.get(0))?;
    Ok(BackupInfo {
        schema_version: version,
        bytes: (page_size * pages).max(0) as u64,
        actors: actors.max(0) as u64,
        audit_seq,
    })
}

fn read_only(path: &Path) -> Result<Connection, StoreError> {
    if !path.is_file() {
        return Err(StoreError::Missing(path.display().to_string()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(WRITE_WAIT)?;
    Ok(conn)
}

/// A file beside `path` to write into before renaming it to `path`.
fn beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Writes a consistent copy of the database at `db` to `output` (a new file, or one replaced
/// when `force`), while other connections may go on writing: the copy is the state of one
/// moment. It is written beside `output` and renamed once complete and checked, so `output` is
/// never a partial copy.
pub fn backup(db: &str, output: &Path, force: bool) -> Result<BackupInfo, StoreError> {
    if output.exists() && !force {
        return Err(StoreError::Exists(output.display().to_string()));
    }
    let source = read_only(Path::new(db))?;
    inspect_schema_only(&source, Path::new(db))?;
    let partial = beside(output);
    let _ = std::fs::remove_file(&partial);
    let result = (|| {
        let mut copy_conn = Connection::open(&partial)?;
        copy(&source, &mut copy_conn)?;
        let info = inspect(&copy_conn, output)?;
        // One file, whatever the source's journal: a backup has no -wal beside it.
        copy_conn.pragma_update(None, "journal_mode", "DELETE")?;
        drop(copy_conn);
        std::fs::rename(&partial, output)
            .map_err(|e| StoreError::Io(format!("renaming {}: {e}", partial.display())))?;
        Ok(info)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Checks only that a source is a Solidaria database (the full check runs on the copy).
fn inspect_schema_only(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let n: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'", [], |r| {
            r.get(0)
        })
        .map_err(|e| StoreError::NotSolidaria {
            path: path.display().to_string(),
            reason: format!("SQLite cannot read it ({e})"),
        })?;
    if n == 0 {
        return Err(StoreError::NotSolidaria {
            path: path.display().to_string(),
            reason: "it has no schema_migrations table".into(),
        });
    }
    Ok(())
}

/// Checks that `file` is a Solidaria database at a known schema version, sound, and says what it
/// holds (without changing it).
pub fn check(file: &Path) -> Result<BackupInfo, StoreError> {
    inspect(&read_only(file)?, file)
}

/// Replaces the database at `db` with the backup `file`, after checking the backup ([`check`]).
/// An existing database is replaced only when `force`. The copy goes through SQLite (the backup
/// API into `db`'s own connection), so a server that has `db` open sees the restored state, not a
/// file swapped under it; the schema is then brought up to date.
pub fn restore(file: &Path, db: &str, force: bool) -> Result<BackupInfo, StoreError> {
    let source = read_only(file)?;
    let info = inspect(&source, file)?;
    let target = Path::new(db);
    if target.exists() && std::fs::metadata(target).map(|m| m.len() > 0).unwrap_or(true) && !force {
        return Err(StoreError::Exists(db.to_string()));
    }
    let mut conn = Connection::open(target)?;
    conn.busy_timeout(WRITE_WAIT)?;
    copy(&source, &mut conn)?;
    drop(conn);
    // Opening applies any migration newer than the backup.
    let store = super::SqliteStore::open(db)?;
    let schema_version = store.schema_version()?;
    Ok(BackupInfo { schema_version, ..info })
}
