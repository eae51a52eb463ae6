//! Backups of a running database and their restore.
//!
//! SQLite is copied with `VACUUM INTO` (one read transaction: a consistent snapshot while the
//! server keeps writing); PostgreSQL with `pg_dump` in its custom format (also one snapshot) and
//! restored with `pg_restore` in a single transaction, so a failed restore leaves nothing behind.
//! A backup is written under a temporary name, flushed, then renamed, so a file with a final name
//! is always complete; it is readable by its owner only (it holds personal data).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Utc};
use inservice_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{Database, DatabaseKind, StorageError};

/// Every backup file name starts with this, followed by the UTC time and the engine's extension.
pub const FILE_PREFIX: &str = "inservice-";
const TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";
const SQLITE_EXTENSION: &str = "sqlite3";
const POSTGRES_EXTENSION: &str = "pgdump";
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const POSTGRES_MAGIC: &[u8] = b"PGDMP";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("{tool} failed: {message}")]
    Tool { tool: &'static str, message: String },
    #[error("the database URL is not usable for a backup or restore: {0}")]
    Url(String),
    #[error("{path} is not a backup of a {engine} database")]
    WrongKind { path: PathBuf, engine: &'static str },
    #[error(
        "the target database is not empty ({tables} table(s)): restore into an empty database, or pass --force to replace its contents"
    )]
    NotEmpty { tables: usize },
    #[error(
        "the backup has migration(s) this version of inservice does not know ({0}): restore it with the version that wrote it"
    )]
    UnknownMigrations(String),
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

fn extension(kind: DatabaseKind) -> &'static str {
    match kind {
        DatabaseKind::Sqlite => SQLITE_EXTENSION,
        DatabaseKind::Postgres => POSTGRES_EXTENSION,
    }
}

/// `inservice-20260517T023000Z.sqlite3` or `….pgdump`.
pub fn file_name(kind: DatabaseKind, at: DateTime<Utc>) -> String {
    format!(
        "{FILE_PREFIX}{}.{}",
        at.format(TIME_FORMAT),
        extension(kind)
    )
}

/// When a file named by [`file_name`] was taken; `None` for any other file.
pub fn taken_at(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    let (stem, ext) = name.strip_prefix(FILE_PREFIX)?.rsplit_once('.')?;
    if ext != SQLITE_EXTENSION && ext != POSTGRES_EXTENSION {
        return None;
    }
    NaiveDateTime::parse_from_str(stem, TIME_FORMAT)
        .ok()
        .map(|t| t.and_utc())
}

/// The backups in `dir`, oldest first.
pub fn list(dir: &Path) -> Result<Vec<(PathBuf, DateTime<Utc>)>, BackupError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(dir)(e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry.map_err(io_error(dir))?.path();
        if let Some(at) = taken_at(&path) {
            found.push((path, at));
        }
    }
    found.sort_by_key(|(path, at)| (*at, path.clone()));
    Ok(found)
}

/// Deletes all but the newest `keep` backups in `dir` (never other files); returns the deleted.
pub fn prune(dir: &Path, keep: usize) -> Result<Vec<PathBuf>, BackupError> {
    let all = list(dir)?;
    let excess = all.len().saturating_sub(keep);
    let mut deleted = Vec::with_capacity(excess);
    for (path, _) in all.into_iter().take(excess) {
        std::fs::remove_file(&path).map_err(io_error(&path))?;
        deleted.push(path);
    }
    Ok(deleted)
}

/// Creates `path` empty, owner read/write only; fails if it exists.
fn create_private(path: &Path) -> Result<std::fs::File, BackupError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(io_error(path))
}

fn create_private_dir(dir: &Path) -> Result<(), BackupError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(io_error(dir))
}

