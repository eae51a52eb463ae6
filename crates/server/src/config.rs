//! Configuration: defaults, then an optional TOML file, then `INSERVICE_*` environment variables.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use rand::RngCore;
use serde::Deserialize;

/// Development generates what it lacks; production refuses to start without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

/// The settings the server runs with, fully resolved. `Debug` leaves the secrets out.
#[derive(Clone)]
pub struct Config {
    pub environment: Environment,
    pub bind: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub jwt_secret: String,
    /// Master key (32 bytes) for encrypting identity numbers at rest.
    pub data_key: Vec<u8>,
    /// The address people reach the server at, for links in e-mails.
    pub public_url: String,
    /// Other web origins allowed to call the API from a browser (exact `scheme://host[:port]`).
    pub cors_origins: Vec<String>,
    /// The built SPA; `None` serves the API alone.
    pub spa_dir: Option<PathBuf>,
    /// Where e-mail leaves in production (`smtps://user:pass@host:465` or
    /// `smtp://host:587?tls=required`); without it mail stays in the outbox.
    pub smtp_url: Option<String>,
    /// The sender of every e-mail.
    pub mail_from: String,
    /// Where and how often the server backs its database up.
    pub backup: BackupConfig,
    /// The bearer token `GET /metrics` requires; without one, metrics are open in development
    /// and off in production.
    pub metrics_token: Option<String>,
    /// Proxies (addresses or networks) whose `X-Forwarded-For` / `Forwarded` name the client.
    pub trusted_proxies: Vec<String>,
    /// Earlier signing secrets, still accepted for tokens issued before a key rotation.
    pub jwt_previous_secrets: Vec<String>,
}

/// `smtps://user:secret@host` without the secret.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("environment", &self.environment)
            .field("bind", &self.bind)
            .field("database_url", &redact_url(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("jwt_secret", &"[hidden]")
            .field("data_key", &"[hidden]")
            .field("public_url", &self.public_url)
            .field("cors_origins", &self.cors_origins)
            .field("spa_dir", &self.spa_dir)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("trusted_proxies", &self.trusted_proxies)
            .field(
                "jwt_previous_secrets",
                &format!("[{} hidden]", self.jwt_previous_secrets.len()),
            )
            .finish()
    }
}

/// The server's own backups: one a day (RPO 24 h), the newest `keep` kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupConfig {
    pub dir: PathBuf,
    pub daily: bool,
    pub keep: usize,
}

/// Backups kept by default: a week of daily ones.
pub const DEFAULT_BACKUP_KEEP: usize = 7;

/// The default sender.
pub const DEFAULT_MAIL_FROM: &str = "全國教師在職進修資訊網 <no-reply@inservice.edu.tw>";

/// The optional configuration file. Unknown keys are an error, so a typo never goes unnoticed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub environment: Option<Environment>,
    pub bind: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub jwt_secret: Option<String>,
    pub data_key: Option<String>,
    pub public_url: Option<String>,
    pub cors_origins: Option<Vec<String>>,
    pub spa_dir: Option<PathBuf>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub trusted_proxies: Option<Vec<String>>,
    pub jwt_previous_secrets: Option<Vec<String>>,
    pub backup_dir: Option<PathBuf>,
    pub backup_daily: Option<bool>,
    pub backup_keep: Option<usize>,
    pub metrics_token: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is invalid: {message}")]
    ParseFile { path: PathBuf, message: String },
    #[error("{name} is invalid: {message}")]
    Invalid { name: &'static str, message: String },
    #[error("INSERVICE_JWT_SECRET must be set (at least 32 characters) in production")]
    MissingSecret,
    #[error("INSERVICE_DATA_KEY must be set (32 bytes, base64) in production")]
    MissingDataKey,
    #[error(
        "INSERVICE_ENV must be set (development or production) for a server that is not a local SQLite one: {reason}"
    )]
    UnnamedEnvironment { reason: String },
    #[error("cannot prepare the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub const MIN_SECRET_LEN: usize = 32;

