//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.

use std::time::Duration;

use inservice_migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// A failure of the storage layer. Callers map it to "service unavailable"; details go to the log.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// Stored data breaks an invariant the code relies on.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl StorageError {
    /// The database refused the text it was given (too long for its column, or a character its
    /// encoding cannot hold): bad input that slipped past validation, not an outage.
    pub fn is_rejected_text(&self) -> bool {
        use sea_orm::{DbErr, RuntimeErr};
        let StorageError::Database(
            DbErr::Query(RuntimeErr::SqlxError(error)) | DbErr::Exec(RuntimeErr::SqlxError(error)),
        ) = self
        else {
            return false;
        };
        let Some(database) = error.as_database_error() else {
            return false;
        };
        // 22001 string_data_right_truncation, 22021 character_not_in_repertoire,
        // 22P05 untranslatable_character.
        matches!(
            database.code().as_deref(),
            Some("22001" | "22021" | "22P05")
        )
    }
}

/// Creates the SQLite file readable by its owner only before SQLite opens it: SQLite gives its
/// WAL and shared-memory files the permissions of the database file, so they are 0600 too.
fn restrict_sqlite_file(url: &str) -> Result<(), StorageError> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    let corrupt = |e: std::io::Error| StorageError::Corrupt(format!("cannot prepare {path}: {e}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .map_err(corrupt)?;
        for file in [
            path.to_owned(),
            format!("{path}-wal"),
            format!("{path}-shm"),
        ] {
            if std::path::Path::new(&file).exists() {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                    .map_err(corrupt)?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = corrupt;
    Ok(())
}

/// The connection pool's state at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStatus {
    /// Connections open, busy or idle.
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

impl DatabaseKind {
    pub fn name(self) -> &'static str {
        match self {
            DatabaseKind::Sqlite => "sqlite",
            DatabaseKind::Postgres => "postgresql",
        }
    }
}

/// The shared connection pool. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Database {
    pub(crate) conn: DatabaseConnection,
    kind: DatabaseKind,
    url: Secret,
}

/// The connection URL, kept for the backup tools; its password never reaches a log.
#[derive(Clone)]
struct Secret(std::sync::Arc<str>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("…")
    }
}

impl Database {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let kind = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DatabaseKind::Postgres
        } else {
            DatabaseKind::Sqlite
        };
        let mut options = ConnectOptions::new(url.to_owned());
        // A registration rush queues thousands of requests for a connection: they wait their
        // turn rather than fail after a few seconds. Every idle connection is tested before it
        // is handed out (the driver's default, relied upon): the ones a database restart broke
        // are replaced by new ones, so the pool recovers without restarting the server.
        options
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(true)
            .sqlx_logging(false);
        if kind == DatabaseKind::Sqlite {
            // SQLite allows one writer at a time; a small pool avoids lock contention between
            // connections of the same process. Writers wait for each other (busy timeout);
            // in WAL mode NORMAL synchronisation keeps the file consistent at a fraction of the
            // cost of a sync per commit.
            options
                .max_connections(4)
                .min_connections(1)
                .map_sqlx_sqlite_opts(|o| {
                    o.busy_timeout(Duration::from_secs(30))
                        .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                        .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                });
        } else {
            // A runaway statement cannot hold a connection (and its locks) for ever.
            options
                .max_connections(20)
                .map_sqlx_postgres_opts(|o| o.options([("statement_timeout", "30s")]));
        }
        if kind == DatabaseKind::Sqlite {
            restrict_sqlite_file(url)?;
        }
        let conn = sea_orm::Database::connect(options).await?;
        Ok(Self {
            conn,
            kind,
            url: Secret(url.into()),
        })
    }

    /// A connection with the driver's defaults (no journal mode forced), for inspecting a file.
    pub(crate) async fn connect_plain(url: &str) -> Result<Self, StorageError> {
        let kind = if url.starts_with("postgres") {
            DatabaseKind::Postgres
        } else {
            DatabaseKind::Sqlite
        };
        let conn = sea_orm::Database::connect(url).await?;
        Ok(Self {
            conn,
            kind,
            url: Secret(url.into()),
        })
    }

    pub(crate) fn url(&self) -> &str {
        &self.url.0
    }

    /// Connections open and idle in the pool, for the metrics.
    pub fn pool_status(&self) -> PoolStatus {
        let (size, idle, max) = match self.kind {
            DatabaseKind::Sqlite => {
                let pool = self.conn.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            DatabaseKind::Postgres => {
                let pool = self.conn.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
        };
        PoolStatus {
            size,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max,
        }
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that read first could not upgrade while
    /// another writer works and would fail instead of waiting its turn.
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction, DbErr> {
        self.conn
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
    }

    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    /// Applies every pending migration; a no-op on an up-to-date database.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        Migrator::up(&self.conn, None).await?;
        Ok(())
    }

    /// Number of migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<usize, StorageError> {
        Ok(Migrator::get_pending_migrations(&self.conn).await?.len())
    }

    /// Proves the database answers a query.
    pub async fn ping(&self) -> Result<(), StorageError> {
        self.conn.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    pub async fn close(self) -> Result<(), StorageError> {
        self.conn.close().await?;
        Ok(())
    }
}
