//! Operations, end to end: the backup drill (backup → restore into a fresh database → the same
//! rows and transcripts), liveness apart from readiness, the Prometheus scrape, and a PostgreSQL
//! outage under load (503 with `Retry-After`, nothing half-written, recovery without a restart).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use inservice_e2e::courses::course_form;
use inservice_e2e::{Backend, TestApp, TestDatabase, both_databases, postgres_admin_url};
use inservice_persistence::Database;
use inservice_persistence::backup::{self, BackupError};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const UNIT: &str = "demo-jh-taipei";

/// Every transcript's code, stored hash and content, in code order.
async fn transcripts(url: &str) -> Vec<(String, String, String)> {
    let conn = sea_orm::Database::connect(url).await.unwrap();
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT code, sha256, content FROM transcripts ORDER BY code",
        ))
        .await
        .unwrap();
    conn.close().await.ok();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "code").unwrap(),
                r.try_get("", "sha256").unwrap(),
                r.try_get("", "content").unwrap(),
            )
        })
        .collect()
}

both_databases!(
    backup_drill_restores_every_row_and_transcript,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        app.seed_demo_courses().await;
        let records = inservice_persistence::seed_demo_records(&app.db, chrono::Utc::now())
            .await
            .unwrap();
        assert!(records > 0, "the demo teachers have records");
        for login in ["teacher.lin", "teacher.wang", "teacher.chen"] {
            let token = app.demo_token(login).await;
            let (status, issued) = app
                .post_json("/api/v1/me/transcripts", &json!({}), Some(&token))
                .await;
            assert_eq!(status, 201, "{issued}");
        }
        let before = app.db.table_row_counts().await.unwrap();
        assert!(before["transcripts"] >= 3 && before["training_records"] > 0);
        let source_transcripts = transcripts(&app.database_url).await;

        // Online: the server keeps serving while the backup is taken.
        let folder = std::env::temp_dir().join(format!("inservice-drill-{}", uuid::Uuid::new_v4()));
        let (file, health) = tokio::join!(
            app.db.backup_to(&folder, chrono::Utc::now()),
            app.get_json("/api/v1/health", 200)
        );
        let file = file.expect("the backup");
        assert_eq!(health["database"]["status"], "ok");
        let after = app.db.table_row_counts().await.unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            backup::taken_at(&file).is_some(),
            "a UTC timestamp in {name}"
        );
        let extension = if app.backend == Backend::Sqlite {
            ".sqlite3"
        } else {
            ".pgdump"
        };
        assert!(
            name.starts_with("inservice-") && name.ends_with(extension),
            "{name}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "the backup is its owner's only");
        }
        let leftovers: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");

        let fresh = TestDatabase::create(app.backend).await.unwrap();
        let report = backup::restore(&file, fresh.url(), false)
            .await
            .expect("restore");
        assert_eq!(report.pending_migrations, 0);
        let restored = Database::connect(fresh.url()).await.unwrap();
        let counts = restored.table_row_counts().await.unwrap();
        // A background job of the source server could have written between the two counts.
        if before == after {
            assert_eq!(counts, before, "every table's rows");
        } else {
            assert!(counts == before || counts == after, "every table's rows");
        }
        assert_eq!(report.tables, counts.len());
        let restored_transcripts = transcripts(fresh.url()).await;
        assert_eq!(restored_transcripts, source_transcripts, "every transcript");
        for (code, sha256, content) in &restored_transcripts {
            assert_eq!(
                &inservice_persistence::records::sha256_hex(content),
                sha256,
                "transcript {code} still matches its hash"
            );
        }
        assert_eq!(restored.pending_migrations().await.unwrap(), 0);
        restored.close().await.unwrap();

        // A database with data in it is not overwritten by accident, only when forced.
        let refused = backup::restore(&file, fresh.url(), false).await;
        assert!(
            matches!(refused, Err(BackupError::NotEmpty { tables }) if tables == counts.len()),
            "{refused:?}"
        );
        let forced = backup::restore(&file, fresh.url(), true)
            .await
            .expect("forced restore");
        assert_eq!(forced.rows, report.rows);
        // A backup of the other engine is refused before anything is touched.
        let wrong = folder.join("not-a-backup.sqlite3");
        std::fs::write(&wrong, "neither kind of backup").unwrap();
        assert!(matches!(
            backup::restore(&wrong, fresh.url(), true).await,
            Err(BackupError::WrongKind { .. })
        ));
        std::fs::remove_dir_all(&folder).unwrap();
    }
);