impl FileConfig {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::ParseFile {
            path: path.to_owned(),
            message: e.message().to_owned(),
        })
    }
}

fn parse_environment(value: &str) -> Result<Environment, ConfigError> {
    match value {
        "development" => Ok(Environment::Development),
        "production" => Ok(Environment::Production),
        other => Err(ConfigError::Invalid {
            name: "INSERVICE_ENV",
            message: format!("{other:?} is neither development nor production"),
        }),
    }
}

fn parse_origins(list: Vec<String>) -> Result<Vec<String>, ConfigError> {
    list.into_iter()
        .map(|o| o.trim().trim_end_matches('/').to_owned())
        .filter(|o| !o.is_empty())
        .map(|origin| {
            if origin.starts_with("https://") || origin.starts_with("http://") {
                Ok(origin)
            } else {
                Err(ConfigError::Invalid {
                    name: "INSERVICE_CORS_ORIGINS",
                    message: format!("{origin:?} is not an http(s) origin"),
                })
            }
        })
        .collect()
}

/// The settings without the secret, which may need the file system to come into being.
#[derive(Clone)]
pub struct Resolved {
    pub environment: Environment,
    pub bind: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub jwt_secret: Option<String>,
    pub data_key: Option<Vec<u8>>,
    pub public_url: String,
    pub cors_origins: Vec<String>,
    pub spa_dir: Option<PathBuf>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub trusted_proxies: Vec<String>,
    pub jwt_previous_secrets: Vec<String>,
    pub backup: BackupConfig,
    pub metrics_token: Option<String>,
}

fn parse_flag(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(ConfigError::Invalid {
            name,
            message: format!("{other:?} is neither true nor false"),
        }),
    }
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolved")
            .field("environment", &self.environment)
            .field("bind", &self.bind)
            .field("database_url", &redact_url(&self.database_url))
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "[hidden]"))
            .field("data_key", &self.data_key.as_ref().map(|_| "[hidden]"))
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .finish_non_exhaustive()
    }
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

fn decode_data_key(text: &str) -> Result<Vec<u8>, ConfigError> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| ConfigError::Invalid {
            name: "INSERVICE_DATA_KEY",
            message: "is not base64".into(),
        })?;
    if key.len() != 32 {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_DATA_KEY",
            message: "must decode to 32 bytes".into(),
        });
    }
    Ok(key)
}

