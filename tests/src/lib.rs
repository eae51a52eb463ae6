//! Test harness: start the real server on a random port over a fresh database, talk HTTP to it.
//!
//! SQLite databases live in a temporary folder; PostgreSQL databases are created per test on the
//! server named by `INSERVICE_TEST_PG` (default: the local one) and dropped when the test ends.

pub mod browser;
pub mod client;
pub mod courses;
pub mod exchange;
pub mod steps;

pub use client::UserClient;

use std::path::PathBuf;

use inservice::{Application, Config, Environment};
use inservice_persistence::{Database, seed_demo};
use sea_orm::ConnectionTrait;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1" || v == "true")
}

/// The admin URL of the PostgreSQL server used for tests.
pub fn postgres_admin_url() -> String {
    std::env::var("INSERVICE_TEST_PG")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_PG.to_owned())
}

pub const TEST_DATA_KEY: [u8; 32] = [42; 32];
const TEST_PUBLIC_URL: &str = "http://127.0.0.1:8080";
const TEST_JWT_SECRET: &str = "test-secret-that-is-long-enough-0123456789";

/// A database that exists for one test only (dropped with this value).
pub struct TestDatabase {
    url: String,
    folder: PathBuf,
    postgres_name: Option<String>,
}

impl TestDatabase {
    /// A new, empty database; `None` when PostgreSQL is wanted but not reachable and not required.
    pub async fn create(backend: Backend) -> Option<Self> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let folder = std::env::temp_dir().join(format!("inservice-test-{id}"));
        std::fs::create_dir_all(&folder).expect("temp folder");
        match backend {
            Backend::Sqlite => Some(Self {
                url: format!("sqlite://{}?mode=rwc", folder.join("test.db").display()),
                folder,
                postgres_name: None,
            }),
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = match sea_orm::Database::connect(&admin_url).await {
                    Ok(conn) => conn,
                    Err(error) => {
                        let _ = std::fs::remove_dir_all(&folder);
                        if flag("INSERVICE_REQUIRE_PG") {
                            panic!(
                                "PostgreSQL is required (INSERVICE_REQUIRE_PG=1) but {admin_url} failed: {error}"
                            );
                        }
                        eprintln!("SKIPPED: PostgreSQL not reachable at {admin_url}: {error}");
                        return None;
                    }
                };
                let name = format!("inservice_test_{id}");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(base, _)| base);
                Some(Self {
                    url: format!("{base}/{name}"),
                    folder,
                    postgres_name: Some(name),
                })
            }
        }
    }
}

impl TestDatabase {
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The PostgreSQL database's name (`None` on SQLite).
    pub fn postgres_name(&self) -> Option<&str> {
        self.postgres_name.as_deref()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
        if let Some(name) = self.postgres_name.take() {
            // Drop runs outside async code: use a private runtime on its own thread.
            let admin_url = postgres_admin_url();
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async move {
                    let admin = sea_orm::Database::connect(&admin_url)
                        .await
                        .map_err(std::io::Error::other)?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .map_err(std::io::Error::other)?;
                    admin.close().await.map_err(std::io::Error::other)
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("warning: could not drop a test database: {dropped:?}");
            }
        }
    }
}

/// The built SPA, if `make frontend` has run.
pub fn spa_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist");
    dir.join("index.html").is_file().then_some(dir)
}

/// A running server over its own database.
pub struct TestApp {
    pub address: String,
    /// The server's database, for checks that look behind the API (stored form, mailbox).
    pub db: Database,
    pub database_url: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    /// Numbers the teachers [`TestApp::teachers`] creates, so identity numbers never repeat.
    serial: std::sync::atomic::AtomicU32,
    _database: TestDatabase,
}