both_databases!(
    health_is_liveness_and_ready_checks_the_database_and_migrations,
    |app: TestApp| async move {
        let ready = app.get_json("/api/v1/ready", 200).await;
        assert_eq!(ready["database"]["pending_migrations"], 0);
        app.get_json("/api/v1/health", 200).await;

        // A migration left unapplied: alive, but not ready.
        let conn = sea_orm::Database::connect(&app.database_url).await.unwrap();
        let backend = conn.get_database_backend();
        let newest: String = conn
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT MAX(version) AS v FROM seaql_migrations",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "v")
            .unwrap();
        conn.execute_unprepared(&format!(
            "DELETE FROM seaql_migrations WHERE version = '{newest}'"
        ))
        .await
        .unwrap();
        let response = app.get("/api/v1/ready").await;
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["retry-after"], "5");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "migrations_pending", "{problem}");
        let health = app.get_json("/api/v1/health", 200).await;
        assert_eq!(health["status"], "ok");
        assert_eq!(health["database"]["pending_migrations"], 1);
        conn.execute_unprepared(&format!(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('{newest}', 0)"
        ))
        .await
        .unwrap();
        conn.close().await.ok();
        app.get_json("/api/v1/ready", 200).await;
    }
);

/// The value of one sample line of the exposition (`name{labels} value`), if present.
fn sample(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

both_databases!(
    metrics_count_requests_by_route_pattern_with_pool_and_outbox,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let reviewer = app.demo_token("taipei.reviewer").await;
        let code = app
            .published_course(&operator, UNIT, &reviewer, &course_form("指標測試研習"))
            .await;
        for _ in 0..3 {
            app.get_json(&format!("/api/v1/courses/{code}"), 200).await;
        }
        app.get_json("/api/v1/courses/999999999", 404).await;
        app.get("/api/v1/no/such/route/secret-token-123").await;
        let response = app.get("/metrics").await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        let text = response.text().await.unwrap();
        let route = "endpoint=\"/api/v1/courses/{code}\",method=\"GET\"";
        assert_eq!(
            sample(
                &text,
                &format!("inservice_http_requests_total{{{route},status=\"200\"}}")
            ),
            Some(3.0),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                &format!("inservice_http_requests_total{{{route},status=\"404\"}}")
            ),
            Some(1.0)
        );
        assert!(
            text.contains(&format!(
                "inservice_http_requests_duration_seconds_bucket{{{route},status=\"200\",le="
            )),
            "latency histogram by route"
        );
        assert!(
            !text.contains(&format!("/courses/{code}\"")),
            "never the raw path"
        );
        assert!(
            !text.contains("secret-token-123"),
            "unmatched paths are masked"
        );
        assert!(sample(&text, "inservice_db_pool_connections ").is_some_and(|n| n >= 1.0));
        assert!(sample(&text, "inservice_db_pool_max_connections ").is_some_and(|n| n >= 4.0));
        assert!(sample(&text, "inservice_db_pool_idle_connections ").is_some());
        assert!(sample(&text, "inservice_mail_outbox_depth ").is_some());
        assert_eq!(sample(&text, "inservice_database_up "), Some(1.0));
    }
);

/// One answer during the outage test.
#[derive(Debug)]
struct Answer {
    what: &'static str,
    status: u16,
    problem_json: bool,
    retry_after: bool,
    code: Option<String>,
}

async fn call(
    app: &TestApp,
    what: &'static str,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> Answer {
    let mut request = app
        .client
        .request(method.clone(), app.url(path))
        .bearer_auth(token);
    if method == reqwest::Method::POST {
        request = request.json(&json!({}));
    }
    let response = request
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .expect("the server answers during the outage");
    let status = response.status().as_u16();
    let problem_json = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v == "application/problem+json");
    let retry_after = response.headers().contains_key("retry-after");
    let body: Value = response.json().await.unwrap_or(Value::Null);
    Answer {
        what,
        status,
        problem_json,
        retry_after,
        code: body["code"].as_str().map(str::to_owned),
    }
}

/// Runs `sql` on the admin database (not the test's own), where the outage is made.
async fn admin_sql(sql: &str) {
    let admin = sea_orm::Database::connect(postgres_admin_url())
        .await
        .unwrap();
    admin.execute_unprepared(sql).await.unwrap();
    admin.close().await.ok();
}

