//! The partner exchange at national volume: a county system sends 200,000 records for 10,000
//! teachers in one batch (committed with per-row validation), retrieves them page by page, and
//! sends a 1,000,000-row file while the process's peak memory is watched.
//!
//! Baselines in the same run, on the same database: the same rows written by one
//! `INSERT … SELECT generate_series` into a copy of the table (the database's own speed for
//! these rows and indexes, no validation, no lookups), and the same keyset pages read by plain
//! SQL.

use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use inservice_domain::identity::IdentityNumber;
use inservice_e2e::exchange::{partner_input, row};
use inservice_e2e::{TestApp, national_id};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::Value;

use crate::Result;

const UNIT: &str = "demo-jh-taipei";
const TEACHERS: usize = 10_000;

fn identity(i: usize) -> String {
    national_id('P', i as u32 + 1)
}

/// Row `i` of a batch: teacher `i % TEACHERS`, a course per `TEACHERS` rows.
fn row_of(prefix: &str, i: usize) -> Value {
    let course = i / TEACHERS;
    let day = 1 + (course % 28);
    row(
        &format!("{prefix}-C{course}"),
        &format!("{prefix}-R{i}"),
        &identity(i % TEACHERS),
        "3",
        &format!("2026-03-{day:02}"),
    )
}

/// A batch body of `rows` rows, produced as it is sent: the client never holds the file.
fn streamed_batch(prefix: &'static str, rows: usize) -> reqwest::Body {
    const PER_CHUNK: usize = 1_000;
    let head = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(String::from("{\"format_version\":\"1\",\"rows\":["))
    });
    let body = futures_util::stream::iter((0..rows.div_ceil(PER_CHUNK)).map(move |chunk| {
        let mut text = String::with_capacity(PER_CHUNK * 320);
        for i in chunk * PER_CHUNK..((chunk + 1) * PER_CHUNK).min(rows) {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&row_of(prefix, i).to_string());
        }
        Ok(text)
    }));
    let tail = futures_util::stream::once(async { Ok(String::from("]}")) });
    reqwest::Body::wrap_stream(head.chain(body).chain(tail))
}

/// The process's peak resident memory (VmHWM), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak to the current resident memory (Linux: `clear_refs` 5).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

async fn send(app: &TestApp, key: &str, body: reqwest::Body) -> Result<(f64, Value)> {
    let started = Instant::now();
    let response = app
        .client
        .post(app.url("/api/v1/exchange/batches"))
        .header("x-api-key", key)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = response.status();
    let report: Value = response.json().await.unwrap_or_default();
    let seconds = started.elapsed().as_secs_f64();
    if status.as_u16() != 201 {
        Err(format!("the batch answered {status}: {report}"))?;
    }
    Ok((seconds, report))
}