impl TestApp {
    /// Starts a migrated, demo-seeded server; `None` when PostgreSQL is wanted but not reachable
    /// and not required.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let database = TestDatabase::create(backend).await?;
        let config = Config {
            environment: Environment::Development,
            bind: "127.0.0.1:0".into(),
            database_url: database.url.clone(),
            data_dir: database.folder.clone(),
            jwt_secret: TEST_JWT_SECRET.into(),
            data_key: TEST_DATA_KEY.to_vec(),
            public_url: TEST_PUBLIC_URL.into(),
            cors_origins: vec!["https://partner.example.tw".into()],
            spa_dir: spa_dir(),
            smtp_url: None,
            mail_from: inservice::config::DEFAULT_MAIL_FROM.into(),
            // The tests stand in for a TLS proxy on loopback, naming clients in X-Forwarded-For.
            trusted_proxies: vec!["127.0.0.1".into()],
            jwt_previous_secrets: Vec::new(),
            backup: inservice::config::BackupConfig {
                dir: database.folder.join("backups"),
                daily: false,
                keep: inservice::config::DEFAULT_BACKUP_KEEP,
            },
            metrics_token: None,
        };
        let db = Database::connect(&config.database_url)
            .await
            .expect("connect to the test database");
        db.migrate().await.expect("migrate the test database");
        seed_demo(&db).await.expect("load demo data");
        let app = Application::build_with(&config, db.clone()).expect("build the server");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Some(TestApp {
            address,
            db,
            database_url: config.database_url.clone(),
            client: reqwest::Client::new(),
            backend,
            serial: std::sync::atomic::AtomicU32::new(0),
            _database: database,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The server's own database (its folder, its PostgreSQL name).
    pub fn database(&self) -> &TestDatabase {
        &self._database
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request reaches the server")
    }

    /// GETs `path` and returns the status and the JSON body (`Null` when it is not JSON).
    pub async fn get_json_any(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// GETs `path`, asserts the status, and returns the JSON body.
    pub async fn get_json(&self, path: &str, status: u16) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        response.json().await.expect("a JSON body")
    }
}

/// A valid national ID number: `letter`, gender digit 1 and `serial` (seven digits), with the
/// check digit computed.
pub fn national_id(letter: char, serial: u32) -> String {
    const CODES: [u32; 26] = [
        10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32,
        30, 31, 33,
    ];
    let area = CODES[(letter as u8 - b'A') as usize];
    let body = format!("1{serial:07}");
    let mut sum = area / 10 + (area % 10) * 9;
    for (ch, weight) in body.chars().zip((1..=8).rev()) {
        sum += ch.to_digit(10).unwrap() * weight;
    }
    format!("{letter}{body}{}", (10 - sum % 10) % 10)
}

impl TestApp {
    /// Creates the demo accounts (one per role; password [`inservice_persistence::DEMO_PASSWORD`]).
    pub async fn seed_demo_accounts(&self) {
        let vault = inservice_persistence::secrets::IdentityVault::new(&TEST_DATA_KEY);
        let hash =
            inservice_api::auth::hash_password(inservice_persistence::DEMO_PASSWORD.to_owned())
                .await
                .expect("hash the demo password");
        inservice_persistence::seed_demo_accounts(&self.db, &vault, &hash)
            .await
            .expect("seed demo accounts");
    }

    /// Logs in as `login` with the demo password and returns the access token.
    pub async fn demo_token(&self, login: &str) -> String {
        let body =
            serde_json::json!({"login": login, "password": inservice_persistence::DEMO_PASSWORD});
        let (status, session) = self.post_json("/api/v1/auth/login", &body, None).await;
        assert_eq!(status, 200, "demo login {login}: {session}");
        session["access_token"]
            .as_str()
            .expect("an access token")
            .to_owned()
    }

    /// POSTs JSON and returns the status and the JSON body (`Null` for an empty body).
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
        bearer: Option<&str>,
    ) -> (u16, serde_json::Value) {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Sends `method` with an optional JSON body and token; returns the status and JSON body.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
        bearer: Option<&str>,
    ) -> (u16, serde_json::Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Generates the demo courses (a few hundred, in every state).
    pub async fn seed_demo_courses(&self) -> usize {
        inservice_persistence::seed_demo_courses(&self.db, chrono::Utc::now())
            .await
            .expect("seed demo courses")
    }

    /// GETs with a bearer token.
    pub async fn get_authed(&self, path: &str, bearer: &str) -> (u16, serde_json::Value) {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(bearer)
            .send()
            .await
            .expect("request reaches the server");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }
}

impl TestApp {
    /// Creates `n` active teachers of `unit` with job title `title`, straight through the
    /// storage layer (signing up thousands through the API would spend minutes hashing
    /// passwords), and returns their ids with access tokens minted for them.
    pub async fn teachers(&self, n: usize, unit: &str, title: &str) -> Vec<(i32, String)> {
        use inservice_domain::account::{AccountKind, AccountStatus};
        use inservice_persistence::accounts::NewAccount;
        let vault = inservice_persistence::secrets::IdentityVault::new(&TEST_DATA_KEY);
        let keys = inservice_api::auth::AuthKeys::new(
            TEST_JWT_SECRET.as_bytes(),
            &[],
            TEST_PUBLIC_URL,
            false,
        );
        let now = chrono::Utc::now();
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let serial = self
                .serial
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1;
            let identity =
                inservice_domain::identity::IdentityNumber::parse(&national_id('Q', serial))
                    .expect("a valid identity number");
            let new = NewAccount {
                account_name: format!("bulk{serial}"),
                kind: AccountKind::Teacher,
                status: AccountStatus::Active,
                real_name: format!("教師{serial}"),
                identity,
                birth_date: None,
                gender: None,
                email: format!("bulk{serial}@school.example.tw"),
                phone: Some("02-2345-6789".into()),
                unit_code: Some(unit.to_owned()),
                requested_unit_code: None,
                account_type: None,
                job_title: Some(title.to_owned()),
                subjects: Vec::new(),
                personal_number: None,
                password_hash: "not-for-login".into(),
                consent_version: None,
            };
            let created = self
                .db
                .create_account(new, &vault, now, None)
                .await
                .unwrap_or_else(|e| panic!("create teacher {serial}: {e}"));
            let account = self
                .db
                .account(created.id)
                .await
                .expect("read the teacher")
                .expect("the teacher exists");
            let (_, refresh_hash) = inservice_api::auth::new_opaque_token();
            let session = self
                .db
                .record_login(
                    account.id,
                    now,
                    &refresh_hash,
                    now + chrono::Duration::days(1),
                )
                .await
                .expect("open a session");
            let token = inservice_api::auth::issue_access_token(&keys, &account, &session, now)
                .expect("a token");
            out.push((created.id, token));
        }
        out
    }

    /// Runs SQL against the test database, for setting up what the API would not do (moving a
    /// registration window into the past).
    pub async fn execute(&self, sql: &str) {
        let conn = sea_orm::Database::connect(&self.database_url)
            .await
            .expect("connect");
        conn.execute_unprepared(sql).await.expect("the SQL runs");
        conn.close().await.ok();
    }
}

/// Runs one test body against both databases: `mod name { fn sqlite(); fn postgres(); }`.
#[macro_export]
macro_rules! both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let app = $crate::TestApp::spawn($crate::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                ($body)(app).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(app) = $crate::TestApp::spawn($crate::Backend::Postgres).await {
                    ($body)(app).await;
                }
            }
        }
    };
}

/// The first sheet of an .xlsx workbook as text cells (empty cells as ""), for checking
/// downloads with calamine.
pub fn workbook_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("a readable sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}