/// Merges defaults, the file and the environment (highest precedence). Pure, for testing.
pub fn resolve(file: FileConfig, env: &HashMap<String, String>) -> Result<Resolved, ConfigError> {
    let var = |name: &str| {
        env.get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let named_environment = match var("INSERVICE_ENV") {
        Some(value) => Some(parse_environment(&value)?),
        None => file.environment,
    };
    let environment = named_environment.unwrap_or(Environment::Development);
    let data_dir = var("INSERVICE_DATA_DIR")
        .map(PathBuf::from)
        .or(file.data_dir)
        .unwrap_or_else(|| "data".into());
    let database_url = var("INSERVICE_DATABASE_URL")
        .or(file.database_url)
        .unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("inservice.db").display()
            )
        });
    if !(database_url.starts_with("sqlite:")
        || database_url.starts_with("postgres://")
        || database_url.starts_with("postgresql://"))
    {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_DATABASE_URL",
            message: "must start with sqlite:, postgres:// or postgresql://".into(),
        });
    }
    let bind = var("INSERVICE_BIND")
        .or(file.bind)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    if bind.parse::<std::net::SocketAddr>().is_err() {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_BIND",
            message: format!("{bind:?} is not host:port"),
        });
    }
    let public_url = var("INSERVICE_PUBLIC_URL")
        .or(file.public_url)
        .unwrap_or_else(|| format!("http://{bind}"));
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_PUBLIC_URL",
            message: "must be an http(s) URL".into(),
        });
    }
    let public_url = public_url.trim_end_matches('/').to_owned();
    // Development is assumed only for a local SQLite server; anything that looks deployed must
    // say what it is, so a forgotten setting never opens the development conveniences.
    if named_environment.is_none() {
        let loopback = bind
            .parse::<std::net::SocketAddr>()
            .is_ok_and(|a| a.ip().is_loopback());
        let reason = if !loopback {
            Some(format!("it listens on {bind}"))
        } else if !database_url.starts_with("sqlite:") {
            Some("it uses PostgreSQL".to_owned())
        } else if public_url.starts_with("https://") {
            Some(format!("its public URL is {public_url}"))
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(ConfigError::UnnamedEnvironment { reason });
        }
    }
    let trusted_proxies = match var("INSERVICE_TRUSTED_PROXIES") {
        Some(value) => list(&value),
        None => file.trusted_proxies.unwrap_or_default(),
    };
    inservice_api::throttle::TrustedProxies::parse(&trusted_proxies).map_err(|message| {
        ConfigError::Invalid {
            name: "INSERVICE_TRUSTED_PROXIES",
            message,
        }
    })?;
    let jwt_previous_secrets = match var("INSERVICE_JWT_PREVIOUS_SECRETS") {
        Some(value) => list(&value),
        None => file.jwt_previous_secrets.unwrap_or_default(),
    };
    if jwt_previous_secrets
        .iter()
        .any(|s| s.len() < MIN_SECRET_LEN)
    {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_JWT_PREVIOUS_SECRETS",
            message: format!("every secret must be at least {MIN_SECRET_LEN} characters"),
        });
    }
    let cors_origins = match var("INSERVICE_CORS_ORIGINS") {
        Some(list) => parse_origins(list.split(',').map(str::to_owned).collect())?,
        None => parse_origins(file.cors_origins.unwrap_or_default())?,
    };
    let jwt_secret = var("INSERVICE_JWT_SECRET").or(file.jwt_secret);
    if let Some(secret) = &jwt_secret
        && secret.len() < MIN_SECRET_LEN
    {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_JWT_SECRET",
            message: format!("must be at least {MIN_SECRET_LEN} characters"),
        });
    }
    if environment == Environment::Production && jwt_secret.is_none() {
        return Err(ConfigError::MissingSecret);
    }
    let data_key = var("INSERVICE_DATA_KEY")
        .or(file.data_key)
        .map(|k| decode_data_key(&k))
        .transpose()?;
    if environment == Environment::Production && data_key.is_none() {
        return Err(ConfigError::MissingDataKey);
    }
    let spa_dir = var("INSERVICE_SPA_DIR")
        .map(PathBuf::from)
        .or(file.spa_dir)
        .or_else(|| Some("frontend/dist".into()));
    let smtp_url = var("INSERVICE_SMTP_URL").or(file.smtp_url);
    if let Some(url) = &smtp_url
        && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
    {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_SMTP_URL",
            message: "must start with smtp:// or smtps://".into(),
        });
    }
    let mail_from = var("INSERVICE_MAIL_FROM")
        .or(file.mail_from)
        .unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
    if !mail_from.contains('@') {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_MAIL_FROM",
            message: "must be an e-mail address, optionally with a name: Name <address>".into(),
        });
    }
    let backup_dir = var("INSERVICE_BACKUP_DIR")
        .map(PathBuf::from)
        .or(file.backup_dir)
        .unwrap_or_else(|| data_dir.join("backups"));
    let backup_daily = match var("INSERVICE_BACKUP_DAILY") {
        Some(value) => parse_flag("INSERVICE_BACKUP_DAILY", &value)?,
        None => file.backup_daily.unwrap_or(true),
    };
    let backup_keep = match var("INSERVICE_BACKUP_KEEP") {
        Some(value) => value.parse().map_err(|_| ConfigError::Invalid {
            name: "INSERVICE_BACKUP_KEEP",
            message: format!("{value:?} is not a number"),
        })?,
        None => file.backup_keep.unwrap_or(DEFAULT_BACKUP_KEEP),
    };
    if backup_keep == 0 {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_BACKUP_KEEP",
            message: "must keep at least one backup".into(),
        });
    }
    let metrics_token = var("INSERVICE_METRICS_TOKEN").or(file.metrics_token);
    if let Some(token) = &metrics_token
        && token.len() < MIN_SECRET_LEN
    {
        return Err(ConfigError::Invalid {
            name: "INSERVICE_METRICS_TOKEN",
            message: format!("must be at least {MIN_SECRET_LEN} characters"),
        });
    }
    Ok(Resolved {
        environment,
        bind,
        database_url,
        data_dir,
        jwt_secret,
        data_key,
        public_url,
        cors_origins,
        spa_dir,
        smtp_url,
        mail_from,
        trusted_proxies,
        jwt_previous_secrets,
        backup: BackupConfig {
            dir: backup_dir,
            daily: backup_daily,
            keep: backup_keep,
        },
        metrics_token,
    })
}