/// Flushes `tmp` to disk, renames it to `target` and flushes the folder, so a crash leaves
/// either no file or the complete one under the final name.
fn publish(tmp: &Path, target: &Path) -> Result<(), BackupError> {
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(io_error(tmp))?;
    #[cfg(unix)]
    std::fs::set_permissions(tmp, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .map_err(io_error(tmp))?;
    std::fs::rename(tmp, target).map_err(io_error(target))?;
    if let Some(dir) = target.parent() {
        // Not every platform can open a folder for syncing; the rename itself has happened.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

/// A libpq connection URL without its password, and the password apart (given to `pg_dump` and
/// `pg_restore` in `PGPASSWORD`, so it never shows in the process list).
fn libpq_url(url: &str) -> Result<(String, Option<String>), BackupError> {
    let mut parsed = url::Url::parse(url).map_err(|e| BackupError::Url(e.to_string()))?;
    let password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    if password.is_some() {
        parsed
            .set_password(None)
            .map_err(|()| BackupError::Url("cannot remove the password".into()))?;
    }
    Ok((parsed.to_string(), password))
}

async fn run_tool(
    tool: &'static str,
    args: &[&std::ffi::OsStr],
    password: Option<&str>,
) -> Result<Vec<u8>, BackupError> {
    let mut command = tokio::process::Command::new(tool);
    command.args(args).kill_on_drop(true);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().await.map_err(|e| BackupError::Tool {
        tool,
        message: format!("cannot run it ({e}); is the PostgreSQL client installed?"),
    })?;
    if !output.status.success() {
        return Err(BackupError::Tool {
            tool,
            message: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(output.stdout)
}

/// The SQLite file a `sqlite:` URL names.
fn sqlite_path(url: &str) -> Result<PathBuf, BackupError> {
    let options =
        SqliteConnectOptions::from_str(url).map_err(|e| BackupError::Url(e.to_string()))?;
    let path = options.get_filename().to_owned();
    if path.as_os_str().is_empty() || path.to_string_lossy().contains(":memory:") {
        return Err(BackupError::Url(
            "an in-memory database has nothing to back up".into(),
        ));
    }
    Ok(path)
}

impl Database {
    /// Takes a consistent backup into `dir` (created, owner-only, when missing) while the
    /// database stays in use, and returns the new file.
    pub async fn backup_to(&self, dir: &Path, now: DateTime<Utc>) -> Result<PathBuf, BackupError> {
        create_private_dir(dir)?;
        let dir = std::path::absolute(dir).map_err(io_error(dir))?;
        let name = file_name(self.kind(), now);
        let target = dir.join(&name);
        if target.exists() {
            return Err(io_error(&target)(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a backup of this second exists already",
            )));
        }
        let tmp = dir.join(format!(".{name}.partial"));
        // Created empty first so the copy is private from its first byte; VACUUM INTO accepts
        // an empty file and pg_dump truncates it keeping its mode.
        drop(create_private(&tmp)?);
        let written = match self.kind() {
            DatabaseKind::Sqlite => self.vacuum_into(&tmp).await,
            DatabaseKind::Postgres => {
                let (url, password) = libpq_url(self.url())?;
                run_tool(
                    "pg_dump",
                    &[
                        "--format=custom".as_ref(),
                        "--file".as_ref(),
                        tmp.as_os_str(),
                        "--dbname".as_ref(),
                        url.as_ref(),
                    ],
                    password.as_deref(),
                )
                .await
                .map(|_| ())
            }
        };
        match written.and_then(|()| publish(&tmp, &target)) {
            Ok(()) => Ok(target),
            Err(error) => {
                let _ = std::fs::remove_file(&tmp);
                Err(error)
            }
        }
    }

    async fn vacuum_into(&self, path: &Path) -> Result<(), BackupError> {
        let path = path
            .to_str()
            .ok_or_else(|| BackupError::Url("the backup folder's path is not UTF-8".into()))?;
        self.conn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO ?",
                [path.into()],
            ))
            .await
            .map_err(StorageError::from)?;
        Ok(())
    }

    /// The names of the application's tables (the migrations' bookkeeping included), sorted.
    pub async fn tables(&self) -> Result<Vec<String>, StorageError> {
        let sql = match self.kind() {
            DatabaseKind::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            DatabaseKind::Postgres => {
                "SELECT table_name::text AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            }
        };
        let rows = self
            .conn
            .query_all_raw(Statement::from_string(
                self.conn.get_database_backend(),
                sql,
            ))
            .await?;
        rows.iter()
            .map(|row| {
                row.try_get::<String>("", "name")
                    .map_err(StorageError::from)
            })
            .collect()
    }

    /// Every table's number of rows, for comparing a restore with its source.
    pub async fn table_row_counts(&self) -> Result<BTreeMap<String, u64>, StorageError> {
        let backend = self.conn.get_database_backend();
        let mut counts = BTreeMap::new();
        for table in self.tables().await? {
            // Names come from the catalogue, quoted all the same.
            let sql = format!(
                "SELECT COUNT(*) AS n FROM \"{}\"",
                table.replace('"', "\"\"")
            );
            let row = self
                .conn
                .query_one_raw(Statement::from_string(backend, sql))
                .await?
                .ok_or_else(|| StorageError::Corrupt(format!("no count for {table}")))?;
            let n: i64 = row.try_get("", "n")?;
            counts.insert(table, u64::try_from(n).unwrap_or(0));
        }
        Ok(counts)
    }

    async fn applied_migrations(&self) -> Result<Vec<String>, StorageError> {
        let rows = self
            .conn
            .query_all_raw(Statement::from_string(
                self.conn.get_database_backend(),
                "SELECT version FROM seaql_migrations ORDER BY version",
            ))
            .await?;
        rows.iter()
            .map(|row| {
                row.try_get::<String>("", "version")
                    .map_err(StorageError::from)
            })
            .collect()
    }
}

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub tables: usize,
    pub rows: u64,
    /// Migrations of this version that the backup predates: `inservice migrate` applies them.
    pub pending_migrations: usize,
}

/// Refuses a backup with migrations this binary does not know.
fn check_migrations(applied: &[String]) -> Result<(), BackupError> {
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let unknown: Vec<&str> = applied
        .iter()
        .filter(|v| !known.contains(v))
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(BackupError::UnknownMigrations(unknown.join(", ")))
    }
}

fn has_magic(path: &Path, magic: &[u8]) -> Result<bool, BackupError> {
    let mut head = vec![0u8; magic.len()];
    let mut file = std::fs::File::open(path).map_err(io_error(path))?;
    Ok(std::io::Read::read_exact(&mut file, &mut head).is_ok() && head == magic)
}

/// The migrations recorded in a PostgreSQL custom-format dump, read without restoring it:
/// `pg_restore` prints the table's data as a `COPY … FROM stdin` block of tab-separated rows.
async fn dump_migrations(file: &Path) -> Result<Vec<String>, BackupError> {
    let script = run_tool(
        "pg_restore",
        &[
            "--data-only".as_ref(),
            "--table=seaql_migrations".as_ref(),
            "--file=-".as_ref(),
            file.as_os_str(),
        ],
        None,
    )
    .await?;
    let script = String::from_utf8_lossy(&script);
    Ok(script
        .lines()
        .skip_while(|line| !line.starts_with("COPY "))
        .skip(1)
        .take_while(|line| *line != "\\.")
        .filter_map(|line| line.split('\t').next())
        .map(str::to_owned)
        .collect())
}

/// Restores `file` into the database at `target_url`, which must be empty unless `force`
/// (then its contents are replaced). The server must not be running on that database.
pub async fn restore(
    file: &Path,
    target_url: &str,
    force: bool,
) -> Result<RestoreReport, BackupError> {
    let target = Database::connect(target_url).await?;
    let result = match target.kind() {
        DatabaseKind::Postgres => restore_postgres(file, &target, force).await,
        DatabaseKind::Sqlite => {
            let tables = target.tables().await;
            // The file is replaced underneath: no connection of ours may stay open on it.
            target.clone().close().await?;
            restore_sqlite(file, target_url, tables?.len(), force).await
        }
    };
    result?;
    let restored = Database::connect(target_url).await?;
    let counts = restored.table_row_counts().await?;
    let report = RestoreReport {
        tables: counts.len(),
        rows: counts.values().sum(),
        pending_migrations: restored.pending_migrations().await?,
    };
    restored.close().await?;
    Ok(report)
}

async fn restore_postgres(file: &Path, target: &Database, force: bool) -> Result<(), BackupError> {
    if !has_magic(file, POSTGRES_MAGIC)? {
        return Err(BackupError::WrongKind {
            path: file.to_owned(),
            engine: "PostgreSQL (pg_dump custom format)",
        });
    }
    check_migrations(&dump_migrations(file).await?)?;
    let tables = target.tables().await?.len();
    if tables > 0 && !force {
        return Err(BackupError::NotEmpty { tables });
    }
    let (url, password) = libpq_url(target.url())?;
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "--dbname".as_ref(),
        url.as_ref(),
        // One transaction: a failure restores nothing. Owners and grants are the target's.
        "--single-transaction".as_ref(),
        "--exit-on-error".as_ref(),
        "--no-owner".as_ref(),
        "--no-privileges".as_ref(),
    ];
    if force {
        args.push("--clean".as_ref());
        args.push("--if-exists".as_ref());
    }
    args.push(file.as_os_str());
    run_tool("pg_restore", &args, password.as_deref()).await?;
    Ok(())
}

async fn restore_sqlite(
    file: &Path,
    target_url: &str,
    tables: usize,
    force: bool,
) -> Result<(), BackupError> {
    if !has_magic(file, SQLITE_MAGIC)? {
        return Err(BackupError::WrongKind {
            path: file.to_owned(),
            engine: "SQLite",
        });
    }
    if tables > 0 && !force {
        return Err(BackupError::NotEmpty { tables });
    }
    let target = std::path::absolute(sqlite_path(target_url)?).map_err(io_error(file))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.restoring-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let copied = async {
        let mut out = create_private(&tmp)?;
        let mut input = std::fs::File::open(file).map_err(io_error(file))?;
        std::io::copy(&mut input, &mut out).map_err(io_error(&tmp))?;
        out.flush().map_err(io_error(&tmp))?;
        drop(out);
        // Check the copy before it takes the target's place.
        let copy = Database::connect_plain(&format!("sqlite://{}?mode=rw", tmp.display())).await?;
        let checked = async {
            let applied = copy.applied_migrations().await?;
            let ok = copy
                .conn
                .query_one_raw(Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA quick_check",
                ))
                .await
                .map_err(StorageError::from)?
                .and_then(|row| row.try_get_by_index::<String>(0).ok());
            if ok.as_deref() != Some("ok") {
                return Err(BackupError::WrongKind {
                    path: file.to_owned(),
                    engine: "SQLite (the file is damaged)",
                });
            }
            check_migrations(&applied)
        }
        .await;
        copy.close().await?;
        checked?;
        // A write-ahead log left by the old database would be replayed into the new file.
        for suffix in ["-wal", "-shm"] {
            let side = dir.join(format!("{name}{suffix}"));
            match std::fs::remove_file(&side) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(io_error(&side)(e));
                }
                _ => {}
            }
        }
        publish(&tmp, &target)
    }
    .await;
    if copied.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    copied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_utc_time_and_the_engine() {
        let at = DateTime::parse_from_rfc3339("2026-05-17T02:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let name = file_name(DatabaseKind::Postgres, at);
        assert_eq!(name, "inservice-20260517T023000Z.pgdump");
        assert_eq!(taken_at(Path::new(&name)), Some(at));
        assert_eq!(
            taken_at(Path::new(".inservice-20260517T023000Z.pgdump.partial")),
            None
        );
        assert_eq!(taken_at(Path::new("inservice-20260517T023000Z.txt")), None);
    }

    #[test]
    fn pruning_keeps_the_newest_and_touches_nothing_else() {
        let dir = std::env::temp_dir().join(format!("inservice-prune-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        for day in 10..15 {
            std::fs::write(
                dir.join(format!("inservice-202605{day}T020000Z.sqlite3")),
                "",
            )
            .unwrap();
        }
        std::fs::write(dir.join("notes.txt"), "").unwrap();
        std::fs::write(dir.join(".inservice-20260501T020000Z.sqlite3.partial"), "").unwrap();
        let deleted = prune(&dir, 2).unwrap();
        assert_eq!(deleted.len(), 3);
        let left: Vec<String> = list(&dir)
            .unwrap()
            .into_iter()
            .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            left,
            [
                "inservice-20260513T020000Z.sqlite3",
                "inservice-20260514T020000Z.sqlite3"
            ]
        );
        assert!(dir.join("notes.txt").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_password_stays_out_of_the_command_line() {
        let (url, password) =
            libpq_url("postgres://app:s%40cret@db.internal:5432/inservice").unwrap();
        assert_eq!(url, "postgres://app@db.internal:5432/inservice");
        assert_eq!(password.as_deref(), Some("s@cret"));
    }

    #[test]
    fn a_backup_from_a_newer_version_is_refused() {
        let mut applied: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        assert!(
            check_migrations(&applied[..3]).is_ok(),
            "an older backup is fine"
        );
        applied.push("m20991231_000001_future".into());
        assert!(matches!(
            check_migrations(&applied),
            Err(BackupError::UnknownMigrations(v)) if v == "m20991231_000001_future"
        ));
    }
}
