//! Backups of a SQLite registry and their restoration (`solidaria backup`, `solidaria restore`):
//! the use cases around `solidaria_store::sqlite::backup`. A PostgreSQL registry is backed up with
//! PostgreSQL's own tools (pg_dump, pg_restore: README, Backups).

use crate::error::{AppError, AppResult, Code};
pub use solidaria_store::sqlite::backup::BackupInfo;
use std::path::Path;

fn sqlite_path(db: &str) -> AppResult<&str> {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        return Err(AppError::new(
            Code::BackupUnsupported,
            "backup and restore copy SQLite databases; back up PostgreSQL with pg_dump --format=custom \
             and restore with pg_restore (README, Backups)",
        )
        .at("db"));
    }
    Ok(db.strip_prefix("sqlite://").unwrap_or(db))
}

/// Writes a consistent copy of the SQLite database `db` to `output` while it may be in use;
/// `output` is replaced only when `force`.
pub fn backup(db: &str, output: &Path, force: bool) -> AppResult<BackupInfo> {
    Ok(solidaria_store::sqlite::backup::backup(sqlite_path(db)?, output, force)?)
}

/// Replaces the SQLite database `db` with the backup `file` once it is checked to be a sound
/// Solidaria database at a known schema version; an existing database is replaced only when
/// `force`.
pub fn restore(file: &Path, db: &str, force: bool) -> AppResult<BackupInfo> {
    Ok(solidaria_store::sqlite::backup::restore(file, sqlite_path(db)?, force)?)
}