impl Config {
    /// Loads the configuration of this process: `config_file` (or `INSERVICE_CONFIG`), then the
    /// environment. In development a missing JWT secret is generated once into the data folder.
    pub fn load(config_file: Option<&Path>) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let file_path = config_file
            .map(Path::to_owned)
            .or_else(|| env.get("INSERVICE_CONFIG").map(PathBuf::from));
        let file = match file_path {
            Some(path) => FileConfig::load(&path)?,
            None => FileConfig::default(),
        };
        Config::from_resolved(resolve(file, &env)?)
    }

    pub fn from_resolved(resolved: Resolved) -> Result<Config, ConfigError> {
        let data_error = |source| ConfigError::DataDir {
            path: resolved.data_dir.clone(),
            source,
        };
        std::fs::create_dir_all(&resolved.data_dir).map_err(data_error)?;
        let jwt_secret = match resolved.jwt_secret {
            Some(secret) => secret,
            None => {
                development_secret(&resolved.data_dir.join("jwt-secret")).map_err(data_error)?
            }
        };
        let data_key = match resolved.data_key {
            Some(key) => key,
            None => {
                let text =
                    development_secret(&resolved.data_dir.join("data-key")).map_err(data_error)?;
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(text)
                    .map_err(|_| ConfigError::Invalid {
                        name: "data/data-key",
                        message: "is not a key this server generated; delete it to make a new one"
                            .into(),
                    })?[..32]
                    .to_vec()
            }
        };
        let spa_dir = resolved
            .spa_dir
            .filter(|dir| dir.join("index.html").is_file());
        Ok(Config {
            environment: resolved.environment,
            bind: resolved.bind,
            database_url: resolved.database_url,
            data_dir: resolved.data_dir,
            jwt_secret,
            data_key,
            public_url: resolved.public_url,
            cors_origins: resolved.cors_origins,
            spa_dir,
            smtp_url: resolved.smtp_url,
            mail_from: resolved.mail_from,
            trusted_proxies: resolved.trusted_proxies,
            jwt_previous_secrets: resolved.jwt_previous_secrets,
            backup: resolved.backup,
            metrics_token: resolved.metrics_token,
        })
    }
}