pub async fn run(app: Arc<TestApp>, records: usize, big: usize) -> Result<()> {
    println!(
        "\npartner exchange: {records} records for {TEACHERS} teachers in one batch (PostgreSQL)"
    );
    app.seed_demo_accounts().await;
    let admin = app.as_user("centre.admin").await;
    let partner = app
        .partner(
            &admin,
            partner_input(
                "bench-county",
                Some("63000"),
                &["sends_records", "retrieves_records"],
                false,
            ),
        )
        .await;
    let vault = inservice_persistence::secrets::IdentityVault::new(&inservice_e2e::TEST_DATA_KEY);
    let identities: Vec<IdentityNumber> = (0..TEACHERS)
        .map(|i| IdentityNumber::parse(&identity(i)).map_err(|e| format!("{e:?}")))
        .collect::<std::result::Result<_, _>>()?;
    let made = Instant::now();
    app.db
        .generate_teachers(UNIT, &identities, &vault, chrono::Utc::now())
        .await?;
    println!(
        "({TEACHERS} teachers stored in {:.1} s)",
        made.elapsed().as_secs_f64()
    );

    let (seconds, report) = send(&app, &partner.key, streamed_batch("A", records)).await?;
    if report["created"].as_u64() != Some(records as u64) {
        Err(format!("created {} of {records}", report["created"]))?;
    }
    let ours = records as f64 / seconds;
    let sql = sea_orm::Database::connect(&app.database_url).await?;
    sql.execute_unprepared("CREATE TABLE bench_records (LIKE training_records INCLUDING ALL)")
        .await?;
    let started = Instant::now();
    sql.execute_unprepared(
        &format!(
            "INSERT INTO bench_records (account_id, half_hours, days, course_name, unit_code, \
             unit_name, start_date, end_date, category, stage, class_type, tags, source, \
             confirmed_at, partner_id, batch_id, batch_row, partner_course_id, partner_record_id, \
             counted, verification, change_seq, updated_at) \
             SELECT 1 + i % {TEACHERS}, 6, '[[\"2026-03-01\",6]]', 'A-C' || (i / {TEACHERS}) || ' 海洋教育研習', '', \
             '臺北市教師研習中心', DATE '2026-03-01', DATE '2026-03-01', '1', 'junior_high', '1-1', \
             '[]', 'bench', now(), 1, 1, i, 'A-C' || (i / {TEACHERS}), 'B-R' || i, true, 'none', 1, now() \
             FROM generate_series(1, {records}) AS i"
        ),
    )
    .await?;
    let baseline = records as f64 / started.elapsed().as_secs_f64();
    println!(
        "ingest, committed with per-row validation: {records} records in {seconds:.2} s = {ours:.0} records/s \
         (baseline INSERT … SELECT of the same rows into a copy of the table: {baseline:.0} rows/s; ours = {:.2} of it)",
        ours / baseline
    );

    // Retrieval page by page.
    let started = Instant::now();
    let (mut cursor, mut fetched, mut pages) = (String::new(), 0usize, 0usize);
    loop {
        let path = format!("/api/v1/exchange/records?limit=5000&cursor={cursor}");
        let (status, page) = partner.get(&path).await;
        if status != 200 {
            Err(format!("retrieval answered {status}: {page}"))?;
        }
        fetched += page["items"].as_array().map_or(0, Vec::len);
        pages += 1;
        cursor = page["next_cursor"].as_str().unwrap_or_default().to_owned();
        if page["has_more"] != true {
            break;
        }
    }
    let ours = fetched as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (mut seq, mut id, mut read) = (0i64, 0i64, 0usize);
    loop {
        let rows = sql
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                format!(
                    "SELECT r.*, a.identity_cipher, a.real_name FROM training_records r \
                     JOIN accounts a ON a.id = r.account_id \
                     WHERE a.unit_code IN (SELECT code FROM units WHERE county_code = '63000') \
                     AND (r.change_seq > {seq} OR (r.change_seq = {seq} AND r.id > {id})) \
                     ORDER BY r.change_seq, r.id LIMIT 5000"
                ),
            ))
            .await?;
        let Some(last) = rows.last() else { break };
        seq = last.try_get("", "change_seq")?;
        id = i64::from(last.try_get::<i32>("", "id")?);
        read += rows.len();
    }
    let baseline = read as f64 / started.elapsed().as_secs_f64();
    println!(
        "retrieval by cursor: {fetched} records in {pages} pages = {ours:.0} records/s \
         (baseline: the same keyset pages in plain SQL, {baseline:.0} rows/s; ours = {:.2} of it)",
        ours / baseline
    );
    sql.execute_unprepared("DROP TABLE bench_records").await?;
    sql.close().await?;

    if big > 0 {
        reset_peak();
        let before = peak_rss_mb().unwrap_or(0.0);
        let (seconds, report) = send(&app, &partner.key, streamed_batch("B", big)).await?;
        let peak = peak_rss_mb().unwrap_or(0.0);
        println!(
            "a {big}-row file, streamed: {} created in {seconds:.1} s = {:.0} records/s; \
             peak resident memory of the process (server and client) {peak:.0} MB, {before:.0} MB before it",
            report["created"],
            big as f64 / seconds
        );
    }
    Ok(())
}