/// The server's database goes away under load, without touching the shared PostgreSQL server:
/// new connections to it are refused and every open one is killed, repeatedly, for a while.
#[tokio::test]
async fn postgres_outage_answers_503_with_retry_after_and_recovers() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    app.seed_demo_accounts().await;
    let operator = app.demo_token("school.operator").await;
    let reviewer = app.demo_token("taipei.reviewer").await;
    let mut codes = Vec::new();
    for i in 0..3 {
        let mut form = course_form(&format!("停機演練研習{i}"));
        form["places_per_class"] = json!(500);
        codes.push(
            app.published_course(&operator, UNIT, &reviewer, &form)
                .await,
        );
    }
    let teachers = app.teachers(400, UNIT, "15-4").await;
    let name = app.database().postgres_name().unwrap().to_owned();
    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let workers = 8;
    let mut tasks = Vec::new();
    for w in 0..workers {
        let (app, stop, codes) = (app.clone(), stop.clone(), codes.clone());
        let mine: Vec<String> = teachers
            .iter()
            .skip(w)
            .step_by(workers)
            .map(|(_, t)| t.clone())
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let token = &mine[i % mine.len()];
                let code = codes[i % codes.len()];
                let path = format!("/api/v1/courses/{code}/enrollments");
                answers.push(call(&app, "enroll", reqwest::Method::POST, &path, token).await);
                answers.push(
                    call(
                        &app,
                        "my enrollments",
                        reqwest::Method::GET,
                        "/api/v1/me/enrollments",
                        token,
                    )
                    .await,
                );
                let path = format!("/api/v1/courses/{code}");
                answers.push(call(&app, "course", reqwest::Method::GET, &path, token).await);
                i += 1;
            }
            answers
        }));
    }

    tokio::time::sleep(Duration::from_secs(1)).await;
    admin_sql(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).await;
    let admin = sea_orm::Database::connect(postgres_admin_url())
        .await
        .unwrap();
    for _ in 0..30 {
        admin
            .execute_unprepared(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    admin
        .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .await
        .unwrap();
    admin.close().await.ok();
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    let mut answers = Vec::new();
    for task in tasks {
        answers.extend(task.await.unwrap());
    }

    let unavailable = answers.iter().filter(|a| a.status == 503).count();
    let enrolled = answers.iter().filter(|a| a.status == 201).count();
    eprintln!(
        "outage: {} answers, {unavailable} of them 503, {enrolled} enrollments",
        answers.len()
    );
    assert!(
        unavailable > 0,
        "the outage was felt: {} answers",
        answers.len()
    );
    for a in &answers {
        let expected = match (a.what, a.status) {
            (_, 503) => {
                assert!(
                    a.problem_json && a.retry_after,
                    "a 503 is a problem with Retry-After: {a:?}"
                );
                assert_eq!(a.code.as_deref(), Some("service_unavailable"), "{a:?}");
                true
            }
            // A teacher enrolled again after an answer lost in the outage is told so.
            ("enroll", 201) | ("enroll", 409) => true,
            ("my enrollments" | "course", 200) => true,
            _ => false,
        };
        assert!(expected, "only success or 503 during the outage: {a:?}");
    }

    // The same server, without a restart, answers normally again.
    app.get_json("/api/v1/ready", 200).await;
    let (status, _) = app
        .get_authed("/api/v1/me/enrollments", &teachers[0].1)
        .await;
    assert_eq!(status, 200);
    let late = app.teachers(1, UNIT, "15-4").await;
    let (status, body) = app
        .post_json(
            &format!("/api/v1/courses/{}/enrollments", codes[0]),
            &json!({}),
            Some(&late[0].1),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    // Nothing half-written: each course's counter equals the places its enrollments hold.
    let conn = sea_orm::Database::connect(&app.database_url).await.unwrap();
    for code in &codes {
        let row = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                format!(
                    "SELECT c.enrolled_count AS counted, \
                       (SELECT COUNT(*) FROM enrollments e WHERE e.course_id = c.id \
                          AND e.status IN ('pending', 'enrolled')) AS held \
                     FROM courses c WHERE c.id = {code}"
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        let counted: i32 = row.try_get("", "counted").unwrap();
        let held: i64 = row.try_get("", "held").unwrap();
        assert_eq!(i64::from(counted), held, "course {code}");
        assert!(held > 0);
    }
    conn.close().await.ok();
}