/// Reads a development secret (48 random bytes, base64url), creating it on first use, readable by
/// the owner only.
fn development_secret(path: &Path) -> std::io::Result<String> {
    if let Ok(secret) = std::fs::read_to_string(path)
        && secret.trim().len() >= MIN_SECRET_LEN
    {
        return Ok(secret.trim().to_owned());
    }
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(secret.as_bytes())?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_give_a_local_sqlite_development_server() {
        let r = resolve(FileConfig::default(), &env(&[])).unwrap();
        assert_eq!(r.environment, Environment::Development);
        assert_eq!(r.bind, "127.0.0.1:8080");
        assert_eq!(r.database_url, "sqlite://data/inservice.db?mode=rwc");
        assert!(r.cors_origins.is_empty());
    }

    #[test]
    fn a_deployed_looking_server_must_name_its_environment() {
        for pairs in [
            &[("INSERVICE_BIND", "0.0.0.0:8080")][..],
            &[("INSERVICE_DATABASE_URL", "postgres://db/inservice")][..],
            &[("INSERVICE_PUBLIC_URL", "https://inservice.edu.tw")][..],
        ] {
            let error = resolve(FileConfig::default(), &env(pairs)).unwrap_err();
            assert!(
                matches!(error, ConfigError::UnnamedEnvironment { .. }),
                "{pairs:?}: {error}"
            );
            let mut named = pairs.to_vec();
            named.push(("INSERVICE_ENV", "development"));
            assert!(resolve(FileConfig::default(), &env(&named)).is_ok());
        }
    }

    #[test]
    fn debug_output_hides_every_secret() {
        let r = resolve(
            FileConfig::default(),
            &env(&[
                (
                    "INSERVICE_JWT_SECRET",
                    "jwt-secret-that-is-long-enough-0123456789",
                ),
                (
                    "INSERVICE_SMTP_URL",
                    "smtps://user:mail-password@mail.example.tw:465",
                ),
                (
                    "INSERVICE_JWT_PREVIOUS_SECRETS",
                    "previous-secret-long-enough-0123456789",
                ),
                ("INSERVICE_DATABASE_URL", "sqlite://x.db?mode=rwc"),
            ]),
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("inservice-config-{}", std::process::id()));
        let config = Config::from_resolved(Resolved {
            data_dir: dir.clone(),
            ..r.clone()
        })
        .unwrap();
        for text in [format!("{r:?}"), format!("{config:?}")] {
            for secret in ["jwt-secret-that", "mail-password", "previous-secret"] {
                assert!(!text.contains(secret), "{secret} leaks: {text}");
            }
        }
        assert!(!format!("{config:?}").contains(&format!("{:?}", config.data_key)));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let r = resolve(
            FileConfig::default(),
            &env(&[("INSERVICE_TRUSTED_PROXIES", "10.0.0.0/8, ::1")]),
        )
        .unwrap();
        assert_eq!(r.trusted_proxies, ["10.0.0.0/8", "::1"]);
        assert!(
            resolve(
                FileConfig::default(),
                &env(&[("INSERVICE_TRUSTED_PROXIES", "proxy.local")])
            )
            .is_err()
        );
    }

    #[test]
    fn mail_settings_are_checked() {
        let r = resolve(FileConfig::default(), &env(&[])).unwrap();
        assert_eq!(
            (r.smtp_url, r.mail_from.as_str()),
            (None, DEFAULT_MAIL_FROM)
        );
        let smtp = env(&[("INSERVICE_SMTP_URL", "smtps://user:pw@mail.example.tw:465")]);
        assert!(
            resolve(FileConfig::default(), &smtp)
                .unwrap()
                .smtp_url
                .is_some()
        );
        let bad = env(&[("INSERVICE_SMTP_URL", "mail.example.tw")]);
        assert!(resolve(FileConfig::default(), &bad).is_err());
        let sender = env(&[("INSERVICE_MAIL_FROM", "nobody")]);
        assert!(resolve(FileConfig::default(), &sender).is_err());
    }

    #[test]
    fn backups_are_daily_into_the_data_folder_unless_configured() {
        let r = resolve(FileConfig::default(), &env(&[])).unwrap();
        assert_eq!(
            r.backup,
            BackupConfig {
                dir: "data/backups".into(),
                daily: true,
                keep: DEFAULT_BACKUP_KEEP
            }
        );
        let file: FileConfig = toml::from_str(
            "backup_dir = \"/srv/backups\"\nbackup_daily = false\nbackup_keep = 30\n",
        )
        .unwrap();
        let r = resolve(file, &env(&[("INSERVICE_BACKUP_KEEP", "14")])).unwrap();
        assert_eq!(
            (r.backup.dir.to_str(), r.backup.daily, r.backup.keep),
            (Some("/srv/backups"), false, 14)
        );
        for bad in [
            ("INSERVICE_BACKUP_KEEP", "0"),
            ("INSERVICE_BACKUP_KEEP", "many"),
            ("INSERVICE_BACKUP_DAILY", "sometimes"),
            ("INSERVICE_METRICS_TOKEN", "short"),
        ] {
            assert!(
                resolve(FileConfig::default(), &env(&[bad])).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_environment_overrides_the_file() {
        let file = FileConfig {
            bind: Some("0.0.0.0:9000".into()),
            ..Default::default()
        };
        let r = resolve(file, &env(&[("INSERVICE_BIND", "127.0.0.1:7000")])).unwrap();
        assert_eq!(r.bind, "127.0.0.1:7000");
    }

    #[test]
    fn production_refuses_to_start_without_a_secret() {
        let err = resolve(
            FileConfig::default(),
            &env(&[("INSERVICE_ENV", "production")]),
        )
        .unwrap_err();
        assert!(matches!(err, ConfigError::MissingSecret));
        let secret = "x".repeat(32);
        let ok = resolve(
            FileConfig::default(),
            &env(&[
                ("INSERVICE_ENV", "production"),
                ("INSERVICE_JWT_SECRET", &secret),
            ]),
        );
        assert!(
            matches!(ok, Err(ConfigError::MissingDataKey)),
            "the JWT secret alone is not enough"
        );
    }

    #[test]
    fn production_needs_a_32_byte_data_key() {
        let secret = "x".repeat(32);
        let base = [
            ("INSERVICE_ENV", "production"),
            ("INSERVICE_JWT_SECRET", secret.as_str()),
        ];
        let err = resolve(FileConfig::default(), &env(&base)).unwrap_err();
        assert!(matches!(err, ConfigError::MissingDataKey));
        let short = [base[0], base[1], ("INSERVICE_DATA_KEY", "c2hvcnQ=")];
        assert!(resolve(FileConfig::default(), &env(&short)).is_err());
        let key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        let good = [base[0], base[1], ("INSERVICE_DATA_KEY", key)];
        assert_eq!(
            resolve(FileConfig::default(), &env(&good))
                .unwrap()
                .data_key
                .unwrap()
                .len(),
            32
        );
    }

    #[test]
    fn short_secrets_bad_binds_urls_and_origins_are_rejected() {
        for pairs in [
            [("INSERVICE_JWT_SECRET", "short")],
            [("INSERVICE_BIND", "localhost")],
            [("INSERVICE_DATABASE_URL", "mysql://x")],
            [("INSERVICE_CORS_ORIGINS", "example.org")],
            [("INSERVICE_ENV", "staging")],
        ] {
            assert!(
                resolve(FileConfig::default(), &env(&pairs)).is_err(),
                "{pairs:?}"
            );
        }
    }

    #[test]
    fn cors_origins_are_a_comma_separated_list() {
        let r = resolve(
            FileConfig::default(),
            &env(&[(
                "INSERVICE_CORS_ORIGINS",
                "https://a.example.tw/, http://localhost:3000",
            )]),
        )
        .unwrap();
        assert_eq!(
            r.cors_origins,
            ["https://a.example.tw", "http://localhost:3000"]
        );
    }

    #[test]
    fn unknown_keys_in_the_file_are_an_error() {
        let err = toml::from_str::<FileConfig>("bind = \"127.0.0.1:1\"\nbnid = 3\n").unwrap_err();
        assert!(err.message().contains("bnid"), "{err}");
    }

    #[test]
    fn the_development_secret_is_generated_once_and_kept() {
        let dir =
            std::env::temp_dir().join(format!("inservice-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let first = development_secret(&dir.join("jwt-secret")).unwrap();
        let second = development_secret(&dir.join("jwt-secret")).unwrap();
        assert_eq!(first, second);
        assert!(first.len() >= MIN_SECRET_LEN);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
