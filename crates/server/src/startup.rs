//! Building the HTTP server from a configuration: what `inservice serve` and the tests both run.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::{Method, header};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use inservice_api::{
    AppState, Metrics, SecurityPolicy, Spa, catch_panics, configure, input_guard,
    problem_for_bare_errors, request_log, security_headers,
};
use inservice_persistence::{Database, StorageError};

use crate::config::{Config, Environment};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the database has {0} pending migration(s): run `inservice migrate` first")]
    PendingMigrations(usize),
    #[error("cannot listen on {bind}: {source}")]
    Bind {
        bind: String,
        source: std::io::Error,
    },
    #[error("cannot read the SPA in {dir}: {source}")]
    Spa { dir: String, source: std::io::Error },
    #[error("the mail settings are invalid: {0}")]
    Mail(String),
    #[error("the configuration is invalid: {0}")]
    Config(String),
    #[error("cannot set up the metrics: {0}")]
    Metrics(String),
}

/// A server bound to its port, not yet running.
pub struct Application {
    port: u16,
    server: Server,
    jobs: crate::jobs::Jobs,
}

/// How long in-flight requests may finish after SIGTERM or SIGINT, and then the jobs.
const SHUTDOWN_GRACE_SECS: u64 = 10;

/// Browsers send `Origin` on same-origin writes too, so the server's own origin is always allowed
/// besides the configured list.
fn cors(allowed: Vec<String>) -> Cors {
    Cors::default()
        .allowed_origin_fn(move |origin, head| {
            let Ok(origin) = origin.to_str() else {
                return false;
            };
            let own = head
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .is_some_and(|host| {
                    origin
                        .split_once("://")
                        .is_some_and(|(_, rest)| rest == host)
                });
            own || allowed.iter().any(|a| a == origin)
        })
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::HeaderName::from_static("x-request-id")])
        .max_age(3600)
}

impl Application {
    /// Connects to the configured database (which must be migrated) and binds the listener.
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        let db = Database::connect(&config.database_url).await?;
        let pending = db.pending_migrations().await?;
        if pending > 0 {
            return Err(StartupError::PendingMigrations(pending));
        }
        Self::build_with(config, db)
    }

    /// Binds the server to `config.bind` over an already connected database.
    pub fn build_with(config: &Config, db: Database) -> Result<Self, StartupError> {
        let listener = TcpListener::bind(&config.bind).map_err(|source| StartupError::Bind {
            bind: config.bind.clone(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind {
                bind: config.bind.clone(),
                source,
            })?
            .port();
        let spa = match &config.spa_dir {
            Some(dir) => Some(Spa::load(dir).map_err(|source| StartupError::Spa {
                dir: dir.display().to_string(),
                source,
            })?),
            None => {
                tracing::warn!("no built SPA found: serving the API only (run `make frontend`)");
                None
            }
        };
        let hashes = spa
            .as_ref()
            .map(|s| s.script_hashes().to_vec())
            .unwrap_or_default();
        let policy = web::Data::new(SecurityPolicy::new(
            &hashes,
            config.environment == Environment::Production,
        ));
        let jobs_db = db.clone();
        let mailer = crate::jobs::Mailer::new(
            config.environment == Environment::Development,
            config.smtp_url.as_deref(),
            &config.mail_from,
        )
        .map_err(StartupError::Mail)?;
        let previous: Vec<&[u8]> = config
            .jwt_previous_secrets
            .iter()
            .map(|s| s.as_bytes())
            .collect();
        let proxies = inservice_api::throttle::TrustedProxies::parse(&config.trusted_proxies)
            .map_err(StartupError::Config)?;
        let state = web::Data::new(AppState::new(
            db,
            config.jwt_secret.as_bytes(),
            &previous,
            &config.data_key,
            config.public_url.clone(),
            config.environment == Environment::Development,
            proxies,
        ));
        let origins = config.cors_origins.clone();
        let metrics = Metrics::new(
            config.metrics_token.as_deref(),
            config.environment == Environment::Production,
        )
        .map_err(|e| StartupError::Metrics(e.to_string()))?;
        let measure = metrics
            .middleware()
            .map_err(|e| StartupError::Metrics(e.to_string()))?;
        let metrics = web::Data::new(metrics);
        let server = HttpServer::new(move || {
            let spa = spa.clone();
            // Listed innermost first: CORS next to the routes, the request log around everything;
            // the metrics time everything but the log line.
            App::new()
                .app_data(state.clone())
                .app_data(policy.clone())
                .app_data(metrics.clone())
                .configure(|cfg| configure(cfg, spa))
                .wrap(from_fn(catch_panics))
                .wrap(from_fn(input_guard))
                .wrap(cors(origins.clone()))
                .wrap(problem_for_bare_errors())
                .wrap(from_fn(security_headers))
                .wrap(Compress::default())
                .wrap(measure.clone())
                .wrap(from_fn(request_log))
        })
        .listen(listener)
        .map_err(|source| StartupError::Bind {
            bind: config.bind.clone(),
            source,
        })?
        .shutdown_timeout(SHUTDOWN_GRACE_SECS)
        .run();
        let jobs = crate::jobs::spawn_all(
            jobs_db,
            mailer,
            config.public_url.clone(),
            config.backup.daily.then(|| config.backup.clone()),
            inservice_api::PRESCHOOL_PARTNER.to_owned(),
        );
        Ok(Self { port, server, jobs })
    }

    /// The port actually bound (useful when the configuration asked for port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that stops the server as SIGTERM does (for tests).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the process receives SIGINT or SIGTERM, then stops gracefully: no new
    /// connections, in-flight requests get [`SHUTDOWN_GRACE_SECS`] to finish, then the
    /// background jobs stop (the mail worker gives back the leases it will not use).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        self.jobs
            .stop(std::time::Duration::from_secs(SHUTDOWN_GRACE_SECS))
            .await;
        tracing::info!("stopped");
        served
    }
}
